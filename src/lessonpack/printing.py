"""Print many HTML documents to PDF on a long-lived pool of worker processes.

``import weasyprint`` costs ~0.9 s and a FontConfiguration per document grows memory
(rendering-notes.md), so each worker imports once, keeps one printer (font configuration and
image cache) for all its documents, and removes its temporary font folder when it exits.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.util import Finalize

from .pdf import PdfPrinter
from .project import Project


@dataclass(frozen=True)
class PdfRequest:
    stem: str
    html: str


@dataclass(frozen=True)
class PdfResult:
    stem: str
    pdf: bytes
    pages: int
    seconds: float
    refused: tuple[str, ...] = ()
    error: str = ""


_printer: PdfPrinter | None = None


def _init_worker(project: Project) -> None:
    global _printer
    _printer = _make_printer(project)
    # FontConfiguration removes its temporary folder in __del__, which never runs when a pool
    # worker exits; finalise it explicitly.
    Finalize(None, _close_worker, exitpriority=10)


def _close_worker() -> None:
    global _printer
    _printer = None


def _make_printer(project: Project) -> PdfPrinter:
    return PdfPrinter(project.templates_dir, (project.templates_dir, project.root / "assets"))


def _print_one(request: PdfRequest, printer: PdfPrinter | None = None) -> PdfResult:
    printer = printer or _printer
    assert printer is not None
    started = time.perf_counter()
    try:
        pdf, pages, refused = printer.print_pdf(request.html, request.stem)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
        return PdfResult(request.stem, b"", 0, time.perf_counter() - started,
                         error=f"{type(exc).__name__}: {exc}")
    return PdfResult(request.stem, pdf, pages, time.perf_counter() - started, tuple(refused))


def print_all(project: Project, requests: list[PdfRequest], jobs: int,
              progress: Callable[[Iterator[int], int], Iterator[int]] | None = None,
              ) -> Iterator[PdfResult]:
    """Yield results as documents finish (in completion order)."""
    if not requests:
        return
    workers = max(1, min(jobs, len(requests)))
    if workers == 1:
        printer = _make_printer(project)
        results: Iterator[PdfResult] = (_print_one(r, printer) for r in requests)
        yield from results
        return
    context = multiprocessing.get_context("fork")
    # Largest documents first keeps both cores busy until the end.
    ordered = sorted(requests, key=lambda r: len(r.html), reverse=True)
    with context.Pool(workers, initializer=_init_worker, initargs=(project,)) as pool:
        yield from pool.imap_unordered(_print_one, ordered, chunksize=1)
        pool.close()
        pool.join()
