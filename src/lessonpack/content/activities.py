"""Typed activities: what pupils do on the sheet, and the room each kind of work needs per band.

``activity: type:`` names the kind of work (drawing boxes, a hand outline, faces to circle,
tick/cross or true/false rows, matching columns, a ladder, sort cards to cut out, role-play
cards, writing lines). The handout template (``templates/partials/activity.html``) draws each
type at the sizes of the band's *sheet* (:data:`SHEETS`): pre-readers (a band whose English
reading ceiling is grade 2 or below, ages 5-7) get the biggest boxes, taller and fewer lines;
early readers (ceiling 4 or below, 8-10) a step smaller. The sizes are recorded in
docs/architecture.md and docs/content-model.md; the tests measure them in the PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..problems import Problems
from .yamlsafe import LocDict, Pos

ActivityType = Literal["drawing", "hand", "feelings", "tick-cross", "true-false", "matching",
                       "ladder", "sort-cards", "role-play", "writing"]
ACTIVITY_TYPES: tuple[str, ...] = ActivityType.__args__  # type: ignore[attr-defined]
_Text = Annotated[str, StringConstraints(min_length=1)]
_Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]

FINGERS = 5
PAGE_BODY_MM = 241
"""Height inside the margins of the smaller paper (Letter 279.4 mm − 20 − 18 mm)."""
LABEL_ROOM_MM = 25
"""What a drawing box needs above it on its page: its prompt and the section heading."""


@dataclass(frozen=True)
class Sheet:
    """Sizes of the work areas on one band's handout, in millimetres."""

    name: str
    drawing_mm: int
    """Smallest height of a drawing box (its width is half the text column, or all of it)."""
    hand_mm: int
    """Height of the hand outline's box (a child draws round their hand in it)."""
    line_mm: int
    """Distance between writing lines."""
    lines: int
    """Writing lines per prompt."""
    face_mm: int
    """Size of a feelings face, and of a tick/cross or true/false box."""
    card_mm: int
    """Height of a sort card or role-play card."""


SHEETS = {
    "pre-reader": Sheet("pre-reader", drawing_mm=70, hand_mm=125, line_mm=14, lines=1,
                        face_mm=16, card_mm=35),
    "early-reader": Sheet("early-reader", drawing_mm=55, hand_mm=125, line_mm=11, lines=2,
                          face_mm=13, card_mm=30),
    "reader": Sheet("reader", drawing_mm=45, hand_mm=115, line_mm=9, lines=2, face_mm=11,
                    card_mm=28),
}


def sheet_for(reading_grade_max: float) -> Sheet:
    """The sheet sizes of a band, from its reading ceiling (≤ 2: pre-reader, ≤ 4: early)."""
    if reading_grade_max <= 2:
        return SHEETS["pre-reader"]
    if reading_grade_max <= 4:
        return SHEETS["early-reader"]
    return SHEETS["reader"]


class Activity(BaseModel):
    """The handout's worksheet (docs/content-model.md, "Activities")."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    type: ActivityType
    """What pupils do: drawing, hand, feelings, tick-cross, true-false, matching, ladder,
    sort-cards, role-play or writing."""
    title: _Text
    instructions: _Text
    prompts: Annotated[list[_Text], Field(min_length=1)]
    """One per box, finger, row, rung, card or set of lines."""
    picture: _Id | None = None
    """A pictogram printed with the instructions (an id, like a scenario's)."""
    matches: list[_Text] = []
    """``matching``: the right-hand column, one per prompt, in the answer order (the handout
    prints it in another order, :func:`print_order`)."""
    sort_into: list[_Text] = []
    """``sort-cards``: the headings of the piles pupils sort the cards into (optional)."""
    box_height_mm: int | None = None
    """``drawing``: a taller box than the band's smallest (never smaller, never above a page)."""
    success: Annotated[list[_Text], Field(min_length=1)] | None = None
    """Success criteria: what a good piece of work shows (teacher guide only)."""


def print_order(items: list[str]) -> list[tuple[int, str]]:
    """The right column of a matching activity as printed: rotated by one (never the answer
    order, same every build), with each item's 1-based number in the answer."""
    numbered = list(enumerate(items, start=1))
    return numbered[1:] + numbered[:1] if len(numbered) > 1 else numbered


def check_activity(path: object, band: str, sheet: Sheet, activity: Activity, raw: LocDict,
                   problems: Problems) -> None:
    """Errors for an activity its type cannot print: a hand without five fingers, matching
    columns of different lengths, a drawing box smaller than the band's or taller than a page."""
    def at(key: str) -> Pos:
        return raw.value_pos_of(key) if key in raw else raw.start

    kind = activity.type
    if kind == "hand" and len(activity.prompts) != FINGERS:
        pos = at("prompts")
        problems.error(path, pos.line, pos.col, "activity.hand",
                       f"band {band}: a hand activity has {len(activity.prompts)} prompts",
                       f"write {FINGERS}, one label per finger (thumb first)")
    if kind == "matching" and len(activity.matches) != len(activity.prompts):
        pos = at("matches")
        problems.error(path, pos.line, pos.col, "activity.matching",
                       f"band {band}: {len(activity.prompts)} prompts but "
                       f"{len(activity.matches)} matches",
                       "write one `matches:` item per prompt, in the same order")
    if kind != "matching" and activity.matches:
        pos = at("matches")
        problems.error(path, pos.line, pos.col, "activity.field",
                       f"band {band}: `matches:` is for type matching, not {kind}",
                       "remove it or set `type: matching`")
    if kind != "sort-cards" and activity.sort_into:
        pos = at("sort_into")
        problems.error(path, pos.line, pos.col, "activity.field",
                       f"band {band}: `sort_into:` is for type sort-cards, not {kind}",
                       "remove it or set `type: sort-cards`")
    height = activity.box_height_mm
    if height is None:
        return
    pos = at("box_height_mm")
    largest = PAGE_BODY_MM - LABEL_ROOM_MM
    if kind != "drawing":
        problems.error(path, pos.line, pos.col, "activity.field",
                       f"band {band}: `box_height_mm:` is for type drawing, not {kind}",
                       "remove it or set `type: drawing`")
    elif height < sheet.drawing_mm:
        problems.error(path, pos.line, pos.col, "activity.box-size",
                       f"band {band}: a {height} mm drawing box is smaller than the "
                       f"{sheet.drawing_mm} mm this band's ({sheet.name}) sheets give",
                       f"remove `box_height_mm:` or make it {sheet.drawing_mm}-{largest}")
    elif height > largest:
        problems.error(path, pos.line, pos.col, "activity.box-size",
                       f"band {band}: a {height} mm drawing box cannot fit on the page "
                       f"({PAGE_BODY_MM} mm of Letter paper, {LABEL_ROOM_MM} mm of it for the "
                       "heading and prompt)", f"make it {sheet.drawing_mm}-{largest} mm")


def check_key_message_pictures(path: object, band: str, messages: int, pictures: int,
                               raw: LocDict, problems: Problems) -> None:
    """An error when ``key_message_pictures`` does not give one picture per key message."""
    if pictures and pictures != messages:
        pos = raw.value_pos_of("key_message_pictures")
        problems.error(path, pos.line, pos.col, "picture.count",
                       f"band {band}: {pictures} key message pictures for {messages} key "
                       "messages", "give one picture id per key message, in order")

