"""Is a translation safe to print? Placeholders, facts (facts.py), Markdown structure, no raw
HTML, no control or invisible characters, no word too long to lay out.

A translation that fails is reported at its PO line and the build prints the English for that
message instead, so a slip by one translator never breaks a pack or injects markup.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from markdown_it import MarkdownIt

from ..content.textsafety import (
    find_forbidden,
    find_long_word,
    forbidden_message,
    long_word_message,
)
from .facts import missing_facts

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)s|%s|%d")
RAW_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_md = MarkdownIt("commonmark", {"html": True})

# Block and inline tokens whose count must match; text itself may change freely.
_STRUCTURE = {"paragraph_open", "bullet_list_open", "ordered_list_open", "list_item_open",
              "heading_open", "blockquote_open", "link_open", "strong_open", "em_open",
              "code_inline", "fence", "hr"}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# Text without any of these characters is one plain paragraph: no need to parse it.
_MARKDOWN_SIGNS = re.compile(r"[*_\[\]`#>\n<\\]|^\s*(?:[-+]|\d+[.)])\s")


@lru_cache(maxsize=16384)
def markdown_shape(text: str) -> Counter[str]:
    """How many paragraphs, list items, links, bold and emphasis runs ``text`` has."""
    shape: Counter[str] = Counter()
    if not _MARKDOWN_SIGNS.search(text):
        if text.strip():
            shape["paragraph_open"] = 1
        return shape
    for token in _md.parse(text):
        if token.type in _STRUCTURE:
            shape[token.type] += 1
        for child in token.children or ():
            if child.type in _STRUCTURE:
                shape[child.type] += 1
    return shape


def translation_problem(msgid: str, msgstr: str) -> tuple[str, str, str] | None:
    """(code, message, hint) if ``msgstr`` must not be printed for ``msgid``; else None."""
    found = find_forbidden(msgstr)
    if found is not None and find_forbidden(msgid) is None:
        code, message, hint = forbidden_message(found[1])
        return (code, f"translation of '{_short(msgid)}' holds an {message} (character "
                f"{found[0] + 1})" if code == "text.invisible" else
                f"translation of '{_short(msgid)}' holds a {message} (character "
                f"{found[0] + 1})", f"{hint}; English is printed meanwhile")
    long_word = find_long_word(msgstr)
    if long_word is not None and find_long_word(msgid) is None:
        code, message, hint = long_word_message(long_word[1])
        return (code, f"translation of '{_short(msgid)}' has {message}",
                f"{hint}; English is printed meanwhile")
    if msgid.endswith("\n") != msgstr.endswith("\n"):  # msgfmt refuses the whole catalogue
        return ("i18n.line-end",
                f"translation of '{_short(msgid)}' "
                + ("does not end" if msgid.endswith("\n") else "ends")
                + " with a line break, unlike the English",
                "end it as the English does (GNU msgfmt refuses the catalogue otherwise); "
                "English is printed meanwhile")
    if placeholders(msgid) != placeholders(msgstr):
        return ("i18n.placeholder",
                f"translation of '{_short(msgid)}' has placeholders {placeholders(msgstr)}, "
                f"the English has {placeholders(msgid)}",
                "keep every {name} exactly as in the English; English is printed meanwhile")
    missing = missing_facts(msgid, msgstr)
    if missing:
        return ("i18n.fact",
                f"translation of '{_short(msgid)}' drops or changes "
                f"{', '.join(repr(m) for m in missing)} (a phone number, number, URL or e-mail "
                "in the English)",
                "copy numbers, phone numbers, URLs and e-mail addresses exactly as the English "
                "writes them (spacing may differ); English is printed meanwhile")
    if RAW_TAG.search(msgstr) and not RAW_TAG.search(msgid):
        return ("i18n.markup", f"translation of '{_short(msgid)}' contains HTML "
                f"{RAW_TAG.search(msgstr).group(0)!r}",
                "write plain text or Markdown; English is printed meanwhile")
    expected, found = markdown_shape(msgid), markdown_shape(msgstr)
    if expected != found:
        diff = ", ".join(f"{k.removesuffix('_open')} {expected[k]}→{found[k]}"
                         for k in sorted(set(expected) | set(found)) if expected[k] != found[k])
        return ("i18n.markup", f"translation of '{_short(msgid)}' changes the Markdown "
                f"structure ({diff})",
                "keep the same paragraphs, list items, links and **bold** (a closing ** right "
                "after punctuation needs a space or punctuation after it); English is printed "
                "meanwhile")
    return None


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
