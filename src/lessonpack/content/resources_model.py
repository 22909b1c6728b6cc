"""The printable materials a lesson plan lists, and the resources that print them (cards,
profiles, chats, signs; docs/content-model.md, "Resources")."""

from __future__ import annotations

from .modelbase import PictureId, SafeId, Text
from .modelbase import StrictModel as _Strict


class Material(_Strict):
    """A material in the long form: what it is, and whether lessonpack prints it."""

    text: Text
    supplied: SafeId | None = None
    """The id of the band's resource (or ``handout``/``slides``) that prints it."""
    classroom: bool = False
    """A classroom item the teacher brings (crayons, a puppet): nothing to print."""


RESOURCE_TYPES = ("cards", "profiles", "chat", "signs")
"""How a resource is drawn: cut-out cards, profile cards with a drawn avatar, chat bubbles,
one big sign per page (docs/content-model.md, "Resources")."""


def material_text(material: str | Material) -> str:
    """The text of a material in either form."""
    return material if isinstance(material, str) else material.text


class ChatMessage(_Strict):
    sender: Text
    """Who writes it (a made-up name or handle)."""
    text: Text
    mine: bool = False
    """Drawn on the reader's side (right in LTR), like one's own message in a chat app."""


class ResourceItem(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    title: Text | None = None
    """Card heading, profile name or chat title."""
    text: Text | None = None
    """Card text, profile bio or sign text."""
    details: list[Text] = []
    """Profile lines (age, interests, followers, what the posts show)."""
    messages: list[ChatMessage] = []
    """Chat excerpt: the messages, in order."""
    picture: PictureId | None = None
    """A pictogram id (content/pictures.py; ``picture.unknown`` otherwise); a profile without
    one gets the ``user`` figure. Resources are drawn, never photos."""


class Resource(_Strict):
    id: SafeId
    """Named by a material's ``supplied:``."""
    type: str
    """``cards``, ``profiles``, ``chat`` or ``signs`` (checked with the choices)."""
    title: Text
    instructions: Text | None = None
    """For the teacher, printed above the cards (how to cut and use them)."""
    items: list[ResourceItem] = []
    """The cards, profiles, chats or signs (at least one, unless ``from_scenarios``)."""
    from_scenarios: bool = False
    """Cards made from the band's own scenarios (story and questions), one card each."""
