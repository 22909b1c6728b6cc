"""The site's own pages: the country chooser (``index.html``), one page of lesson packs per
edition (``<edition>/index.html``, in the edition's language) and the curriculum map.

Rendered after the documents, packs and zips are written (``build.builder`` and ``site.merge``
call :func:`write_site_pages` with the manifest rows). Every page
is a Jinja template in ``templates/site/`` rendered by the documents' sandboxed environment, so
an NGO restyles the site the way it restyles the documents. Pages work from ``file://`` and any
static server: relative links only, CSS and the small picker script inline, no CDN.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.files import is_regular, read_regular
from ..content.locales import html_lang, language_name, paper_for, text_direction
from ..content.messages import route_prefix
from ..content.model import (
    CHECK_DOC_LABELS,
    CHECK_MODULE,
    CHECK_SUMMARY,
    CHECK_TITLE,
    DOC_KINDS,
    doc_label,
)
from ..i18n.fallback_marks import resolve_marks, template_text
from ..output import OutputRecord, write_atomically
from ..render.documents import Job, Renderer
from ..render.draft import draft_percent
from ..render.filters import fill

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..content.project import Project
    from ..i18n.translations import Translator
    from ..plan.inputs import InputHasher

DOC_LABELS = {"teacher-guide": "Teacher guide", "handout": "Student handout",
              "family-letter": "Family letter", "slides": "Slides", "resources": "Resources",
              **CHECK_DOC_LABELS}
COUNTRY_NAMES = {"GB": "UK", "US": "US", "MY": "Malaysia", "PH": "Philippines", "KR": "Korea",
                 "TH": "Thailand", "AU": "Australia"}
INDEX_TEMPLATE = "site/index.html"
EDITION_TEMPLATE = "site/edition.html"
MAP_TEMPLATE = "site/curriculum-map.html"


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


@dataclass
class DocLinks:
    kind: str
    label: str
    html: OutputRecord | None = None
    pdf: OutputRecord | None = None
    large_print: OutputRecord | None = None
    pptx: OutputRecord | None = None
    csv: OutputRecord | None = None


@dataclass
class ModuleRow:
    id: str
    title: str
    summary: str
    docs: list[DocLinks] = field(default_factory=list)


@dataclass
class BandRow:
    id: str
    label: str
    modules: list[ModuleRow] = field(default_factory=list)
    pack: OutputRecord | None = None
    pack_large_print: OutputRecord | None = None


@dataclass
class EditionRow:
    id: str
    locale: str
    lang: str
    country: str
    country_name: str
    country_local: str
    title: str
    language: str
    paper: str
    is_source: bool
    review_status: str
    reviewed_by: str
    percent_translated: int
    routes_newest: dt.date | None
    routes_oldest: dt.date | None
    bands: list[BandRow] = field(default_factory=list)
    bundle: OutputRecord | None = None


def edition_status(checked: CheckedProject, edition_id: str) -> tuple[bool, str, str, int]:
    """(is source, review status, reviewed by, % translated) of an edition: the mean of the
    draft percentage its documents print (module and route texts with a translation)."""
    project = checked.project
    edition = project.edition(edition_id)
    translator = checked.translators.get(edition.locale)
    if translator is None or translator.is_source:
        return True, "source", "", 100
    percents = [draft_percent(checked, Job(edition_id, band, source.module.id, "handout"),
                              translator)
                for source in project.modules for band in source.module.content]
    return (False, translator.review_status, translator.reviewed_by,
            int(statistics.fmean(percents)) if percents else 0)


def _routes_checked(project: Project, country: str) -> tuple[dt.date | None, dt.date | None]:
    source = project.routes.get(country)
    dates = [r.checked for r in source.routes.routes] if source else []
    return (max(dates), min(dates)) if dates else (None, None)


def site_model(checked: CheckedProject, records: dict[str, OutputRecord],
               out_dir: Path, only_edition: str | None = None) -> list[EditionRow]:
    """Editions → bands → modules → documents, from the outputs that exist on disk."""
    project = checked.project
    assert project.curriculum is not None
    renderer = Renderer(project)
    on_disk = [r for r in records.values() if (out_dir / r.path).is_file()]
    by_key: dict[tuple[str, str, str, str, str, str], OutputRecord] = {
        (r.edition, r.band, r.module, r.doc, r.format, r.variant): r for r in on_disk}
    rows: list[EditionRow] = []
    for edition in project.curriculum.editions:
        if only_edition and edition.id != only_edition:
            continue
        if not any(r.edition == edition.id for r in on_disk):
            continue
        is_source, review, reviewer, percent = edition_status(checked, edition.id)
        translator = checked.translators.get(edition.locale)
        country = project.routes.get(edition.country)
        newest, oldest = _routes_checked(project, edition.country)
        country_name = country.routes.name if country else ""
        row = EditionRow(
            id=edition.id, locale=edition.locale, lang=html_lang(edition.locale),
            country=edition.country, country_name=country_name,
            country_local=translator.lookup(f"{route_prefix(edition.country)}/name",
                                            country_name) if translator else country_name,
            title=(renderer.localised_curriculum(translator).title if translator
                   else project.curriculum.title),
            language=language_name(edition.locale), paper=paper_for(edition),
            is_source=is_source, review_status=review, reviewed_by=reviewer,
            percent_translated=percent, routes_newest=newest, routes_oldest=oldest,
            bundle=by_key.get((edition.id, "*", "*", "bundle", "zip", "standard")))
        labels = {b.id: b.label for b in (renderer.localised_curriculum(translator).bands
                                          if translator else project.curriculum.bands)}
        for band in project.curriculum.bands:
            band_row = BandRow(
                band.id, labels.get(band.id, band.label),
                pack=by_key.get((edition.id, band.id, "*", "print-pack", "pdf", "standard")),
                pack_large_print=by_key.get(
                    (edition.id, band.id, "*", "print-pack", "pdf", "large-print")))
            for module_id in [*(m.module.id for m in project.modules), CHECK_MODULE]:
                if module_id == CHECK_MODULE:  # the band's knowledge check, after its modules
                    gettext = translator.gettext if translator else str
                    module_row = ModuleRow(module_id, gettext(CHECK_TITLE),
                                           gettext(CHECK_SUMMARY))
                elif band.id not in project.module(module_id).module.content:
                    continue
                else:
                    module = project.module(module_id).module
                    title, summary = module.title, module.summary
                    if translator is not None:
                        localised = renderer.localised_module(module.id, translator)
                        title = localised.content[band.id].title or localised.title
                        summary = localised.summary
                    module_row = ModuleRow(module.id, title, summary)
                for kind in DOC_KINDS:
                    key = (edition.id, band.id, module_row.id, kind)
                    label = doc_label(kind, band.audience, DOC_LABELS)
                    links = DocLinks(kind, label, by_key.get((*key, "html", "standard")),
                                     by_key.get((*key, "pdf", "standard")),
                                     by_key.get((*key, "pdf", "large-print")),
                                     by_key.get((*key, "pptx", "standard")),
                                     by_key.get((*key, "csv", "standard")))
                    if links.html or links.pdf or links.large_print or links.pptx or links.csv:
                        module_row.docs.append(links)
                if module_row.docs:
                    band_row.modules.append(module_row)
            if band_row.modules or band_row.pack or band_row.pack_large_print:
                row.bands.append(band_row)
        rows.append(row)
    return rows


def crosswalk(project: Project) -> dict[str, Any]:
    """Age bands against school levels in each country (approximate, by age)."""
    assert project.curriculum is not None
    bands = project.curriculum.bands
    codes = sorted({c for b in bands for c in b.crosswalk})
    return {"countries": [(c, COUNTRY_NAMES.get(c, c)) for c in codes],
            "rows": [(b.label, [b.crosswalk.get(c, "—") for c in codes]) for b in bands],
            "sources": [(COUNTRY_NAMES.get(c, c), project.curriculum.crosswalk_sources[c])
                        for c in codes if c in project.curriculum.crosswalk_sources]}


def curriculum_map(project: Project) -> dict[str, Any]:
    """Modules × bands with each cell's objectives (source text)."""
    assert project.curriculum is not None
    bands = project.curriculum.bands
    rows = []
    steps = {band.id: project.sequence(band.id) for band in bands}
    for source in project.modules:
        module = source.module
        cells = []
        for band in bands:
            content = module.content.get(band.id)
            cells.append(None if content is None else {
                "title": content.title or module.title, "minutes": content.minutes,
                "step": steps[band.id].index(module.id) + 1,
                "objectives": list(content.objectives)})
        frameworks = [(project.curriculum.frameworks[f].name, strands)
                      for f, strands in module.frameworks.items()
                      if f in project.curriculum.frameworks]
        rows.append({"id": module.id, "order": module.order, "title": module.title,
                     "summary": module.summary, "cells": cells, "frameworks": frameworks})
    return {"bands": bands, "rows": rows, "frameworks": project.curriculum.frameworks}


def render_page(project: Project, template: str, translator: Translator | None = None,
                locale: str = "en", **context: Any) -> str:
    """A site page; ``_()`` translates the site's own labels when a translator is given (an
    edition's page), and is English otherwise (the chooser and the map serve every edition)."""
    renderer = Renderer(project)
    assert project.curriculum is not None
    rtl = text_direction(locale) == "rtl"

    def gettext(text: str, **values: Any) -> str:
        if translator is None:
            return fill(text, values)
        translated = translator.gettext(text)
        return template_text(translator, text, translated, fill(translated, values))

    base = {"curriculum": project.curriculum, "size": human_size, "_": gettext,
            "lang": html_lang(locale), "dir": "rtl" if rtl else "ltr"}
    return resolve_marks(renderer.env.get_template(template).render({**base, **context}), rtl)


def render_index(checked: CheckedProject, records: dict[str, OutputRecord], out_dir: Path,
                 only_edition: str | None = None) -> str:
    """The chooser: one link per edition, each named in its own language (a few kB)."""
    project = checked.project
    return render_page(project, INDEX_TEMPLATE,
                       editions=site_model(checked, records, out_dir, only_edition),
                       crosswalk=crosswalk(project), has_map=True)


def render_edition(checked: CheckedProject, row: EditionRow) -> str:
    """One edition's page of lesson packs, at ``<edition>/index.html``, in its language."""
    return render_page(checked.project, EDITION_TEMPLATE, checked.translators.get(row.locale),
                       row.locale, e=row, root="../", has_map=True)


def render_map(project: Project) -> str:
    return render_page(project, MAP_TEMPLATE, map=curriculum_map(project))


def edition_page_path(edition_id: str) -> str:
    return f"{edition_id}/index.html"


def site_page_paths(checked: CheckedProject, records: dict[str, OutputRecord],
                    out_dir: Path) -> list[str]:
    """Every page :func:`write_site_pages` writes, relative to the site folder."""
    assert checked.project.curriculum is not None
    built = {r.edition for r in records.values() if (out_dir / r.path).is_file()}
    editions = [e.id for e in checked.project.curriculum.editions if e.id in built]
    return ["index.html", "curriculum-map.html", *(edition_page_path(e) for e in editions)]


def write_site_pages(checked: CheckedProject, out_dir: Path,
                     records: dict[str, OutputRecord]) -> None:
    """The chooser, each edition's page and the curriculum map, written atomically."""
    write_atomically(out_dir / "curriculum-map.html",
                     render_map(checked.project).encode("utf-8"))
    rows = site_model(checked, records, out_dir)
    for row in rows:
        write_atomically(out_dir / edition_page_path(row.id),
                         render_edition(checked, row).encode("utf-8"))
    write_atomically(out_dir / "index.html", render_page(
        checked.project, INDEX_TEMPLATE, editions=rows, crosswalk=crosswalk(checked.project),
        has_map=True).encode("utf-8"))


def site_pages_key(checked: CheckedProject, records: dict[str, OutputRecord],
                   hasher: InputHasher) -> str:
    """The pages' input hash: what they show (manifest rows, translations, routes, site
    templates, every module's objectives, lessonpack itself)."""
    project = checked.project
    assert project.curriculum is not None
    digest = hashlib.sha256()
    for part in (hasher.engine, hasher.curriculum,
                 *(hasher.locale(e.locale) for e in project.curriculum.editions),
                 *(hasher.routes(e.country) for e in project.curriculum.editions)):
        digest.update(part.encode())
    for path in sorted((project.templates_dir / "site").glob("*")):
        if is_regular(path):
            digest.update(path.name.encode() + read_regular(path))
    for module in project.modules:  # the map shows every module's objectives
        digest.update(hasher.module(module.module.id).encode())
    digest.update(json.dumps([asdict(r) for r in sorted(records.values())]).encode())
    return digest.hexdigest()
