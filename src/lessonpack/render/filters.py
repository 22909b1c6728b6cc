"""Jinja filters and helpers the document templates use: CSS strings, placeholder filling,
unbreakable phone numbers and their links, dates in the edition's language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from markupsafe import Markup

from ..content.locales import babel_locale


def css_string(value: str) -> Markup:
    """A CSS string literal (for @page margin boxes) that cannot end the string or the
    ``<style>`` element: quotes, backslashes, ``<``, ``>``, ``&`` and control characters
    become CSS escapes (a translated title ``</style><script>`` stays text)."""
    def escape(match: re.Match[str]) -> str:
        return f"\\{ord(match[0]):x} "
    # A block's output (``self.doc_label()``) is already HTML-escaped: "teacher's" must not
    # print as "teacher&#39;s" in the running header, so it is unescaped before CSS escaping.
    text = value.unescape() if isinstance(value, Markup) else str(value)
    return Markup('"' + re.sub(r'["\\<>&\x00-\x1f\x7f]', escape, text) + '"')


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def fill(text: str, values: dict[str, Any]) -> str:
    """``{name}`` placeholders filled in; nothing else. A translation is data, not a format
    string: ``str.format`` would follow ``{x.__class__}`` (past the sandbox) and fail on a
    stray ``{``."""
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def nowrap(value: str) -> Markup:
    """Phone numbers and short codes never break across lines."""
    # dir="ltr": digits and + keep their order inside right-to-left text
    return Markup('<span class="nowrap" dir="ltr">{}</span>').format(value)


def phone_link(value: str, scheme: str = "tel") -> Markup:
    """A phone number as written in routes/ (how the country dials it), never broken across
    lines, linked as dialled: ``0800 1111`` → ``tel:08001111``, short codes stay short
    (``tel:911``, never ``tel:+1911``). Numbers spelled with letters are not linked."""
    text = nowrap(value)
    if scheme not in ("tel", "sms") or re.search(r"[^\d\s+*#().-]", value) \
            or not re.search(r"\d", value):
        return text
    dialled = re.sub(r"[^\d+*#]", "", value).replace("#", "%23")
    return Markup('<a class="{0}" href="{0}:{1}">{2}</a>').format(scheme, dialled, text)


def long_date(value: dt.date, locale: str) -> str:
    """A date written out for the edition's locale (``27 November 2026`` in en_GB)."""
    from babel.dates import format_date

    parsed = babel_locale(locale)
    return format_date(value, "long", locale=parsed) if parsed else value.isoformat()
