"""Print packs: one PDF per edition × band, everything a class needs, ready to print.

**Print pack order — per module.** A pack holds, for each module in order, its teacher guide,
student handout and family letter. A teacher prepares one lesson at a time: the letter goes home
before the lesson, the guide is read the day before, the handouts are copied for the class. Each
document starts on a right-hand page (``break-before: recto``), so the pack prints double-sided
without two documents sharing a sheet, and the contents page gives every document's page range
("pages 5-6") to copy 30 handouts or one guide from the printer's page-range box. PDF bookmarks
follow the same tree: module → document → section.

Incremental: a pack's input hash covers its documents' input hashes and the pack template;
unchanged → skipped.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..content.model import PRINT_DOC_KINDS, doc_label
from ..i18n.fallback_marks import resolve_marks
from ..output import ALL, OutputRecord, safe_join, write_atomically
from ..plan.inputs import hash_bytes, hash_files, referenced_templates
from ..plan.request import pick
from ..render.documents import Job, Renderer, RenderError, rel_template, template_location
from ..render.draft import draft_percent
from .pool import PdfRequest, PrintPool

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..plan.cache import BuildCache
    from ..plan.inputs import InputHasher
    from ..plan.request import Request
    from ..plan.summary import BuildSummary
    from ..problems import Problems

PACK_TEMPLATE = "print-pack.html"
PACK_DOC = "print-pack"
PACKS_PER_WORKER = 1
"""A pack worker is replaced after each pack: WeasyPrint's caches grow with every ~100-page
layout. Measured printing 12 packs on 2 workers (whole process tree, PSS): 836-841 MB when
workers are kept, 464-514 MB with a fresh worker per pack, in the same time (98-112 s)."""
DOC_LABELS = {"teacher-guide": "Teacher guide", "handout": "Student handout",
              "family-letter": "Family letter"}
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_IDREF = re.compile(r'\b(id|for|aria-labelledby|aria-describedby|headers)="([^"]*)"')
_HREF = re.compile(r'\bhref="#([^"]+)"')


def _suffix(variant: str) -> str:
    return "" if variant == "standard" else f".{variant}"


def pack_path(edition: str, band: str, variant: str = "standard") -> str:
    return f"{edition}/{band}/{PACK_DOC}{_suffix(variant)}.pdf"


def _wants_pdf(request: Request) -> bool:
    return not request.formats or "pdf" in request.formats


def plan_packs(checked: CheckedProject, request: Request) -> list[tuple[str, str]]:
    """(edition, band) pairs whose pack this build makes: only a build of every module and
    every document kind with PDFs (a quick ``--module``/``--doc`` build does not print packs);
    packs are split between shards by their path, like documents."""
    if not request.packs:
        return []
    project = checked.project
    assert project.curriculum is not None
    if request.modules or request.docs or not _wants_pdf(request):
        return []
    editions = pick(request.editions, [e.id for e in project.curriculum.editions],
                     "edition", "--edition")
    bands = pick(request.bands, [b.id for b in project.curriculum.bands], "band", "--band")
    pairs = [(e, b) for e in editions for b in bands
             if any(b in m.module.content for m in project.modules)]
    index, count = request.shard
    if count > 1:
        pairs = [p for p in pairs if _shard(pack_path(*p, request.variant), count) == index]
    return pairs


def _shard(path: str, count: int) -> int:
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def _prefix_ids(html: str, prefix: str) -> str:
    """Ids are unique per document; in a pack each document's ids get its own prefix."""
    def ids(match: re.Match[str]) -> str:
        values = " ".join(f"{prefix}{v}" for v in match.group(2).split())
        return f'{match.group(1)}="{values}"'

    html = _IDREF.sub(ids, html)
    return _HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"', html)


def render_pack(renderer: Renderer, checked: CheckedProject, edition_id: str, band_id: str,
                variant: str) -> str:
    """The pack's HTML: a contents page, then each module's three documents."""
    project = checked.project
    edition = project.edition(edition_id)
    translator = checked.translators[edition.locale]
    modules = []
    first: Job | None = None
    for number, source in enumerate(project.modules, start=1):
        if band_id not in source.module.content:
            continue
        localised = renderer.localised_module(source.module.id, translator)
        docs = []
        for kind in PRINT_DOC_KINDS:
            if not project.band(band_id).makes(kind):
                continue
            job = Job(edition_id, band_id, source.module.id, kind)
            first = first or job
            html = renderer.render(job, translator,
                                   draft_percent=draft_percent(checked, job, translator),
                                   variant=variant)
            found = _BODY.search(html)
            anchor = f"m{number}-{kind}"
            body = _prefix_ids(found.group(1) if found else html, f"{anchor}-")
            label = doc_label(kind, project.band(band_id).audience, DOC_LABELS)
            docs.append({"kind": kind, "label": translator.gettext(label),
                         "id": anchor, "body": Markup(body)})
        modules.append({"id": source.module.id, "number": len(modules) + 1,
                        "title": localised.content[band_id].title or localised.title,
                        "docs": docs})
    assert first is not None
    context = renderer.context(first, translator)
    context.update(modules=modules, variant=variant, doc=PACK_DOC)
    try:
        return resolve_marks(renderer.env.get_template(PACK_TEMPLATE).render(context),
                             context["dir"] == "rtl")
    except Exception as exc:
        from jinja2 import TemplateError

        if not isinstance(exc, TemplateError):
            raise
        name, line = template_location(exc, PACK_TEMPLATE)
        raise RenderError(rel_template(project, name), line, str(exc)) from exc


def build_packs(checked: CheckedProject, request: Request, out_dir: Path,
                records: dict[str, OutputRecord], cache: BuildCache, hasher: InputHasher,
                workers: int, problems: Problems, summary: BuildSummary) -> bool:
    """Print the stale packs; True if any was written."""
    project = checked.project
    pairs = plan_packs(checked, request)
    if not pairs:
        return False
    templates = project.templates_dir
    template_hash = hash_files(
        [templates / n for n in referenced_templates(templates, PACK_TEMPLATE)], project.root)
    renderer = Renderer(project)
    todo: dict[str, tuple[str, str, str]] = {}
    for edition_id, band_id in pairs:
        relative = pack_path(edition_id, band_id, request.variant)
        parts = [template_hash, relative]
        for source in project.modules:
            if band_id in source.module.content:
                parts += [hasher.job(Job(edition_id, band_id, source.module.id, kind), "pdf",
                                     request.variant) for kind in PRINT_DOC_KINDS]
        inputs = hash_bytes(*(p.encode() for p in parts))
        if relative in records and cache.is_current(relative, inputs, out_dir / relative):
            summary.skipped += 1
            continue
        todo[relative] = (edition_id, band_id, inputs)
    if not todo:
        return False

    def requests():  # noqa: ANN202 - a generator of PdfRequest
        for relative, (edition_id, band_id, _) in todo.items():
            try:
                html = render_pack(renderer, checked, edition_id, band_id, request.variant)
            except RenderError as exc:
                problems.error(project.root / exc.path, exc.line, 1, "template.error",
                               f"{relative}: {exc.message}", "fix the template")
                summary.failed += 1
                continue
            yield PdfRequest(relative, html, project.edition(edition_id).locale)

    written = False
    asset_dirs = (templates, project.root / "assets")
    with PrintPool(templates, asset_dirs, min(workers, len(todo)), PACKS_PER_WORKER) as pool:
        for result in pool.print_all(requests()):
            edition_id, band_id, inputs = todo[result.stem]
            if result.error or result.refused:
                reason = result.error or f"refused to fetch {', '.join(result.refused)}"
                problems.error(templates / PACK_TEMPLATE, 1, 1, "pdf.error",
                               f"{result.stem}: {reason}",
                               "templates and content may use only the project's own assets")
                summary.failed += 1
                continue
            target = safe_join(out_dir, result.stem)
            write_atomically(target, result.pdf)
            edition = project.edition(edition_id)
            records[result.stem] = OutputRecord.for_data(
                result.stem, result.pdf, result.pages, edition=edition_id,
                locale=edition.locale, country=edition.country, band=band_id, module=ALL,
                doc=PACK_DOC, format="pdf", variant=request.variant)
            cache.record(result.stem, inputs, target)
            summary.built += 1
            summary.rebuilt.append(result.stem)
            summary.slowest.append((result.seconds, result.stem))
            written = True
    return written
