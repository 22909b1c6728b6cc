"""Which texts are translatable, and the message context that names each one by identity.

One walker serves extraction (every text → a POT entry with msgctxt and file:line),
localisation (every text → its translation) and the one-time re-keying of positional
catalogues, so they can never disagree about contexts.

A context is the text's path in its file, with list items named by a stable key instead of
their position (see docs/architecture.md, "messages are named by identity"):

* an item with an ``id:`` is named by it: ``routes/MY/my-talian-kasih/when`` (a route file's
  ``routes:`` list is named straight under ``routes/<CC>``), ``curriculum/bands/5-7/label``;
* any other item by a key derived from its text, :data:`KEY_LENGTH` hex digits of a SHA-1:
  ``spotting-grooming/content/5-7/key_messages/3f9a1c2e``. A record (a step, a scenario)
  is keyed by its first text field (title, term, question), or by all its texts when two
  records in the list share that first text; identical items get ``-2``, ``-3`` in order.

Inserting, deleting or moving an item therefore leaves every other item's context alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .yamlsafe import LocDict, LocList, Pos

# Keys whose values are identifiers, numbers, contacts or provenance — never translated.
NOT_TRANSLATABLE = frozenset({
    "id", "order", "bands", "minutes", "objective", "phone", "sms", "whatsapp", "email", "url",
    "source", "checked", "status", "kind", "country", "locale", "paper", "reading_grade_max",
    "min_font_pt", "allowed_terms", "crosswalk", "reviewed_by", "local_name", "banned_terms",
    "flagged_phrases", "adults_only", "verification", "audience", "docs", "minutes_max", "school",
    "sequence", "help", "help_box", "frameworks", "crosswalk_sources", "strands", "see_also",
    "picture", "key_message_pictures", "type", "box_height_mm", "worksheet",
    "teaches", "read_aloud", "correct",
    "exit_ticket_mode", "supplied", "classroom", "mine",
})
NEVER_WALKED = frozenset({"codes"})
"""Lists of records that hold no translatable text (a framework's content codes)."""
FRAMEWORKS = "frameworks"
"""A module's ``frameworks:`` (id → strand names) is never translated; curriculum.yaml's
declarations (id → record) are: their name and note print in the country's teacher guides."""

KEY_LENGTH = 8
# A derived key segment (never an explicit id: those are validated SafeIds, and one that
# happens to look like this only widens where `update` looks for a moved text).
DERIVED_KEY = re.compile(rf"^[0-9a-f]{{{KEY_LENGTH}}}(?:-[0-9]+)?$")
# The list in a route file whose items sit straight under routes/<CC>.
ROUTE_LIST = "routes"


@dataclass(frozen=True)
class Message:
    """One translatable text, its identity context and its old positional context."""

    context: str
    text: str
    pos: Pos
    legacy: str = ""  # the positional context lessonpack used before issue 13


def _skipped(key: Any, value: Any) -> bool:
    """Identifiers and contacts are never translated; a list of records (curriculum.yaml's
    `bands:`) is walked even though a module's `bands:` (a list of ids) is not."""
    if key in NEVER_WALKED:
        return True
    if key not in NOT_TRANSLATABLE:
        return False
    if key == FRAMEWORKS and isinstance(value, dict) and value \
            and all(isinstance(v, dict) for v in value.values()):
        return False  # curriculum.yaml's declarations; strands and see_also stay as written
    return not (isinstance(value, list) and value and isinstance(value[0], dict))


def text_key(text: str) -> str:
    """The derived key of a text: whitespace-insensitive, so re-wrapping YAML changes nothing."""
    normal = " ".join(text.split())
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def _texts(node: Any) -> list[str]:
    """Every translatable string under ``node``, in source order."""
    if isinstance(node, dict):
        return [t for k, v in node.items() if not _skipped(k, v) for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return [node] if isinstance(node, str) and node.strip() else []


def _first_text(item: dict) -> str | None:
    for key, value in item.items():
        if not _skipped(key, value) and isinstance(value, str) and value.strip():
            return value
    return None


def item_keys(items: list[Any]) -> list[str]:
    """A stable, unique, deterministic key for each item of a list (see the module doc)."""
    bases: list[str] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            bases.append(item["id"])
        elif isinstance(item, dict):
            first = _first_text(item)
            bases.append(text_key(first) if first is not None else "")
        elif isinstance(item, str):
            bases.append(text_key(item))
        else:
            bases.append(text_key(repr(item)))
    clashing = {base for base in bases if bases.count(base) > 1}
    for i, item in enumerate(items):
        explicit = isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]
        if isinstance(item, dict) and not explicit and (bases[i] in clashing or not bases[i]):
            # Two records share a first text: name each by everything it says instead.
            bases[i] = text_key("\x1f".join(_texts(item)))
    keys: list[str] = []
    used: set[str] = set()
    for base in bases:
        key, n = base, 1
        while key in used:  # identical items: numbered in list order
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        keys.append(key)
    return keys


def _children(node: Any, context: str, legacy: str, top: bool
              ) -> Iterator[tuple[Any, Any, str, str]]:
    """(key or index, value, context, legacy context) for each child that is walked."""
    if isinstance(node, dict):
        for key, value in node.items():
            if _skipped(key, value):
                continue
            flat = top and key == ROUTE_LIST and context.startswith("routes/")
            yield key, value, context if flat else f"{context}/{key}", f"{legacy}/{key}"
    elif isinstance(node, list):
        for index, (value, key) in enumerate(zip(node, item_keys(node), strict=True)):
            yield index, value, f"{context}/{key}", f"{legacy}/{index}"


def iter_messages(data: Any, prefix: str) -> Iterator[Message]:
    """Every translatable string in ``data``, named under ``prefix``."""
    yield from _walk(data, prefix, prefix, getattr(data, "start", Pos(1, 1)), True)


def _walk(node: Any, context: str, legacy: str, pos: Pos, top: bool) -> Iterator[Message]:
    if isinstance(node, str):
        if node.strip():
            yield Message(context, node, pos, legacy)
        return
    for key, value, child, child_legacy in _children(node, context, legacy, top):
        if isinstance(node, LocDict):
            child_pos = node.value_pos_of(key)
        elif isinstance(node, LocList):
            child_pos = node.pos_of(key)
        else:
            child_pos = pos
        yield from _walk(value, child, child_legacy, child_pos, False)


def translate_tree(data: Any, prefix: str, lookup: Callable[[str, str], str]) -> Any:
    """A copy of ``data`` with each translatable string replaced by ``lookup(context, text)``."""
    return _translate(data, prefix, lookup, True)


def _translate(node: Any, context: str, lookup: Callable[[str, str], str], top: bool) -> Any:
    if isinstance(node, str):
        return lookup(context, node) if node.strip() else node
    if not isinstance(node, dict | list):
        return node
    walked = {key: _translate(value, child, lookup, False)
              for key, value, child, _legacy in _children(node, context, context, top)}
    if isinstance(node, dict):
        return {key: walked.get(key, value) for key, value in node.items()}
    return [walked[index] for index in range(len(node))]


def list_slot(context: str) -> str | None:
    """``context`` with each derived key replaced by ``*``: the field of "some item of this
    list", where `update` may look for a moved or edited text. None if no key is derived."""
    parts = context.split("/")
    slot = ["*" if DERIVED_KEY.match(part) else part for part in parts]
    return "/".join(slot) if slot != parts else None


def module_prefix(module_id: str) -> str:
    return module_id


def route_prefix(route_file_country: str) -> str:
    return f"routes/{route_file_country}"
