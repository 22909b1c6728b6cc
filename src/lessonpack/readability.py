"""Reading level of a student handout (Flesch-Kincaid grade via textstat)."""

from __future__ import annotations

import re

import textstat

from .markup import plain_text
from .model import BandContent


def handout_parts(content: BandContent) -> list[str]:
    """The texts a student reads on the handout, in order."""
    parts = list(content.key_messages)
    parts += [f"{v.term}: {v.definition}" for v in content.vocabulary]
    for scenario in content.scenarios:
        parts += [scenario.title, scenario.story] + [q.question for q in scenario.questions]
    activity = content.activity
    parts += [activity.title, activity.instructions, *activity.prompts]
    parts += [item.question for item in content.exit_ticket]
    return parts


def _sentence(text: str) -> str:
    # Titles and list items have no full stop; without one textstat would glue them into one
    # endless sentence and overstate the grade.
    text = re.sub(r"[*_`#>]", "", plain_text(text)).strip()
    return text if text[-1:] in ".!?" else text + "."


def handout_grade(content: BandContent) -> float:
    """Flesch-Kincaid grade of the handout's English text."""
    text = " ".join(_sentence(p) for p in handout_parts(content) if p.strip())
    return float(textstat.flesch_kincaid_grade(text))
