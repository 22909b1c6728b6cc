"""Print packs: one PDF per edition × band, everything a class needs, ready to print.

**Print pack order — per module.** A pack holds, for each module in order, its teacher guide,
student handout and family letter. A teacher prepares one lesson at a time: the letter goes home
before the lesson, the guide is read the day before, the handouts are copied for the class. Each
document starts on a right-hand page, so the pack prints double-sided without two documents
sharing a sheet, and the contents page gives every document's page range ("pages 5-6") to copy
30 handouts or one guide from the printer's page-range box. PDF bookmarks follow the same tree:
module → document → section.

**No second layout.** A pack is assembled (:mod:`.assemble`) from the documents' PDFs this or
an earlier build printed: only its contents page and one blank verso are laid out. The page
counts in the manifest give every document's range before anything is laid out; a contents page
that runs onto a second page is laid out once more with the ranges moved.

No packs phase: the build assembles each pack as soon as its documents are printed, while the
workers print the next band's (:mod:`.packqueue`); this module makes one pack step by step
(:meth:`PackMaker.steps` yields the contents layouts it needs).

Incremental: a pack's input hash covers its documents' input hashes and the pack template;
unchanged → skipped. A one-module edit re-prints that module's documents and re-assembles the
packs holding them; no other document is laid out again.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.model import PRINT_DOC_KINDS, doc_label
from ..i18n.fallback_marks import resolve_marks
from ..output import ALL, OutputRecord, safe_join, write_atomically
from ..plan.inputs import hash_bytes, hash_files, referenced_templates
from ..plan.request import pack_key, pick, shard_of_key
from ..render.documents import Job, Renderer, RenderError, rel_template, template_location
from .assemble import (
    APPENDIX_ID,
    GUIDE_ROUTES_ID,
    LINK_PREFIX,
    PackPart,
    appendix_page,
    assemble,
    first_pages,
    named_page,
)
from .layoutcache import LayoutCache
from .pool import PdfRequest, PdfResult, PrintPool

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..plan.cache import BuildCache
    from ..plan.inputs import InputHasher
    from ..plan.request import Request
    from ..plan.summary import BuildSummary
    from ..problems import Problems

PACK_TEMPLATE = "print-pack.html"
PACK_DOC = "print-pack"
ASSEMBLY_VERSION = "assembled-2"
"""Part of every pack's input hash: packs laid out by an older lessonpack are assembled anew."""
DOC_LABELS = {"teacher-guide": "Teacher guide", "handout": "Student handout",
              "family-letter": "Family letter"}


def _suffix(variant: str) -> str:
    return "" if variant == "standard" else f".{variant}"


def pack_path(edition: str, band: str, variant: str = "standard") -> str:
    return f"{edition}/{band}/{PACK_DOC}{_suffix(variant)}.pdf"


def _wants_pdf(request: Request) -> bool:
    return not request.formats or "pdf" in request.formats


def plan_packs(checked: CheckedProject, request: Request) -> list[tuple[str, str]]:
    """(edition, band) pairs whose pack this build makes: only a build of every module and
    every document kind with PDFs (a quick ``--module``/``--doc`` build does not print packs);
    a pack goes to the shard that prints its documents (``plan.request.shard_of``)."""
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
        pairs = [p for p in pairs if shard_of_key(pack_key(*p), count) == index]
    return pairs


@dataclass(frozen=True)
class PackPlan:
    """A pack to assemble: its path, inputs hash and documents (PDF paths relative to out)."""

    relative: str
    edition: str
    band: str
    inputs: str
    docs: list[tuple[int, str, str, str, str]]
    """(module number in the pack, module id, module title, document kind, PDF path)."""


def render_contents(renderer: Renderer, checked: CheckedProject, plan: PackPlan, variant: str,
                    starts: list[int], pages: list[int], appendix: int | None = None) -> str:
    """The pack's own HTML: its contents page (with the pack's page ranges), the routes
    appendix (starting on pack page ``appendix``; none: no appendix) and a blank verso."""
    project = checked.project
    translator = checked.translators[project.edition(plan.edition).locale]
    modules: list[dict] = []
    for (number, _, title, kind, _), first, count in zip(plan.docs, starts, pages, strict=True):
        if not modules or modules[-1]["number"] != number:
            modules.append({"number": number, "title": title, "docs": []})
        last = first + count - 1
        modules[-1]["docs"].append({
            "kind": kind, "first": first,
            "label": translator.gettext(doc_label(kind, project.band(plan.band).audience,
                                                  DOC_LABELS)),
            "last": last, "link": f"{LINK_PREFIX}{first}", "link_end": f"{LINK_PREFIX}{last}"})
    first = Job(plan.edition, plan.band, plan.docs[0][1], plan.docs[0][3])
    context = renderer.context(first, translator)
    context.update(modules=modules, variant=variant, doc=PACK_DOC,
                   appendix=None if appendix is None else
                   {"first": appendix, "link": f"{LINK_PREFIX}{appendix}"})
    try:
        return resolve_marks(renderer.env.get_template(PACK_TEMPLATE).render(context),
                             context["dir"] == "rtl")
    except Exception as exc:
        from jinja2 import TemplateError

        if not isinstance(exc, TemplateError):
            raise
        name, line = template_location(exc, PACK_TEMPLATE)
        raise RenderError(rel_template(project, name), line, str(exc)) from exc


def _plan(checked: CheckedProject, renderer: Renderer, edition_id: str, band_id: str,
          variant: str, relative: str, inputs: str) -> PackPlan:
    project = checked.project
    translator = checked.translators[project.edition(edition_id).locale]
    docs = []
    number = 0
    for source in project.modules:
        if band_id not in source.module.content:
            continue
        number += 1
        localised = renderer.localised_module(source.module.id, translator)
        title = localised.content[band_id].title or localised.title
        for kind in PRINT_DOC_KINDS:
            if not project.band(band_id).makes(kind):
                continue  # e.g. no family letter for the adults' sessions
            job = Job(edition_id, band_id, source.module.id, kind)
            docs.append((number, source.module.id, title, kind,
                         f"{job.stem}{_suffix(variant)}.pdf"))
    return PackPlan(relative, edition_id, band_id, inputs, docs)


def stale_packs(checked: CheckedProject, renderer: Renderer, request: Request,
                records: dict[str, OutputRecord], out_dir: Path, cache: BuildCache,
                hasher: InputHasher, summary: BuildSummary) -> list[PackPlan]:
    """The packs this build must assemble (an unchanged one is counted as skipped). Decided
    before anything is printed, from the documents' input hashes, so that each pack can be
    assembled as soon as its documents are printed (see :class:`PackMaker`)."""
    project = checked.project
    pairs = plan_packs(checked, request)
    if not pairs:
        return []
    templates = project.templates_dir
    template_hash = hash_files(
        [templates / n for n in referenced_templates(templates, PACK_TEMPLATE)], project.root)
    todo: list[PackPlan] = []
    for edition_id, band_id in pairs:
        relative = pack_path(edition_id, band_id, request.variant)
        parts = [template_hash, relative, ASSEMBLY_VERSION]
        for source in project.modules:
            if band_id in source.module.content:
                parts += [hasher.job(Job(edition_id, band_id, source.module.id, kind), "pdf",
                                     request.variant) for kind in PRINT_DOC_KINDS
                          if project.band(band_id).makes(kind)]
        inputs = hash_bytes(*(p.encode() for p in parts))
        if relative in records and cache.is_current(relative, inputs, out_dir / relative):
            summary.skipped += 1
            continue
        todo.append(_plan(checked, renderer, edition_id, band_id, request.variant, relative,
                          inputs))
    return todo


PackSteps = Generator[PdfRequest | None, PdfResult | None, bool]
"""A pack being made: yields the layouts it needs (its contents), is sent their results,
returns True when the pack was written. It yields ``None`` (resume me, with ``None``, once the
print workers have exited) before assembling a heavy pack when ``PackMaker.defer_heavy``."""

HEAVY_BYTES = 4_000_000
"""A pack whose documents weigh more than this is assembled after the print workers exit,
not beside them: assembling takes memory in proportion (ko-KR 11-13 printed from the pan-CJK
face: 8.3 MB of documents, +113 MB while its font subsets are merged; an en-GB pack's ~0.9 MB,
+13 MB). Since Korean prints from its cut face (fontcut.py) no default pack is this heavy; a
project with large pictures or another big font can be."""


class PackMaker:
    """Makes packs step by step, so the build's print loop can interleave their few layouts
    with the documents' (``steps``), or one after another on a pool of its own (``make``)."""

    def __init__(self, checked: CheckedProject, renderer: Renderer, variant: str,
                 out_dir: Path, records: dict[str, OutputRecord], cache: BuildCache,
                 problems: Problems, summary: BuildSummary) -> None:
        self.checked = checked
        self.variant = variant
        self.out_dir = out_dir
        self.records = records
        self.cache = cache
        self.problems = problems
        self.summary = summary
        self.renderer = renderer  # the build's: its localised modules are made once
        self.defer_heavy = False
        # Only the contents pages are laid out, and only when their HTML changed.
        self.layouts = LayoutCache(cache.path.parent / "pack-pages")

    def make(self, plans: list[PackPlan], pool: PrintPool) -> bool:
        """Make every pack, one after another; True if any was written."""
        written = False
        for plan in plans:
            steps = self.steps(plan)
            try:
                request = next(steps)
                while True:
                    result = None if request is None else next(pool.print_all([request]))
                    request = steps.send(result)
            except StopIteration as done:
                written |= bool(done.value)
        return written

    def steps(self, plan: PackPlan) -> PackSteps:
        """Make one pack from its documents' PDFs (they must be written by now)."""
        checked, project, summary = self.checked, self.checked.project, self.summary
        records, out_dir, problems = self.records, self.out_dir, self.problems
        # the pack's own time (its steps, plus its layouts' time in the worker), not the time
        # it waited in the queue or for the workers to exit
        busy, started = 0.0, time.perf_counter()
        missing = [d[4] for d in plan.docs if d[4] not in records
                   or records[d[4]].pages is None or not (out_dir / d[4]).is_file()]
        if missing:
            problems.error(out_dir / plan.relative, 1, 1, "pack.missing",
                           f"{plan.relative}: not assembled, {len(missing)} of its documents "
                           f"were not printed ({missing[0]})",
                           "fix the errors above and build again")
            summary.failed += 1
            return False
        # a teacher guide's own routes table (its last pages) is left out: the pack prints it
        # once
        pages = [int(records[d[4]].pages or 0) if d[3] != "teacher-guide" else
                 (named_page(out_dir / d[4], GUIDE_ROUTES_ID) or int(records[d[4]].pages or 0))
                 for d in plan.docs]
        has_appendix = any(d[3] == "teacher-guide" for d in plan.docs)
        contents_pages = 1
        locale = project.edition(plan.edition).locale
        for _ in range(3):  # the contents page count decides the ranges it shows
            starts = first_pages(contents_pages, pages)
            appendix = appendix_page(contents_pages, pages) if has_appendix else None
            try:
                html = render_contents(self.renderer, checked, plan, self.variant, starts,
                                       pages, appendix)
            except RenderError as exc:
                problems.error(project.root / exc.path, exc.line, 1, "template.error",
                               f"{plan.relative}: {exc.message}", "fix the template")
                summary.failed += 1
                return False
            kept = self.layouts.get(html, locale, plan.relative)
            if kept is not None:
                contents_pdf, page_count = kept
            else:
                busy += time.perf_counter() - started
                result = yield PdfRequest(plan.relative, html, locale)
                assert result is not None
                busy, started = busy + result.seconds, time.perf_counter()
                summary.laid_out += 1
                if result.error or result.refused:
                    reason = result.error or f"refused to fetch {', '.join(result.refused)}"
                    problems.error(project.templates_dir / PACK_TEMPLATE, 1, 1, "pdf.error",
                                   f"{plan.relative}: {reason}",
                                   "templates and content may use only the project's own "
                                   "assets")
                    summary.failed += 1
                    return False
                contents_pdf, page_count = result.pdf, result.pages
                self.layouts.put(html, locale, plan.relative, contents_pdf)
            laid_out = (named_page(contents_pdf, APPENDIX_ID) if has_appendix else None) \
                or page_count - 1
            if laid_out == contents_pages:
                break
            contents_pages = laid_out
        translator = checked.translators[locale]
        parts = [PackPart(out_dir / d[4], f"{d[0]}. {d[2]}",
                          translator.gettext(DOC_LABELS[d[3]]), count)
                 for d, count in zip(plan.docs, pages, strict=True)]
        if self.defer_heavy and sum(p.path.stat().st_size for p in parts) > HEAVY_BYTES:
            busy += time.perf_counter() - started
            yield None
            started = time.perf_counter()
        pdf, count = assemble(contents_pdf, parts)
        target = safe_join(out_dir, plan.relative)
        write_atomically(target, pdf)
        edition = project.edition(plan.edition)
        records[plan.relative] = OutputRecord.for_data(
            plan.relative, pdf, count, edition=plan.edition, locale=edition.locale,
            country=edition.country, band=plan.band, module=ALL, doc=PACK_DOC, format="pdf",
            variant=self.variant)
        self.cache.record(plan.relative, plan.inputs, target)
        summary.built += 1
        summary.rebuilt.append(plan.relative)
        summary.slowest.append((busy + time.perf_counter() - started, plan.relative))
        return True
