"""Problems found in a curriculum project, reported as ``path:line:col: severity CODE message``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

# Control characters (C0 but newline and tab, DEL, C1) and the invisible ones that hide or
# reorder text: zero-width, word joiner and invisible operators, BOM, bidi embeddings,
# overrides and isolates, line/paragraph separators, interlinear annotations. The one table for
# refusing them in sources (content/textsafety.py) and for escaping them in what is echoed.
UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u180e\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufdd0-\ufdef\ufeff\ufff9-\ufffb]")


def printable(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``, ``\\u202e``): file
    content echoed to a terminal or a page must never drive the terminal, hide itself or
    reorder the line around it."""
    return UNSAFE_CHARS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, located in a file of the project."""

    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    code: str
    message: str
    hint: str = ""
    # The build already works around it (e.g. prints the English instead of a broken
    # translation): reported as an error, but it does not stop a build unless --strict.
    contained: bool = False

    def format(self) -> str:
        hint = f" — {self.hint}" if self.hint else ""
        where = f"{self.path}:{self.line}:{self.col}"
        return printable(f"{where}: {self.severity} {self.code} {self.message}{hint}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class Problems:
    """A collector: stages add problems to it and never stop at the first one."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, col: int, code: str, message: str,
              hint: str = "", contained: bool = False) -> None:
        self.items.append(Problem(self._rel(path), line, col, "error", code, message, hint,
                                  contained))

    def warning(self, path: Path | str, line: int, col: int, code: str, message: str,
                hint: str = "") -> None:
        self.items.append(Problem(self._rel(path), line, col, "warning", code, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items)))

    def __len__(self) -> int:
        return len(set(self.items))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def blocks_build(self, strict: bool = False) -> bool:
        """Errors the build cannot work around (any problem at all under --strict)."""
        if strict:
            return bool(self.items)
        return any(p.is_error and not p.contained for p in self)


def format_problems(problems: Problems, fmt: str = "text", strict: bool = False) -> str:
    """Render all problems for the terminal (text) or for machines (json)."""
    items = list(problems)
    if strict:
        items = [Problem(p.path, p.line, p.col, "error", p.code, p.message, p.hint)
                 for p in items]
    if fmt == "json":
        return json.dumps({"problems": [asdict(p) for p in items]}, indent=2, ensure_ascii=False)
    return "\n".join(p.format() for p in items)


class ContentError(click.ClickException):
    """Content or validation errors: printed without a traceback, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(printable(self.format_message()), err=True)
