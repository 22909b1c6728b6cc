"""Assemble a print pack from PDFs the build already printed: pages are copied, never laid out.

The pack starts from its laid-out contents PDF (contents page(s) + one blank verso, both
finished for PDF/UA by :mod:`.pdfua`), then for each document, in order, appends a copy of the
blank verso when the document would start on a left-hand page, and the document's own pages.
With the pages come their structure: each document's ``/Document`` element becomes a ``/Part``
of the pack's one ``/Document`` (with its ``/Lang``), structure ids get a per-document prefix,
named destinations become explicit ones, and the parent tree, every page's ``/StructParents``
and every annotation's ``/StructParent`` are numbered afresh for the whole pack. MCIDs are per
page, so they stay as they are. Bookmarks: contents, then module → document → the document's
own sections. Contents links (``LINK_PREFIX`` URIs) become links to the pack's pages. Each font's
per-document subsets become one font (:mod:`.packfonts`).
Nothing depends on time or dict order: same input, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .packfonts import merge_pack_fonts
from .pdfua import rebuild_parent_tree

LINK_PREFIX = "https://pack.lessonpack.invalid/page/"
"""The contents page links to ``LINK_PREFIX + <pack page number>``; rewritten to a GoTo."""


APPENDIX_ID = "routes-appendix"
"""The pack's routes appendix: laid out after its contents, moved to the pack's end."""
GUIDE_ROUTES_ID = "routes"
"""Where a teacher guide's own routes table starts (on a page of its own): left out of packs."""


@dataclass(frozen=True)
class PackPart:
    """One document of a pack: its printed PDF, where it sits in the bookmarks, and how many
    of its pages the pack takes (``None``: all; a teacher guide: those before its routes)."""

    path: Path
    module: str
    label: str
    pages: int | None = None


def named_page(pdf: Path | bytes, name: str) -> int | None:
    """The 0-based page a named destination (an HTML id) of a PDF is on, if it has one."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as source:
        target = _named_destinations(source, pikepdf).get(name)
        if target is None:
            return None
        if isinstance(target, pikepdf.Dictionary):
            target = target.get("/D")
        index = {page.objgen: number for number, page in enumerate(source.pages)}
        return index.get(target[0].objgen) if _is_array(target) else None


def appendix_page(contents_pages: int, doc_pages: Sequence[int]) -> int:
    """The pack page (1-based, right-hand) where the routes appendix starts, after the last
    document."""
    starts = first_pages(contents_pages, doc_pages)
    end = starts[-1] + doc_pages[-1] if starts else contents_pages + 1
    return end + (end % 2 == 0)


def first_pages(contents_pages: int, doc_pages: Sequence[int]) -> list[int]:
    """The pack page (1-based) where each document starts: always an odd, right-hand page."""
    starts = []
    page = contents_pages + 1
    for count in doc_pages:
        if page % 2 == 0:
            page += 1  # a blank verso first
        starts.append(page)
        page += count
    return starts


def assemble(contents_pdf: bytes, parts: Sequence[PackPart]) -> tuple[bytes, int]:
    """(the pack's PDF, its page count) from the contents PDF and the documents' PDFs."""
    import pikepdf

    appendix_at = named_page(contents_pdf, APPENDIX_ID)
    with pikepdf.open(io.BytesIO(contents_pdf)) as pack:
        blank = pack.pages[-1]
        blank_dict = pikepdf.Dictionary({k: v for k, v in blank.obj.items()
                                         if k not in ("/StructParents", "/Annots", "/Parent")})
        tree = pack.Root.StructTreeRoot
        top = _single_top(pack, tree, pikepdf)
        _drop_page_content(top, {blank.obj.objgen})
        del pack.pages[-1]
        appendix = [] if appendix_at is None else list(pack.pages)[appendix_at:]
        appendix_elements = _take_elements(top, {p.objgen for p in appendix}, pikepdf)
        for _ in appendix:
            del pack.pages[-1]

        def verso() -> None:
            if len(pack.pages) % 2 == 1:
                pack.pages.append(pikepdf.Page(pack.make_indirect(pikepdf.Dictionary(blank_dict))))

        sections: list[tuple[PackPart, int, list[tuple[str, Any]]]] = []
        for number, part in enumerate(parts, start=1):
            verso()
            start = len(pack.pages)
            with pikepdf.open(part.path) as source:
                outline = _append_document(pack, source, top, f"d{number}-", pikepdf,
                                           part.pages)
            sections.append((part, start, outline))
        if appendix:  # the one routes table, from a right-hand page after the last document
            verso()
            for page in appendix:
                pack.pages.append(page)
            top.K = pikepdf.Array([*_kids(top), *appendix_elements])
        for page in pack.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    del annotation["/StructParent"]
        _number_struct_parents(pack, tree)
        rebuild_parent_tree(pack, tree)
        _link_contents(pack, pikepdf)
        _bookmarks(pack, sections, {p.objgen for p in appendix}, pikepdf)
        merge_pack_fonts(pack)
        out = io.BytesIO()
        # object streams: the copied objects otherwise go out one by one (132 kB → 76 kB for
        # a 7-page pack whose documents weigh 71 kB together)
        pack.save(out, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue(), len(pack.pages)


def _is_array(value: Any) -> bool:
    """(Every pikepdf object has ``append``; only an Array is a list.)"""
    import pikepdf

    return isinstance(value, pikepdf.Array)


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if _is_array(kids) else [kids]


def _is_element(kid: Any) -> bool:
    import pikepdf

    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def _single_top(pack: Any, tree: Any, pikepdf: Any) -> Any:
    """The structure tree's one ``/Document`` element (made if WeasyPrint wrote several tops)."""
    tops = _kids(tree)
    if len(tops) == 1 and tops[0].get("/S") == "/Document":
        return tops[0]
    top = pack.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                S=pikepdf.Name.Document, P=tree,
                                                K=pikepdf.Array(tops)))
    for kid in tops:
        kid.P = top
    tree.K = pikepdf.Array([top])
    return top


def _drop_page_content(element: Any, pages: set[tuple[int, int]]) -> bool:
    """Remove the elements that live only on ``pages`` (the blank verso, a teacher guide's
    routes pages); True if ``element`` is now empty."""
    kids = _kids(element)
    kept = [kid for kid in kids if not (_is_element(kid) and _drop_page_content(kid, pages))]
    on_page = "/Pg" in element and element.Pg.objgen in pages
    if on_page:
        kept = [kid for kid in kept if _is_element(kid)]
    if len(kept) != len(kids):
        if kept:
            element.K = _array(kept)
        else:
            del element["/K"]
    return on_page and not kept


def _on_pages(element: Any, pages: set[tuple[int, int]]) -> bool:
    """Whether ``element`` or anything under it is on one of ``pages``."""
    stack = [element]
    while stack:
        item = stack.pop()
        if "/Pg" in item and item.Pg.objgen in pages:
            return True
        stack += [kid for kid in _kids(item) if _is_element(kid)]
    return False


def _take_elements(top: Any, pages: set[tuple[int, int]], pikepdf: Any) -> list[Any]:
    """Detach (and return) the top element's kids that are on ``pages`` (the appendix)."""
    if not pages:
        return []
    kids = _kids(top)
    moved = [_is_element(kid) and _on_pages(kid, pages) for kid in kids]
    top.K = pikepdf.Array([kid for kid, flag in zip(kids, moved, strict=True) if not flag])
    return [kid for kid, flag in zip(kids, moved, strict=True) if flag]


def _array(items: list[Any]) -> Any:
    import pikepdf

    return pikepdf.Array(items)


def _append_document(pack: Any, source: Any, top: Any, prefix: str, pikepdf: Any,
                     keep: int | None = None) -> list[tuple[str, Any]]:
    """Copy ``source``'s first ``keep`` pages (all: None) and their structure into ``pack``; its
    top-level bookmarks' children as (title, destination in the pack)."""
    names = _named_destinations(source, pikepdf)
    pages = list(source.pages)[:keep]
    for page in pages:
        for annotation in page.obj.get("/Annots", []):
            _resolve_destination(annotation, names)
    source_tree = source.Root.StructTreeRoot
    left_out = {page.objgen for page in list(source.pages)[len(pages):]}
    source_tops = [element for element in _kids(source_tree)
                   if not (left_out and _drop_page_content(element, left_out))]
    for element in source_tops:
        del element["/P"]
    offset = len(pack.pages)
    for page in pages:
        pack.pages.append(page)
    copied = [pack.copy_foreign(element) for element in source_tops]
    language = source.Root.get("/Lang")
    kids = _kids(top)
    for element in copied:
        if element.get("/S") == "/Document":
            element.S = pikepdf.Name.Part
        if language is not None and "/Lang" not in element:
            element.Lang = language
        element.P = top
        _prefix_ids(element, prefix, pikepdf)
        kids.append(element)
    top.K = pikepdf.Array(kids)
    index = {page.objgen: number for number, page in enumerate(pages)}
    found: list[tuple[str, Any]] = []
    with source.open_outline() as outline:
        for item in outline.root:
            for child in item.children or [item]:
                destination = child.destination
                if isinstance(destination, pikepdf.Array) and len(destination) > 0 \
                        and destination[0].objgen in index:
                    target = pack.pages[offset + index[destination[0].objgen]].obj
                    found.append((str(child.title), pikepdf.Array([target, *destination[1:]])))
            if item.children:
                break  # a document has one h1; its sections are the pack's third level
    return found


def _named_destinations(source: Any, pikepdf: Any) -> dict[str, Any]:
    names = source.Root.get("/Names", {}).get("/Dests")
    if names is None:
        return {}
    return {str(k): v for k, v in pikepdf.NameTree(names).items()}


def _resolve_destination(annotation: Any, names: dict[str, Any]) -> None:
    """A link to a named destination of its own document points at the page itself."""
    dest = annotation.get("/Dest")
    action = annotation.get("/A")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if dest is not None and not _is_array(dest) and str(dest) in names:
        if "/Dest" not in annotation:
            del annotation["/A"]  # the GoTo action becomes the explicit destination
        annotation.Dest = names[str(dest)]


def _prefix_ids(element: Any, prefix: str, pikepdf: Any) -> None:
    """Structure ids are unique per document; in a pack each document's get a prefix."""
    stack = [element]
    while stack:
        item = stack.pop()
        if "/ID" in item:
            item.ID = pikepdf.String(prefix + str(item.ID))
        attributes = item.get("/A")
        for attribute in (attributes if _is_array(attributes) else [attributes]):
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String(prefix + str(h)) for h in attribute.Headers])
        stack += [kid for kid in _kids(item) if _is_element(kid)]


def _number_struct_parents(pack: Any, tree: Any) -> None:
    """Pages with marked content get ``/StructParents`` = their index (the parent tree keys)."""
    import pikepdf

    marked = set()
    stack = list(_kids(tree))
    while stack:
        element = stack.pop()
        for kid in _kids(element):
            if isinstance(kid, int) and "/Pg" in element:
                marked.add(element.Pg.objgen)
            elif _is_element(kid):
                stack.append(kid)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                marked.add((kid.Pg if "/Pg" in kid else element.Pg).objgen)
    for number, page in enumerate(pack.pages):
        if page.obj.objgen in marked:
            page.obj.StructParents = number


def _link_contents(pack: Any, pikepdf: Any) -> None:
    for page in pack.pages:
        for annotation in page.obj.get("/Annots", []):
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            if uri.startswith(LINK_PREFIX):
                target = pack.pages[int(uri[len(LINK_PREFIX):]) - 1].obj
                del annotation["/A"]
                annotation.Dest = pikepdf.Array([target, pikepdf.Name.Fit])


def _bookmarks(pack: Any, sections: list[tuple[PackPart, int, list[tuple[str, Any]]]],
               appendix: set[tuple[int, int]], pikepdf: Any) -> None:
    """Contents, then module → document → section, then the routes appendix."""
    with pack.open_outline() as outline:
        tail = [item for item in outline.root if _is_array(item.destination)
                and len(item.destination) > 0 and item.destination[0].objgen in appendix]
        for item in tail:
            outline.root.remove(item)
        module_item = None
        for part, start, found in sections:
            if module_item is None or module_item.title != part.module:
                module_item = pikepdf.OutlineItem(part.module, start)
                outline.root.append(module_item)
            doc_item = pikepdf.OutlineItem(part.label, start)
            doc_item.children.extend(pikepdf.OutlineItem(title, destination)
                                     for title, destination in found)
            module_item.children.append(doc_item)
        outline.root.extend(tail)
