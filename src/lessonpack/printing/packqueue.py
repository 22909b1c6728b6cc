"""Print packs made while the documents are still printing, not in a phase of their own.

The build decides before printing which packs are stale (:func:`.packs.stale_packs`) and which
of this build's PDFs each one waits for. Jobs come edition by edition and band by band, so the
documents of one pack are printed close together; when the last of them is written (or has
failed), the pack is started at once: its contents page goes to the *front* of the pool's
queue and the pack is assembled in this process when that page comes back, while the workers
go on with the next band's documents. A whole build thus has no packs phase with one core idle
at its end (measured before: 45 s of a 384 s default build). Heavy packs (documents over
``packs.HEAVY_BYTES``) are laid out like the others but assembled after the workers exit, for
memory.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from .packs import PackMaker, PackPlan, PackSteps, stale_packs
from .pool import PdfRequest, PdfResult, PrintPool, give_memory_back

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..output import OutputRecord
    from ..plan.cache import BuildCache
    from ..plan.inputs import InputHasher
    from ..plan.request import Request
    from ..plan.summary import BuildSummary
    from ..problems import Problems
    from ..render.documents import Renderer


class PackQueue:
    """The stale packs of one build and how far each has got.

    ``settled(pdf)`` after each of the build's PDFs is written or has failed; ``take(result)``
    claims a pool result that is a pack's contents page; ``urgent`` is the pool's priority
    queue; ``finish(pool)`` makes whatever has not started (nothing, unless a document was
    never handed to the pool) and checks that every pack ended; ``after_workers()``, once the
    pool has closed, assembles the heavy packs held back (see ``packs.HEAVY_BYTES``).
    """

    def __init__(self, checked: CheckedProject, renderer: Renderer, request: Request,
                 out_dir: Path, records: dict[str, OutputRecord], cache: BuildCache,
                 hasher: InputHasher, problems: Problems, summary: BuildSummary,
                 printing: set[str], derived: set[str]) -> None:
        self.plans: list[PackPlan] = stale_packs(checked, renderer, request, records, out_dir,
                                                 cache, hasher, summary)
        self.maker = PackMaker(checked, renderer, request.variant, out_dir, records, cache,
                               problems, summary)
        self.maker.defer_heavy = True
        self.urgent: deque[PdfRequest] = deque()
        self._after_workers: list[tuple[str, PackSteps]] = []
        self.derived = derived
        self._waiting = {plan.relative: {d[4] for d in plan.docs} & printing
                         for plan in self.plans}
        self._unstarted = {plan.relative: plan for plan in self.plans}
        self._making: dict[str, PackSteps] = {}

    def start_ready(self) -> None:
        """Start every pack whose documents are all settled (all of them, before printing,
        for a pack whose documents did not change)."""
        for relative in [r for r in self._unstarted if not self._waiting[r]]:
            self._advance(relative, self.maker.steps(self._unstarted.pop(relative)), None)

    def settled(self, pdf: str) -> None:
        """One of this build's PDFs is written, or failed: start the packs it completes."""
        ready = False
        for relative in self._unstarted:
            waiting = self._waiting[relative]
            if pdf in waiting:
                waiting.discard(pdf)
                ready = ready or not waiting
        if ready:
            self.start_ready()

    def take(self, result: PdfResult) -> bool:
        """True if ``result`` is a pack's contents page (handed to that pack)."""
        steps = self._making.pop(result.stem, None)
        if steps is None:
            return False
        self._advance(result.stem, steps, result)
        return True

    def finish(self, pool: PrintPool) -> None:
        """Make the packs that never started (after the pool's stream has ended)."""
        assert not self._making, f"packs left half-made: {sorted(self._making)}"
        for relative, plan in list(self._unstarted.items()):
            del self._unstarted[relative]
            if self.maker.make([plan], pool):
                self.derived.discard(relative)

    def after_workers(self) -> None:
        """Assemble the heavy packs held back until the print workers exited."""
        held, self._after_workers = self._after_workers, []
        for relative, steps in held:
            self._advance(relative, steps, None, resume=True)

    def _advance(self, relative: str, steps: PackSteps, result: PdfResult | None,
                 resume: bool = False) -> None:
        try:
            request = steps.send(result) if result is not None or resume else next(steps)
        except StopIteration as done:
            give_memory_back()  # an assembled pack's pikepdf objects, while the workers print
            if done.value:  # written: its row is true from now on, checkpoints may list it
                self.derived.discard(relative)
            return
        if request is None:  # heavy: assembled once the workers have given their memory back
            self._after_workers.append((relative, steps))
            return
        self._making[relative] = steps
        self.urgent.append(request)
