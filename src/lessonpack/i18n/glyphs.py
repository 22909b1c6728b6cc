"""Every character printed must have a glyph in the templates' font stack.

A missing glyph is not an error to WeasyPrint: it draws an empty box, or a fallback font the
machine happens to have. lessonpack reads the ``font-family`` stack from the project's CSS,
asks fontconfig which file serves each family, reads their character maps once (cached by file
size and time) and reports any character no font covers, naming the message and the character.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path

from ..content.files import is_regular, read_regular
from ..content.messages import iter_messages, route_prefix
from ..content.model import CHECK_MODULE
from ..content.project import Project
from ..problems import Problems
from .translations import Translator

FONT_FAMILY = re.compile(r"\bhtml\s*\{[^}]*?font-family:\s*([^;}]+)", re.DOTALL)


def font_stack(css_dir: Path) -> list[str]:
    """Families named by the first ``html { font-family: ... }`` rule of the project's CSS."""
    for css in sorted(css_dir.glob("*.css")):
        if not is_regular(css):
            continue  # a FIFO or device: reported by the check, never opened
        match = FONT_FAMILY.search(read_regular(css).decode("utf-8"))
        if match:
            families = [f.strip().strip("\"'") for f in match.group(1).split(",")]
            return [f for f in families if f and f not in ("serif", "sans-serif", "monospace")]
    return []


@lru_cache(maxsize=64)  # fc-match is a process: once per family per process (the preview)
def font_file(family: str, bold: bool = False) -> tuple[str, int] | None:
    """The file and face index fontconfig uses for ``family`` (its bold face with ``bold``) —
    only if it really is that family. The glyph check, slide fitting and the Korean print cut
    all ask here."""
    pattern = f"{family}:bold" if bold else family
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
                             check=True, capture_output=True, text=True, timeout=30).stdout
        names, path, index = out.split("\t")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if family.lower() not in (n.strip().lower() for n in names.split(",")):
        return None  # fontconfig substituted another family: the named one is not installed
    return path, int(index or 0)


@lru_cache(maxsize=64)
def _cmap(path: str, index: int, cache_dir: Path) -> frozenset[int]:
    stat = Path(path).stat()
    key = re.sub(r"\W", "_", f"{path}-{index}-{stat.st_size}-{stat.st_mtime_ns}")
    cache = cache_dir / "glyphs" / f"{key}.json"
    try:
        return frozenset(json.loads(cache.read_text()))
    except (OSError, ValueError):
        pass
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    codepoints = sorted(font.getBestCmap() or {})
    font.close()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(codepoints))
    except OSError:
        pass
    return frozenset(codepoints)


class Coverage:
    """The characters the project's font stack can print."""

    def __init__(self, css_dir: Path, cache_dir: Path) -> None:
        self.families = font_stack(css_dir)
        self.missing_families: list[str] = []
        self.codepoints: set[int] = set()
        for family in self.families:
            found = font_file(family)
            if found is None:
                self.missing_families.append(family)
                continue
            self.codepoints |= _cmap(*found, cache_dir)

    @cached_property
    def _chars(self) -> frozenset[str]:
        return frozenset(map(chr, self.codepoints))

    def uncovered(self, text: str) -> list[str]:
        """Characters of ``text`` no font covers (spaces and format controls need no glyph)."""
        found = self._seen.get(text)
        if found is None:
            found = sorted(ch for ch in set(text).difference(self._chars) if _needs_glyph(ch))
            if len(self._seen) < 100_000:
                self._seen[text] = found
        return list(found)

    @cached_property
    def _seen(self) -> dict[str, list[str]]:
        return {}


_coverages: dict[tuple[str, ...], Coverage] = {}


def coverage_for(css_dir: Path, cache_dir: Path) -> Coverage:
    """One Coverage per font stack per process: the preview checks on every save, and each
    check looked up the fonts and their character maps again."""
    key = (*font_stack(css_dir), str(cache_dir))
    if key not in _coverages:
        _coverages[key] = Coverage(css_dir, cache_dir)
    return _coverages[key]


@lru_cache(maxsize=4096)
def _needs_glyph(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf")


def describe(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')} ({c})" for c in chars)


def check_glyphs(project: Project, translators: dict[str, Translator],
                 problems: Problems) -> None:
    """Every source text and every translation must be printable with the font stack."""
    coverage = coverage_for(project.templates_dir / "css", project.cache_dir)
    for family in coverage.missing_families:
        problems.warning(project.templates_dir / "css", 1, 1, "font.missing",
                         f"font '{family}' named in font-family is not installed",
                         "install it (see setup.sh) or remove it from the stack")
    sources = [(project.curriculum_path, project.curriculum_raw, "curriculum")]
    sources += [(m.path, m.raw, m.module.id) for m in project.modules]
    sources += [(r.path, r.raw, route_prefix(c)) for c, r in project.routes.items()]
    if project.knowledge is not None:
        sources.append((project.knowledge.path, project.knowledge.raw, CHECK_MODULE))
    for path, raw, prefix in sources:
        if raw is None:
            continue
        for message in iter_messages(raw, prefix):
            missing = coverage.uncovered(message.text)
            if missing:
                problems.error(path, message.pos.line, message.pos.col, "font.glyph",
                               f"no font in the stack has {describe(missing)}",
                               "use another character, or add a font that has it")
    for translator in translators.values():
        if translator.path is None:
            continue
        for key, text in list(translator.entries.items()):
            missing = coverage.uncovered(text)
            if missing:
                problems.error(translator.path, translator.lines.get(key, 1), 1, "font.glyph",
                               f"translation of '{key[1][:40]}' uses {describe(missing)}, "
                               f"which no font in the stack ({', '.join(coverage.families)}) "
                               "has", "add a font that covers it to templates/css, or change "
                               "the text; English is printed meanwhile", contained=True)
                del translator.entries[key]
