"""Line breaking that WeasyPrint gets wrong: Korean words must not break in the middle.

Korean is written with spaces between words, and Korean typesetting breaks only at those
spaces; WeasyPrint ignores ``word-break: keep-all`` (rendering-notes.md) and breaks between any
two syllables. Each run of non-space text that contains Hangul is wrapped in
``<span class="kw">`` (``white-space: nowrap``), which leaves the spaces as the only breaks.
"""

from __future__ import annotations

import re

KEEP_WORDS_LANGUAGES = frozenset({"ko"})
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"[^\s<>]+")
_SKIP = ("style", "script", "title", "head")


def keep_words(html: str) -> str:
    """Wrap every Hangul-containing word of the body's text in a no-break span."""
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
        if in_body and not skipping and _HANGUL.search(part):
            parts[index] = _WORD.sub(_wrap, part)
    return "".join(parts)


def _wrap(match: re.Match[str]) -> str:
    word = match.group(0)
    return f'<span class="kw">{word}</span>' if _HANGUL.search(word) else word


def needs_keep_words(locale: str) -> bool:
    return locale.split("_")[0] in KEEP_WORDS_LANGUAGES
