"""Mark English fallback text inside a translated document.

An untranslated message prints in English. Left unmarked, a screen reader reads it with the
document's language voice, and in a right-to-left document the bidi algorithm moves its
sentence-end punctuation to the wrong end (".It is never too late to tell"). So:

- Markdown from the modules (the ``md``/``mdi`` filters) that fell back is wrapped in
  ``<div class="fallback" lang="en" dir="ltr">`` (or a ``span``; the CSS keeps it aligned
  with the page);
- plain text that fell back (template labels, route fields, titles) can sit anywhere, also in
  an attribute or ``<title>``, where markup is not allowed; in a right-to-left document it is
  wrapped in the Unicode isolates LRI … PDI instead, which are invisible characters.

Which texts fell back is known by the document's :class:`Translator` (``translation`` in the
template context); site pages have none and are left alone.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..content.markup import markdown_block, markdown_inline
from .translations import Translator

SOURCE_LANG = "en"
LRI, PDI = "\u2066", "\u2069"


def isolate_ltr(text: str) -> str:
    """``text`` as a left-to-right island in right-to-left text (UAX #9 isolates)."""
    return f"{LRI}{text}{PDI}"


def _translator(context: Context) -> Translator | None:
    translator = context.get("translation")
    return translator if isinstance(translator, Translator) and translator.fallbacks else None


def fell_back(context: Context, text: object) -> bool:
    translator = _translator(context)
    return translator is not None and isinstance(text, str) and text in translator.fallbacks


@pass_context
def mark_plain(context: Context, value: Any) -> Any:
    """Jinja ``finalize``: plain fallback text in a right-to-left document gets isolates.
    Markup (already escaped HTML from a filter) is left as it is."""
    if (type(value) is str and context.get("dir") == "rtl" and fell_back(context, value)):
        return isolate_ltr(value)
    return value


def _mark_markup(context: Context, text: str, html: Markup, tag: str) -> Markup:
    if fell_back(context, text):
        return Markup(f'<{tag} class="fallback" lang="{SOURCE_LANG}" dir="ltr">{html}</{tag}>')
    return html


@pass_context
def md_block(context: Context, text: str) -> Markup:
    return _mark_markup(context, text, markdown_block(text), "div")


@pass_context
def md_inline(context: Context, text: str) -> Markup:
    return _mark_markup(context, text, markdown_inline(text), "span")


def template_text(translator: Translator, text: str, translated: str, filled: str,
                  rtl: bool) -> str:
    """A template's ``_()`` result (``filled``: ``translated`` with its placeholders filled),
    isolated in a right-to-left document if it printed in English — done here because after
    filling, the finalize hook cannot recognise it. Judged by what printed: English ``text``
    translated in another place is still a fallback here."""
    if rtl and translated == text and text in translator.fallbacks:
        return isolate_ltr(filled)
    return filled
