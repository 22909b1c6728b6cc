"""PDF/UA-1 in fact (issue 19): real builds of every document kind and a print pack pass the
structural check that stands in for veraPDF (tests/pdfua.py); the same HTML printed by plain
WeasyPrint fails it; Thai text reads back with the source's composed SARA AM."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project, run
from pdfua import pdfua_faults
from test_i18n_workflow import add_edition, catalogue, translate
from test_scripts import ARABIC_MESSAGE, ARABIC_TITLE

MODULE = "spotting-grooming"  # its teacher guide's routes table runs over three pages


@pytest.fixture(scope="module")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en-GB, th-TH and ko-KR: every document kind of one module, HTML and PDF; a th-TH
    large-print handout."""
    out = tmp_path_factory.mktemp("pdfua") / "site"
    result = run("build", "--project", REPO, "--out", out, "--edition", "en-GB", "--edition",
                 "th-TH", "--edition", "ko-KR", "--band", "11-13", "--module", MODULE,
                 "--jobs", "2", "--no-packs")
    assert result.exit_code == 0, result.output
    result = run("build", "--project", REPO, "--out", out, "--edition", "th-TH", "--band",
                 "11-13", "--module", MODULE, "--doc", "handout", "--format", "pdf",
                 "--jobs", "1", "--no-packs", "--variant", "large-print")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def arabic_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Arabic test catalogue (mostly English fallback) and English, with print packs."""
    project = make_project(tmp_path_factory.mktemp("pdfua-ar") / "proj")
    add_edition(project, "- {id: ar-GB, locale: ar, country: GB}")
    translate(catalogue(project, "ar"), {"Remember": ARABIC_TITLE,
                                          "You can always stop a chat.": ARABIC_MESSAGE})
    result = run("build", "--project", project, "--edition", "ar-GB", "--edition", "en-GB",
                 "--band", "8-10", "--format", "pdf", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return project / "site"


def test_every_document_kind_passes_the_structural_check(real_build: Path) -> None:
    pdfs = sorted(real_build.rglob("*.pdf"))
    assert len(pdfs) == 16  # 3 editions x 5 document kinds (resources too), one large-print handout
    assert {p.name for p in pdfs} == {"teacher-guide.pdf", "handout.pdf", "family-letter.pdf",
                                      "slides.pdf", "resources.pdf", "handout.large-print.pdf"}
    faults = {str(p.relative_to(real_build)): pdfua_faults(p) for p in pdfs}
    assert faults == {p: [] for p in faults}


def test_arabic_documents_and_print_packs_pass_with_english_parts_tagged(
        arabic_build: Path) -> None:
    packs = sorted(arabic_build.rglob("print-pack.pdf"))
    assert [p.relative_to(arabic_build).as_posix() for p in packs] == [
        "ar-GB/8-10/print-pack.pdf", "en-GB/8-10/print-pack.pdf"]
    faults = {}
    for pdf in sorted(arabic_build.rglob("*.pdf")):
        # the Arabic draft prints English where a text has no translation: /Lang en there
        languages = ["en"] if "ar-GB" in pdf.parts else []
        faults[pdf.relative_to(arabic_build).as_posix()] = pdfua_faults(pdf, languages)
    assert len(faults) == 10  # 2 editions x (4 document kinds + a print pack)
    assert faults == {p: [] for p in faults}


def test_plain_weasyprint_fails_the_check(real_build: Path, tmp_path: Path) -> None:
    """The check can fail: the same HTML printed by WeasyPrint without lessonpack's tagging
    patch and post-processing shows each fault of issue 19."""
    html = real_build / f"en-GB/11-13/{MODULE}/teacher-guide.html"
    plain = tmp_path / "plain.pdf"
    subprocess.run([sys.executable, "-c",
                    "import sys; from weasyprint import HTML; HTML(sys.argv[1]).write_pdf("
                    "sys.argv[2], pdf_variant='pdf/ua-1', pdf_tags=True)", str(html), str(plain)],
                   check=True, capture_output=True)
    faults = "\n".join(pdfua_faults(plain, ["en"]))
    assert "TH without /Scope" in faults
    assert "not reached from the structure tree and not artifacts" in faults  # margin boxes
    assert "tel:999 has 2 annotations in one place" in faults
    assert "tagged outside a Link structure element" in faults
    assert "a table continues from the page before as another Table element" in faults


def _thai_words_with_sara_am(html: str) -> set[str]:
    body = html.split("<body", 1)[1]
    # the document's links to its PDF, pack and edition page are for the screen only
    body = re.sub(r'<nav class="doc-nav".*?</nav>', " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return {word for word in re.findall(r"[\u0e00-\u0e7f]+", body) if "\u0e33" in word}


@pytest.mark.parametrize("doc", ["handout", "teacher-guide", "family-letter"])
def test_thai_text_reads_back_with_composed_sara_am(real_build: Path, doc: str) -> None:
    html = (real_build / f"th-TH/11-13/{MODULE}/{doc}.html").read_text(encoding="utf-8")
    words = _thai_words_with_sara_am(html)
    assert len(words) >= 5
    pdf = str(real_build / f"th-TH/11-13/{MODULE}/{doc}.pdf")
    # -raw reads in content order; poppler's default layout order moves some above-vowels
    # across a line end ("ไม่มีคำ" → "ไม่มค\nี ำ"), with or without this fix
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                          check=True, capture_output=True, text=True).stdout
    joined = re.sub(r"\s+", "", text)  # Thai lines break inside words
    missing = sorted(w for w in words if w not in joined)
    assert missing == []
    layout = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                            capture_output=True, text=True).stdout
    for extracted in (text, layout):  # no NIKHAHIT left over from the print copy
        assert "\u0e4d" not in extracted
        assert extracted.count("\u0e33") >= sum(w.count("\u0e33") for w in words)


def test_byte_path_and_tokenised_path_write_the_same_operators(real_build: Path) -> None:
    """pdfua.finish edits WeasyPrint's content streams with patterns; parsing every operator
    instead must give the same page (Thai ActualText and artifacts included)."""
    import io

    import pikepdf
    from weasyprint import HTML

    from lessonpack.i18n.linebreak import for_print
    from lessonpack.printing import pdfua, tagging

    tagging.install()
    html = (real_build / f"th-TH/11-13/{MODULE}/teacher-guide.html").read_text(encoding="utf-8")
    raw = HTML(string=for_print(html, "th"), base_url=str(REPO / "templates") + "/").write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1")
    fast, slow = pdfua.finish(raw), pdfua.finish(raw, tokenise=True)
    with pikepdf.open(io.BytesIO(fast)) as a, pikepdf.open(io.BytesIO(slow)) as b:
        assert len(a.pages) == len(b.pages) > 3
        for one, other in zip(a.pages, b.pages, strict=True):
            # pikepdf re-writes numbers with fewer digits (2.0455453455852974 → 2.04554534558530)
            assert _operators(one) == _operators(other)
        text = b"".join(page.Contents.read_bytes() for page in a.pages)
        assert text.count(b"/ActualText") >= 60 and b"/Artifact <</Type /Pagination>>" in text


def _operators(page) -> list:  # noqa: ANN001 - a pikepdf Page
    """A page's operators with operands as plain values, numbers rounded to 1e-6."""
    import decimal

    import pikepdf

    def plain(value):  # noqa: ANN001, ANN202 - any pikepdf object
        if isinstance(value, int | float | decimal.Decimal):
            return round(float(value), 6)
        if isinstance(value, pikepdf.Array):
            return tuple(plain(v) for v in value)
        if isinstance(value, pikepdf.Dictionary):
            return tuple(sorted((k, plain(v)) for k, v in value.items()))
        if isinstance(value, pikepdf.String):
            return bytes(value)
        return str(value)

    return [(str(op), tuple(plain(o) for o in operands))
            for operands, op in pikepdf.parse_content_stream(page)]
