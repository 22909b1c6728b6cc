"""The child-level help box's own words (bands with ``help_box: child``, e.g. 5-7).

They live here, not only in a template, because the reading-level check grades them with the
routes' child-level ``when`` texts (content/rules.py) and the deck prints them too; they are
extracted for translation with the engine's other strings (msgctxt ``template``).
"""

from __future__ import annotations

from .model import Band, Route

CHILD_TITLE = "Help box: who can help me"
CHILD_TELL = "Tell a grown-up you trust."
# The harm can come from home: the box names a grown-up outside the home too (issue 15).
CHILD_TELL_MORE = ("A grown-up at home, or one outside your home, like your teacher. If they do "
                   "not help, tell one more.")
CHILD_NO_TROUBLE = "You will not be in trouble for telling."
CHILD_WHEN = {
    "child-helpline": "Call to talk to a kind grown-up who helps children.",
    "emergency": "Call if a person is hurt or in danger now.",
}
"""A route's words in the child box when it has no ``when_by_band`` for the band."""
CHILD_KINDS = ("child-helpline", "emergency")
CHILD_STRINGS = (CHILD_TITLE, CHILD_TELL, CHILD_TELL_MORE, CHILD_NO_TROUBLE,
                 *CHILD_WHEN.values())


def child_when(route: Route, band: str) -> str:
    """What the child box says about ``route`` (English; the caller translates)."""
    return route.when_by_band.get(band) or CHILD_WHEN.get(route.kind, route.when)


def child_box_text(band: Band, routes: list[Route]) -> list[str]:
    """The child box's sentences in English, as the reading-level check grades them."""
    return [CHILD_TITLE, CHILD_TELL, CHILD_TELL_MORE,
            *(child_when(r, band.id) for r in routes), CHILD_NO_TROUBLE]
