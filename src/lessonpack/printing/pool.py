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
import queue
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path
from types import TracebackType

from ..i18n.linebreak import for_print
from . import fontcut
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
# process; giving them back keeps a worker ~50 MB smaller (measured over 120 en-GB and ko-KR
# documents: 207 MB → 153 MB). The pages given back are faulted in again by the next document
# (80 en-GB documents in one process: 24.7 s of CPU with a trim after each, 23.1 s without —
# 6.5 %, 430,000 page faults against 74,000). Memory wins: two workers over 300 mixed-edition
# documents held 195-228 MB (PSS) each trimming after every document, 200-250 MB after every
# second, 270-300 MB after every eighth; the whole build's 500 MB budget was met trimming after
# every document (docs/architecture.md, "no packs phase" and the Korean cut).
_malloc_trim = _load_malloc_trim()


def give_memory_back() -> None:
    """Return freed heap pages to the OS (glibc only; elsewhere nothing happens)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


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
        give_memory_back()
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
            fontcut.prepare()  # cut once here, before the workers race to (printing/fontcut.py)
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
        return self.stream(iter(requests), deque())

    def stream(self, requests: Iterator[PdfRequest], urgent: deque[PdfRequest],
               window: int | None = None) -> Iterator[PdfResult]:
        """Results in completion order, ``requests`` taken from this thread only as workers
        need them (at most ``window`` in flight, default four per worker: ~1 s of work each,
        so no worker waits while this thread assembles a pack or writes a deck). ``urgent``
        goes first: the consumer may add to it while it handles a result (a print pack's
        contents page, once its documents are printed); the stream ends when both are empty."""
        if self._pool is None:
            while True:
                request = urgent.popleft() if urgent else next(requests, None)
                if request is None:
                    return
                if self._printer is None:  # WeasyPrint is imported on the first layout only
                    self._printer = PdfPrinter(self.base_dir, self.asset_dirs)
                yield _print_one(request, self._printer)
        pool, window = self._pool, window or 4 * self.workers
        done: queue.SimpleQueue[PdfResult] = queue.SimpleQueue()
        in_flight, exhausted = 0, False
        while True:
            while in_flight < window:
                request = urgent.popleft() if urgent else \
                    None if exhausted else next(requests, None)
                if request is None:
                    exhausted = True
                    break
                pool.apply_async(_print_one, (request,), callback=done.put,
                                 error_callback=_lost(request.stem, done))
                in_flight += 1
            if in_flight == 0 and not urgent:
                return
            result = done.get()
            in_flight -= 1
            yield result


def _lost(stem: str, done: queue.SimpleQueue[PdfResult]) -> Callable[[BaseException], None]:
    """A worker that died (or a result that could not be sent back) fails its document."""
    def report(exc: BaseException) -> None:
        done.put(PdfResult(stem, b"", 0, 0.0, error=f"{type(exc).__name__}: {exc}"))
    return report
