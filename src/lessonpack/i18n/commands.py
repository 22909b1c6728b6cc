"""`lessonpack i18n update | status`: merge the template into every catalogue; report progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.project import Project
from .extract import pot_path, write_pot
from .merge import MergeReport, merge_catalog
from .pofile import SyntaxProblem, load_po, render_po, syntax_problems, write_po_atomically
from .rekey import legacy_contexts, rekey_catalog
from .scope import scoped_template
from .stats import (
    CatalogStats,
    catalog_stats,
    stats_by_band,
    stats_by_edition,
    stats_by_prefix,
    word_counts,
)


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
    rekeyed: int = 0  # positional msgctxts renamed to identity ones (rekey.py)


def update_catalogues(project: Project, now: str, locales: tuple[str, ...] = ()
                      ) -> list[UpdateResult]:
    """Re-extract, re-key positional contexts, then merge the template — scoped to what the
    locale's editions print (scope.py) — into each catalogue; write only what changed.

    A catalogue that does not parse exactly as written is refused and left byte for byte as
    it was (``refused`` says where): polib would read a string without its closing quote with
    its last letter lost, and the merge would write that back.
    """
    write_pot(project, now)
    pot = load_po(pot_path(project))
    mapping = legacy_contexts(project)
    results = []
    for locale, path in catalogue_paths(project).items():
        if locales and locale not in locales:
            continue
        refused = tuple(syntax_problems(path))
        if refused:
            results.append(UpdateResult(locale, path, None, False, refused=refused))
            continue
        po = load_po(path)
        before = path.read_bytes()
        rekeyed = rekey_catalog(po, mapping)
        report = merge_catalog(po, scoped_template(project, locale, pot))
        written = render_po(po) != before
        if written:
            write_po_atomically(po, path)
        results.append(UpdateResult(locale, path, report, written, rekeyed=rekeyed))
    return results


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    total: CatalogStats
    by_module: dict[str, CatalogStats]
    review_status: str
    reviewed_by: str
    review_date: str
    by_band: dict[str, CatalogStats] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    by_edition: dict[str, CatalogStats] = field(default_factory=dict)

    def as_json(self) -> dict:
        def counts(s: CatalogStats) -> dict:
            return {"translated": s.translated, "reviewed": s.reviewed, "draft": s.draft,
                    "fuzzy": s.fuzzy, "untranslated": s.untranslated, "obsolete": s.obsolete,
                    "percent": round(s.percent_translated, 1),
                    "percent_reviewed": round(s.percent_reviewed, 1)}

        return {"locale": self.locale, "review_status": self.review_status,
                "reviewed_by": self.reviewed_by, "review_date": self.review_date,
                **counts(self.total),
                "words": self.words,
                "editions": {name: counts(s) for name, s in self.by_edition.items()},
                "modules": {name: counts(s) for name, s in self.by_module.items()},
                "bands": {name: counts(s) for name, s in self.by_band.items()}}


def locale_status(project: Project, locales: tuple[str, ...] = ()) -> list[LocaleStatus]:
    rows = []
    for locale, path in catalogue_paths(project).items():
        if locales and locale not in locales:
            continue
        po = load_po(path)
        meta = po.metadata
        editions = {e.id: e.country for e in (project.curriculum.editions
                                               if project.curriculum else []) if e.locale == locale}
        rows.append(LocaleStatus(
            locale, catalog_stats(po), stats_by_prefix(po, depth=1),
            meta.get("X-Review-Status", "draft"), meta.get("X-Reviewed-By", ""),
            meta.get("X-Review-Date", ""), stats_by_band(po), word_counts(po),
            stats_by_edition(po, editions)))
    return rows


def status_lines(rows: list[LocaleStatus]) -> list[str]:
    """`i18n status` as text: per locale, per module and age band, and word counts."""
    lines = []
    for row in rows:
        review = row.review_status + (f" by {row.reviewed_by}" if row.reviewed_by else "")
        review += f" on {row.review_date}" if row.review_date else ""
        lines.append(f"{row.locale}: {row.total.summary()} — catalogue review: {review}")
        lines.append(f"  {'part':28} {'reviewed':>8} {'draft':>6} {'fuzzy':>6} "
                     f"{'untransl.':>9} {'%':>5}")
        parts = [*((f"edition {e}", s) for e, s in row.by_edition.items()),
                 *row.by_module.items(), *((f"ages {b}", s) for b, s in row.by_band.items())]
        for name, stats in parts:
            lines.append(f"  {name:28} {stats.reviewed:8} {stats.draft:6} {stats.fuzzy:6} "
                         f"{stats.untranslated:9} {stats.percent_translated:5.0f}")
        words = row.words
        lines.append(f"  words: {words.get('total', 0)} English, "
                     f"{words.get('translated', 0)} translated, {words.get('reviewed', 0)} "
                     f"reviewed, {words.get('fuzzy', 0) + words.get('untranslated', 0)} "
                     "to translate")
    return lines


def below_thresholds(rows: list[LocaleStatus], min_translated: float | None,
                     min_reviewed: float | None) -> list[str]:
    """Locales under `--min-translated` / `--min-reviewed` (percent), for CI."""
    below = []
    for row in rows:
        for label, value, limit in (("translated", row.total.percent_translated, min_translated),
                                    ("reviewed", row.total.percent_reviewed, min_reviewed)):
            if limit is not None and value < limit:
                below.append(f"{row.locale}: {label} {value:.1f}% < {limit:g}%")
    return below


def init_catalogue(project: Project, locale: str, now: str) -> tuple[Path, int]:
    """Extract first (never from a stale template), then write a new catalogue for ``locale``
    with its plural rule and the texts its editions print. FileExistsError if it exists."""
    from ..content.locales import po_path
    from .merge import new_catalog

    target = po_path(project, locale)
    if target.exists():
        raise FileExistsError(f"{target.relative_to(project.root)} exists; use "
                              "`lessonpack i18n update` to merge new messages into it.")
    write_pot(project, now)
    catalogue = new_catalog(locale, scoped_template(project, locale, load_po(pot_path(project))))
    write_po_atomically(catalogue, target)
    return target, len(catalogue)
