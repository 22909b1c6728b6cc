"""Markdown → sanitised HTML. Authors and translators write Markdown; nobody writes raw HTML."""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

BLOCK_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "code", "h3", "h4"}
INLINE_TAGS = {"strong", "em", "a", "br", "code"}
URL_SCHEMES = {"https", "http", "mailto", "tel"}

# html=False: raw HTML in Markdown is shown as text, then nh3 removes anything that slipped by.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")  # images come only from the project's templates, never from content


def _clean(html: str, tags: set[str]) -> str:
    # url_relative="deny": "/etc/passwd", "../x", "//host/x" and "#x" lose their href (a PDF
    # would turn them into file: links on the builder's machine); the link text stays.
    return nh3.clean(html, tags=tags, attributes={"a": {"href"}}, url_schemes=URL_SCHEMES,
                     link_rel="noopener", url_relative="deny")


@lru_cache(maxsize=8192)
def markdown_block(text: str) -> Markup:
    """Paragraphs and lists."""
    return Markup(_clean(_md.render(text), BLOCK_TAGS))


@lru_cache(maxsize=16384)
def markdown_inline(text: str) -> Markup:
    """One line: emphasis and links only."""
    return Markup(_clean(_md.renderInline(text.strip()), INLINE_TAGS))


def plain_text(text: str) -> str:
    """Markdown reduced to its words (for reading-level and word checks)."""
    return html.unescape(nh3.clean(_md.render(text), tags=set())).strip()
