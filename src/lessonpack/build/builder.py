"""`lessonpack build`: check everything, render what changed, print PDFs on all cores, write.

As in MkDocs, all data is gathered and validated before the first byte is written; a content
error stops the build with the output folder untouched. Each output is written atomically; a
document that fails keeps its older, good output.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError

from ..checks import CheckedProject
from ..content.locales import po_path
from ..content.model import CHECK_MODULE, VARIANTS
from ..content.project import Project, inside
from ..output import (
    MANIFEST,
    OutputPathError,
    OutputRecord,
    read_manifest,
    remove_temporary_files,
    safe_join,
    write_atomically,
    write_manifest,
)
from ..plan.cache import BuildCache
from ..plan.inputs import InputHasher
from ..plan.request import Request, apply_school, job_formats, plan_jobs
from ..plan.summary import BuildSummary, Progress
from ..printing import fontcut
from ..printing.packqueue import PackQueue
from ..printing.packs import pack_path
from ..printing.pool import PdfRequest, PdfResult, PrintPool
from ..problems import Problems
from ..render.documents import Job, Renderer, RenderError
from ..render.draft import draft_percent
from ..render.knowledge import tally_csv
from ..render.slides_pptx import deck_pptx
from ..site.bundles import build_bundles, bundle_path
from ..site.pages import INDEX_TEMPLATE, site_page_paths, site_pages_key, write_site_pages
from .decks import deck_info, report_overflows

ProgressFactory = Callable[[int], Progress]
CHECKPOINT_SECONDS = 2.0
"""How often a running build rewrites its manifest (see "manifest" in docs/architecture.md)."""


@dataclass(frozen=True)
class _Work:
    job: Job
    formats: tuple[str, ...]


def build(checked: CheckedProject, request: Request, out_dir: Path, workers: int,
          problems: Problems, progress: ProgressFactory | None = None) -> BuildSummary:
    """Build the requested subset into ``out_dir``; problems of failed jobs go to ``problems``."""
    started = time.perf_counter()
    project = checked.project
    apply_school(project, request)
    jobs, formats = plan_jobs(project, request)
    hasher = InputHasher(project)
    cache = BuildCache(project.cache_dir, out_dir)
    records = read_manifest(out_dir)
    summary = BuildSummary()
    # ``large-print`` PDFs sit beside the standard ones: <doc>.large-print.pdf
    suffix = "" if request.variant == "standard" else f".{request.variant}"

    # Decide what is stale before rendering anything.
    work: list[_Work] = []
    hashes: dict[str, str] = {}
    for job in jobs:
        stale = []
        for fmt in job_formats(job, formats):
            relative = f"{job.stem}{suffix}.{fmt}"
            hashes[relative] = hasher.job(job, fmt, request.variant)
            if relative in records and cache.is_current(relative, hashes[relative],
                                                         out_dir / relative):
                summary.skipped += 1
            else:
                stale.append(fmt)
        if stale:
            work.append(_Work(job, tuple(stale)))

    # The manifest on disk never lists a file this build may replace: the rows of stale
    # outputs, and of the packs and zips of the editions they belong to (rebuilt after the
    # documents), leave it before the first file changes; documents come back as each is
    # written (checkpoints), everything at the end. A build killed at any moment therefore
    # leaves every row true. A killed build's temporary files are removed first.
    remove_temporary_files(out_dir, _own_outputs(project, records, hashes))
    records = {k: v for k, v in records.items() if _matches(out_dir / k, v)}
    pending = {f"{w.job.stem}{suffix}.{fmt}" for w in work for fmt in w.formats}
    touched = {w.job.edition for w in work}
    derived = {k for k, v in records.items() if k not in hashes and v.edition in touched}
    if out_dir.is_dir():
        write_manifest(out_dir, {k: v for k, v in records.items()
                                 if k not in pending and k not in derived})
    last_checkpoint = time.monotonic()

    def write(job: Job, fmt: str, data: bytes, pages: int | None) -> None:
        nonlocal last_checkpoint
        relative = f"{job.stem}{suffix}.{fmt}"
        edition = project.edition(job.edition)
        record = OutputRecord.for_data(
            relative, data, pages, edition=edition.id, locale=edition.locale,
            country=edition.country, band=job.band, module=job.module, doc=job.doc, format=fmt,
            variant=request.variant)
        try:
            target = safe_join(out_dir, relative)
        except OutputPathError:
            problems.error(f"{out_dir}/{relative}", 1, 1, "output.path",
                           f"{relative}: the output folder has a link leading out of it",
                           f"remove the link inside {out_dir}")
            summary.failed += 1
            return
        # The file, then its row: a checkpoint never lists a file before it is replaced.
        write_atomically(target, data)
        records[relative] = record
        pending.discard(relative)
        cache.record(relative, hashes[relative], target)
        summary.built += 1
        summary.rebuilt.append(relative)
        if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
            write_manifest(out_dir, {k: v for k, v in records.items()
                                     if k not in pending and k not in derived})
            cache.save()
            last_checkpoint = time.monotonic()

    renderer = Renderer(project)
    overflow_seen: set[tuple[str, int]] = set()
    pdf_jobs = {w.job.stem: w.job for w in work if "pdf" in w.formats}
    # Print packs are assembled as soon as their documents are printed, while the pool goes on
    # with the next ones (their contents pages go to the front of the queue).
    packs = PackQueue(checked, renderer, request, out_dir, records, cache, hasher, problems,
                      summary, {f"{stem}{suffix}.pdf" for stem in pdf_jobs}, derived)

    def html_documents() -> Iterator[PdfRequest]:
        """Render HTML job by job as the pool asks; write HTML outputs at once, hand PDFs on."""
        for item in work:
            job = item.job
            translator = checked.translators[project.edition(job.edition).locale]
            extra = {}
            if job.doc == "slides":
                deck = renderer.deck(job, translator)
                report_overflows(project, job, deck, problems, overflow_seen)
                extra["deck"] = deck
            try:
                html = renderer.render(job, translator,
                                       draft_percent=draft_percent(checked, job, translator),
                                       variant=request.variant, **extra)
            except RenderError as exc:
                problems.error(project.root / exc.path, exc.line, 1, "template.error",
                               f"{job.stem}: {exc.message}", "fix the template")
                summary.failed += len(item.formats)
                if "pdf" in item.formats:
                    packs.settled(f"{job.stem}{suffix}.pdf")
                continue
            if "pptx" in item.formats:
                data = deck_pptx(extra["deck"], deck_info(renderer, job, translator,
                                                          draft_percent(checked, job, translator)))
                write(job, "pptx", data, len(extra["deck"].slides))
            if "csv" in item.formats:  # the knowledge check's tally template
                write(job, "csv", tally_csv(renderer, job, translator), None)
            if "html" in item.formats:
                write(job, "html", html.encode("utf-8"), None)
            if "pdf" in item.formats:
                yield PdfRequest(job.stem, html, translator.locale)

    bar = progress(len(pdf_jobs)) if progress and pdf_jobs else None
    if bar and fontcut.pending():  # the pool cuts it before its workers (or first print)
        bar.note("Cutting the Korean print font for this machine (once, about 20 s) ...")
    try:
        if pdf_jobs or packs.plans:
            asset_dirs = tuple(d for d in (project.templates_dir, project.root / "assets")
                               if inside(project.root, d))
            # packs alone (their documents unchanged): a contents page or two, in this process
            size = min(workers, len(pdf_jobs)) if pdf_jobs else 1
            with PrintPool(project.templates_dir, asset_dirs, size) as pool:
                packs.start_ready()
                for result in pool.stream(html_documents(), packs.urgent):
                    if packs.take(result):
                        continue
                    _collect(result, pdf_jobs, project, problems, summary, write, suffix)
                    packs.settled(f"{result.stem}{suffix}.pdf")
                    if bar:
                        bar.advance(result.stem)
                packs.finish(pool)
            packs.after_workers()
        else:
            for _ in html_documents():
                pass  # HTML-only build: the generator writes as it goes
    finally:
        if bar:
            bar.close()
        # Whatever happened, the manifest and cache describe exactly the files on disk.
        write_manifest(out_dir, {k: v for k, v in records.items()
                                 if k not in derived and (out_dir / k).is_file()})
        cache.save()
    # Print packs, zips, index and curriculum map (they read the outputs written above).
    finish_site(checked, request, out_dir, records, cache, hasher, problems, summary)
    write_manifest(out_dir, {k: v for k, v in records.items() if (out_dir / k).is_file()})
    summary.slowest = sorted(summary.slowest, reverse=True)[:5]
    summary.seconds = time.perf_counter() - started
    return summary


def finish_site(checked: CheckedProject, request: Request, out_dir: Path,
                records: dict[str, OutputRecord], cache: BuildCache, hasher: InputHasher,
                problems: Problems, summary: BuildSummary) -> None:
    """After the documents and packs: zips, then the manifest again and the pages.
    A broken site template is reported like a document template; the documents stay."""
    project = checked.project
    changed = False
    try:
        changed |= build_bundles(checked, request, out_dir, records, cache, summary)
        key = site_pages_key(checked, records, hasher)
        pages = site_page_paths(checked, records, out_dir)
        # A no-op rebuild must stay fast: the pages are rendered again only when what they
        # show (the manifest, translations, routes, site templates, lessonpack) changed.
        if not all(cache.is_current(p, key, out_dir / p) for p in pages):
            write_site_pages(checked, out_dir, records)
            for page in pages:
                cache.record(page, key, out_dir / page)
            changed = True
    except TemplateError as exc:
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or INDEX_TEMPLATE
        problems.error(project.templates_dir / name, getattr(exc, "lineno", None) or 1, 1,
                       "template.error", f"site pages: {exc}",
                       "fix the template (the default ones are in lessonpack's templates/site/)")
        summary.failed += 1
    finally:
        if changed:
            write_manifest(out_dir,
                           {k: v for k, v in records.items() if (out_dir / k).is_file()})
            cache.save()


def _own_outputs(project: Project, records: dict[str, OutputRecord],
                 planned: dict[str, str]) -> set[str]:
    """Every file a build of this project may write into the output folder: the manifest's
    rows, this build's documents, the packs and zips of every edition and band, the site pages
    and the manifest. Only temporary files beside these are ever deleted."""
    assert project.curriculum is not None
    own = set(records) | set(planned) | {MANIFEST, "index.html", "curriculum-map.html"}
    for edition in project.curriculum.editions:
        own.add(bundle_path(edition.id))
        own.update(pack_path(edition.id, band.id, variant)
                   for band in project.curriculum.bands for variant in VARIANTS)
    return own


def _matches(path: Path, record: OutputRecord) -> bool:
    """A manifest row may still describe its file (cheap: the size; a changed file of the same
    size is caught by the build cache's size+mtime check and rebuilt)."""
    try:
        return path.stat().st_size == record.bytes
    except OSError:
        return False


def _collect(result: PdfResult, pdf_jobs: dict[str, Job], project: Project, problems: Problems,
             summary: BuildSummary, write: Callable[[Job, str, bytes, int | None], None],
             suffix: str) -> None:
    job = pdf_jobs[result.stem]
    name = f"{job.stem}{suffix}.pdf"
    summary.laid_out += 1
    if result.error or result.refused:
        for url in dict.fromkeys(result.refused):
            path, line, col = locate_reference(project, job, url)
            problems.error(path, line, col, "pdf.refused",
                           f"{name}: refused to fetch {url}",
                           "use data: URLs or files in templates/ or assets/; lessonpack fetches "
                           "nothing else")
        if result.error:
            problems.error(project.templates_dir, 1, 1, "pdf.error",
                           f"{name}: {result.error}",
                           "templates and content may use only the project's own assets")
        summary.failed += 1
        return
    write(job, "pdf", result.pdf, result.pages)
    summary.slowest.append((result.seconds, name))


def locate_reference(project: Project, job: Job, url: str) -> tuple[Path, int, int]:
    """Where a refused URL was written: the first line of the job's templates, module,
    routes or catalogue that contains it (as written, or as the path WeasyPrint resolved it
    from); the templates folder when no file does."""
    parts = urlsplit(url)
    needles = [url]
    if parts.scheme == "file":
        path = unquote(parts.path)
        needles.append(path)
        for base in (project.templates_dir, project.root):
            relative = os.path.relpath(path, base)
            needles.append(relative)
            if relative.startswith("./"):
                needles.append(relative[2:])
    edition = project.edition(job.edition)
    files = [p for p in sorted(project.templates_dir.rglob("*")) if p.is_file()]
    source = project.knowledge.path if project.knowledge and job.module == CHECK_MODULE \
        else project.module(job.module).path
    files += [source, project.routes_dir / f"{edition.country}.yaml",
              project.routes_dir / "international.yaml", po_path(project, edition.locale)]
    for path in files:
        if not inside(project.root, path) or not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            cols = [col for col in (line.find(needle) for needle in needles) if col >= 0]
            if cols:
                return path, number, min(cols) + 1
    return project.templates_dir, 1, 1
