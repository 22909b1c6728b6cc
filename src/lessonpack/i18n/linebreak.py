"""Script-specific fixes for what WeasyPrint gets wrong.

Korean words must not break in the middle; Thai SARA AM must survive text extraction.

Korean is written with spaces between words, and Korean typesetting breaks only at those
spaces; WeasyPrint ignores ``word-break: keep-all`` (rendering-notes.md) and breaks between any
two syllables. Each run of non-space text that contains Hangul is wrapped in
``<span class="kw">`` (``white-space: nowrap``), which leaves the spaces as the only breaks;
for print the spans become word joiners (see ``for_print``).
"""

from __future__ import annotations

import re

KEEP_WORDS_LANGUAGES = frozenset({"ko"})
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"[^\s<>]+")
_SKIP = ("style", "script", "title", "head")


def _map_body_text(html: str, change) -> str:  # noqa: ANN001 - a str -> str function
    """Apply ``change`` to the text of the body, outside tags and style/script/title."""
    parts = _TAG_OR_TEXT.split(html)
    skipping = 0
    in_body = False
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part[1:].split(None, 1)[0].rstrip("/>").lower() if len(part) > 2 else ""
            if name == "body":
                in_body = True
            elif name in _SKIP:
                skipping += 1
            elif name.startswith("/") and name[1:] in _SKIP:
                skipping = max(0, skipping - 1)
            continue
        if in_body and not skipping and part:
            parts[index] = change(part)
    return "".join(parts)


def keep_words(html: str) -> str:
    """Wrap every Hangul-containing word of the body's text in a no-break span."""
    return _map_body_text(html, lambda text: _WORD.sub(_wrap, text)
                          if _HANGUL.search(text) else text)


# Thai SARA AM (U+0E33) is drawn as two glyphs, NIKHAHIT + SARA AA. WeasyPrint maps each glyph
# to the text of the cluster it first met it in, so after one "ำ" every plain "า" in the PDF
# extracts as "ำ" ("มาก" reads back as "มำก") and a tone mark in "น้ำ" is lost. Writing SARA AM
# as its compatibility decomposition draws the same glyphs (checked by eye) and extracts as
# text that is NFKC-equal to the source. Only the PDF gets it: browsers shape "ำ" correctly.
# printing/actualtext.py then gives each NIKHAHIT + SARA AA glyph pair an /ActualText "ำ", so
# the PDF's text is the composed source text again (issue 19).
_SARA_AM = str.maketrans({"\u0e33": "\u0e4d\u0e32"})


# For print, each kept word's letters are joined with WORD JOINER (U+2060) instead of sitting in
# a no-break span: the line breaker then finds no break inside the word, and WeasyPrint lays
# the text out as ordinary runs. Measured on a Korean teacher guide: 3.2 s with spans, 1.2 s
# with joiners (1.2 s without either), same pages; the joiner is invisible and not in the PDF's
# text. Browsers keep the spans (and honour ``word-break: keep-all`` anyway).
# A kept word glued to the end of an inline element (``<strong>그루밍</strong><span class="kw">은``)
# keeps its span: with joiners there WeasyPrint ended the line early (seen in a teacher guide).
_KEPT_WORD = re.compile(r'(?<!</strong>)(?<!</em>)(?<!</a>)(?<!</span>)'
                        r'<span class="kw">([^<]*)</span>')
_LETTER_OR_ENTITY = re.compile(r"&#?\w+;|.", re.DOTALL)
WORD_JOINER = "\u2060"


def _join_letters(match: re.Match[str]) -> str:
    return WORD_JOINER.join(_LETTER_OR_ENTITY.findall(match.group(1)))


def for_print(html: str, locale: str) -> str:
    """The HTML WeasyPrint should see for ``locale``."""
    language = locale.split("_")[0]
    if language == "th":
        return _map_body_text(html, lambda text: text.translate(_SARA_AM))
    if language in KEEP_WORDS_LANGUAGES:
        return _KEPT_WORD.sub(_join_letters, html)
    return html


def _wrap(match: re.Match[str]) -> str:
    word = match.group(0)
    return f'<span class="kw">{word}</span>' if _HANGUL.search(word) else word


def needs_keep_words(locale: str) -> bool:
    return locale.split("_")[0] in KEEP_WORDS_LANGUAGES
