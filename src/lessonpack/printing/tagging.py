"""What WeasyPrint 70's PDF tagging loses, added where it builds the structure tree.

WeasyPrint (``weasyprint/pdf/tags.py``) builds a structure element for each box but drops three
things the HTML says, and gives a link's inline children the link's annotation again:

- ``lang`` on an element (English fallback inside a translated page) → ``/Lang`` on its element;
- ``<th scope>`` → ``/Scope`` (``/Row`` for ``row``/``rowgroup``, else ``/Column``);
- which HTML element a structure element came from: WeasyPrint builds a separate tree per page,
  so an element split across pages (a paragraph, a section, a table) becomes one element per
  page. Each element gets a private ``/LPk`` number (the same for every box of one HTML element,
  numbered in document order, so output stays byte-identical) that ``pdfua.finish`` uses to join
  the parts again and then removes;
- ``gather_anchors`` passes ``<a href>``'s link down to its inline children, and ``add_links``
  makes an annotation for each: ``<a><span>0800 1111</span></a>`` had two identical link
  annotations. Only boxes of the ``<a>`` itself keep theirs, and ``a::after`` (the pack's page
  numbers) is tagged as a Span inside the Link, not as a second Link.

:func:`install` wraps ``tags._build_box_tree`` (which calls itself through the module global,
so the wrapper sees every box) and ``weasyprint.pdf.add_links``. It refuses to patch a
WeasyPrint whose functions are not there, and the structural PDF/UA test (tests/pdfua.py) fails
if a WeasyPrint upgrade changes what they do.
"""

from __future__ import annotations

from typing import Any

PRIVATE_KEY = "LPk"
_installed = False


def install() -> None:
    """Patch WeasyPrint's tagging once per process (idempotent)."""
    global _installed
    if _installed:
        return
    import pydyf
    import weasyprint.pdf as weasy_pdf
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    build_box_tree = getattr(tags, "_build_box_tree", None)
    add_links = getattr(weasy_pdf, "add_links", None)
    if build_box_tree is None or add_links is None:
        raise RuntimeError("WeasyPrint's tagging changed: lessonpack.printing.tagging needs "
                           "weasyprint.pdf.tags._build_box_tree and weasyprint.pdf.add_links")

    def tagged_tree(box: Any, parent: Any, pdf: Any, page_number: int, nums: Any,
                    annotations: Any, page_tags: Any) -> Any:
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        passthrough = isinstance(real, boxes.PageBox | boxes.MarginBox) or (
            real.element is not None and real.element_tag in ("html", "body"))
        for element in build_box_tree(box, parent, pdf, page_number, nums, annotations,
                                      page_tags):
            if not passthrough and real.element is not None:
                _describe(element, real, pdf, pydyf)
            yield element

    def own_links(links_and_anchors: Any, *args: Any) -> Any:
        links, anchors = links_and_anchors
        kept = [link for link in links
                if link[0] not in ("internal", "external") or link[3].link is not None]
        return add_links((kept, anchors), *args)

    tags._build_box_tree = tagged_tree
    weasy_pdf.add_links = own_links
    _installed = True


def _describe(element: Any, box: Any, pdf: Any, pydyf: Any) -> None:
    """Add the HTML element's key, language and header scope to its structure element."""
    keys = pdf.__dict__.setdefault("_lessonpack_keys", {})
    key = keys.setdefault(id(box.element), (len(keys) + 1, box.element))[0]
    element.setdefault(PRIVATE_KEY, key)
    tag = box.element_tag or ""
    if "::" in tag:
        if element.get("S") == "/Link":
            # WeasyPrint tags ``a::after`` as a second Link inside the link; it has no
            # annotation of its own (see own_links), so it is the link's text: a Span
            element["S"] = "/Span"
        return
    lang = box.element.get("lang")
    if lang and "Lang" not in element:
        element["Lang"] = pydyf.String(lang)
    if tag == "th" and element.get("S") == "/TH" and "A" in element:
        scope = (box.element.get("scope") or "").lower()
        element["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
