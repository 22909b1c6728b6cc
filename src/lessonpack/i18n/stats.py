"""Translation status counts; fuzzy is never counted as translated.

Review is per message: a reviewer marks a translation reviewed with a translator comment line
``# reviewed`` (optionally ``# reviewed: Name, YYYY-MM-DD``). GNU msgmerge/msgcat and Poedit
keep translator comments (an unknown ``#,`` flag would be dropped by GNU gettext); `update`
removes the mark when the English changes, since the review no longer holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib


@dataclass(frozen=True)
class CatalogStats:
    """Active entries are translated, fuzzy or untranslated; obsolete ones are apart."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    reviewed: int = 0  # of the translated: marked reviewed (the rest are drafts)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def draft(self) -> int:
        return self.translated - self.reviewed

    @property
    def percent_translated(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 100.0

    def __add__(self, other: CatalogStats) -> CatalogStats:
        return CatalogStats(
            self.translated + other.translated,
            self.fuzzy + other.fuzzy,
            self.untranslated + other.untranslated,
            self.obsolete + other.obsolete,
            self.reviewed + other.reviewed,
        )

    def summary(self) -> str:
        return (
            f"{self.translated}/{self.total} translated ({self.percent_translated:.0f}%), "
            f"{self.reviewed} reviewed, {self.draft} draft, "
            f"{self.fuzzy} fuzzy, {self.untranslated} untranslated, {self.obsolete} obsolete"
        )


REVIEWED = re.compile(r"^\s*reviewed\b", re.IGNORECASE | re.MULTILINE)


def is_reviewed(entry: polib.POEntry) -> bool:
    """A translator comment line starting "reviewed" (see the module doc)."""
    return bool(REVIEWED.search(entry.tcomment or ""))


def drop_review(entry: polib.POEntry) -> None:
    """Remove the review mark: the English (or the translation) it vouched for changed."""
    lines = (entry.tcomment or "").split("\n")
    entry.tcomment = "\n".join(line for line in lines if not REVIEWED.match(line))


def has_translation(entry: polib.POEntry) -> bool:
    """Any translated text at all (a single plural form counts)."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def fully_translated(entry: polib.POEntry) -> bool:
    # msgfmt treats a plural entry with any empty form as untranslated.
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return bool(forms) and all(forms.values())
    return bool(entry.msgstr)


def status(entry: polib.POEntry) -> str:
    """One of "obsolete", "fuzzy", "translated", "untranslated"."""
    if entry.obsolete:
        return "obsolete"
    if entry.fuzzy and has_translation(entry):
        return "fuzzy"
    if not entry.fuzzy and fully_translated(entry):
        return "translated"
    return "untranslated"  # includes fuzzy with no text yet


def _count(entries: list[polib.POEntry]) -> CatalogStats:
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0, "reviewed": 0}
    for entry in entries:
        state = status(entry)
        counts[state] += 1
        if state == "translated" and is_reviewed(entry):
            counts["reviewed"] += 1
    return CatalogStats(**counts)


def catalog_stats(po: polib.POFile) -> CatalogStats:
    return _count(list(po))


def stats_by_prefix(po: polib.POFile, depth: int = 1) -> dict[str, CatalogStats]:
    """Stats per msgctxt prefix of ``depth`` segments, e.g. module id or "template".

    Entries without msgctxt are grouped under "". Keys are sorted for stable output.
    """
    if depth < 1:
        raise ValueError("depth must be >= 1")
    groups: dict[str, list[polib.POEntry]] = {}
    for entry in po:
        prefix = "/".join((entry.msgctxt or "").split("/")[:depth])
        groups.setdefault(prefix, []).append(entry)
    return {prefix: _count(groups[prefix]) for prefix in sorted(groups)}


def stats_by_band(po: polib.POFile) -> dict[str, CatalogStats]:
    """Stats of module texts per age band (``<module>/content/<band>/...`` contexts)."""
    groups: dict[str, list[polib.POEntry]] = {}
    for entry in po:
        parts = (entry.msgctxt or "").split("/")
        if len(parts) > 2 and parts[1] == "content":
            groups.setdefault(parts[2], []).append(entry)
    return {band: _count(groups[band]) for band in sorted(groups, key=_band_order)}


def stats_by_edition(po: polib.POFile, countries: dict[str, str]) -> dict[str, CatalogStats]:
    """Stats of what each edition prints (``countries``: edition id → country): every text but
    other countries' routes — the module, curriculum and template texts, the country's routes
    and the international ones."""
    result = {}
    for edition, country in countries.items():
        own = (f"routes/{country}/", "routes/international/")
        entries = [e for e in po if not (e.msgctxt or "").startswith("routes/")
                   or (e.msgctxt or "").startswith(own)]
        result[edition] = _count(entries)
    return result


def _band_order(band: str) -> tuple[int, str]:
    head = band.split("-", 1)[0]
    return (int(head) if head.isdigit() else 0, band)


def word_counts(po: polib.POFile) -> dict[str, int]:
    """English words of active entries, by status (what a translator's quote is based on)."""
    words = {"total": 0, "translated": 0, "reviewed": 0, "fuzzy": 0, "untranslated": 0}
    for entry in po:
        state = status(entry)
        if state == "obsolete":
            continue
        n = len(entry.msgid.split())
        words["total"] += n
        words[state] += n
        if state == "translated" and is_reviewed(entry):
            words["reviewed"] += n
    return words
