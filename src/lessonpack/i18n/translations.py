"""Read a locale's PO catalogue and answer lookups, falling back to English and counting it."""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..content.files import read_regular
from ..content.messages import route_prefix
from ..output import write_atomically
from ..problems import Problems
from .checks import translation_problem
from .pofile import FATAL, load_po, syntax_problems
from .stats import is_reviewed
from .variants import NO_VARIANT, Variant

ROUTE_CONTEXTS = route_prefix("")
"""Texts of route files (routes, country terms): written for their country, never adapted."""


@dataclass
class Translator:
    """Lookups for one locale. English (no catalogue) returns every text unchanged."""

    locale: str
    entries: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    path: Path | None = None
    review_status: str = "source"
    reviewed_by: str = ""
    used: int = 0
    fell_back: int = 0
    fallbacks: set[str] = field(default_factory=set)
    """English texts printed in place of a missing translation (marked as English on the page)."""
    reviewed: set[tuple[str, str]] = field(default_factory=set)
    """(msgctxt, msgid) of translations a reviewer marked `# reviewed` (i18n/stats.py)."""
    variant: Variant = NO_VARIANT
    """An English edition's word list (``locales/en_US/words.yaml``): every source text this
    translator prints is adapted — lessons, templates, band labels, pack and site chrome —
    except route files' texts (:data:`ROUTE_CONTEXTS`). Empty for a translation."""

    def lookup(self, context: str, text: str) -> str:
        self.used += 1
        found = self.entries.get((context, text))
        if found is None:
            if self.entries or self.review_status != "source":
                self.fell_back += 1
                self.fallbacks.add(text)
            if self.variant.words and not context.startswith(ROUTE_CONTEXTS):
                return self.variant.adapt(text)
            return text
        return found

    def gettext(self, text: str) -> str:
        return self.lookup("template", text)

    @property
    def is_source(self) -> bool:
        return self.review_status == "source"

    def coverage(self) -> float:
        """Share of looked-up texts that had a translation (1.0 for English)."""
        if self.is_source or self.used == 0:
            return 1.0
        return (self.used - self.fell_back) / self.used

    def reset_counts(self) -> None:
        self.used = self.fell_back = 0


def english(locale: str, variant: Variant = NO_VARIANT) -> Translator:
    """The source text for ``locale``, in its English variant's words (i18n/variants.py)."""
    return Translator(locale=locale, variant=variant)


def load_translator(path: Path, locale: str, problems: Problems,
                    cache_dir: Path | None = None) -> Translator:
    """Parse ``path``; unsafe translations (see i18n.checks) are reported and skipped.

    Parsing and checking a 2,000-message catalogue takes about a second; the result is cached
    under ``cache_dir`` by the file's hash, so an unchanged catalogue costs milliseconds.
    """
    try:
        data = read_regular(path)
    except OSError as exc:
        problems.error(path, 1, 1, "i18n.parse", f"cannot read catalogue: {exc.strerror}")
        return Translator(locale=locale, review_status="draft")
    cache = _cache_file(cache_dir, data) if cache_dir else None
    state = _read_cache(cache) if cache else None
    if state is None:
        state = _parse(path)
        if cache:
            _write_cache(cache, state)
    for line, code, message, hint in state["problems"]:
        problems.error(path, line, 1, code, message, hint, contained=True)
    return Translator(
        locale=locale, review_status=state["review_status"], reviewed_by=state["reviewed_by"],
        path=path,
        entries={(c, i): t for c, i, t, _ in state["entries"]},
        lines={(c, i): n for c, i, _, n in state["entries"]},
        reviewed={(c, i) for c, i in state.get("reviewed", [])},
    )


def _parse(path: Path) -> dict:
    try:
        syntax = syntax_problems(path)
    except OSError as exc:
        syntax = [(1, "i18n.parse", f"cannot read catalogue: {exc.strerror}", "")]
    if any(code in FATAL for _, code, _, _ in syntax):
        return {"review_status": "draft", "reviewed_by": "", "entries": [], "problems": syntax}
    try:
        catalogue = load_po(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return {"review_status": "draft", "reviewed_by": "", "entries": [], "problems": [
            (1, "i18n.parse", f"cannot read catalogue: {exc}",
             "open it in Poedit or run `msgfmt --check` to find the broken entry")]}
    meta = catalogue.metadata
    entries, found, reviewed = [], list(syntax), []
    for entry in catalogue:
        if entry.obsolete or entry.fuzzy or not entry.msgstr.strip():
            continue
        problem = translation_problem(entry.msgid, entry.msgstr)
        if problem is not None:
            found.append((entry.linenum, *problem))
            continue
        entries.append((entry.msgctxt or "", entry.msgid, entry.msgstr, entry.linenum))
        if is_reviewed(entry):
            reviewed.append((entry.msgctxt or "", entry.msgid))
    return {"review_status": meta.get("X-Review-Status", "draft").strip().lower() or "draft",
            "reviewed_by": meta.get("X-Reviewed-By", "").strip(),
            "entries": entries, "problems": found, "reviewed": reviewed}


_CACHE_FORMAT = 4  # 2: facts checked; 3: per-message review; 4: charset, obsolete duplicates,
#                    control characters and long words (issue 21)


def _cache_file(cache_dir: Path, data: bytes) -> Path:
    from .. import __version__

    key = hashlib.sha256(data + f"|{_CACHE_FORMAT}|{__version__}".encode()).hexdigest()[:32]
    return cache_dir / "catalogues" / f"{key}.json"


def _read_cache(path: Path) -> dict | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(state["entries"], list) and isinstance(state["problems"], list)
        return state
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None


def _write_cache(path: Path, state: dict) -> None:
    with contextlib.suppress(OSError):
        write_atomically(path, json.dumps(state, ensure_ascii=False).encode("utf-8"))
