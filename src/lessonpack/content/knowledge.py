"""Checks of ``lessons/knowledge-check.yaml``: each band's pre/post knowledge check.

A check is printed for children, so its questions meet the band's rules like a handout:
reading level, banned terms, the victim-blaming phrases, no phone-like numbers. Two rules are
its own: a question tests a message a module of the band teaches (``teaches:``), and it never
asks a child about their own experience — the check measures what was taught; it is not a
survey of abuse (``knowledge.personal``).
"""

from __future__ import annotations

import re

from ..problems import Problems
from .messages import iter_messages
from .model import CHECK_MODULE
from .project import Project
from .readability import _sentence, cached_grades
from .rules import PHONE_LIKE, _is_number_of_things
from .yamlsafe import LocDict, Pos

PERSONAL = re.compile(
    r"\b(have you ever|have you been|has anyone|has anybody|has someone|did anyone|"
    r"did someone|did you ever|were you ever|do you know anyone|has this happened|"
    r"happened to you|tell us about)\b", re.IGNORECASE)
"""Wordings that ask about the child's own life instead of a taught message."""


def question_grade_text(questions: list[str]) -> str:
    """The band's questions as textstat reads them: one sentence each."""
    return " ".join(_sentence(q) for q in questions if q.strip())


def check_grades(project: Project) -> dict[str, float]:
    """Flesch-Kincaid grade of each band's questions (English source)."""
    if project.knowledge is None:
        return {}
    texts = {band: question_grade_text([q.question for q in check.questions])
             for band, check in project.knowledge.data.checks.items()}
    return cached_grades(project.cache_dir, texts)


def check_knowledge(project: Project, problems: Problems) -> None:
    """Every rule above, at the line of the question that breaks it."""
    if project.curriculum is None:
        return
    clash = next((m for m in project.modules if m.module.id == CHECK_MODULE), None)
    if clash is not None:
        problems.error(clash.path, 1, 1, "module.reserved-id",
                       f"'{CHECK_MODULE}' is the knowledge check's place in every band",
                       "give the module another id (and rename its folder)")
    source = project.knowledge
    if source is None:
        return
    bands = {b.id: b for b in project.curriculum.bands}
    phrases = [p.lower() for p in project.curriculum.flagged_phrases]
    raw_bands = source.raw.get("checks")
    grades = check_grades(project)
    for band_id, check in source.data.checks.items():
        raw = raw_bands.get(band_id) if isinstance(raw_bands, LocDict) else None
        pos = raw_bands.pos_of(band_id) if isinstance(raw_bands, LocDict) else Pos(1, 1)
        band = bands.get(band_id)
        if band is None or not band.makes("knowledge-check"):
            why = "is not declared in curriculum.yaml" if band is None else \
                "does not make knowledge checks (its `docs:` leaves them out)"
            problems.error(source.path, pos.line, pos.col, "knowledge.band",
                           f"band {band_id} {why}",
                           "check a declared band, or add knowledge-check to the band's docs")
            continue
        if grades.get(band_id, 0) > band.reading_grade_max:
            problems.error(source.path, pos.line, pos.col, "knowledge.reading-level",
                           f"band {band_id}: the questions read at grade {grades[band_id]:.1f}; "
                           f"the band's ceiling is {band.reading_grade_max:g}",
                           "use shorter questions and shorter words")
        teaching = {m.module.id for m in project.modules if band_id in m.module.content}
        raw_questions = raw.get("questions") if isinstance(raw, LocDict) else None
        for index, question in enumerate(check.questions):
            item = raw_questions[index] if isinstance(raw_questions, list) else None
            at = item.value_pos_of("teaches") if isinstance(item, LocDict) \
                and "teaches" in item else pos
            if question.teaches not in teaching:
                problems.error(source.path, at.line, at.col, "knowledge.teaches",
                               f"band {band_id}: question '{question.id}' tests "
                               f"'{question.teaches}', which is not a module of this band",
                               f"name one of: {', '.join(sorted(teaching))}")
        ids = [q.id for q in check.questions]
        for repeated in sorted({i for i in ids if ids.count(i) > 1}):
            problems.error(source.path, pos.line, pos.col, "knowledge.duplicate-id",
                           f"band {band_id}: question id '{repeated}' is used twice",
                           "give every question of a band its own id (the CSV's key)")
        if isinstance(raw, LocDict):
            _check_words(project, band_id, raw, phrases, problems)


def _check_words(project: Project, band_id: str, raw: LocDict, phrases: list[str],
                 problems: Problems) -> None:
    assert project.knowledge is not None
    path = project.knowledge.path
    band = project.band(band_id)
    banned_re = (re.compile(r"\b(" + "|".join(re.escape(t) for t in band.banned_terms)
                            + r")\b", re.IGNORECASE) if band.banned_terms else None)
    for message in iter_messages(raw, f"{CHECK_MODULE}/{band_id}"):
        text, line, col = message.text, message.pos.line, message.pos.col
        if banned_re is not None:
            for match in banned_re.finditer(text):
                problems.error(path, line, col, "safety.banned-term",
                               f"band {band_id}: '{match.group(0)}' is not used with this "
                               "age band", "reword the question for the age")
        for phrase in phrases:
            if phrase in text.lower():
                problems.error(path, line, col, "safety.victim-blaming",
                               f"band {band_id}: '{phrase}' can read as blaming the child",
                               "ask about what a child can do, never about fault")
        match = PERSONAL.search(text)
        if match:
            problems.error(path, line, col, "knowledge.personal",
                           f"band {band_id}: '{match.group(0)}' asks about the child's own "
                           "experience", "test a taught message instead (\"Is it ever too "
                           "late to tell?\"); a knowledge check is not a survey of abuse")
        for found in PHONE_LIKE.finditer(text):
            if len(re.sub(r"\D", "", found.group(0))) >= 3 \
                    and not _is_number_of_things(text, found):
                problems.error(path, line, col, "safety.phone-in-text",
                               f"'{found.group(0).strip()}' looks like a phone number",
                               "numbers come only from routes/")
