"""Safe YAML loading that keeps line numbers and refuses hostile files.

PyYAML's SafeLoader never runs code, but it happily expands alias bombs, accepts duplicate keys
(the last silently wins) and forgets where each value came from. Authors need ``file:line`` in
every message, so mappings and sequences are built as :class:`LocDict` / :class:`LocList`, which
remember the position of each key and item.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .files import NotRegularFile, read_regular
from .textsafety import (
    find_forbidden,
    find_long_word,
    forbidden_message,
    line_col,
    long_word_message,
)

MAX_BYTES = 512 * 1024  # the largest real module is ~40 KB
MAX_ALIASES = 50
MAX_DEPTH = 40
MAX_NODES = 200_000  # aliases may point at big subtrees: bound what expanding them builds


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column."""

    line: int
    col: int


class LocDict(dict):
    """A dict that remembers where its keys and values were written."""

    start: Pos
    key_pos: dict[Any, Pos]
    value_pos: dict[Any, Pos]

    def pos_of(self, key: Any) -> Pos:
        return self.key_pos.get(key, self.start)

    def value_pos_of(self, key: Any) -> Pos:
        return self.value_pos.get(key, self.pos_of(key))


class LocList(list):
    """A list that remembers where each item was written."""

    start: Pos
    item_pos: list[Pos]

    def pos_of(self, index: int) -> Pos:
        if 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return self.start


class YamlError(Exception):
    """A YAML file could not be loaded; carries the position and a hint for the author."""

    def __init__(self, path: Path, pos: Pos, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.pos = pos
        self.code = code
        self.message = message
        self.hint = hint


def _pos(node: Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster parsing


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps the path and counts the values it builds."""

    def __init__(self, stream: str, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.text = stream
        self.node_count = 0


def _check_aliases(text: str, path: Path) -> None:
    """Refuse alias-heavy or deeply nested files before composing them.

    Aliases: the billion-laughs defence. Depth: libyaml's composer recurses once per level and
    crashes the whole process (a segmentation fault, no exception) on ~100,000 nested ``[``,
    which fit in a file well under the size limit; the event stream is flat, so count there.
    """
    count = 0
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlError(path, Pos(mark.line + 1, mark.column + 1), "yaml.depth",
                                f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                mark = event.start_mark
                raise YamlError(path, Pos(mark.line + 1, mark.column + 1), "yaml.aliases",
                                f"more than {MAX_ALIASES} aliases (*name)",
                                "write the values out; lesson files need no aliases")


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                         for name in ("str", "int", "float", "bool", "null", "timestamp"))
MAX_DIGITS = 18
"""A number with more digits is refused before Python is asked to convert it (over 4,300
digits int() raises; no field of a lesson needs more than a few)."""


def _scalar(loader: _Loader, node: ScalarNode) -> Any:
    """A plain value: text, number, true/false, null or a date — checked before it is built."""
    if node.tag not in _SCALAR_TAGS:
        # !!binary, !!set, !!python/…: a value lessonpack would drop or misread
        raise YamlError(loader.path, _pos(node), "yaml.tag", f"tag {node.tag!r} is not allowed",
                        "remove the !tag: only plain YAML values are allowed")
    if node.tag.endswith(":int"):
        digits = sum(c.isdigit() for c in node.value)
        if digits > MAX_DIGITS:
            raise YamlError(loader.path, _pos(node), "yaml.number",
                            f"a number with {digits:,} digits (the limit is {MAX_DIGITS})",
                            "write a smaller number, or quote it if it is text")
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError as exc:  # 2026-02-30, or a number Python will not convert
        kind = "date" if node.tag.endswith(":timestamp") else "value"
        raise YamlError(loader.path, _pos(node), f"yaml.{kind}",
                        f"{node.value[:40]!r} is not a real {kind}: {exc}",
                        "write a real date as YYYY-MM-DD" if kind == "date"
                        else "write a plain value") from None
    if isinstance(value, str):
        found = find_forbidden(value)
        if found is not None:  # written as an escape ("\u202e"): the raw scan missed it
            code, message, hint = forbidden_message(found[1])
            raise YamlError(loader.path, _pos(node), code,
                            f"{message} (character {found[0] + 1} of the text)", hint)
        long_word = find_long_word(value)
        if long_word is not None:
            index, length = long_word
            # where the word is written (exact unless escapes split it)
            at = loader.text.find(value[index:index + 40], node.start_mark.index)
            pos = Pos(*line_col(loader.text, at)) if at >= 0 else _pos(node)
            code, message, hint = long_word_message(length)
            raise YamlError(loader.path, pos, code, message, hint)
    return value


def _construct(loader: _Loader, node: Node, depth: int = 0) -> Any:
    loader.node_count += 1
    if loader.node_count > MAX_NODES:
        raise YamlError(loader.path, _pos(node), "yaml.size",
                        f"more than {MAX_NODES:,} values after expanding aliases",
                        "write the values out; lesson files need no aliases")
    if depth > MAX_DEPTH:
        raise YamlError(loader.path, _pos(node), "yaml.depth",
                        f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
    if isinstance(node, MappingNode | SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise YamlError(loader.path, _pos(node), "yaml.tag", f"tag {node.tag!r} is not allowed",
                        "remove the !tag: only plain YAML values are allowed")
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        result = LocDict()
        result.start = _pos(node)
        result.key_pos, result.value_pos = {}, {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, depth + 1)
            if not isinstance(key, str):
                # every key of the content model is text; YAML reads `NO:` as false and
                # `1:` as a number, which then fails far from here
                shown = key_node.value if isinstance(key_node, ScalarNode) else "{…}"
                raise YamlError(loader.path, _pos(key_node), "yaml.key",
                                f"key {shown[:40]!r} is not text (YAML reads it as "
                                f"{type(key).__name__})",
                                f"quote it: '{shown[:40]}':" if isinstance(key_node, ScalarNode)
                                else "use a plain word as the key")
            if key in result:
                first = result.key_pos[key]
                raise YamlError(loader.path, _pos(key_node), "yaml.duplicate-key",
                                f"duplicate key '{key}' (first at line {first.line})",
                                "keep one of them")
            result[key] = _construct(loader, value_node, depth + 1)
            result.key_pos[key] = _pos(key_node)
            result.value_pos[key] = _pos(value_node)
        return result
    if isinstance(node, SequenceNode):
        items = LocList(_construct(loader, child, depth + 1) for child in node.value)
        items.start = _pos(node)
        items.item_pos = [_pos(child) for child in node.value]
        return items
    assert isinstance(node, ScalarNode)
    return _scalar(loader, node)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM is harmless: editors on Windows add it
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(path, Pos(1, 1), "yaml.encoding", "file is UTF-16",
                        "save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(path, Pos(line, col), "yaml.encoding",
                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                        "save the file as UTF-8") from None


def load_yaml(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    """Load one YAML document from ``path`` or raise :class:`YamlError` with its position."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlError(path, Pos(1, 1), "yaml.size",
                            f"file is {size:,} bytes; the limit is {max_bytes:,}",
                            "split the content into smaller files")
        raw = read_regular(path, max_bytes)
    except OSError as exc:
        hint = "replace it with a regular file" if isinstance(exc, NotRegularFile) else ""
        raise YamlError(path, Pos(1, 1), "yaml.read", f"cannot read file: it {exc.strerror}"
                        if isinstance(exc, NotRegularFile) else
                        f"cannot read file: {exc.strerror}", hint) from None
    text = _decode(path, raw)
    _check_characters(path, text)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlError(path, Pos(number, len(line) - len(stripped) + 1), "yaml.tab",
                            "tab used for indentation", "indent with spaces")
    try:
        _check_aliases(text, path)
        loader = _Loader(text, path)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _construct(loader, node)
    except YamlError:
        raise
    except ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
        raise YamlError(path, pos, "yaml.syntax", str(exc.problem or exc),
                        "only plain YAML values are allowed") from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(path, Pos(1, 1), "yaml.syntax", str(exc)) from None
    finally:
        loader.dispose()


def _check_characters(path: Path, text: str) -> None:
    """Control and invisible characters at their line:col, before the parser sees them (a NUL
    stops libyaml's reader with an error that has no position). Words too long to lay out are
    found in the parsed text values (:func:`_scalar`)."""
    found = find_forbidden(text)
    if found is not None:
        code, message, hint = forbidden_message(found[1])
        raise YamlError(path, Pos(*line_col(text, found[0])), code, message, hint)


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
    problem = exc.problem or "invalid YAML"
    context = f" {exc.context}" if exc.context else ""
    return YamlError(path, pos, "yaml.syntax", f"{problem}{context}",
                     "check indentation and quoting near this line")


def locate(data: Any, loc: tuple[Any, ...]) -> Pos | None:
    """The position of the value at path ``loc`` inside loaded data (deepest known)."""
    best: Pos | None = getattr(data, "start", None)
    node = data
    for part in loc:
        if isinstance(node, LocDict) and part in node:
            best = node.value_pos_of(part) if not isinstance(node[part], LocDict | LocList) \
                else node.pos_of(part)
            node = node[part]
        elif isinstance(node, LocList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.pos_of(part)
            node = node[part]
        else:
            break
    return best
