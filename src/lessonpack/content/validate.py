"""Schema validation: loaded YAML → model objects, with every problem placed at file:line:col."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..problems import Problems
from .yamlsafe import LocDict, Pos, locate

M = TypeVar("M", bound=BaseModel)


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at ``loc`` (for 'unknown key' hints)."""
    current: Any = model
    skip_key = False
    for part in loc:
        if skip_key or isinstance(part, int):
            skip_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        origin = getattr(field.annotation, "__origin__", None)
        # dict[K, Model] is followed by a key in the location; list[Model] by an int
        skip_key = origin is dict or "dict[" in repr(field.annotation)
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The BaseModel class inside list[X], dict[K, X], X | None, Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None and isinstance(meta, type) and issubclass(meta, BaseModel):
        return meta
    return None


def _describe(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str, str]:
    """(code, message, hint) for one pydantic error, in an author's words."""
    loc = tuple(error["loc"])
    kind = error["type"]
    name = ".".join(str(p) for p in loc) or "(top level)"
    if kind == "missing":
        return "schema.missing", f"missing required field '{loc[-1]}'", f"add '{loc[-1]}:'"
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        hint = f"expected one of: {', '.join(allowed)}" if allowed else "remove it"
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
        return "schema.unknown-key", f"unknown key '{loc[-1]}'", hint
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return ("schema.format", f"'{name}' has an invalid value {error.get('input')!r}",
                f"it must match {pattern}")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(error.get("input")), choices, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return ("schema.choice", f"'{name}' is {error.get('input')!r}",
                f"{hint}expected one of: {expected}")
    if kind in ("too_short", "string_too_short"):
        return "schema.empty", f"'{name}' is empty", "write at least one item"
    return "schema.type", f"'{name}': {error['msg'].lower()}", ""


def validate_model(model: type[M], raw: Any, path: Path, problems: Problems) -> M | None:
    """Validate ``raw`` (loaded by :func:`load_yaml`) as ``model``; record problems, never raise."""
    if not isinstance(raw, dict):
        problems.error(path, 1, 1, "schema.type", "expected a mapping of keys to values",
                       f"see docs/content-model.md for the layout of {path.name}")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            # a missing key belongs to the mapping that lacks it: point at that mapping
            target = loc[:-1] if error["type"] == "missing" else loc
            pos = _position(raw, target, error["type"], loc)
            code, message, hint = _describe(error, model)
            problems.error(path, pos.line, pos.col, code, message, hint)
        return None


def _position(raw: Any, target: tuple[Any, ...], kind: str, loc: tuple[Any, ...]) -> Pos:
    if kind == "extra_forbidden":
        parent = _walk(raw, loc[:-1])
        if isinstance(parent, LocDict) and loc[-1] in parent:
            return parent.pos_of(loc[-1])
    return locate(raw, target) or Pos(1, 1)


def _walk(raw: Any, loc: tuple[Any, ...]) -> Any:
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node
