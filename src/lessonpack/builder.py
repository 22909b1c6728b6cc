"""`lessonpack build`: check everything, render every requested document, then write.

As in MkDocs, all data is gathered and validated before the first byte is written; a content
error stops the build with the output folder untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .checks import CheckedProject
from .messages import iter_messages, route_prefix
from .output import OutputRecord, read_manifest, safe_join, write_atomically, write_manifest
from .planner import Request, plan_jobs
from .printing import PdfRequest, print_all
from .problems import Problems
from .render import Job, Renderer, RenderError
from .site_index import write_index
from .translations import Translator

log = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    built: int = 0
    failed: int = 0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)


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


def build(checked: CheckedProject, request: Request, out_dir: Path, jobs_count: int,
          problems: Problems, progress: Callable[[Iterator[int], int], Iterator[int]] | None = None,
          ) -> BuildSummary:
    """Build the requested subset into ``out_dir``; problems of failed jobs go to ``problems``."""
    started = time.perf_counter()
    project = checked.project
    jobs, formats = plan_jobs(project, request)
    renderer = Renderer(project)
    records = read_manifest(out_dir)
    summary = BuildSummary()
    html_docs: list[tuple[Job, str]] = []
    for job in jobs:
        edition = project.edition(job.edition)
        translator = checked.translators[edition.locale]
        try:
            context_extra = {"draft_percent": draft_percent(checked, job, translator)}
            html = renderer.render(job, translator, **context_extra)
        except RenderError as exc:
            problems.error(project.root / exc.path, exc.line, 1, "template.error",
                           f"{job.stem}: {exc.message}", "fix the template")
            summary.failed += 1
            continue
        html_docs.append((job, html))

    outputs: list[tuple[Job, str, bytes, int | None]] = []
    if "html" in formats:
        outputs += [(job, "html", html.encode("utf-8"), None) for job, html in html_docs]
    if "pdf" in formats:
        pdf_requests = [PdfRequest(job.stem, html) for job, html in html_docs]
        by_stem = {job.stem: job for job, _ in html_docs}
        for result in print_all(project, pdf_requests, jobs_count, progress):
            job = by_stem[result.stem]
            if result.error or result.refused:
                reason = result.error or f"refused to fetch {', '.join(result.refused)}"
                problems.error(project.templates_dir, 1, 1, "pdf.error",
                               f"{job.stem}.pdf: {reason}",
                               "templates and content may use only the project's own assets")
                summary.failed += 1
                continue
            outputs.append((job, "pdf", result.pdf, result.pages))
            summary.slowest.append((result.seconds, f"{job.stem}.pdf"))

    for job, fmt, data, pages in outputs:
        relative = f"{job.stem}.{fmt}"
        write_atomically(safe_join(out_dir, relative), data)
        edition = project.edition(job.edition)
        records[relative] = OutputRecord.for_data(
            relative, data, pages, edition=edition.id, locale=edition.locale,
            country=edition.country, band=job.band, module=job.module, doc=job.doc, format=fmt)
        summary.built += 1
    write_manifest(out_dir, records)
    write_index(project, out_dir, records)
    summary.slowest = sorted(summary.slowest, reverse=True)[:5]
    summary.seconds = time.perf_counter() - started
    return summary
