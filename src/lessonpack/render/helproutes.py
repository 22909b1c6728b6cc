"""Which reporting routes each document prints.

Student handouts and family letters show a short ladder of *confirmed* routes only: trusted
adult → block and report in the app → child helpline → reporting route → emergency number, plus
the under-18 image-removal tool. Teacher guides list every route, unconfirmed ones marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Route

LADDER_KINDS = ("child-helpline", "exploitation-report", "emergency")


@dataclass(frozen=True)
class HelpRoutes:
    """The routes one document prints, in ladder order."""

    ladder: tuple[Route, ...]
    removal: tuple[Route, ...]
    all_routes: tuple[Route, ...]

    @property
    def unconfirmed(self) -> tuple[Route, ...]:
        return tuple(r for r in self.all_routes if not r.confirmed)


def select_routes(country_routes: list[Route], international: list[Route],
                  for_children: bool) -> HelpRoutes:
    """First confirmed route of each ladder kind (file order is the author's priority)."""
    usable = [r for r in country_routes if r.confirmed and not (for_children and r.adults_only)]
    ladder = []
    for kind in LADDER_KINDS:
        first = next((r for r in usable if r.kind == kind), None)
        if first is not None:
            ladder.append(first)
    removal = [r for r in usable if r.kind == "takedown-tool"]
    removal += [r for r in international
                if r.kind == "takedown-tool" and r.confirmed and not r.adults_only]
    return HelpRoutes(tuple(ladder), tuple(removal), tuple(country_routes + international))
