"""Mark English fallback text inside a translated document.

An untranslated message prints in English. Left unmarked, a screen reader reads it with the
document's language voice, a reader of the printed sheet cannot tell a missing translation from
a translation, and in a right-to-left document the bidi algorithm moves its sentence-end
punctuation to the wrong end (".It is never too late to tell"). So:

- Markdown from the modules (the ``md``/``mdi`` filters) that fell back is wrapped in
  ``<div class="fallback" lang="en" dir="ltr">`` (or a ``span``);
- plain text that fell back (template labels, headings, route fields, titles) can sit anywhere
  — in an element, an attribute, ``<title>`` or a CSS string — so while the template renders it
  is only bracketed by two noncharacters (:data:`OPEN` … :data:`CLOSE`, refused in every input,
  see ``problems.UNSAFE_CHARS``). :func:`resolve_marks` then reads the rendered page once: in
  running text a bracket pair becomes the same ``<span class="fallback" lang="en" dir="ltr">``
  (so HTML and, through WeasyPrint's tags, the PDF say the text is English); inside a tag,
  ``<title>``, ``<style>``, ``<option>`` or a script it becomes the invisible isolates LRI … PDI
  in a right-to-left page and nothing elsewhere;
- on paper, CSS underlines ``.fallback`` text with a thin dotted line, and the page's
  ``fallback-note`` says once what the line means; a page with no fallback loses the note.

Which texts fell back is known by the document's :class:`Translator` (``translation`` in the
template context, and its ``_()``).
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..content.markup import markdown_block, markdown_inline
from .translations import Translator

SOURCE_LANG = "en"
LRI, PDI = "\u2066", "\u2069"
OPEN, CLOSE = "\ufdd0", "\ufdd1"
_SPAN = f'<span class="fallback" lang="{SOURCE_LANG}" dir="ltr">'
_NO_MARKUP = {"title", "style", "script", "textarea", "option"}
_TOKENS = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w-]*)\b[^>]*>|[\ufdd0\ufdd1]", re.S)
_NOTE = re.compile(r'<p class="fallback-note"[^>]*>.*?</p>\s*', re.S)


def isolate_ltr(text: str) -> str:
    """``text`` as a left-to-right island in right-to-left text (UAX #9 isolates)."""
    return f"{LRI}{text}{PDI}"


def mark(text: str) -> str:
    """``text`` bracketed as English fallback, for :func:`resolve_marks` to finish."""
    return f"{OPEN}{text}{CLOSE}"


def strip_marks(text: str) -> str:
    """``text`` without fallback brackets (for outputs that mark fallback themselves)."""
    return text.replace(OPEN, "").replace(CLOSE, "")


def _translator(context: Context) -> Translator | None:
    translator = context.get("translation")
    return translator if isinstance(translator, Translator) and translator.fallbacks else None


def fell_back(context: Context, text: object) -> bool:
    translator = _translator(context)
    return translator is not None and isinstance(text, str) and text in translator.fallbacks


@pass_context
def mark_plain(context: Context, value: Any) -> Any:
    """Jinja ``finalize``: plain fallback text is bracketed. Markup (already escaped HTML from
    a filter) is left as it is."""
    if type(value) is str and fell_back(context, value):
        return mark(value)
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


def template_text(translator: Translator, text: str, translated: str, filled: str) -> str:
    """A template's ``_()`` result (``filled``: ``translated`` with its placeholders filled),
    bracketed if it printed in English — done here because after filling, the finalize hook
    cannot recognise it. Judged by what printed: English ``text`` translated in another place
    is still a fallback here."""
    if translated == text and text in translator.fallbacks:
        return mark(filled)
    return filled


def resolve_marks(html: str, rtl: bool) -> str:
    """The rendered page with every bracket pair made final (see the module docstring), and
    its ``fallback-note`` kept only if the page has fallback text."""
    if OPEN not in html and 'class="fallback"' not in html:
        return _NOTE.sub("", html)
    plain_open, plain_close = (LRI, PDI) if rtl else ("", "")
    out: list[str] = []
    raw = ""  # the element whose content may hold no markup, while inside it
    last = 0
    for match in _TOKENS.finditer(html):
        out.append(html[last:match.start()])
        last = match.end()
        token = match.group(0)
        if token in (OPEN, CLOSE):
            if raw:
                out.append(plain_open if token == OPEN else plain_close)
            elif token == OPEN:
                out.append(_SPAN + plain_open)
            else:
                out.append(plain_close + "</span>")
            continue
        name = (match.group(2) or "").lower()
        if name in _NO_MARKUP:
            raw = "" if match.group(1) else name
        out.append(token.replace(OPEN, plain_open).replace(CLOSE, plain_close))
    out.append(html[last:])
    return "".join(out)
