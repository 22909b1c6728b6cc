"""Progress for long builds: a bar with counts and ETA on a terminal, log lines elsewhere."""

from __future__ import annotations

import sys
import time

import click

from ..plan.summary import Progress


class _Bar(Progress):
    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._rich = Progress(TextColumn("Printing PDFs"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                              transient=True, console=None)
        self._task = self._rich.add_task("pdf", total=total)
        self._rich.start()

    def advance(self, label: str) -> None:
        self._rich.advance(self._task)

    def note(self, text: str) -> None:
        self._rich.console.print(text, markup=False, highlight=False)

    def close(self) -> None:
        self._rich.stop()


class _Lines(Progress):
    """One line about every 10% (and at least every 15 s), for CI logs."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.started = self.last = time.monotonic()
        self.next_mark = max(1, total // 10)

    def advance(self, label: str) -> None:
        self.done += 1
        now = time.monotonic()
        if self.done >= self.next_mark or now - self.last > 15 or self.done == self.total:
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0
            click.echo(f"printed {self.done}/{self.total} PDFs, ETA {eta:.0f} s", err=True)
            self.last = now
            self.next_mark = self.done + max(1, self.total // 10)

    def note(self, text: str) -> None:
        click.echo(text, err=True)

    def close(self) -> None:
        pass


def make_progress(total: int) -> Progress:
    return _Bar(total) if sys.stderr.isatty() else _Lines(total)
