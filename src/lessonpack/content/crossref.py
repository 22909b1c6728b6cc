"""Cross-reference checks: things each file is fine with alone but wrong together."""

from __future__ import annotations

from pathlib import Path

from ..problems import Problems
from .locales import babel_locale, is_english, po_path
from .model import Edition
from .project import MODULE_FOLDER, Project
from .yamlsafe import LocDict, LocList, Pos

REQUIRED_KINDS = ("emergency", "child-helpline")
"""Route kinds every edition's country must have, confirmed (and not adults-only)."""


def check_cross_references(project: Project, problems: Problems) -> None:
    """Bands exist, folders match ids, editions have routes and catalogues, ids are unique."""
    cur = project.curriculum
    if cur is None:
        return
    raw = project.curriculum_raw
    assert raw is not None
    band_ids = [b.id for b in cur.bands]
    _duplicates(project, "bands", [b.id for b in cur.bands], "band", problems)
    _duplicates(project, "editions", [e.id for e in cur.editions], "edition", problems)

    for index, edition in enumerate(cur.editions):
        pos = raw["editions"].pos_of(index)
        if not (project.routes_dir / f"{edition.country}.yaml").is_file():
            problems.error(project.curriculum_path, pos.line, pos.col, "edition.routes",
                           f"edition '{edition.id}' uses country {edition.country} but "
                           f"routes/{edition.country}.yaml does not exist",
                           f"add routes/{edition.country}.yaml (see docs/content-model.md)")
        _check_required_kinds(project, edition, pos, problems)
        if babel_locale(edition.locale) is None:
            problems.error(project.curriculum_path, pos.line, pos.col, "edition.locale",
                           f"edition '{edition.id}' uses locale '{edition.locale}', which "
                           "Babel/CLDR does not know (no dates, plurals or direction for it)",
                           "use a CLDR locale such as 'fil', 'ms' or 'en_GB'")
        elif not is_english(edition.locale) and not po_path(project, edition.locale).is_file():
            problems.error(project.curriculum_path, pos.line, pos.col, "edition.catalogue",
                           f"edition '{edition.id}' needs locales/{edition.locale}/LC_MESSAGES/"
                           "messages.po", f"run `lessonpack i18n init {edition.locale}`")
        if not edition.id.startswith(edition.locale.split("_")[0] + "-"):
            problems.warning(project.curriculum_path, pos.line, pos.col, "edition.id",
                             f"edition id '{edition.id}' does not start with its locale's "
                             f"language '{edition.locale.split('_')[0]}'")

    seen_ids: dict[str, str] = {}
    for source in project.modules:
        module, data = source.module, source.raw
        folder = MODULE_FOLDER.match(source.path.parent.name)
        if folder is None or folder["id"] != module.id:
            pos = data.value_pos_of("id")
            problems.error(source.path, pos.line, pos.col, "module.folder",
                           f"module id '{module.id}' does not match its folder "
                           f"'{source.path.parent.name}'",
                           f"name the folder NN-{module.id} (NN = two-digit order)")
        if module.id in seen_ids:
            pos = data.value_pos_of("id")
            problems.error(source.path, pos.line, pos.col, "module.duplicate",
                           f"module id '{module.id}' is also used by {seen_ids[module.id]}")
        seen_ids[module.id] = source.path.parent.name
        bands_raw = data["bands"]
        for index, band in enumerate(module.bands):
            if band not in band_ids:
                pos = bands_raw.pos_of(index) if isinstance(bands_raw, LocList) else data.start
                problems.error(source.path, pos.line, pos.col, "schema.band",
                               f"band '{band}' is not declared in curriculum.yaml; "
                               f"declared: {', '.join(band_ids)}")
        content_raw = data["content"]
        for band in module.content:
            if band not in module.bands:
                pos = content_raw.pos_of(band) if isinstance(content_raw, LocDict) else data.start
                problems.error(source.path, pos.line, pos.col, "module.band-content",
                               f"content for band '{band}', which is not in this module's "
                               f"bands ({', '.join(module.bands)})",
                               "add the band to `bands:` or remove this content")
        for band in module.bands:
            if band not in module.content and band in band_ids:
                pos = data.pos_of("content")
                problems.error(source.path, pos.line, pos.col, "module.band-content",
                               f"band '{band}' is listed in `bands:` but has no content",
                               f"add `content: \"{band}\": ...`")

        _duplicate_item_ids(source.path, data, problems)

    route_ids: dict[str, str] = {}
    for country, source in project.routes.items():
        expected = f"{country}.yaml"
        if source.path.name != expected:
            pos = source.raw.value_pos_of("country")
            problems.error(source.path, pos.line, pos.col, "routes.file",
                           f"file declares country {country} but is named {source.path.name}",
                           f"rename it to {expected}")
        for index, route in enumerate(source.routes.routes):
            if route.id in route_ids:
                pos = source.raw["routes"].pos_of(index)
                problems.error(source.path, pos.line, pos.col, "routes.duplicate",
                               f"route id '{route.id}' is also used in {route_ids[route.id]}")
            route_ids[route.id] = source.path.name


def _check_required_kinds(project: Project, edition: Edition, pos: Pos,
                          problems: Problems) -> None:
    """Every handout must be able to print an emergency number and a child helpline."""
    source = project.routes.get(edition.country)
    if source is None:  # missing or invalid file: reported on its own
        return
    rel = f"{project.routes_dir.name}/{source.path.name}"
    for kind in REQUIRED_KINDS:
        if not any(r.kind == kind and r.confirmed and not r.adults_only
                   for r in source.routes.routes):
            problems.error(project.curriculum_path, pos.line, pos.col, "routes.missing-kind",
                           f"edition '{edition.id}' uses country {edition.country}, but {rel} "
                           f"has no confirmed {kind} route",
                           f"add one to {rel} with `kind: {kind}` and `status: confirmed` "
                           "(adults-only routes do not count), or remove the edition")


def _duplicates(project: Project, key: str, ids: list[str], what: str,
                problems: Problems) -> None:
    raw = project.curriculum_raw
    assert raw is not None
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            pos = raw[key].pos_of(index)
            problems.error(project.curriculum_path, pos.line, pos.col, f"schema.duplicate-{what}",
                           f"{what} '{item}' is declared twice")
        seen.add(item)


def _duplicate_item_ids(path: Path, node: object, problems: Problems) -> None:
    """An explicit `id:` names a list item's translations, so it must be unique in its list."""
    if isinstance(node, dict):
        for value in node.values():
            _duplicate_item_ids(path, value, problems)
    elif isinstance(node, list):
        seen: set[str] = set()
        for index, item in enumerate(node):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if item["id"] in seen:
                    pos = node.pos_of(index) if isinstance(node, LocList) else Pos(1, 1)
                    problems.error(path, pos.line, pos.col, "module.duplicate-id",
                                   f"id '{item['id']}' is used twice in this list; it names "
                                   "the item's translations", "give each item its own id")
                seen.add(item["id"])
            _duplicate_item_ids(path, item, problems)
