"""`lessonpack build`: check everything, render what changed, print PDFs on all cores, write.

As in MkDocs, all data is gathered and validated before the first byte is written; a content
error stops the build with the output folder untouched. Each output is written atomically; a
document that fails keeps its older, good output.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import BuildCache
from .checks import CheckedProject
from .inputs import InputHasher
from .messages import iter_messages, route_prefix
from .output import OutputRecord, read_manifest, safe_join, write_atomically, write_manifest
from .planner import Request, plan_jobs
from .printing import PdfRequest, PdfResult, PrintPool
from .problems import Problems
from .render import Job, Renderer, RenderError
from .site_pages import finish_site
from .translations import Translator

ProgressFactory = Callable[[int], "Progress"]


class Progress:
    """Reports printed PDFs; the CLI supplies a bar on a terminal, log lines otherwise."""

    def advance(self, label: str) -> None:  # pragma: no cover - interface
        """One more document is done."""

    def close(self) -> None:  # pragma: no cover - interface
        """All done."""


@dataclass
class BuildSummary:
    built: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = (f"built {self.built}, skipped {self.skipped} (unchanged), failed {self.failed} "
                f"in {self.seconds:.1f} s")
        if self.slowest:
            worst = ", ".join(f"{path} {secs:.2f} s" for secs, path in self.slowest[:3])
            text += f"; slowest: {worst}"
        return text


def draft_percent(checked: CheckedProject, job: Job, translator: Translator) -> int:
    """Share of this document's module and route texts that have a translation."""
    if translator.is_source:
        return 100
    project = checked.project
    source = project.module(job.module)
    country = project.edition(job.edition).country
    messages = list(iter_messages(source.raw["content"][job.band],
                                  f"{job.module}/content/{job.band}"))
    for code in (country, "international"):
        if code in project.routes:
            messages += iter_messages(project.routes[code].raw, route_prefix(code))
    if not messages:
        return 100
    done = sum((m.context, m.text) in translator.entries for m in messages)
    return int(100 * done / len(messages))


@dataclass(frozen=True)
class _Work:
    job: Job
    formats: tuple[str, ...]


def build(checked: CheckedProject, request: Request, out_dir: Path, workers: int,
          problems: Problems, progress: ProgressFactory | None = None) -> BuildSummary:
    """Build the requested subset into ``out_dir``; problems of failed jobs go to ``problems``."""
    started = time.perf_counter()
    project = checked.project
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
        for fmt in formats:
            relative = f"{job.stem}{suffix}.{fmt}"
            hashes[relative] = hasher.job(job, fmt, request.variant)
            if relative in records and cache.is_current(relative, hashes[relative],
                                                         out_dir / relative):
                summary.skipped += 1
            else:
                stale.append(fmt)
        if stale:
            work.append(_Work(job, tuple(stale)))

    # The pool's feeder thread runs html_documents() while this thread collects PDFs.
    lock = threading.Lock()

    def write(job: Job, fmt: str, data: bytes, pages: int | None) -> None:
        relative = f"{job.stem}{suffix}.{fmt}"
        target = safe_join(out_dir, relative)
        write_atomically(target, data)
        edition = project.edition(job.edition)
        record = OutputRecord.for_data(
            relative, data, pages, edition=edition.id, locale=edition.locale,
            country=edition.country, band=job.band, module=job.module, doc=job.doc, format=fmt,
            variant=request.variant)
        with lock:
            records[relative] = record
            cache.record(relative, hashes[relative], target)
            summary.built += 1
            summary.rebuilt.append(relative)

    renderer = Renderer(project)
    pdf_jobs = {w.job.stem: w.job for w in work if "pdf" in w.formats}

    def html_documents() -> Iterator[PdfRequest]:
        """Render HTML job by job; write HTML outputs at once, hand PDFs to the pool."""
        for item in work:
            job = item.job
            translator = checked.translators[project.edition(job.edition).locale]
            try:
                html = renderer.render(job, translator,
                                       draft_percent=draft_percent(checked, job, translator),
                                       variant=request.variant)
            except RenderError as exc:
                with lock:
                    problems.error(project.root / exc.path, exc.line, 1, "template.error",
                                   f"{job.stem}: {exc.message}", "fix the template")
                    summary.failed += len(item.formats)
                continue
            if "html" in item.formats:
                write(job, "html", html.encode("utf-8"), None)
            if "pdf" in item.formats:
                yield PdfRequest(job.stem, html)

    bar = progress(len(pdf_jobs)) if progress and pdf_jobs else None
    # pdf_jobs is only read from here on (a template error simply yields no PDF request).
    try:
        if pdf_jobs:
            asset_dirs = (project.templates_dir, project.root / "assets")
            with PrintPool(project.templates_dir, asset_dirs, min(workers, len(pdf_jobs))) as pool:
                for result in pool.print_all(html_documents()):
                    _collect(result, pdf_jobs, project.templates_dir, problems, summary, write)
                    if bar:
                        bar.advance(result.stem)
        else:
            for _ in html_documents():
                pass  # HTML-only build: the generator writes as it goes
    finally:
        if bar:
            bar.close()
        # Whatever happened, the manifest and cache describe exactly the files on disk.
        write_manifest(out_dir, {k: v for k, v in records.items() if (out_dir / k).is_file()})
        cache.save()
    # Print packs, zips, index and curriculum map (they read the outputs written above).
    finish_site(checked, request, out_dir, records, cache, hasher, workers, problems, summary)
    summary.slowest = sorted(summary.slowest, reverse=True)[:5]
    summary.seconds = time.perf_counter() - started
    return summary


def _collect(result: PdfResult, pdf_jobs: dict[str, Job], templates: Path, problems: Problems,
             summary: BuildSummary, write: Callable[[Job, str, bytes, int | None], None]) -> None:
    job = pdf_jobs[result.stem]
    if result.error or result.refused:
        reason = result.error or f"refused to fetch {', '.join(result.refused)}"
        problems.error(templates, 1, 1, "pdf.error", f"{job.stem}.pdf: {reason}",
                       "templates and content may use only the project's own assets")
        summary.failed += 1
        return
    write(job, "pdf", result.pdf, result.pages)
    summary.slowest.append((result.seconds, f"{job.stem}.pdf"))
