"""Which template messages belong in a locale's catalogue: the texts its editions print.

Every module, curriculum and template text is printed by every edition; route texts only by
editions of that country (and `international`, printed everywhere), and a curriculum framework's
name and note only by that framework's country's teacher guides. So a new country's route
texts land only in the catalogues of locales that have an edition there, and a translator is
never asked to translate another country's helplines. A locale no edition uses yet (a
catalogue in progress) gets everything, so nothing is lost before its edition exists.
"""

from __future__ import annotations

import copy

import polib

from ..content.project import Project


def locale_countries(project: Project, locale: str) -> set[str] | None:
    """Countries whose routes ``locale``'s editions print (+ international); None: no edition."""
    if project.curriculum is None:
        return None
    countries = {e.country for e in project.curriculum.editions if e.locale == locale}
    return countries | {"international"} if countries else None


def framework_countries(project: Project) -> dict[str, str]:
    """Framework id → the country whose editions print it."""
    if project.curriculum is None:
        return {}
    return {fid: fw.country for fid, fw in project.curriculum.frameworks.items()}


def in_scope(entry: polib.POEntry, countries: set[str] | None,
             frameworks: dict[str, str] | None = None) -> bool:
    parts = (entry.msgctxt or "").split("/")
    if countries is None or len(parts) < 2:
        return True
    if parts[:2] == ["curriculum", "frameworks"] and len(parts) > 2 and frameworks:
        return frameworks.get(parts[2], "") in countries
    if parts[0] != "routes":
        return True
    return parts[1] in countries


def scoped_template(project: Project, locale: str, pot: polib.POFile) -> polib.POFile:
    """A copy of ``pot`` holding only the entries ``locale``'s catalogue should have."""
    countries = locale_countries(project, locale)
    scoped = copy.copy(pot)
    frameworks = framework_countries(project)
    scoped[:] = [e for e in pot if in_scope(e, countries, frameworks)]
    return scoped
