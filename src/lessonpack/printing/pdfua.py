"""Finish WeasyPrint's tagged PDF so that it is PDF/UA-1 in fact, not only in its metadata.

One pass with pikepdf over every PDF the build prints (documents, large print, print packs),
after :mod:`.tagging` has added what the HTML said:

1. **Split elements are joined.** WeasyPrint tags each page on its own, so an HTML element that
   runs across a page break (a section, a paragraph, the routes table) became one structure
   element per page. Neighbouring elements with the same ``/LPk`` (same HTML element) and type
   are merged; for a table, the header rows WeasyPrint repeats on the next page are dropped
   from the tree (they become artifacts below) and the next page's cells point at the first
   page's header cells.
2. **Running headers and footers are artifacts.** WeasyPrint marks page-margin text as tagged
   content but leaves its structure elements out of the tree. Every marked content that the
   tree does not reach — margin boxes and repeated table headers — is re-marked
   ``/Artifact <</Type /Pagination>>``, and the parent tree is rebuilt from the tree itself.
3. **Thai SARA AM reads back composed** (:mod:`.actualtext`).

The page's drawing operators are not touched, so every page renders exactly as before.
Same input → same bytes: nothing here depends on time, randomness or dict order.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .actualtext import ActualText
from .tagging import PRIVATE_KEY

_KEY = f"/{PRIVATE_KEY}"


def finish(pdf_bytes: bytes, tokenise: bool = False) -> bytes:
    """The PDF with its structure tree joined, running content as artifacts, Thai text fixed
    (``tokenise``: parse every page operator by operator; tests compare both ways)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        for top in _kids(root):
            _join_split_kids(top, pikepdf)
        reached, objrs = _collect(root, pages, pikepdf)
        actual_text = ActualText(pikepdf)
        for number, page in enumerate(pdf.pages):
            _remark_page(page, number, reached, actual_text, pikepdf, tokenise)
        _rebuild_parent_tree(pdf, root, reached, objrs, pikepdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if hasattr(kids, "append") else [kids]


def _is_element(kid: Any) -> bool:
    return hasattr(kid, "keys") and "/S" in kid


def _same(first: Any, second: Any) -> bool:
    return (_is_element(first) and _is_element(second) and _KEY in first and _KEY in second
            and int(first[_KEY]) == int(second[_KEY]) and first.S == second.S)


def _join_split_kids(element: Any, pikepdf: Any) -> None:
    """Merge neighbouring kids that are parts of one HTML element, then recurse; drop keys."""
    kids = _kids(element)
    index = 0
    changed = False
    while index + 1 < len(kids):
        first, second = kids[index], kids[index + 1]
        if _same(first, second):
            _absorb(first, second, pikepdf)
            del kids[index + 1]
            changed = True
        else:
            index += 1
    if changed:
        element.K = pikepdf.Array(kids)
    for kid in kids:
        if _is_element(kid):
            _join_split_kids(kid, pikepdf)
    if _KEY in element:
        del element[_KEY]


def _absorb(first: Any, second: Any, pikepdf: Any) -> None:
    """Append ``second``'s kids to ``first`` (same HTML element, next page)."""
    page = second.get("/Pg")
    moved = _kids(second)
    if first.S == "/Table":
        moved = _drop_repeated_headers(first, moved, pikepdf)
    kids = _kids(first)
    for kid in moved:
        if isinstance(kid, int) and page is not None:
            # an MCID belongs to its element's page; on another page it needs a reference
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=kid, Pg=page)
        elif _is_element(kid):
            kid.P = first
        kids.append(kid)
    first.K = pikepdf.Array(kids)


def _drop_repeated_headers(first: Any, moved: list[Any], pikepdf: Any) -> list[Any]:
    """Leave out header/footer groups ``first`` already has; re-point cells at its headers."""
    groups = {int(k[_KEY]): k for k in _kids(first) if _is_element(k) and _KEY in k
              and k.S in ("/THead", "/TFoot")}
    ids: dict[str, Any] = {}
    kept = []
    for kid in moved:
        if _is_element(kid) and _KEY in kid and int(kid[_KEY]) in groups:
            original = {int(c[_KEY]): c for c in _cells(groups[int(kid[_KEY])]) if _KEY in c}
            for cell in _cells(kid):
                twin = original.get(int(cell[_KEY])) if _KEY in cell else None
                if "/ID" in cell and twin is not None and "/ID" in twin:
                    ids[str(cell.ID)] = twin.ID
        else:
            kept.append(kid)
    if ids:
        for group in kept:
            for cell in _cells(group):
                attributes = cell.get("/A")
                if attributes is not None and "/Headers" in attributes:
                    attributes.Headers = pikepdf.Array(
                        [ids.get(str(h), h) for h in attributes.Headers])
    return kept


def _cells(group: Any) -> list[Any]:
    """TH and TD elements under a table row group."""
    found = []
    for kid in _kids(group):
        if _is_element(kid):
            if kid.S in ("/TH", "/TD"):
                found.append(kid)
            else:
                found += _cells(kid)
    return found


def _collect(root: Any, pages: dict, pikepdf: Any) -> tuple[dict, list]:
    """(page, MCID) → element for every marked content the tree reaches; every OBJR's owner."""
    reached: dict[tuple[int, int], Any] = {}
    objrs: list[tuple[Any, Any]] = []
    stack = [(kid, None) for kid in reversed(_kids(root))]
    while stack:
        element, page = stack.pop()
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        for kid in reversed(_kids(element)):
            if isinstance(kid, int):
                if page is not None:
                    reached[(page, int(kid))] = element
            elif _is_element(kid):
                stack.append((kid, page))
            elif hasattr(kid, "keys") and kid.get("/Type") == "/MCR":
                mcr_page = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                reached[(mcr_page, int(kid.MCID))] = element
            elif hasattr(kid, "keys") and kid.get("/Type") == "/OBJR":
                objrs.append((kid.Obj, element))
    return reached, objrs


# WeasyPrint writes text as hex strings and images as XObjects, so in its content streams these
# patterns cannot start inside a string or inline image; a page with a literal string "(" or
# an inline image ("BI") takes the tokenising path instead. Both give the same operators
# (tests/test_pdfua.py); the byte path is ~5x faster (a 106-page pack: 2.5 s → 0.5 s).
_OPERATOR = re.compile(rb"/(?P<tag>[A-Za-z]+)\s*<</MCID (?P<mcid>\d+)>>\s*BDC"
                       rb"|/(?P<font>[^\s/<>\[\]()]+)\s+[-+.\d]+\s+Tf"
                       rb"|\[(?P<tj>[^\[\]]*)\]\s*TJ")
_UNSAFE = re.compile(rb"\(|\bBI\b")
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _remark_page(page: Any, number: int, reached: dict, actual_text: ActualText,
                 pikepdf: Any, tokenise: bool = False) -> None:
    """Re-mark unreached marked content as artifacts; add Thai ActualText spans."""
    page.contents_coalesce()
    data = page.Contents.read_bytes()
    if tokenise or _UNSAFE.search(data):
        _remark_page_tokenised(page, number, reached, actual_text, pikepdf)
        return
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    font = None

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal font
        if match.group("mcid") is not None:
            return match.group(0) if (number, int(match.group("mcid"))) in reached \
                else ARTIFACT
        if match.group("font") is not None:
            font = actual_text.font(fonts.get("/" + match.group("font").decode("latin-1")))
            return match.group(0)
        if font:
            return actual_text.split_bytes(match.group("tj"), font) or match.group(0)
        return match.group(0)

    changed = _OPERATOR.sub(replace, data)
    if changed != data:
        page.Contents.write(changed)


def _remark_page_tokenised(page: Any, number: int, reached: dict, actual_text: ActualText,
                           pikepdf: Any) -> None:
    """The same as :func:`_remark_page`, operator by operator (any content stream)."""
    operations = pikepdf.parse_content_stream(page)
    changed = False
    result = []
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    font = None
    for operands, operator in operations:
        op = str(operator)
        if op == "BDC" and len(operands) == 2 and hasattr(operands[1], "keys") \
                and "/MCID" in operands[1] and (number, int(operands[1].MCID)) not in reached:
            operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            changed = True
        elif op == "Tf":
            font = actual_text.font(fonts.get(str(operands[0])))
        elif op == "TJ" and font:
            split = actual_text.split(operands[0], font)
            if split is not None:
                result += split
                changed = True
                continue
        result.append(pikepdf.ContentStreamInstruction(operands, operator))
    if changed:
        page.Contents.write(pikepdf.unparse_content_stream(result))


def rebuild_parent_tree(pdf: Any, root: Any) -> None:
    """Number the parent tree afresh from the structure tree (print packs, after assembly)."""
    import pikepdf

    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    reached, objrs = _collect(root, pages, pikepdf)
    _rebuild_parent_tree(pdf, root, reached, objrs, pikepdf)


def _rebuild_parent_tree(pdf: Any, root: Any, reached: dict, objrs: list,
                         pikepdf: Any) -> None:
    """The parent tree maps each page's MCIDs and each annotation to the element holding it."""
    nums = []
    by_page: dict[int, dict[int, Any]] = {}
    for (page, mcid), element in reached.items():
        by_page.setdefault(page, {})[mcid] = element
    next_key = 0
    for number, page in enumerate(pdf.pages):
        key = int(page.obj.get("/StructParents", number))
        mcids = by_page.get(number, {})
        size = max(mcids) + 1 if mcids else 0
        nums += [key, pikepdf.Array([mcids.get(i, None) for i in range(size)])]
        next_key = max(next_key, key + 1)
    for annotation, element in objrs:
        key = int(annotation.get("/StructParent", next_key))
        annotation.StructParent = key
        nums += [key, element]
        next_key = max(next_key, key + 1)
    pairs = sorted(zip(nums[::2], nums[1::2], strict=True), key=lambda pair: pair[0])
    tree = pikepdf.Dictionary(Nums=pikepdf.Array([x for pair in pairs for x in pair]))
    root.ParentTree = pdf.make_indirect(tree)
    root.ParentTreeNextKey = next_key
