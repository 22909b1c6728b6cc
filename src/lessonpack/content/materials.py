"""Materials and the resources that print them, and exit-ticket answers (issue 14).

* ``materials.unsupplied`` (error): a material says ``supplied: X`` but no resource of its
  band (nor the handout or the deck) is called X — at the ``supplied`` line, naming the ids
  that exist;
* ``materials.printable`` (warning): a plain-text material that reads like something to print
  (cards, profiles, chat excerpts, sample messages) and says neither ``supplied:`` nor
  ``classroom: true``: teachers would make it themselves, and may copy real photos;
* ``resources.type`` (error): an unknown resource type, with the choices (an unknown picture id
  is content/pictures.py's ``picture.unknown``); ``resources.item`` (error): an item lacking
  what its type draws;
  ``resources.duplicate`` (error): two resources of a band share an id;
  ``resources.unused`` (warning): a resource no material names;
* ``exit.answer`` (warning; ``--strict`` fails): an exit-ticket question with no ``answer:``.
"""

from __future__ import annotations

import re

from ..problems import Problems
from .model import Band, BandContent
from .project import ModuleSource, Project
from .resources_model import RESOURCE_TYPES, Material
from .yamlsafe import LocDict, LocList, Pos

BUILT_DOCS = ("handout", "slides")
"""Documents a material may name as its supplier besides the band's resources."""
# English words that mark a material as printable (the source language is English).
PRINTABLE = re.compile(r"\b(cards?|profiles?|chat excerpts?|sample [a-z]+ messages|"
                       r"screenshot|made-up [a-z ]*post)\b", re.IGNORECASE)


def _at(raw: object, *path: object) -> Pos:
    """The position of ``path`` in a raw YAML tree (the deepest part that exists)."""
    node, pos = raw, getattr(raw, "start", Pos(1, 1))
    for key in path:
        if isinstance(node, LocDict) and key in node:
            pos, node = node.value_pos_of(key), node[key]
        elif isinstance(node, LocList) and isinstance(key, int) and key < len(node):
            pos, node = node.pos_of(key), node[key]
        else:
            break
    return pos


def check_materials(project: Project, problems: Problems) -> None:
    if project.curriculum is None:
        return
    bands = {b.id: b for b in project.curriculum.bands}
    for source in project.modules:
        content_raw = source.raw.get("content")
        for band_id, content in source.module.content.items():
            raw = content_raw.get(band_id) if isinstance(content_raw, LocDict) else None
            band = bands.get(band_id)
            if band is None or not isinstance(raw, LocDict):
                continue
            _check_resources(source, content, raw, problems)
            _check_supplied(source, band, content, raw, problems)
            _check_answers(source, content, raw, problems)


def _check_resources(source: ModuleSource, content: BandContent, raw: LocDict,
                     problems: Problems) -> None:
    seen: set[str] = set()
    for i, resource in enumerate(content.resources):
        where = ("resources", i)
        if resource.id in seen:
            pos = _at(raw, *where, "id")
            problems.error(source.path, pos.line, pos.col, "resources.duplicate",
                           f"two resources are called '{resource.id}'", "give each its own id")
        seen.add(resource.id)
        if resource.type not in RESOURCE_TYPES:
            pos = _at(raw, *where, "type")
            problems.error(source.path, pos.line, pos.col, "resources.type",
                           f"resource '{resource.id}': unknown type '{resource.type}'; "
                           f"expected one of: {', '.join(RESOURCE_TYPES)}",
                           "cards to cut out, profiles, chat bubbles or signs")
        if not resource.items and not resource.from_scenarios:
            pos = _at(raw, *where)
            problems.error(source.path, pos.line, pos.col, "resources.item",
                           f"resource '{resource.id}' has no items",
                           "add `items:`, or `from_scenarios: true` for scenario cards")
        for j, item in enumerate(resource.items):
            at = (*where, "items", j)
            lacking = {"cards": not (item.text or item.picture),
                       "signs": not (item.text or item.picture),
                       "profiles": not item.title,
                       "chat": not item.messages}.get(resource.type, False)
            if lacking:
                need = {"cards": "a `text:`", "signs": "a `text:` or `picture:`",
                        "profiles": "a `title:` (the made-up name)",
                        "chat": "`messages:` (sender and text)"}[resource.type]
                pos = _at(raw, *at)
                problems.error(source.path, pos.line, pos.col, "resources.item",
                               f"resource '{resource.id}' item {j + 1}: a {resource.type} "
                               f"item needs {need}", "add it, or change the resource's type")


def _check_supplied(source: ModuleSource, band: Band, content: BandContent, raw: LocDict,
                    problems: Problems) -> None:
    ids = [r.id for r in content.resources]
    choices = ids + [d for d in BUILT_DOCS if band.makes(d)]
    named: set[str] = set()
    for i, material in enumerate(content.materials):
        if isinstance(material, Material) and material.supplied is not None:
            named.add(material.supplied)
            if material.supplied not in choices:
                pos = _at(raw, "materials", i, "supplied")
                problems.error(
                    source.path, pos.line, pos.col, "materials.unsupplied",
                    f"band {band.id}: material is supplied by '{material.supplied}', but no "
                    f"resource prints it; expected one of: {', '.join(choices)}",
                    "add a resource with that id under `resources:`, or mark the material "
                    "`classroom: true`")
        elif isinstance(material, str) and PRINTABLE.search(material):
            pos = _at(raw, "materials", i)
            problems.warning(
                source.path, pos.line, pos.col, "materials.printable",
                f"band {band.id}: '{material[:60]}' reads like a printable material, but no "
                "resource supplies it",
                "write it as `- text: ...` with `supplied: <resource id>` (resources: "
                f"{', '.join(ids) or 'none yet'}), or `classroom: true`")
    for i, resource in enumerate(content.resources):
        if resource.id not in named:
            pos = _at(raw, "resources", i, "id")
            problems.warning(source.path, pos.line, pos.col, "resources.unused",
                             f"band {band.id}: no material is supplied by resource "
                             f"'{resource.id}'", "name it in a material's `supplied:`")


def _check_answers(source: ModuleSource, content: BandContent, raw: LocDict,
                   problems: Problems) -> None:
    for i, item in enumerate(content.exit_ticket):
        if item.answer is None:
            pos = _at(raw, "exit_ticket", i)
            problems.warning(source.path, pos.line, pos.col, "exit.answer",
                             f"exit-ticket question '{item.question[:50]}' has no answer",
                             "add `answer:` (what a good answer includes, for the teacher)")
