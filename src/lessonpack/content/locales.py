"""Locale facts: paper size, text direction, language names, catalogue paths."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

if TYPE_CHECKING:
    from .model import Edition
    from .project import Project

# CLDR supplemental data (paperSize): Babel does not expose it, so the table is kept here.
LETTER_COUNTRIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})


def paper_for(edition: Edition) -> str:
    """The edition's declared paper, else CLDR's default for its country."""
    if edition.paper:
        return edition.paper
    return "Letter" if edition.country in LETTER_COUNTRIES else "A4"


def is_english(locale: str) -> bool:
    """English editions print the source text: they need no catalogue."""
    return locale == "en" or locale.startswith("en_")


def po_path(project: Project, locale: str) -> Path:
    return project.locales_dir / locale / "LC_MESSAGES" / "messages.po"


def babel_locale(locale: str) -> Locale | None:
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return None


def text_direction(locale: str) -> str:
    parsed = babel_locale(locale)
    return parsed.text_direction if parsed else "ltr"


def html_lang(locale: str) -> str:
    """BCP 47 tag for the ``lang`` attribute: ``en_GB`` → ``en-GB``."""
    return locale.replace("_", "-")


def language_name(locale: str) -> str:
    """The language's own name for itself, e.g. 'Bahasa Melayu', '한국어'."""
    parsed = babel_locale(locale)
    if parsed is None:
        return locale
    name = parsed.get_display_name(parsed) or locale
    return name[:1].upper() + name[1:]
