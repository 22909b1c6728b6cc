"""Facts a translation must carry unchanged: URLs, e-mail addresses, phone numbers, numbers.

A translation that turns "Talian Kasih 15999" into "… 15990" prints the wrong help on a
child's sheet, so every fact in the English must reappear in the translation:

* URLs (``https://…``, ``www.…``, bare domains such as ``aduan.mcmc.gov.my``) and e-mail
  addresses, exactly (case-insensitively: domains are);
* every number of :data:`MIN_DIGITS` or more digits — phone numbers, short codes, years —
  with the same digits, spacing ignored: "1-800-18-2327" may be written "1 800 18 2327",
  Thai or other digits count by value.

Shorter numbers are left free on purpose: the shipped drafts rightly write "24/7" as "24 hours
every day" and "April" as Korean "4월"; so is an age range such as "8-10" or "11-13" (two
small numbers a translation may write "8 hingga 10" or "11~13세").
"""

from __future__ import annotations

import re
import unicodedata

MIN_DIGITS = 3

_URL = re.compile(r"https?://[^\s<>()\"'`]+|\bwww\.[^\s<>()\"'`]+"
                  r"|\b(?:[a-z0-9-]+\.)+(?:[a-z]{2,12})(?:/[^\s<>()\"'`]*)?(?![\w@])",
                  re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# English: digits joined by a single space, hyphen or dot, or a thousands comma ("1,000").
_NUMBER = re.compile(r"\d(?:\d|[ \-.\u00a0](?=\d)|,(?=\d{3}(?!\d)))*")
# Translation: the same, plus the range and grouping marks other languages use.
_LOOSE_NUMBER = re.compile(r"\d(?:\d|[ \-.,~/\u00a0\u202f\u2009\u2013\u2014\uff5e](?=\d))*")
# "8-10", an age range, is two small numbers ("8 hingga 10" is fine), not a phone number.
_RANGE = re.compile(r"^\d{1,2}-\d{1,2}$")
_TRAILING = ".,;:!?)]}'\""
# Abbreviations the bare-domain pattern would otherwise take for domains.
_NOT_DOMAINS = {"e.g", "i.e", "a.m", "p.m", "etc"}


def _digits(run: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in run if unicodedata.digit(c, None) is not None)


def _urls(text: str) -> set[str]:
    found = set()
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING).lower()
        if "." in url and url not in _NOT_DOMAINS and not url[-1].isdigit():
            found.add(url)
    return found


def facts(text: str) -> tuple[set[str], set[str], set[str]]:
    """(URLs, e-mail addresses, digit strings of 3+ digits) in an English text."""
    emails = {m.group(0).rstrip(_TRAILING).lower() for m in _EMAIL.finditer(text)}
    without_emails = _EMAIL.sub(" ", text)
    numbers = {d for m in _NUMBER.finditer(without_emails)
               if not _RANGE.match(m.group(0)) and len(d := _digits(m.group(0))) >= MIN_DIGITS}
    return _urls(without_emails), emails, numbers


def missing_facts(msgid: str, msgstr: str) -> list[str]:
    """The facts of ``msgid`` that ``msgstr`` drops or changes, as written in the English."""
    urls, emails, numbers = facts(msgid)
    if not (urls or emails or numbers):
        return []
    lowered = msgstr.lower()
    missing = sorted(u for u in urls if u not in lowered)
    missing += sorted(e for e in emails if e not in lowered)
    have = {_digits(m.group(0)) for m in _LOOSE_NUMBER.finditer(msgstr)}
    have |= {_digits(part) for m in _LOOSE_NUMBER.finditer(msgstr)
             for part in re.split(r"[^\d]+", m.group(0)) if part}
    missing += sorted(n for n in numbers if n not in have)
    return missing
