"""`lessonpack new MODULE_ID`: a module.yaml with every part present and marked TODO.

The scaffold passes ``lessonpack check`` (each TODO is a ``content.todo`` warning, an error
under ``--strict``), so an author can build and look at it at once: timings add up, two
scenarios, exit tickets point at objectives, objectives are "I can" statements, and the texts
are short plain words that pass every band's reading level and banned-word list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .project import MODULE_FOLDER, Project

MODULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ScaffoldError(ValueError):
    """The id is invalid or taken (a usage error)."""


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _band_block(band: str) -> str:
    return f"""  {_q(band)}:
    # title: optional band-specific title (defaults to the module title)
    minutes: 30                 # 30-50; the steps' minutes must add up to this
    objectives:                 # "I can ..." statements
      - {_q("I can TODO: say what a pupil can do.")}
    key_messages:               # the handout's "remember" box
      - {_q("TODO: one thing to keep in mind.")}
    vocabulary:
      - term: {_q("TODO: the word")}
        definition: {_q("TODO: what the word means.")}
    background: |               # for the teacher (Markdown)
      TODO: what the teacher needs to know.
    materials:
      - {_q("TODO: what you need.")}
    steps:                      # timed lesson plan
      - title: {_q("TODO: Warm-up")}
        minutes: 10
        text: {_q("TODO: what to do.")}
      - title: {_q("TODO: Main part")}
        minutes: 15
        text: {_q("TODO: what to do.")}
      - title: {_q("TODO: Wrap-up")}
        minutes: 5
        text: {_q("TODO: what to do.")}
    scenarios:                  # at least two; fictional characters
      - title: {_q("TODO: a name for the first tale")}
        story: {_q("TODO: tell a short tale here.")}
        questions:
          - question: {_q("TODO: what do you ask here?")}
            answer: {_q("TODO: what a good answer says.")}
      - title: {_q("TODO: a name for the next tale")}
        story: {_q("TODO: tell a short tale here.")}
        questions:
          - question: {_q("TODO: what do you ask here?")}
            answer: {_q("TODO: what a good answer says.")}
    activity:                   # the handout worksheet
      type: writing             # drawing, hand, feelings, tick-cross, true-false, matching,
                                # ladder, sort-cards, role-play or writing
      title: {_q("TODO: a name for the task")}
      instructions: {_q("TODO: what to do.")}
      prompts:
        - {_q("TODO: a line to fill in")}
      success:                  # what a good piece of work shows (teacher guide)
        - {_q("TODO: one thing a good answer shows.")}
    exit_ticket:                # each item names the objective it checks (1-based)
      - question: {_q("TODO: what do you ask here?")}
        objective: 1
        answer: {_q("TODO: what a good answer says.")}
    family:
      learned: {_q("TODO: what your child learned.")}
      conversation_starters:
        - {_q("TODO: a question to ask.")}
      warning_signs:
        - {_q("TODO: a sign to watch for.")}
      tips:
        - {_q("TODO: one thing to do.")}
    safeguarding: {_q("TODO: a note for this module, or delete this line.")}
"""


def module_yaml(module_id: str, order: int, bands: list[str]) -> str:
    band_list = ", ".join(_q(b) for b in bands)
    blocks = "".join(_band_block(b) for b in bands)
    return f"""# A new module: replace every TODO (`lessonpack check` lists them as content.todo).
# Every field is described in docs/content-model.md; the rules in docs/writing-guidelines.md.
id: {module_id}
order: {order}
title: {_q("TODO: Module title")}
summary: {_q("TODO: One sentence a teacher reads in the index.")}
bands: [{band_list}]            # delete the bands this module does not serve (and their content)
content:
{blocks}"""


def scaffold_module(project: Project, module_id: str) -> Path:
    """Write lessons/NN-MODULE_ID/module.yaml (NN = next free number) and return its path."""
    assert project.curriculum is not None
    if not MODULE_ID.match(module_id):
        raise ScaffoldError(f"{module_id!r} is not a module id: use lower-case letters, digits "
                            "and hyphens, e.g. spotting-scams")
    folders = [p for p in project.lessons_dir.glob("*") if p.is_dir()]
    numbers, orders = [0], [0]
    for folder in folders:
        match = MODULE_FOLDER.match(folder.name)
        if match is None:
            continue
        if match["id"] == module_id:
            raise ScaffoldError(f"module {module_id!r} exists: {folder.relative_to(project.root)}")
        numbers.append(int(match["order"]))
    orders += [m.module.order for m in project.modules]
    number = max(numbers) + 1
    if number > 99:
        raise ScaffoldError("lessons/ has a module numbered 99; renumber the folders first")
    folder = project.lessons_dir / f"{number:02d}-{module_id}"
    bands = [b.id for b in project.curriculum.bands]
    folder.mkdir(parents=True)
    path = folder / "module.yaml"
    with path.open("x", encoding="utf-8") as handle:
        handle.write(module_yaml(module_id, max(orders) + 1, bands))
    return path
