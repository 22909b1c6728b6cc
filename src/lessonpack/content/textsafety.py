"""Characters no source text, route or translation may hold, named for the author.

One table for every input (YAML sources, route fields, PO translations). Control characters
(NUL, BEL, ESC …) are invisible on paper, can drive the author's terminal and are not allowed in
HTML; zero-width characters and bidi overrides/isolates hide or reorder what a reader sees (a
phone number or URL can then say something other than what it shows). Newline and tab are
allowed in text; a carriage return only in a line end.

Exact fields (phone numbers, URLs, e-mail addresses, ids) refuse every format character as well:
ZERO WIDTH JOINER / NON-JOINER and the LRM/RLM marks are needed by some scripts in running
text, never inside a number or an address.
"""

from __future__ import annotations

import re
import unicodedata

from ..problems import UNSAFE_CHARS

FORBIDDEN = UNSAFE_CHARS
"""In any text (newline and tab are allowed; \\r only in a line end, see
:func:`find_forbidden`). The table lives with the reporting code, which escapes the same
characters wherever it echoes file content."""

_C0_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
             0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"}


def char_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; controls, which have no Unicode name, by their alias."""
    code = ord(char)
    name = unicodedata.name(char, "") or _C0_NAMES.get(code, "CONTROL CHARACTER")
    return f"U+{code:04X} {name}"


def find_forbidden(text: str, exact: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first character ``text`` must not hold, or None.

    ``exact``: a phone number, URL, address or id, which also refuses every format character
    (category Cf) and any white space other than a plain space.
    """
    for match in FORBIDDEN.finditer(text):
        index = match.start()
        if text[index] == "\r" and text[index + 1: index + 2] == "\n":
            continue  # a Windows line end
        return index, text[index]
    if exact:
        for index, char in enumerate(text):
            if char != " " and (unicodedata.category(char) in ("Cf", "Zl", "Zp")
                                or char.isspace()):
                return index, char
    return None


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def forbidden_message(char: str) -> tuple[str, str, str]:
    """(code, message, hint) for a forbidden character."""
    if unicodedata.category(char) == "Cc":
        return ("text.control", f"control character {char_name(char)}",
                "delete it: it prints nothing, and a terminal or browser may act on it")
    return ("text.invisible", f"invisible character {char_name(char)}",
            "delete it: it hides or reorders what the reader sees")


MAX_WORD = 200
"""Longest run of characters without a space that text may hold. WeasyPrint hyphenates and
measures a word at every break point: one 10,000-letter word made a PDF take minutes. The
longest real run is ~165 (a source URL); a Thai phrase without spaces ~140."""

_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def find_long_word(text: str) -> tuple[int, int] | None:
    """(index, length) of the first run of more than :data:`MAX_WORD` non-space characters."""
    match = _LONG_WORD.search(text)
    return (match.start(), match.end() - match.start()) if match else None


def long_word_message(length: int) -> tuple[str, str, str]:
    return ("text.long-word",
            f"a word of {length:,} characters without a space (the limit is {MAX_WORD})",
            "break it up with spaces; a word this long cannot be laid out on a page")
