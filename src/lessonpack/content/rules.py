"""Content rules that keep a pack honest: complete, age-appropriate, never blaming the child.

These run in ``lessonpack check`` after the schema: every module × band has every part, timings
add up, exit tickets point at real objectives, English handouts stay within the band's reading
level, banned words stay out of young bands, victim-blaming phrasing is flagged, and no phone
number is written into lesson text (numbers come only from the sourced ``routes/``).
"""

from __future__ import annotations

import re

from ..problems import Problems
from .activities import check_activity, check_key_message_pictures, sheet_for
from .messages import iter_messages
from .model import Band, BandContent
from .project import ModuleSource, Project
from .readability import cached_grades, handout_text
from .yamlsafe import LocDict, Pos

MIN_MINUTES, MAX_MINUTES = 30, 50
MIN_SCENARIOS = 2
# Fields an adult reads to themselves; banned-word lists guard what children read and hear.
ADULT_FIELDS = frozenset({"background", "family", "safeguarding", "materials", "answer",
                          "success", "support", "stretch"})
PHONE_LIKE = re.compile(r"(?<![\w.])\+?\d[\d \t()-]{2,}\d(?!\w|\.\d)")


def check_content_rules(project: Project, problems: Problems) -> None:
    if project.curriculum is None:
        return
    bands = {b.id: b for b in project.curriculum.bands}
    phrases = [p.lower() for p in project.curriculum.flagged_phrases]
    grades = handout_grades(project)
    for source in project.modules:
        content_raw = source.raw.get("content")
        for band_id, content in source.module.content.items():
            band = bands.get(band_id)
            raw = content_raw.get(band_id) if isinstance(content_raw, LocDict) else None
            if band is None or not isinstance(raw, LocDict):
                continue
            _check_structure(source, band, content, raw, problems)
            _check_sheet(source, band, content, raw, problems)
            _check_reading_level(source, band, grades[source.module.id, band_id], raw,
                                 problems)
            _check_words(source, band, content, raw, phrases, problems)
    _check_route_texts(project, problems)
    _check_sequences(project, problems)


def _check_sequences(project: Project, problems: Problems) -> None:
    """Every module a band's ``sequence`` names exists and teaches that band, once."""
    assert project.curriculum is not None
    raw_bands = project.curriculum_raw.get("bands") if project.curriculum_raw else None
    for index, band in enumerate(project.curriculum.bands):
        teaching = {m.module.id for m in project.modules if band.id in m.module.content}
        raw = raw_bands[index] if isinstance(raw_bands, list) else None
        pos = _pos(raw, "sequence") if isinstance(raw, LocDict) else Pos(1, 1)
        seen: set[str] = set()
        for module_id in band.sequence:
            if module_id not in teaching or module_id in seen:
                problems.error(project.curriculum_path, pos.line, pos.col, "band.sequence",
                               f"band {band.id}: sequence names '{module_id}', which "
                               + ("it lists twice" if module_id in seen else
                                  "is not a module taught in this band"),
                               "list each module of the band at most once, by its id")
            seen.add(module_id)


def _check_route_texts(project: Project, problems: Problems) -> None:
    """Routes print on every band's handout: their `when` text must suit the youngest band.
    (Names are proper names and are exempt.)"""
    assert project.curriculum is not None
    terms = sorted({t for band in project.curriculum.bands for t in band.banned_terms})
    if not terms:
        return
    banned_re = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b",
                           re.IGNORECASE)
    for source in project.routes.values():
        raw_routes = source.raw.get("routes")
        for index, route in enumerate(source.routes.routes):
            match = banned_re.search(route.when)
            if match:
                raw = raw_routes[index]
                pos = raw.value_pos_of("when") if isinstance(raw, LocDict) else raw_routes.start
                problems.error(source.path, pos.line, pos.col, "safety.banned-term",
                               f"route '{route.id}': '{match.group(0)}' is printed on handouts "
                               "for every age band",
                               "word `when:` for the youngest band, e.g. 'private pictures'")


def reading_levels(project: Project) -> list[tuple[str, str, float, float]]:
    """(module, band, Flesch-Kincaid grade, band ceiling) for every English student handout."""
    if project.curriculum is None:
        return []
    ceilings = {b.id: b.reading_grade_max for b in project.curriculum.bands}
    return [(module, band, grade, ceilings[band])
            for (module, band), grade in handout_grades(project).items()]


def handout_grades(project: Project) -> dict[tuple[str, str], float]:
    """Flesch-Kincaid grade of every (module, declared band) student handout; grades not yet
    cached are computed together in another process (see ``GradeCache.prepare``)."""
    assert project.curriculum is not None
    declared = {b.id for b in project.curriculum.bands}
    texts = {(source.module.id, band): handout_text(content) for source in project.modules
             for band, content in source.module.content.items() if band in declared}
    return cached_grades(project.cache_dir, texts)


def _pos(raw: LocDict, key: str) -> Pos:
    return raw.pos_of(key) if key in raw else raw.start


def _check_structure(source: ModuleSource, band_def: Band, content: BandContent, raw: LocDict,
                     problems: Problems) -> None:
    path, band, longest = source.path, band_def.id, band_def.minutes_max
    if not MIN_MINUTES <= content.minutes <= longest:
        pos = raw.value_pos_of("minutes")
        problems.error(path, pos.line, pos.col, "lesson.minutes",
                       f"band {band}: lesson is {content.minutes} minutes",
                       f"plan {MIN_MINUTES}-{longest} minutes")
    if content.family is None and band_def.makes("family-letter"):
        problems.error(path, raw.start.line, raw.start.col, "lesson.family",
                       f"band {band}: no `family` part, but this band makes family letters",
                       "add `family:` (learned, conversation_starters, warning_signs, tips)")
    total = sum(step.minutes for step in content.steps)
    if total != content.minutes:
        pos = raw.pos_of("steps")
        problems.error(path, pos.line, pos.col, "lesson.timing",
                       f"band {band}: steps add up to {total} minutes, lesson says "
                       f"{content.minutes}", "make the step minutes add up to `minutes`")
    if len(content.scenarios) < MIN_SCENARIOS:
        pos = raw.pos_of("scenarios")
        problems.error(path, pos.line, pos.col, "lesson.scenarios",
                       f"band {band}: {len(content.scenarios)} scenario(s); at least "
                       f"{MIN_SCENARIOS} are needed", "add another fictional scenario")
    objectives_raw = raw.get("objectives")
    for index, objective in enumerate(content.objectives):
        if not objective.startswith("I can "):
            pos = objectives_raw.pos_of(index) if objectives_raw is not None else raw.start
            problems.error(path, pos.line, pos.col, "lesson.objective",
                           f"band {band}: objective {index + 1} is not an \"I can ...\" statement",
                           "write what the pupil can do, starting with \"I can\"")
    for index, item in enumerate(content.exit_ticket):
        if item.objective > len(content.objectives):
            pos = raw["exit_ticket"].pos_of(index)
            problems.error(path, pos.line, pos.col, "lesson.exit-ticket",
                           f"band {band}: exit ticket item {index + 1} checks objective "
                           f"{item.objective}, but there are {len(content.objectives)}",
                           "point `objective:` at one of the objectives (1-based)")


def _check_sheet(source: ModuleSource, band: Band, content: BandContent, raw: LocDict,
                 problems: Problems) -> None:
    """What the handout's pictures and activity need to print (content/activities.py)."""
    check_key_message_pictures(source.path, band.id, len(content.key_messages),
                               len(content.key_message_pictures), raw, problems)
    activity_raw = raw.get("activity")
    if isinstance(activity_raw, LocDict):
        check_activity(source.path, band.id, sheet_for(band.reading_grade_max),
                       content.activity, activity_raw, problems)


def _check_reading_level(source: ModuleSource, band: Band, grade: float, raw: LocDict,
                         problems: Problems) -> None:
    if grade > band.reading_grade_max:
        pos = raw.start
        problems.error(source.path, pos.line, pos.col, "lesson.reading-level",
                       f"band {band.id}: handout reads at grade {grade:.1f}; the band's ceiling "
                       f"is {band.reading_grade_max:g}",
                       "use shorter sentences and shorter words")


def _check_words(source: ModuleSource, band: Band, content: BandContent, raw: LocDict,
                 phrases: list[str], problems: Problems) -> None:
    allowed = {a.term.lower() for a in content.allowed_terms}
    banned = [t for t in band.banned_terms if t.lower() not in allowed]
    banned_re = (re.compile(r"\b(" + "|".join(re.escape(t) for t in banned) + r")\b",
                            re.IGNORECASE) if banned else None)
    for message in iter_messages(raw, f"{source.module.id}/{band.id}"):
        parts = set(message.context.split("/"))
        text = message.text
        if banned_re is not None and not parts & ADULT_FIELDS:
            for match in banned_re.finditer(text):
                problems.error(source.path, message.pos.line, message.pos.col, "safety.banned-term",
                               f"band {band.id}: '{match.group(0)}' is not used with this age band",
                               "reword it for the age, or add a reviewed `allowed_terms:` entry")
        lowered = text.lower()
        for phrase in phrases:
            if phrase in lowered:
                problems.error(source.path, message.pos.line, message.pos.col,
                               "safety.victim-blaming",
                               f"band {band.id}: '{phrase}' can read as blaming the child",
                               "say what the person can do now instead")
        for match in PHONE_LIKE.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if len(digits) >= 3 and not _is_number_of_things(text, match):
                problems.error(source.path, message.pos.line, message.pos.col,
                               "safety.phone-in-text",
                               f"'{match.group(0).strip()}' looks like a phone number",
                               "numbers come only from routes/; refer to the help box instead")


def _is_number_of_things(text: str, match: re.Match[str]) -> bool:
    """'1,000 coins', '2024' or 'ages 8-10' are not phone numbers."""
    token = match.group(0).strip()
    return bool(re.fullmatch(r"(19|20)\d\d|\d{1,3}|\d{1,2}\s?[-–]\s?\d{1,2}", token))
