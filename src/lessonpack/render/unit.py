"""What the teacher guide and the resources document need to know about a unit's plan:
which step is the exit ticket, and which materials lessonpack supplies (issue 14)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.model import BandContent
from ..content.resources_model import Material, Resource

_EXIT = re.compile(r"\bexit[- ]ticket\b", re.IGNORECASE)


def exit_step_index(english: BandContent) -> int | None:
    """The 0-based index of the plan's exit-ticket step: the first step whose English title
    names the exit ticket, else the first whose text does (titles vary: "Exit ticket and
    closing"). Read from the English source, so a translated title cannot move it."""
    for field in ("title", "text"):
        for index, step in enumerate(english.steps):
            if _EXIT.search(getattr(step, field)):
                return index
    return None


@dataclass(frozen=True)
class MaterialRow:
    """A material as the guide lists it: its text and what prints it, if anything."""

    text: str
    supplied_by: str | None = None
    """The resource's (localised) title, or the doc kind ``handout``/``slides``."""
    resource: Resource | None = None
    classroom: bool = False


def material_rows(content: BandContent) -> list[MaterialRow]:
    by_id = {r.id: r for r in content.resources}
    rows = []
    for material in content.materials:
        if isinstance(material, Material):
            found = by_id.get(material.supplied or "")
            rows.append(MaterialRow(material.text, material.supplied, found, material.classroom))
        else:
            rows.append(MaterialRow(material))
    return rows
