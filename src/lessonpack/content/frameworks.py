"""Framework mappings and the age-band crosswalk: complete and pointing at known names.

* ``module.framework``: a module maps to a framework or strand ``curriculum.yaml`` does not
  declare (a typo would silently drop the mapping from the guides);
* ``framework.code``: a framework's content code names a strand the framework does not list,
  or a band the curriculum does not have;
* ``module.framework-missing``: a module taught to children maps to no framework of a shipped
  country that has frameworks (a warning: that country's guides would print no mapping);
* ``curriculum.crosswalk``: an edition's country has no school levels in some band's
  crosswalk (a warning: the site's table would show "—" for a shipped country), in a project
  that has a crosswalk at all;
* ``curriculum.crosswalk-source``: a crosswalk row is printed without a source and checked
  date (an error, like an unsourced framework, which the model refuses: every printed
  mapping says where it was checked and when).
"""

from __future__ import annotations

from ..problems import Problems
from .project import Project
from .yamlsafe import LocDict, LocList


def check_frameworks(project: Project, problems: Problems) -> None:
    if project.curriculum is None:
        return
    declared = project.curriculum.frameworks
    _check_codes(project, problems)
    for source in project.modules:
        raw = source.raw.get("frameworks")
        for framework, strands in source.module.frameworks.items():
            pos = raw.pos_of(framework) if isinstance(raw, LocDict) else source.raw.start
            if framework not in declared:
                problems.error(source.path, pos.line, pos.col, "module.framework",
                               f"framework '{framework}' is not declared in curriculum.yaml "
                               f"(declared: {', '.join(sorted(declared)) or 'none'})",
                               "add it under `frameworks:` in curriculum.yaml, with its source")
                continue
            items = raw.get(framework) if isinstance(raw, LocDict) else None
            known = declared[framework].strands
            for index, strand in enumerate(strands):
                if strand not in known:
                    at = items.pos_of(index) if isinstance(items, LocList) else pos
                    problems.error(source.path, at.line, at.col, "module.framework",
                                   f"'{strand}' is not a strand of {framework} "
                                   f"(its strands: {'; '.join(known)})",
                                   "use the strand's name as curriculum.yaml lists it")
    _check_coverage(project, problems)
    if not any(band.crosswalk for band in project.curriculum.bands):
        return  # a project without a crosswalk is not asked for one
    _check_crosswalk_sources(project, problems)
    countries = sorted({e.country for e in project.curriculum.editions})
    raw_bands = project.curriculum_raw.get("bands") if project.curriculum_raw else None
    for index, band in enumerate(project.curriculum.bands):
        if band.audience == "adults":
            continue  # sessions for adults have no school year
        missing = [c for c in countries if c not in band.crosswalk]
        if missing:
            pos = raw_bands.pos_of(index) if isinstance(raw_bands, LocList) \
                else project.curriculum_raw.start
            problems.warning(project.curriculum_path, pos.line, pos.col, "curriculum.crosswalk",
                             f"band {band.id} has no crosswalk row for {', '.join(missing)}",
                             "add the school levels under `crosswalk:`, and their source under "
                             "`crosswalk_sources:`")


def _check_coverage(project: Project, problems: Problems) -> None:
    """Every module taught to children maps to some framework of each shipped country."""
    assert project.curriculum is not None
    shipped = {e.country for e in project.curriculum.editions}
    by_country: dict[str, list[str]] = {}
    for fid, framework in sorted(project.curriculum.frameworks.items()):
        if framework.country in shipped:
            by_country.setdefault(framework.country, []).append(fid)
    adults = {b.id for b in project.curriculum.bands if b.audience == "adults"}
    for source in project.modules:
        if set(source.module.bands) <= adults:
            continue  # sessions for adults are not school lessons
        missing = [country for country, ids in sorted(by_country.items())
                   if not any(source.module.frameworks.get(f) for f in ids)]
        if missing:
            pos = source.raw.pos_of("frameworks") if "frameworks" in source.raw \
                else source.raw.start
            problems.warning(source.path, pos.line, pos.col, "module.framework-missing",
                             f"module '{source.module.id}' maps to no framework of "
                             f"{', '.join(missing)} (declared: "
                             f"{'; '.join(f'{c}: ' + ', '.join(by_country[c]) for c in missing)})",
                             "add the strands it teaches under `frameworks:` (names as "
                             "curriculum.yaml lists them)")


def _check_crosswalk_sources(project: Project, problems: Problems) -> None:
    """Every country with a crosswalk row has a source and checked date."""
    assert project.curriculum is not None
    sourced = project.curriculum.crosswalk_sources
    raw_bands = project.curriculum_raw.get("bands") if project.curriculum_raw else None
    for index, band in enumerate(project.curriculum.bands):
        raw = raw_bands[index] if isinstance(raw_bands, LocList) else None
        rows = raw.get("crosswalk") if isinstance(raw, LocDict) else None
        for country in band.crosswalk:
            if country in sourced:
                continue
            pos = rows.pos_of(country) if isinstance(rows, LocDict) \
                else project.curriculum_raw.start
            problems.error(project.curriculum_path, pos.line, pos.col,
                           "curriculum.crosswalk-source",
                           f"the {country} crosswalk row of band {band.id} has no source",
                           f"add `{country}: {{source: <url>, checked: YYYY-MM-DD}}` under "
                           "`crosswalk_sources:` (where the school years and ages were checked)")


def _check_codes(project: Project, problems: Problems) -> None:
    """A framework's codes sit under one of its strands, for bands the curriculum has."""
    assert project.curriculum is not None
    bands = [b.id for b in project.curriculum.bands]
    raw = project.curriculum_raw.get("frameworks") if project.curriculum_raw else None
    for fid, framework in project.curriculum.frameworks.items():
        entry = raw.get(fid) if isinstance(raw, LocDict) else None
        items = entry.get("codes") if isinstance(entry, LocDict) else None
        for index, code in enumerate(framework.codes):
            at = items.pos_of(index) if isinstance(items, LocList) else project.curriculum_raw.start
            if code.strand not in framework.strands:
                problems.error(project.curriculum_path, at.line, at.col, "framework.code",
                               f"code {code.code} of {fid} is filed under '{code.strand}', "
                               f"which is not one of its strands ({'; '.join(framework.strands)})",
                               "use the strand's name as `strands:` lists it")
            unknown = [b for b in code.bands if b not in bands]
            if unknown:
                problems.error(project.curriculum_path, at.line, at.col, "framework.code",
                               f"code {code.code} of {fid} names unknown band(s) "
                               f"{', '.join(unknown)} (bands: {', '.join(bands)})",
                               "name the bands whose school years the code covers")
