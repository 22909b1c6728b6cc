"""Which texts are translatable, and the message context that names each one's place.

One walker serves both extraction (every text → a POT entry with msgctxt and file:line) and
localisation (every text → its translation), so the two can never disagree about contexts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .yamlsafe import LocDict, LocList, Pos

# Keys whose values are identifiers, numbers, contacts or provenance — never translated.
NOT_TRANSLATABLE = frozenset({
    "id", "order", "bands", "minutes", "objective", "phone", "sms", "whatsapp", "email", "url",
    "source", "checked", "status", "kind", "country", "locale", "paper", "reading_grade_max",
    "min_font_pt", "allowed_terms", "crosswalk", "reviewed_by", "local_name", "banned_terms",
    "flagged_phrases", "adults_only", "verification",
})


@dataclass(frozen=True)
class Message:
    """One translatable text at its place."""

    context: str
    text: str
    pos: Pos


def _skipped(key: Any, value: Any) -> bool:
    """Identifiers and contacts are never translated; a list of records (curriculum.yaml's
    `bands:`) is walked even though a module's `bands:` (a list of ids) is not."""
    if key not in NOT_TRANSLATABLE:
        return False
    return not (isinstance(value, list) and value and isinstance(value[0], dict))


def iter_messages(data: Any, prefix: str) -> Iterator[Message]:
    """Every translatable string in ``data`` with context ``prefix/key/index/...``."""
    yield from _walk(data, prefix, getattr(data, "start", Pos(1, 1)))


def _walk(node: Any, context: str, pos: Pos) -> Iterator[Message]:
    if isinstance(node, dict):
        for key, value in node.items():
            if _skipped(key, value):
                continue
            child_pos = node.value_pos_of(key) if isinstance(node, LocDict) else pos
            yield from _walk(value, f"{context}/{key}", child_pos)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            child_pos = node.pos_of(index) if isinstance(node, LocList) else pos
            yield from _walk(value, f"{context}/{index}", child_pos)
    elif isinstance(node, str) and node.strip():
        yield Message(context, node, pos)


def translate_tree(data: Any, prefix: str, lookup: Callable[[str, str], str]) -> Any:
    """A copy of ``data`` with each translatable string replaced by ``lookup(context, text)``."""
    return _translate(data, prefix, lookup)


def _translate(node: Any, context: str, lookup: Callable[[str, str], str]) -> Any:
    if isinstance(node, dict):
        return {key: value if _skipped(key, value)
                else _translate(value, f"{context}/{key}", lookup)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_translate(value, f"{context}/{index}", lookup)
                for index, value in enumerate(node)]
    if isinstance(node, str) and node.strip():
        return lookup(context, node)
    return node


def module_prefix(module_id: str) -> str:
    return module_id


def route_prefix(route_file_country: str) -> str:
    return f"routes/{route_file_country}"
