"""Framework mappings and the age-band crosswalk: complete and pointing at known names.

* ``module.framework``: a module maps to a framework or strand ``curriculum.yaml`` does not
  declare (a typo would silently drop the mapping from the guides);
* ``curriculum.crosswalk``: an edition's country has no school levels in some band's
  crosswalk (a warning: the site's table would show "—" for a shipped country), in a project
  that has a crosswalk at all.
"""

from __future__ import annotations

from ..problems import Problems
from .project import Project
from .yamlsafe import LocDict, LocList


def check_frameworks(project: Project, problems: Problems) -> None:
    if project.curriculum is None:
        return
    declared = project.curriculum.frameworks
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
    if not any(band.crosswalk for band in project.curriculum.bands):
        return  # a project without a crosswalk is not asked for one
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
