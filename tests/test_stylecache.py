"""The shared stylesheet is parsed once per PDF worker (printing/stylecache.py), and that changes
no byte of any PDF: real documents of four editions and six kinds, printed with the cache and
without it, in an order where a sheet that kept one document's page rules would leak them into
the next (a Malay draft's "Draft translation" footer into an English page)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run

from lessonpack.i18n.linebreak import for_print
from lessonpack.printing import stylecache
from lessonpack.printing.pdf import PdfPrinter

# drafts first: their footer is the rule a leaking cache would carry into the next document
EDITIONS = {"ms-MY": "ms", "en-GB": "en_GB", "th-TH": "th", "ko-KR": "ko"}
KINDS = ("getting-help/teacher-guide", "getting-help/handout", "getting-help/family-letter",
         "getting-help/slides", "getting-help/resources", "knowledge-check/knowledge-check")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """(name, HTML as the print pool hands it to WeasyPrint), kind by kind, editions mixed."""
    out = tmp_path_factory.mktemp("stylecache")
    editions = [a for e in EDITIONS for a in ("--edition", e)]
    result = run("build", "--project", REPO, "--out", out, *editions, "--band", "11-13",
                 "--module", "getting-help", "--module", "knowledge-check", "--format", "html",
                 "--no-packs")
    assert result.exit_code == 0, result.output
    docs = []
    for kind in KINDS:
        for edition, locale in EDITIONS.items():
            path = out / edition / "11-13" / f"{kind}.html"
            docs.append((f"{edition}/{kind}", for_print(path.read_text("utf-8"), locale)))
    return docs


def test_split_keeps_the_shared_sheet_alone_and_identical(documents: list) -> None:
    """The shared sheet is the same text in every document (what makes it cacheable)."""
    base = [html for name, html in documents if not name.endswith("/slides")]
    shared = {re.search(r"<style>(.*?)</style>", html, re.S).group(1) for html in base}
    assert len(shared) == 1
    text = shared.pop()
    assert stylecache.cacheable(text) and len(text) > 15_000
    assert "@top-left" in text and "counter(page)" not in text  # per-document rules: later
    for html in base:
        assert html.count("<style>") == 2


def test_cached_and_parsed_sheets_give_the_same_pdfs(documents: list, tmp_path: Path) -> None:
    printer = PdfPrinter(REPO / "templates", (REPO / "templates", REPO / "assets"))
    cache = stylecache.CACHE
    cache.clear()
    assert cache.enabled
    parses, hits = cache.parses, cache.hits
    cached = {name: printer.print_pdf(html, name)[0] for name, html in documents}
    # base documents: one miss for their own rules; the shared sheet and slides.css parse once
    styles = sum(html.count("<style>") for _, html in documents)
    assert cache.hits - hits == len(documents) - 2
    assert cache.parses - parses == styles - (len(documents) - 2)
    try:
        cache.enabled = False
        hits = cache.hits
        for name, html in documents:
            assert printer.print_pdf(html, name)[0] == cached[name], name
        assert cache.hits == hits
    finally:
        cache.enabled = True
    # the same thing, said the way a reader sees it: no draft footer on an English page
    for name in ("en-GB/getting-help/handout", "ms-MY/getting-help/handout"):
        pdf = tmp_path / "x.pdf"
        pdf.write_bytes(cached[name])
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert ("Terjemahan draf" in text) == name.startswith("ms-MY"), name


@pytest.mark.parametrize(("text", "expected"), [
    ("p { color: red } @media print { @page { @top-left { content: 'a' } } }", True),
    ("@page :first { margin: 0 }", True),
    ("@font-face { font-family: x; src: url(x.woff) }", False),
    ("@media print { @counter-style x { system: cyclic } }", False),
    ("@layer a; p { color: red }", False),
    ("@import url(other.css);", False),
    ("@f\\ont-face { font-family: x }", False),  # escaped: parsed every time, to be safe
    ("@color-profile --x { src: url(x.icc) }", False),
])
def test_only_sheets_that_register_nothing_are_cached(text: str, expected: bool) -> None:
    assert stylecache.cacheable(text) is expected
