"""Reporting routes by age: `lessonpack routes`, and the `routes.stale` check used by `check`.

A route's facts were checked against its source on the date in ``checked:``. More than
:data:`STALE_AFTER_DAYS` days before the build date, the entry warns (``routes.stale``), so
``--strict`` builds fail until someone checks it again. The build date is today, or
``LESSONPACK_TODAY=YYYY-MM-DD`` (for tests and for building as of another day).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from ..problems import Problem, Problems, format_problems
from .project import Project, RouteSource, load_project
from .routechecks import check_route_fields
from .yamlsafe import LocDict, LocList

STALE_AFTER_DAYS = 365
"""An entry checked more than this many days before the build date is stale (12 months)."""
TODAY_ENV = "LESSONPACK_TODAY"


class BuildDateError(click.UsageError):
    """``LESSONPACK_TODAY`` is not a date (a usage error: exit 2)."""


def build_date() -> dt.date:
    """Today, or the date in ``LESSONPACK_TODAY`` (YYYY-MM-DD)."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> dt.date:
    raise BuildDateError(f"{TODAY_ENV}={value!r} is not a date; use YYYY-MM-DD or unset it")


@dataclass(frozen=True)
class RouteRow:
    """One line of `lessonpack routes`."""

    country: str
    id: str
    kind: str
    status: str
    checked: str
    age_days: int
    stale: bool
    path: str
    line: int
    col: int
    source: str = ""
    verification: str = ""


def route_rows(project: Project, countries: list[str], today: dt.date) -> list[RouteRow]:
    """The routes of ``countries`` (route-file keys such as ``PH`` or ``international``), and
    their sourced terms (kind ``term:role``, ``term:term``, ``term:law``): dated alike."""
    rows = []
    for country in countries:
        source = project.routes[country]
        path = _rel(project, source)
        for index, route in enumerate(source.routes.routes):
            age = (today - route.checked).days
            line, col = _checked_pos(source, index)
            rows.append(RouteRow(country, route.id, route.kind, route.status,
                                 route.checked.isoformat(), age, age > STALE_AFTER_DAYS,
                                 path, line, col, route.source, route.verification or ""))
        terms = source.raw.get("terms")
        for index, term in enumerate(source.routes.terms):
            if term.checked is None or term.source is None:
                continue  # a neutral default, or `terms.unsourced` (content/terms.py)
            age = (today - term.checked).days
            item = terms[index] if isinstance(terms, LocList) else None
            pos = item.value_pos_of("checked") if isinstance(item, LocDict) \
                and "checked" in item else source.raw.start
            rows.append(RouteRow(country, term.id, f"term:{term.kind}", "sourced",
                                 term.checked.isoformat(), age, age > STALE_AFTER_DAYS,
                                 path, pos.line, pos.col, term.source, term.verification or ""))
    return rows


def _rel(project: Project, source: RouteSource) -> str:
    try:
        return source.path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return source.path.as_posix()


def _checked_pos(source: RouteSource, index: int) -> tuple[int, int]:
    """Where the route's ``checked:`` value is written (the route itself if it cannot tell)."""
    routes = source.raw.get("routes")
    if isinstance(routes, LocList) and index < len(routes):
        item = routes[index]
        if isinstance(item, LocDict) and "checked" in item:
            pos = item.value_pos_of("checked")
        else:
            pos = routes.pos_of(index)
        return pos.line, pos.col
    return 1, 1


def stale_warnings(project: Project, rows: list[RouteRow], today: dt.date,
                   problems: Problems) -> None:
    for row in rows:
        if row.age_days < 0:
            # a date in the future would never go stale: nobody would be told to look again
            problems.error(project.root / row.path, row.line, row.col, "routes.future",
                           f"route '{row.id}' says it was checked {row.checked}, after the "
                           f"build date {today.isoformat()}",
                           "write the day you checked it against its source")
        elif row.stale:
            problems.warning(project.root / row.path, row.line, row.col, "routes.stale",
                             f"route '{row.id}' was checked {row.checked}, {row.age_days} days "
                             f"before {today.isoformat()} (more than 12 months)",
                             "check it against its source again and update `checked:` "
                             "(and anything that changed)")


def printed_countries(project: Project) -> list[str]:
    """Route files a build prints: the editions' countries, then the international routes."""
    assert project.curriculum is not None
    countries = [e.country for e in project.curriculum.editions if e.country in project.routes]
    if "international" in project.routes:
        countries.append("international")
    return list(dict.fromkeys(countries))


def check_route_dates(project: Project, problems: Problems,
                      today: dt.date | None = None) -> None:
    """``routes.stale`` warnings for every route a build of this project can print."""
    if project.curriculum is None:
        return
    today = today or build_date()
    stale_warnings(project, route_rows(project, printed_countries(project), today), today,
                   problems)


def all_countries(project: Project) -> list[str]:
    """Every route file: country codes in order, ``international`` last."""
    return sorted(project.routes, key=lambda c: (c == "international", c))


def format_text(rows: list[RouteRow], today: dt.date) -> str:
    header = ("country", "id", "kind", "status", "checked", "age (days)")
    lines = [(r.country, r.id, r.kind, r.status, r.checked,
              f"{r.age_days}{'  STALE' if r.stale else ''}") for r in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]
    out = [f"Reporting routes as of {today.isoformat()} (stale after {STALE_AFTER_DAYS} days)"]
    for cells in (header, *lines):
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(out)


def format_json(rows: list[RouteRow], today: dt.date, problems: Problems,
                strict: bool) -> str:
    fields = ("country", "id", "kind", "status", "checked", "age_days", "stale", "source",
              "verification")
    return json.dumps({
        "build_date": today.isoformat(),
        "stale_after_days": STALE_AFTER_DAYS,
        "routes": [{k: v for k, v in asdict(row).items() if k in fields} for row in rows],
        "problems": json.loads(format_problems(problems, "json", strict))["problems"],
    }, indent=2, ensure_ascii=False)


def list_routes(root: Path, country: str | None, strict: bool, fmt: str) -> bool:
    """`lessonpack routes`: print the table (or JSON) and the problems; True means exit 1.

    Only the route files' own problems are reported (``lessonpack check`` reports the rest).
    """
    today = build_date()
    loaded = Problems(root)
    project = load_project(root, loaded)
    problems = Problems(root)
    problems.extend(p for p in loaded.items if _in_routes(p))
    countries = all_countries(project)
    if country is not None:
        code = country if country == "international" else country.upper()
        if code not in project.routes:
            raise click.UsageError(
                f"--country {country!r}: no routes/{code}.yaml; expected one of: "
                f"{', '.join(countries) or '(no route files)'}")
        countries = [code]
    rows = route_rows(project, countries, today)
    stale_warnings(project, rows, today, problems)
    check_route_fields(project, problems)
    if fmt == "json":
        click.echo(format_json(rows, today, problems, strict))
    else:
        click.echo(format_text(rows, today))
        text = format_problems(problems, "text", strict)
        if text:
            click.echo(text, err=True)
    return problems.has_errors(strict)


def _in_routes(problem: Problem) -> bool:
    return problem.path.startswith("routes/")
