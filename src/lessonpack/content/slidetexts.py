"""The English texts a slide deck gets from lessonpack rather than from a template or module.

They are translated like template texts (msgctxt ``template``; ``lessonpack i18n extract``
adds them), so they live here, in the first stage, where the extractor can see them.
"""

from __future__ import annotations

GROUND_RULES = (
    "We listen to each other and take turns to speak.",
    "We do not share stories about people in this room.",
    "You can pass on any question.",
    "Nobody laughs at anyone's question.",
    "If something worries you, talk to me or another trusted adult after the lesson.",
)
"""Shown on a "Ground rules" slide to bands of 11 and over."""
GROUND_RULES_FROM_AGE = 11

SLIDE_LABELS = (
    "Ground rules",
    "(continued)",
    "Answers",
    "It is never too late to tell",
)
