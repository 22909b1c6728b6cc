"""Which reporting routes each document prints.

Student handouts and family letters show a short ladder of *confirmed* routes only: trusted
adult → block and report in the app → child helpline → reporting route → emergency number, plus
the under-18 image-removal tools and whatever the module asks for (``help:`` in module.yaml:
every confirmed route of a kind, or named routes such as a trafficking line). A band with the
child help box (``help_box: child``, e.g. 5-7) gets only a trusted grown-up, the child helpline
and the emergency number, in its own words. Teacher guides list every route, unconfirmed ones
marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content.helptexts import (
    CHILD_KINDS,
    CHILD_NO_TROUBLE,
    CHILD_TELL,
    CHILD_TELL_MORE,
    CHILD_TITLE,
    CHILD_WHEN,
)
from ..content.model import ModuleHelp, Route

LADDER_KINDS = ("child-helpline", "exploitation-report", "emergency")


@dataclass(frozen=True)
class HelpRoutes:
    """The routes one document prints, in ladder order."""

    ladder: tuple[Route, ...]
    removal: tuple[Route, ...]
    all_routes: tuple[Route, ...]
    extra: tuple[Route, ...] = ()
    """Routes the module asked for that the ladder and the removal list do not already hold."""
    child: bool = False
    """The child-level box: ladder = child helpline + emergency; no removal, no extras."""

    @property
    def unconfirmed(self) -> tuple[Route, ...]:
        return tuple(r for r in self.all_routes if not r.confirmed)


def select_routes(country_routes: list[Route], international: list[Route],
                  for_children: bool, child_box: bool = False,
                  wanted: ModuleHelp | None = None) -> HelpRoutes:
    """First confirmed route of each ladder kind (file order is the author's priority), the
    removal tools and the module's wanted routes; the child box when ``child_box``."""
    usable = [r for r in country_routes if r.confirmed and not (for_children and r.adults_only)]
    everything = tuple(country_routes + international)
    kinds = CHILD_KINDS if child_box else LADDER_KINDS
    ladder = []
    for kind in kinds:
        first = next((r for r in usable if r.kind == kind), None)
        if first is not None:
            ladder.append(first)
    if child_box:
        return HelpRoutes(tuple(ladder), (), everything, (), True)
    intl = [r for r in international if r.confirmed and not (for_children and r.adults_only)]
    removal = [r for r in usable + intl if r.kind == "takedown-tool"]
    extra: list[Route] = []
    if wanted is not None:
        shown = {r.id for r in ladder + removal}
        for route in usable + intl:
            if route.id not in shown and (route.kind in wanted.kinds or route.id in wanted.routes):
                extra.append(route)
                shown.add(route.id)
    return HelpRoutes(tuple(ladder), tuple(removal), everything, tuple(extra))


def child_texts(gettext: Callable[[str], str], adapt: Callable[[str], str],
                band: str) -> dict[str, Any]:
    """The child help box's words (content/helptexts.py), translated, and ``when(route)``:
    the route's own child-level ``when`` for the band, else the kind's child wording."""
    def tr(text: str) -> str:
        return adapt(gettext(text))

    def when(route: Route) -> str:
        if band in route.when_by_band:
            return route.when_by_band[band]  # already translated with its route
        return tr(CHILD_WHEN[route.kind]) if route.kind in CHILD_WHEN else route.when

    return {"title": tr(CHILD_TITLE), "tell": tr(CHILD_TELL), "tell_more": tr(CHILD_TELL_MORE),
            "no_trouble": tr(CHILD_NO_TROUBLE), "when": when}
