"""Read a locale's PO catalogue and answer lookups, falling back to English and counting it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .problems import Problems

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)s|%s|%d")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@dataclass
class Translator:
    """Lookups for one locale. English (no catalogue) returns every text unchanged."""

    locale: str
    entries: dict[tuple[str, str], str] = field(default_factory=dict)
    review_status: str = "source"
    reviewed_by: str = ""
    used: int = 0
    fell_back: int = 0

    def lookup(self, context: str, text: str) -> str:
        self.used += 1
        found = self.entries.get((context, text))
        if found is None:
            if self.entries or self.review_status != "source":
                self.fell_back += 1
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


def english(locale: str) -> Translator:
    return Translator(locale=locale)


def load_translator(path: Path, locale: str, problems: Problems) -> Translator:
    """Parse ``path``; translations that drop or invent a placeholder are reported and skipped."""
    try:
        catalogue = polib.pofile(str(path), wrapwidth=79)
    except (OSError, ValueError) as exc:
        problems.error(path, 1, 1, "i18n.parse", f"cannot read catalogue: {exc}",
                       "open it in Poedit or run `msgfmt --check` to find the broken entry")
        return Translator(locale=locale, review_status="draft")
    meta = catalogue.metadata
    translator = Translator(
        locale=locale,
        review_status=meta.get("X-Review-Status", "draft").strip().lower() or "draft",
        reviewed_by=meta.get("X-Reviewed-By", "").strip(),
    )
    for entry in catalogue:
        if entry.obsolete or entry.fuzzy or not entry.msgstr.strip():
            continue
        if placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.error(path, entry.linenum, 1, "i18n.placeholder",
                           f"translation of '{entry.msgid[:40]}' has placeholders "
                           f"{placeholders(entry.msgstr)}, the English has "
                           f"{placeholders(entry.msgid)}",
                           "keep every {name} exactly as in the English; English is used meanwhile")
            continue
        translator.entries[(entry.msgctxt or "", entry.msgid)] = entry.msgstr
    return translator
