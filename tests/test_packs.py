"""Print packs are assembled from the documents' own pages (issue 18): real builds, read back.

A pack's pages are its documents' pages (same text, their own page numbers), plus a contents page
and blank versos; bookmarks and contents ranges lead to the right pages; the tagging passes the
PDF/UA structural check; a one-module edit lays out only that module's documents again.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import make_project, run
from pdfua import pdfua_faults
from pypdf import PdfReader
from test_site import outline

BLANK = "This page is left blank for double-sided printing."
TABLE = re.compile(r"Route\s+Checked\s+Status")  # the routes table's header row
GUIDE_ROUTES_FOOTER = "Reporting routes for United Kingdom"
KINDS = ("teacher-guide", "handout", "family-letter")


@pytest.fixture(scope="module")
def two_module_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with a second module, en-GB built with PDFs and packs."""
    root = make_project(tmp_path_factory.mktemp("packs") / "proj")
    second = root / "lessons/02-second"
    shutil.copytree(root / "lessons/01-sample", second)
    text = (second / "module.yaml").read_text()
    (second / "module.yaml").write_text(text.replace("id: sample", "id: second")
                                        .replace("order: 1", "order: 2")
                                        .replace("title: Kind chats", "title: Second chats"))
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf",
                 "--jobs", "2")
    assert result.exit_code == 0, result.output
    return root


def rows(root: Path, out: str = "site") -> dict[str, dict]:
    data = json.loads((root / out / "manifest.json").read_text())["outputs"]
    return {r["path"]: r for r in data}


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def in_pack(path: Path) -> list[str]:
    """A document's pages as a pack holds them: a teacher guide without its routes table."""
    texts = page_texts(path)
    if path.name.startswith("teacher-guide"):
        body = [t for t in texts if not TABLE.search(t)]
        assert texts[:len(body)] == body  # the table is on the guide's last pages
        return body
    return texts


def pack_docs(band: str) -> list[str]:
    return [f"en-GB/{band}/{module}/{kind}.pdf" for module in ("sample", "second")
            for kind in KINDS]


@pytest.mark.parametrize("band", ["8-10", "11-13"])
def test_pack_is_its_documents_pages_plus_contents_and_blanks(two_module_build: Path,
                                                              band: str) -> None:
    site = two_module_build / "site"
    manifest = rows(two_module_build)
    pack = site / f"en-GB/{band}/print-pack.pdf"
    texts = page_texts(pack)
    docs = pack_docs(band)
    doc_pages = [len(in_pack(site / d)) for d in docs]
    guide_pages = [manifest[d]["pages"] for d in docs if "teacher-guide" in d]
    assert all(n < m for n, m in zip(doc_pages[::3], guide_pages, strict=True))
    blanks = [number for number, text in enumerate(texts, start=1) if BLANK in text]
    appendix = [number for number, text in enumerate(texts, start=1) if TABLE.search(text)]
    assert len(texts) == manifest[f"en-GB/{band}/print-pack.pdf"]["pages"]
    # one contents page, the documents, blank versos, the routes appendix
    assert len(texts) == sum(doc_pages) + 1 + len(blanks) + len(appendix)
    assert all(len(t.split()) == len(BLANK.split()) for n, t in enumerate(texts, 1)
               if n in blanks)
    # the documents follow each other from right-hand pages, each page's text the document's
    page = 2
    starts = []
    for doc, count in zip(docs, doc_pages, strict=True):
        if page % 2 == 0:
            assert page in blanks
            page += 1
        starts.append(page)
        assert texts[page - 1:page - 1 + count] == in_pack(site / doc), doc
        page += count
    # the pack's one routes table: after the documents, from a right-hand page
    if page % 2 == 0:
        assert page in blanks
        page += 1
    assert appendix == list(range(page, len(texts) + 1)) and appendix
    # no guide's own routes pages: the heading is on the contents and the appendix only
    assert [n for n, t in enumerate(texts, 1) if GUIDE_ROUTES_FOOTER in t] == [1, *appendix]
    guide = page_texts(site / docs[0])
    sources = sum(t.count("Source:") for t in guide if TABLE.search(t))
    assert sum(t.count("Source:") for t in texts) == sources > 0
    assert f"{GUIDE_ROUTES_FOOTER} {page}" in " ".join(texts[0].split())  # on the contents
    # sheets keep their own page numbers: a 3-page handout (its exit slip is a sheet of its
    # own, issue 14) says "Page 2 / 3" in the pack
    handout = docs.index(f"en-GB/{band}/sample/handout.pdf")
    assert re.search(r"Page 1 / 3\s*$", texts[starts[handout] - 1])
    assert re.search(r"Page 2 / 3\s*$", texts[starts[handout]])

    # contents ranges, contents links and bookmarks all point at the same pages
    ranges = [(int(a), int(b)) for a, b in re.findall(r"(\d+)–(\d+)", texts[0])]
    assert ranges == [(s, s + n - 1) for s, n in zip(starts, doc_pages, strict=True)]
    with pikepdf.open(pack) as pdf:
        index = {p.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        links = [index[a.Dest[0].objgen] for a in pdf.pages[0].get("/Annots", [])
                 if "/Dest" in a]
        assert all("/A" not in a for a in pdf.pages[0].get("/Annots", []))
    assert links == [p for s, n in zip(starts, doc_pages, strict=True)
                     for p in (s, s, s + n - 1)] + [page, page]  # label, first, last page
    tree = outline(PdfReader(pack))
    assert [t[0][:3] for t in tree] == ["Pri", "1. ", "2. ", "Rep"]
    if band == "8-10":
        assert [t[0] for t in tree] == ["Print pack: Contents", "1. Kind chats",
                                        "2. Second chats", GUIDE_ROUTES_FOOTER]
    assert tree[-1][1] == page
    assert [d[1] for m in tree[1:-1] for d in m[2]] == starts
    assert [d[0] for d in tree[1][2]] == ["Teacher guide", "Student handout", "Family letter"]
    sections = tree[1][2][1][2]  # the handout's sections, on its pages
    assert [s[0] for s in sections][:2] == ["Remember", "Words to know"]
    assert all(starts[1] <= s[1] < starts[1] + doc_pages[1] for s in sections)


def test_pack_tagging_passes_the_structural_check(two_module_build: Path) -> None:
    for band in ("8-10", "11-13"):
        pack = two_module_build / f"site/en-GB/{band}/print-pack.pdf"
        assert pdfua_faults(pack) == []
        with pikepdf.open(pack) as pdf:
            root = pdf.Root.StructTreeRoot
            (top,) = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
            parts = [k for k in top.K if k.get("/S") == "/Part" and "/Lang" in k]
            assert len(parts) == 6 and str(pdf.Root.Lang) == "en-GB"
            keys = [int(p.StructParents) for p in pdf.pages if "/StructParents" in p]
            annots = [int(a.StructParent) for p in pdf.pages for a in p.get("/Annots", [])]
            assert len(set(keys + annots)) == len(keys + annots)  # one parent-tree key each
            ids = [str(e.ID) for e in _elements(top) if "/ID" in e]
            assert len(ids) == len(set(ids))


def _elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found = [element]
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += _elements(kid)
    return found


def laid_out(output: str) -> int:
    return int(re.search(r"laid out (\d+)", output).group(1))


def test_one_module_edit_lays_out_only_that_module(two_module_build: Path,
                                                   tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(two_module_build, root)
    again = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf")
    # a new out: all its documents; the packs' own pages (same HTML) come from the layout cache
    assert again.exit_code == 0 and laid_out(again.stderr) == 16
    before = {p: (root / "site" / p).read_bytes() for p in rows(root)}
    path = root / "lessons/02-second/module.yaml"
    path.write_text(path.read_text().replace("Sam feels odd.", "Sam feels uneasy."))
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf")
    assert result.exit_code == 0, result.output
    # module 'second' in 2 bands: 3 printed documents and a deck each; no page range moved,
    # so neither pack's contents is laid out again
    assert laid_out(result.stderr) == 2 * 4
    after = {p: (root / "site" / p).read_bytes() for p in rows(root)}
    changed = sorted(p for p in after if before.get(p) != after[p] and p.endswith(".pdf"))
    # the story is in the 8-10 content only: 11-13 prints the same bytes again
    assert changed == sorted(f"en-GB/8-10/{x}" for x in (
        "print-pack.pdf", "second/handout.pdf", "second/slides.pdf",
        "second/teacher-guide.pdf"))
    pack = page_texts(root / "site/en-GB/8-10/print-pack.pdf")
    assert any("Sam feels uneasy." in t for t in pack) and any("Sam feels odd." in t for t in pack)
    # the pack's own page changed: laid out again (never a stale contents page from the cache)
    template = root / "templates/print-pack.html"
    template.write_text(template.read_text().replace("print the pack double-sided",
                                                     "print the whole pack double-sided"))
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf")
    assert result.exit_code == 0 and laid_out(result.stderr) == 2
    assert "print the whole pack" in page_texts(root / "site/en-GB/8-10/print-pack.pdf")[0]


def test_same_input_same_pack_bytes(two_module_build: Path) -> None:
    result = run("build", "--project", two_module_build, "--edition", "en-GB", "--format",
                 "pdf", "--out", two_module_build / "again")
    assert result.exit_code == 0, result.output
    for band in ("8-10", "11-13"):
        pack = f"en-GB/{band}/print-pack.pdf"
        assert (two_module_build / "again" / pack).read_bytes() == \
            (two_module_build / "site" / pack).read_bytes()


def test_large_print_pack_is_assembled_from_large_print_documents(project: Path) -> None:
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--variant", "large-print")
    assert result.exit_code == 0, result.output
    site = project / "site/en-GB/8-10"
    pack = site / "print-pack.large-print.pdf"
    docs = [site / f"sample/{k}.large-print.pdf" for k in KINDS]
    texts = page_texts(pack)
    counted = sum(len(page_texts(d)) for d in docs)
    assert len(texts) == counted + 1 + sum(BLANK in t for t in texts)
    assert page_texts(docs[1])[0] in texts
    assert pdfua_faults(pack) == []


def _font_programs(pdf: pikepdf.Pdf) -> dict[str, set[tuple[int, int]]]:
    """Each font name → the embedded programs its font objects on the pages use."""
    found: dict[str, set[tuple[int, int]]] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            found.setdefault(str(font.BaseFont), set()).add(program.objgen)
    return found


def _png(pdf: Path, page: int, out: Path) -> bytes:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out)], check=True)
    return out.with_suffix(".png").read_bytes()


@pytest.mark.parametrize("band", ["8-10", "11-13"])
def test_pack_has_one_font_program_per_font(two_module_build: Path, band: str,
                                            tmp_path: Path) -> None:
    """The documents' subsets of a font are merged into one program (issue 18): the pack is
    smaller than its documents together, and every page still draws the same pixels."""
    site = two_module_build / "site"
    pack = site / f"en-GB/{band}/print-pack.pdf"
    docs = [site / d for d in pack_docs(band)]
    assert pack.stat().st_size <= sum(d.stat().st_size for d in docs)
    with pikepdf.open(pack) as pdf:
        programs = _font_programs(pdf)
    assert len(programs) >= 2 and all(len(p) == 1 for p in programs.values()), programs
    with pikepdf.open(docs[1]) as pdf:  # each document has its own subsets: 2 handouts' are 2
        assert _font_programs(pdf).keys() <= programs.keys()
    fonts = subprocess.run(["pdffonts", str(pack)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert len(fonts) == len(programs) and all(" yes yes yes " in f for f in fonts), fonts
    # pixels: the handout of module 2 (its last page) and the guide's first page, as printed
    texts = page_texts(pack)
    for doc, page in ((docs[4], len(page_texts(docs[4]))), (docs[0], 1)):
        number = texts.index(page_texts(doc)[page - 1]) + 1
        assert _png(pack, number, tmp_path / "pack") == _png(doc, page, tmp_path / "doc")


def test_subsets_that_disagree_on_a_glyph_are_not_merged(two_module_build: Path) -> None:
    """A glyph two documents' subsets hold with different outlines: no merged program (the
    pack would keep the documents' own fonts) rather than one that draws a wrong glyph."""
    import struct

    from lessonpack.printing.fontprogram import Subset, merge_programs

    subsets = []
    for module in ("sample", "second"):
        path = two_module_build / f"site/en-GB/8-10/{module}/teacher-guide.pdf"
        with pikepdf.open(path) as pdf:
            font = next(f for p in pdf.pages for f in p.Resources.Font.values()
                        if str(f.BaseFont).endswith("+Noto-Sans"))
            cid = font.DescendantFonts[0]
            data = cid.FontDescriptor.FontFile2.read_bytes()
            used = {int(cid.W[i]) + k for i in range(0, len(cid.W), 2)
                    for k in range(len(cid.W[i + 1]))}
        subsets.append(Subset(data, frozenset(used)))
    assert merge_programs(subsets) is not None
    data = bytearray(subsets[1].data)
    tables = {bytes(data[12 + 16 * i:16 + 16 * i]): struct.unpack_from(">LL", data, 20 + 16 * i)
              for i in range(struct.unpack_from(">H", data, 4)[0])}
    glyf, loca = tables[b"glyf"][0], tables[b"loca"][0]
    long_loca = struct.unpack_from(">h", data, tables[b"head"][0] + 50)[0] == 1
    gid = max(subsets[0].used & subsets[1].used)  # a glyph both documents draw
    start = struct.unpack_from(">L", data, loca + 4 * gid)[0] if long_loca \
        else 2 * struct.unpack_from(">H", data, loca + 2 * gid)[0]
    data[glyf + start + 9] ^= 0x01  # one coordinate byte of its outline
    assert merge_programs([subsets[0], Subset(bytes(data), subsets[1].used)]) is None
