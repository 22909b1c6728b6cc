"""The knowledge check's source, ``lessons/knowledge-check.yaml``: per band, yes/no questions
that test taught messages (docs/content-model.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .modelbase import BandId, SafeId, Text
from .modelbase import StrictModel as _Strict


class CheckQuestion(_Strict):
    id: SafeId
    """Stable id: the CSV's ``question_id`` and the question's translation key."""
    question: Text
    """A yes/no question that tests a taught message, never the child's own experience."""
    correct: bool
    """The right answer: ``yes`` or ``no``."""
    teaches: SafeId
    """The module whose key message the question tests (a module taught in this band)."""
    picture: Literal["talk", "secret", "body", "camera", "home", "screen", "friend", "clock",
                     "money", "phone", "shield"] | None = None
    """A small drawn picture beside the question (used for read-aloud bands)."""


class BandCheck(_Strict):
    read_aloud: bool = False
    """The teacher reads each question aloud (the youngest bands): big pictures, a script."""
    questions: list[CheckQuestion] = Field(min_length=3, max_length=12)
    """Three to twelve questions, the same before and after the lessons."""


class KnowledgeChecks(_Strict):
    title: Text
    """The check's title, printed on every sheet."""
    checks: dict[BandId, BandCheck]
    """One check per band (that makes knowledge checks), by band id."""
