"""Print many HTML documents to PDF on a long-lived pool of worker processes.

``import weasyprint`` costs ~0.9 s and a FontConfiguration per document grows memory
(rendering-notes.md), so each worker imports once and keeps one printer (font configuration and
image cache) for all its documents. Workers are *spawned*, not forked, and started before the
build loads anything: they do not inherit the main process's heap (the reading-level check can
hold ~200 MB of dictionaries), which keeps the whole build's memory low.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path
from types import TracebackType

from ..i18n.linebreak import for_print
from .pdf import PdfPrinter


@dataclass(frozen=True)
class PdfRequest:
    """One document to print; ``locale`` selects the script fixes of ``linebreak.for_print``."""

    stem: str
    html: str
    locale: str = ""


@dataclass(frozen=True)
class PdfResult:
    stem: str
    pdf: bytes
    pages: int
    seconds: float
    refused: tuple[str, ...] = ()
    error: str = ""


_printer: PdfPrinter | None = None

# WeasyPrint's and Pango's caches grow with every document (measured: two workers went from
# ~440 MB after 144 documents to ~720 MB after 729); a worker is replaced after this many
# documents, which costs one import and font warm-up (~1.5 s) each time.
TASKS_PER_WORKER = 150


def _load_malloc_trim() -> ctypes._CFuncPtr | None:
    """glibc's ``malloc_trim``, or None where there is no glibc."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


# A laid-out document frees most of its memory, but glibc keeps the freed pages in the
# process; giving them back after each document keeps a worker ~50 MB smaller (measured over
# 120 en-GB and ko-KR documents: 207 MB → 153 MB, no measurable time cost).
_malloc_trim = _load_malloc_trim()


def _init_worker(base_dir: Path, asset_dirs: tuple[Path, ...]) -> None:
    global _printer
    _printer = PdfPrinter(base_dir, asset_dirs)
    # FontConfiguration removes its temporary folder in __del__, which never runs when a pool
    # worker exits; drop it explicitly from a multiprocessing finaliser.
    Finalize(None, _close_worker, exitpriority=10)


def _close_worker() -> None:
    global _printer
    _printer = None


def _print_one(request: PdfRequest, printer: PdfPrinter | None = None) -> PdfResult:
    printer = printer or _printer
    assert printer is not None
    started = time.perf_counter()
    try:
        html = for_print(request.html, request.locale) if request.locale else request.html
        pdf, pages, refused = printer.print_pdf(html, request.stem)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
        return PdfResult(request.stem, b"", 0, time.perf_counter() - started,
                         error=f"{type(exc).__name__}: {exc}")
    finally:
        if _malloc_trim is not None:
            _malloc_trim(0)
    return PdfResult(request.stem, pdf, pages, time.perf_counter() - started, tuple(refused))


class PrintPool:
    """``with PrintPool(...) as pool: pool.print_all(requests)``; one process when workers == 1."""

    def __init__(self, base_dir: Path, asset_dirs: tuple[Path, ...], workers: int,
                 tasks_per_worker: int = TASKS_PER_WORKER) -> None:
        self.base_dir = base_dir
        self.asset_dirs = asset_dirs
        self.workers = max(1, workers)
        self.tasks_per_worker = tasks_per_worker
        self._pool: multiprocessing.pool.Pool | None = None
        self._printer: PdfPrinter | None = None

    def __enter__(self) -> PrintPool:
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.workers, initializer=_init_worker,
                                      initargs=(self.base_dir, self.asset_dirs),
                                      maxtasksperchild=self.tasks_per_worker)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def print_all(self, requests: Iterable[PdfRequest]) -> Iterator[PdfResult]:
        """Results in completion order."""
        if self._pool is None:
            if self._printer is None:
                self._printer = PdfPrinter(self.base_dir, self.asset_dirs)
            for request in requests:
                yield _print_one(request, self._printer)
            return
        yield from self._pool.imap_unordered(_print_one, requests, chunksize=1)
