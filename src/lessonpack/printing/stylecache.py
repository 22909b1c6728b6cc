"""Parse a ``<style>`` every document shares once per worker, not once per document.

Every document inlines the same ~20 KB stylesheet (templates/css/*.css) in a ``<style>`` of its
own, followed by a second ``<style>`` with its per-document rules (templates/base.html).
WeasyPrint 70 parses each ``<style>`` again for each document (``weasyprint.css
.find_stylesheets`` builds ``CSS(string=...)``): ~30 ms of ~330 ms per document.

Handing WeasyPrint a pre-parsed sheet through ``render(stylesheets=...)`` is not the same: those
sheets get the *user* origin and lose to author rules they used to beat. :func:`install`
instead replaces the ``CSS`` that ``find_stylesheets`` calls (the only use of that name in
``weasyprint.css``): a ``<style>`` text seen before (same base URL and media type) gives back
the ``CSS`` object parsed the first time, still an author sheet in its place in the cascade.

Why the output stays byte-identical (tests/test_stylecache.py prints real documents both ways):

- a ``CSS`` object's matcher and declarations are only read during the cascade;
- WeasyPrint hands every author sheet of a document the same ``page_rules`` and ``layers``
  lists; a cached sheet keeps its own (parsed with ``page_rules=None``). ``StyleFor
  .add_page_declarations`` walks each sheet's list in sheet order, so it now sees the shared
  sheet's page rules, then the document's, instead of the document's whole list once per sheet:
  the last rule of the highest weight wins either way;
- text that registers into per-document state is parsed as before: only sheets whose at-rules
  are all ``@media``, ``@page`` or page-margin boxes are cached (no ``@font-face``,
  ``@counter-style``, ``@color-profile``, ``@layer``, ``@import``; an escaped or unknown
  at-keyword, or an ``@`` in a string, also means "parse it normally").

The cache holds :data:`MAX_ENTRIES` sheets, least recently used out first.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

MAX_ENTRIES = 16

_MARGIN_BOXES = {f"{side}-{place}" for side in ("top", "bottom")
                 for place in ("left-corner", "left", "center", "right", "right-corner")} | {
    f"{side}-{place}" for side in ("left", "right") for place in ("top", "middle", "bottom")}
SAFE_AT_RULES = frozenset({"media", "page"} | _MARGIN_BOXES)
_AT_KEYWORD = re.compile(r"@([^\s{};:(\"',]*)")


def cacheable(text: str) -> bool:
    """True when every at-keyword in ``text`` only adds rules to its own sheet."""
    return all(word.lower() in SAFE_AT_RULES for word in _AT_KEYWORD.findall(text))


@dataclass
class StyleCache:
    """Parsed author sheets by (text, base URL, media type); counts parses and hits."""

    max_entries: int = MAX_ENTRIES
    enabled: bool = True
    parses: int = 0
    hits: int = 0
    _sheets: OrderedDict[tuple[str, str | None, str], Any] = field(default_factory=OrderedDict)

    def sheet(self, css_class: type, kwargs: dict[str, Any]) -> Any:
        """The ``CSS`` for a ``<style>`` text: from the cache, or parsed now (and kept)."""
        text = kwargs["string"]
        if not self.enabled or not cacheable(text):
            self.parses += 1
            return css_class(**kwargs)
        key = (text, kwargs.get("base_url"), kwargs.get("media_type", "print"))
        found = self._sheets.get(key)
        if found is not None:
            self._sheets.move_to_end(key)
            self.hits += 1
            return found
        self.parses += 1
        # its own page_rules and layers, not the document's (see the module docstring)
        own = dict(kwargs, page_rules=None, layers=None)
        found = self._sheets[key] = css_class(**own)
        while len(self._sheets) > self.max_entries:
            self._sheets.popitem(last=False)
        return found

    def clear(self) -> None:
        self._sheets.clear()


CACHE = StyleCache()
_installed = False


def install() -> StyleCache:
    """Route ``find_stylesheets``' ``<style>`` parsing through :data:`CACHE` (idempotent)."""
    global _installed
    if _installed:
        return CACHE
    import weasyprint
    import weasyprint.css as weasy_css

    css_class = getattr(weasy_css, "CSS", None)
    if css_class is not weasyprint.CSS or not hasattr(weasy_css, "find_stylesheets"):
        raise RuntimeError("WeasyPrint's stylesheet lookup changed: lessonpack.printing"
                           ".stylecache needs weasyprint.css.find_stylesheets calling CSS")

    def style_sheet(*args: Any, **kwargs: Any) -> Any:
        # find_stylesheets calls CSS(string=...) for <style> and CSS(url=...) for <link>
        if args or not isinstance(kwargs.get("string"), str):
            return css_class(*args, **kwargs)
        return CACHE.sheet(css_class, kwargs)

    weasy_css.CSS = style_sheet
    _installed = True
    return CACHE
