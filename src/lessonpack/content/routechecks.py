"""The fields of a route that a child dials or opens: no hidden characters, https only, no
look-alike letters in a host name.

A QR code and a link go exactly where the text says; a Cyrillic і in ``childlіne`` looks like
the real address and leads to a domain anyone can register. Phone numbers, URLs and addresses
are exact fields (see :mod:`.textsafety`): a zero-width space or a bidi override inside one
shows one number and dials another.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import idna

from ..problems import Problems
from .project import Project, RouteSource
from .textsafety import char_name, find_forbidden, forbidden_message
from .yamlsafe import LocDict, LocList, Pos

EXACT_FIELDS = ("id", "phone", "sms", "whatsapp", "email", "url", "source")
URL_FIELDS = ("url", "source")
PRINTED_URL_FIELDS = ("url",)
"""Printed as a link and a QR code: https only. ``source`` is the editors' evidence, never
printed; some official sources are still http-only, so it may be http or https."""


def check_route_fields(project: Project, problems: Problems) -> None:
    """Hidden characters in exact fields, http links and look-alike host names."""
    for source in project.routes.values():
        routes = source.raw.get("routes")
        if not isinstance(routes, LocList):
            continue
        for item in routes:
            if not isinstance(item, LocDict):
                continue
            for field in EXACT_FIELDS:
                value = item.get(field)
                if isinstance(value, str):
                    _check_field(source, item, field, value, problems)


def _where(source: RouteSource, item: LocDict, field: str, value: str, index: int) -> Pos:
    """The position of ``value[index]`` when the value is written on one line as it is."""
    pos = item.value_pos_of(field)
    try:
        line = source.path.read_text(encoding="utf-8-sig").splitlines()[pos.line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return pos
    rest = line[pos.col - 1:]
    if rest.startswith(value):
        return Pos(pos.line, pos.col + index)
    if rest[:1] in ("'", '"') and rest[1:].startswith(value):
        return Pos(pos.line, pos.col + 1 + index)  # a quoted value
    return pos


def _check_field(source: RouteSource, item: LocDict, field: str, value: str,
                 problems: Problems) -> None:
    found = find_forbidden(value, exact=True)
    if found is not None:
        code, message, hint = forbidden_message(found[1])
        pos = _where(source, item, field, value, found[0])
        problems.error(source.path, pos.line, pos.col, code, f"'{field}' holds an {message}"
                       if message.startswith("invisible") else f"'{field}' holds a {message}",
                       f"{hint}; type the {field} again from its source")
        return
    if field not in URL_FIELDS:
        return
    parts = urlsplit(value)
    pos = item.value_pos_of(field)
    if field in PRINTED_URL_FIELDS and parts.scheme != "https":
        problems.error(source.path, pos.line, pos.col, "routes.url",
                       f"'{field}' {value[:60]!r} is not an https:// address",
                       "use the site's https:// address (check that it opens); a printed link "
                       "and its QR code must not be open to tampering")
        return
    host = parts.hostname or ""
    problem = host_problem(host)
    if problem is not None:
        index, message, hint = problem
        at = _where(source, item, field, value, value.find(host) + index if index >= 0 else 0)
        problems.error(source.path, at.line, at.col, "routes.host", message, hint)


def _script(char: str) -> str | None:
    """The script of a letter, by the first word of its Unicode name (LATIN, CYRILLIC …)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else None


def host_problem(host: str) -> tuple[int, str, str] | None:
    """(index in host, message, hint) if ``host`` mixes scripts in a label or is no valid IDNA
    name; None for an ordinary host name."""
    if not host:
        return -1, "the address has no host name", "write the full address: https://host/path"
    offset = 0
    for label in host.split("."):
        scripts: dict[str, list[int]] = {}
        for i, char in enumerate(label):
            script = _script(char)
            if script is not None:
                scripts.setdefault(script, []).append(i)
        if len(scripts) > 1:
            main = max(scripts, key=lambda s: (len(scripts[s]), s == "LATIN"))
            odd = min(i for s, found in scripts.items() if s != main for i in found)
            return (offset + odd,
                    f"host name '{host}' mixes {' and '.join(sorted(scripts))} letters: "
                    f"{char_name(label[odd])} looks like a {main.title()} letter",
                    "type the address again from its source; a look-alike letter leads to a "
                    "different site that anyone can register")
        offset += len(label) + 1
    try:
        idna.encode(host, uts46=True)
    except idna.IDNAError as exc:
        return -1, f"host name '{host}' is not a valid domain name ({exc})", \
            "type the address again from its source"
    return None
