"""`lessonpack i18n update | status`: merge the template into every catalogue; report progress."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.project import Project
from .extract import pot_path, write_pot
from .merge import MergeReport, merge_catalog
from .pofile import SyntaxProblem, load_po, render_po, syntax_problems, write_po_atomically
from .stats import CatalogStats, catalog_stats, stats_by_prefix


def catalogue_paths(project: Project) -> dict[str, Path]:
    """locale → locales/<locale>/LC_MESSAGES/messages.po, for every catalogue on disk."""
    return {path.parent.parent.name: path
            for path in sorted(project.locales_dir.glob("*/LC_MESSAGES/messages.po"))}


@dataclass(frozen=True)
class UpdateResult:
    locale: str
    path: Path
    report: MergeReport | None
    written: bool
    refused: tuple[SyntaxProblem, ...] = ()
    """Why the catalogue was left untouched: it does not parse as written (see
    :func:`~.pofile.syntax_problems`); rewriting it would lose or garble a translation."""


def update_catalogues(project: Project, now: str, locales: tuple[str, ...] = ()
                      ) -> list[UpdateResult]:
    """Re-extract, then merge the template into each catalogue; write only what changed.

    A catalogue that does not parse exactly as written is refused and left byte for byte as
    it was (``refused`` says where): polib would read a string without its closing quote with
    its last letter lost, and the merge would write that back.
    """
    write_pot(project, now)
    pot = load_po(pot_path(project))
    results = []
    for locale, path in catalogue_paths(project).items():
        if locales and locale not in locales:
            continue
        refused = tuple(syntax_problems(path))
        if refused:
            results.append(UpdateResult(locale, path, None, False, refused))
            continue
        po = load_po(path)
        before = path.read_bytes()
        report = merge_catalog(po, pot)
        written = render_po(po) != before
        if written:
            write_po_atomically(po, path)
        results.append(UpdateResult(locale, path, report, written))
    return results


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    total: CatalogStats
    by_module: dict[str, CatalogStats]
    review_status: str
    reviewed_by: str
    review_date: str

    def as_json(self) -> dict:
        def counts(s: CatalogStats) -> dict:
            return {"translated": s.translated, "fuzzy": s.fuzzy,
                    "untranslated": s.untranslated, "obsolete": s.obsolete,
                    "percent": round(s.percent_translated, 1)}

        return {"locale": self.locale, "review_status": self.review_status,
                "reviewed_by": self.reviewed_by, "review_date": self.review_date,
                **counts(self.total),
                "modules": {name: counts(s) for name, s in self.by_module.items()}}


def locale_status(project: Project, locales: tuple[str, ...] = ()) -> list[LocaleStatus]:
    rows = []
    for locale, path in catalogue_paths(project).items():
        if locales and locale not in locales:
            continue
        po = load_po(path)
        meta = po.metadata
        rows.append(LocaleStatus(
            locale, catalog_stats(po), stats_by_prefix(po, depth=1),
            meta.get("X-Review-Status", "draft"), meta.get("X-Reviewed-By", ""),
            meta.get("X-Review-Date", "")))
    return rows
