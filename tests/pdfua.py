"""A structural PDF/UA-1 check that stands in for veraPDF (which cannot be installed here).

``pdfua_faults(path)`` reads a PDF with pikepdf and returns one line per fault, following the
Matterhorn Protocol's machine-checkable failure conditions that matter for lessonpack's PDFs:

- every marked content on a page is reached from the structure tree, or is an artifact, and
  nothing is painted outside both (Matterhorn 01-001 … 01-004, 01-005, 01-007);
- every TH has a ``/Scope`` (15-003); a table that runs across pages is one Table, its header
  row repeated only as an artifact;
- every link annotation is reached from a ``Link`` structure element, has ``/Contents``
  (28-011, 28-018, 28-008), no link is annotated twice over the same area, and every Link
  element holds an annotation;
- headings nest without skipping a level (14-003); figures have alternate text (13-004);
- the document has ``/Lang`` (11-006), each language named in ``languages`` is set on a part
  of the structure tree, and the XMP metadata claims PDF/UA-1 (06-002) with a title (06-003,
  07-001).

It is a test helper, not a validator: it checks what lessonpack's PDFs could get wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "Do", "sh", "BI", "INLINE IMAGE", "f", "F", "f*", "S", "s",
         "B", "B*", "b", "b*"}
HEADINGS = {f"/H{n}": n for n in range(1, 7)}


def _page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages)}


def _walk(element: pikepdf.Dictionary, page: int | None, pages: dict,
          seen: set) -> Iterator[tuple[pikepdf.Dictionary, int | None, object]]:
    """(element, page, kid) for every kid of every structure element, in reading order."""
    if element.objgen in seen and element.objgen != (0, 0):
        return
    seen.add(element.objgen)
    if "/Pg" in element:
        page = pages.get(element.Pg.objgen, page)
    kids = element.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield element, page, kid
            yield from _walk(kid, page, pages, seen)
        else:
            yield element, page, kid


def _struct_elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, object, int | None]]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    pages = _page_index(pdf)
    top = root.get("/K")
    tops = top if isinstance(top, pikepdf.Array) else [top] if top is not None else []
    seen: set = set()
    found = []
    for element in tops:
        found.append((element, None, None))
        found += list(_walk(element, None, pages, seen))
    return found


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _a_value(element: pikepdf.Dictionary, key: str) -> object:
    attributes = element.get("/A")
    if attributes is None:
        return None
    for item in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(item, pikepdf.Dictionary) and key in item:
            return item[key]
    return None


def _content_faults(pdf: pikepdf.Pdf, reached: set[tuple[int, int]]) -> Iterator[str]:
    """Marked content not reached from the tree, content painted outside tags and artifacts."""
    for number, page in enumerate(pdf.pages):
        stack: list[str] = []  # "mcid", "artifact" or "other" per open BDC/BMC
        unreached, untagged, nested = [], Counter(), 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                if tag == "/Artifact":
                    stack.append("artifact")
                elif mcid is not None:
                    if "artifact" in stack:
                        nested += 1
                    if (number, int(mcid)) not in reached:
                        unreached.append(int(mcid))
                    stack.append("mcid")
                else:
                    stack.append("other")
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in PAINT and not ({"mcid", "artifact"} & set(stack)):
                untagged[op] += 1
        if unreached:
            yield (f"page {number + 1}: {len(unreached)} marked content(s) not reached from the "
                   f"structure tree and not artifacts (MCID {', '.join(map(str, unreached[:8]))})")
        if untagged:
            yield f"page {number + 1}: content painted outside tags and artifacts {dict(untagged)}"
        if nested:
            yield f"page {number + 1}: {nested} tagged content(s) inside an artifact"


def _metadata_faults(pdf: pikepdf.Pdf) -> Iterator[str]:
    if not str(pdf.Root.get("/Lang", "")).strip():
        yield "document: no /Lang"
    marked = pdf.Root.get("/MarkInfo", {}).get("/Marked")
    if marked is not True:
        yield "document: /MarkInfo /Marked is not true"
    if pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        yield "document: /DisplayDocTitle is not true"
    meta = pdf.open_metadata()
    if str(meta.get("pdfuaid:part", "")) != "1":
        yield "document: XMP metadata does not claim PDF/UA-1 (pdfuaid:part)"
    if not str(meta.get("dc:title", "")).strip():
        yield "document: XMP metadata has no dc:title"


def _annotation_faults(pdf: pikepdf.Pdf, link_annots: set[tuple[int, int]],
                       other_annots: set[tuple[int, int]]) -> Iterator[str]:
    for number, page in enumerate(pdf.pages):
        places = Counter()
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            target = annot.get("/A", {}).get("/URI") or annot.get("/Dest")
            rect = tuple(round(float(v), 1) for v in annot.Rect)
            places[(str(target), rect)] += 1
            where = f"page {number + 1}: link to {target}"
            if not str(annot.get("/Contents", "")).strip():
                yield f"{where} has no /Contents"
            if annot.objgen in other_annots:
                yield f"{where} is tagged outside a Link structure element"
            elif annot.objgen not in link_annots:
                yield f"{where} is not reached from the structure tree"
            if "/StructParent" not in annot:
                yield f"{where} has no /StructParent"
        for (target, _), count in places.items():
            if count > 1:
                yield f"page {number + 1}: link to {target} has {count} annotations in one place"


def _split_tables(order: list[tuple[pikepdf.Dictionary, int | None]],
                  tables: dict[tuple[int, int], pikepdf.Dictionary]) -> Iterator[str]:
    """Two tables whose contents follow each other in reading order across a page break are
    one HTML table split by WeasyPrint into one table per page."""
    previous: tuple[tuple[int, int], int | None] | None = None
    for table, page in order:
        key = table.objgen if table is not None else None
        if previous and key and previous[0] and key != previous[0] and page != previous[1] \
                and key in tables and previous[0] in tables:
            yield (f"page {page + 1 if page is not None else '?'}: a table continues from the "
                   "page before as another Table element")
        previous = (key, page)


def pdfua_faults(path: Path, languages: Iterable[str] = ()) -> list[str]:
    """Every PDF/UA fault this check finds in the PDF at ``path`` (empty: it passes)."""
    faults: list[str] = []
    with pikepdf.open(path) as pdf:
        faults += _metadata_faults(pdf)
        elements = _struct_elements(pdf)
        if not elements:
            return [*faults, "document: no structure tree"]
        reached: set[tuple[int, int]] = set()
        link_annots: set[tuple[int, int]] = set()
        other_annots: set[tuple[int, int]] = set()
        langs: set[str] = set()
        headings: list[int] = []
        tables: dict[tuple[int, int], pikepdf.Dictionary] = {}
        content_order: list[tuple[pikepdf.Dictionary | None, int | None]] = []
        table_of: dict[tuple[int, int], tuple[int, int] | None] = {}
        pages = _page_index(pdf)
        for parent, page, kid in elements:
            if parent is None:
                continue
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kind = str(kid.S)
                inherited = table_of.get(parent.objgen)
                table_of[kid.objgen] = kid.objgen if kind == "/Table" else inherited
                if kind == "/Table":
                    tables[kid.objgen] = kid
                if "/Lang" in kid:
                    langs.add(str(kid.Lang).split("-")[0])
                if kind in HEADINGS:
                    headings.append(HEADINGS[kind])
                if kind == "/TH" and _a_value(kid, "/Scope") is None:
                    faults.append(f"page {page + 1 if page is not None else '?'}: TH without "
                                  "/Scope")
                if kind == "/Link" and not any(
                        isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                        for k in _kids(kid)):
                    faults.append(f"page {page + 1 if page is not None else '?'}: Link "
                                  "element without a link annotation")
                if kind == "/Figure" and not str(kid.get("/Alt", "")).strip() \
                        and "/ActualText" not in kid:
                    faults.append(f"page {page + 1 if page is not None else '?'}: Figure "
                                  "without /Alt")
                continue
            mcid_page = page
            if isinstance(kid, int):
                mcid = kid
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                mcid = int(kid.MCID)
                if "/Pg" in kid:
                    mcid_page = pages.get(kid.Pg.objgen, page)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                target = kid.Obj.objgen
                (link_annots if str(parent.S) == "/Link" else other_annots).add(target)
                continue
            else:
                continue
            if mcid_page is not None:
                reached.add((mcid_page, mcid))
            table = table_of.get(parent.objgen)
            content_order.append((tables.get(table) if table else None, mcid_page))
        faults += _content_faults(pdf, reached)
        faults += _annotation_faults(pdf, link_annots, other_annots)
        faults += _split_tables(content_order, tables)
        level = 0
        for heading in headings:
            if heading > level + 1:
                faults.append(f"heading H{heading} follows H{level}: a level is skipped")
            level = heading
        for language in languages:
            if language not in langs:
                faults.append(f"no part of the structure tree has /Lang {language!r}")
    return faults
