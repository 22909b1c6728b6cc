"""What a build did, filled in by every stage that writes (documents, packs, zips), and the
progress interface the CLI implements. Passed down the pipeline as values, so the stages that
fill them never import the orchestration above them."""

from __future__ import annotations

from dataclasses import dataclass, field


class Progress:
    """Reports printed PDFs; the CLI supplies a bar on a terminal, log lines otherwise."""

    def advance(self, label: str) -> None:  # pragma: no cover - interface
        """One more document is done."""

    def note(self, text: str) -> None:  # pragma: no cover - interface
        """Something the person waiting should know (a one-off pause, and why)."""

    def close(self) -> None:  # pragma: no cover - interface
        """All done."""


@dataclass
class BuildSummary:
    """Counts and timings of one build: what was built, skipped (current) and failed."""

    built: int = 0
    skipped: int = 0
    failed: int = 0
    laid_out: int = 0
    """WeasyPrint layouts this build ran: documents' PDFs and packs' contents pages."""
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the terminal."""
        text = (f"built {self.built}, skipped {self.skipped} (unchanged), failed {self.failed}, "
                f"laid out {self.laid_out} in {self.seconds:.1f} s")
        if self.slowest:
            worst = ", ".join(f"{path} {secs:.2f} s" for secs, path in self.slowest[:3])
            text += f"; slowest: {worst}"
        return text
