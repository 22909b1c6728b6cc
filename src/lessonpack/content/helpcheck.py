"""The help box a module and a band ask for: can every edition's country print it?

* ``help.missing-kind``: a module's ``help: kinds:`` names a kind an edition's country has no
  confirmed route of (nor ``international.yaml``) — at the module's line, naming the country
  and the kinds it has;
* ``help.unknown-route``: ``help: routes:`` names a route id no route file has;
* ``help.reading-level``: a ``help_box: child`` band's box (its own words and each printed
  route's child-level ``when``) grades above the band's ceiling, for some edition's country.
"""

from __future__ import annotations

from ..problems import Problems
from .helptexts import CHILD_KINDS, child_box_text
from .model import Band, Route
from .project import Project
from .readability import _sentence, cached_grades
from .yamlsafe import LocDict, LocList, Pos


def _confirmed(routes: list[Route]) -> list[Route]:
    return [r for r in routes if r.confirmed and not r.adults_only]


def check_help(project: Project, problems: Problems) -> None:
    if project.curriculum is None:
        return
    countries = sorted({e.country for e in project.curriculum.editions})
    intl = project.routes.get("international")
    intl_routes = _confirmed(list(intl.routes.routes)) if intl else []
    every_id = {r.id for source in project.routes.values() for r in source.routes.routes}
    for source in project.modules:
        wanted = source.module.help
        raw = source.raw.get("help")
        pos = source.raw.pos_of("help") if "help" in source.raw else source.raw.start
        for field, names in (("kinds", wanted.kinds), ("routes", wanted.routes)):
            items = raw.get(field) if isinstance(raw, LocDict) else None
            for index, name in enumerate(names):
                at = items.pos_of(index) if isinstance(items, LocList) else pos
                if field == "routes" and name not in every_id:
                    problems.error(source.path, at.line, at.col, "help.unknown-route",
                                   f"module asks for route '{name}', which no routes/*.yaml has",
                                   "use a route id from routes/ (lessonpack routes lists them)")
                if field != "kinds":
                    continue
                for country in countries:
                    own = project.routes.get(country)
                    have = _confirmed(list(own.routes.routes) if own else []) + intl_routes
                    kinds = sorted({r.kind for r in have})
                    if name not in kinds:
                        problems.error(source.path, at.line, at.col, "help.missing-kind",
                                       f"module asks for route kind '{name}', but {country} "
                                       f"has no confirmed one (its kinds: {', '.join(kinds)})",
                                       f"add a confirmed '{name}' route to routes/{country}.yaml "
                                       "or international.yaml, or ask for it by route id")
    _check_child_box(project, countries, problems)


def _check_child_box(project: Project, countries: list[str], problems: Problems) -> None:
    """Grade each child band's box per edition country, as a handout would print it."""
    assert project.curriculum is not None
    boxes: list[tuple[Band, str, str, list[Route]]] = []
    for band in project.curriculum.bands:
        if band.help_box != "child":
            continue
        for country in countries:
            own = project.routes.get(country)
            usable = _confirmed(list(own.routes.routes) if own else [])
            printed = [next(r for r in usable if r.kind == k) for k in CHILD_KINDS
                       if any(r.kind == k for r in usable)]
            text = " ".join(_sentence(t) for t in child_box_text(band, printed))
            boxes.append((band, country, text, printed))
    if not boxes:
        return
    grades = cached_grades(project.cache_dir, dict(enumerate(box[2] for box in boxes)))
    for (band, country, _text, printed), grade in zip(boxes, grades.values(), strict=True):
        if grade <= band.reading_grade_max:
            continue
        path, pos = _where(project, band, country, printed)
        problems.error(path, pos.line, pos.col, "help.reading-level",
                       f"the {band.id} help box for {country} reads at grade {grade:.1f}; the "
                       f"band's ceiling is {band.reading_grade_max:g}",
                       f"give the printed routes a simpler `when_by_band: {{\"{band.id}\": ...}}`")


def _where(project: Project, band: Band, country: str, printed: list[Route]
           ) -> tuple[object, Pos]:
    """The first printed route with its own child `when` (the likely culprit), else the band."""
    source = project.routes.get(country)
    if source is not None:
        items = source.raw.get("routes")
        for index, route in enumerate(source.routes.routes):
            if route in printed and band.id in route.when_by_band \
                    and isinstance(items, LocList) and isinstance(items[index], LocDict):
                return source.path, items[index].pos_of("when_by_band")
    return project.curriculum_path, Pos(1, 1)
