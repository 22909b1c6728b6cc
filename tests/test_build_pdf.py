"""Build real PDFs with WeasyPrint and read them back: text, pages, fonts, paper, metadata."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from conftest import make_project, run
from pypdf import PdfReader

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def pdf_text(path: Path) -> str:
    """Text as a reader's tool sees it (poppler's pdftotext, layout-free)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def fonts(path: Path) -> list[str]:
    """Embedded font names from pdffonts (one per line, with emb/sub columns)."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return out.splitlines()[2:]


def manifest(root: Path) -> list[dict]:
    return json.loads((root / "site/manifest.json").read_text(encoding="utf-8"))["outputs"]


def test_every_document_in_both_formats(built_mini: Path) -> None:
    rows = [r for r in manifest(built_mini) if r["module"] != "*"]  # packs, zips: test_site
    # 2 editions × (2 bands × 1 module) × (3 docs × 2 formats + slides in 3 formats)
    assert len(rows) == 36
    assert {(r["doc"], r["format"]) for r in rows} == {
        (d, f) for d in ("teacher-guide", "handout", "family-letter") for f in ("html", "pdf")
    } | {("slides", f) for f in ("html", "pdf", "pptx")}
    for row in rows:
        data = (built_mini / "site" / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert len(data) == row["bytes"]
        assert row["path"] == (f"{row['edition']}/{row['band']}/{row['module']}/"
                               f"{row['doc']}.{row['format']}")
        assert ("pages" in row) == (row["format"] in ("pdf", "pptx"))  # pptx: slides


def test_handout_text_title_band_and_routes(built_mini: Path) -> None:
    path = built_mini / "site/en-GB/8-10/sample/handout.pdf"
    text = pdf_text(path)
    assert "Kind chats" in text
    assert "Ages 8-10" in text
    assert "Student handout" in text
    assert "What can Sam do?" in text
    assert "Childline" in text and "0800 1111" in text and "999" in text
    assert "Unchecked Line" not in text  # unconfirmed routes never reach a handout
    assert "You will not be blamed for what someone did to you" in text
    assert "Stop the chat and tell a grown-up" not in text  # teacher answers stay out


def test_page_numbers_and_running_header_on_every_page(built_mini: Path) -> None:
    path = built_mini / "site/en-GB/8-10/sample/teacher-guide.pdf"
    reader = PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    # the routes table is on pages of its own at the end (a print pack leaves them out): they
    # say so in the footer, and the guide's own pages are numbered up to it
    routes = [n for n, t in enumerate(texts, start=1) if "Page " not in t]
    body = len(texts) - len(routes)
    assert body >= 2 and routes == list(range(body + 1, len(texts) + 1)) and routes
    for number, text in enumerate(texts, start=1):
        if number <= body:
            assert f"Page {number} / {body}" in text
        else:
            assert "Reporting routes for United Kingdom" in text
        assert "Kind chats · Ages 8-10" in text


def test_teacher_guide_has_answers_safeguarding_and_unconfirmed_routes(built_mini: Path) -> None:
    text = pdf_text(built_mini / "site/en-GB/8-10/sample/teacher-guide.pdf")
    assert "Stop the chat and tell a grown-up" in text
    assert "Safeguarding" in text
    assert "Do not promise to keep it secret" in text
    assert "Unchecked Line" in text and "UNCONFIRMED" in text
    assert "1 November 2026" in " ".join(text.split())  # checked date, en-GB format


def test_family_letter_sections(built_mini: Path) -> None:
    text = pdf_text(built_mini / "site/en-US/8-10/sample/family-letter.pdf")
    for heading in ("What your child will learn", "Conversation starters",
                    "Warning signs to watch for", "Where to get help"):
        assert heading in text
    assert "1-800-422-4453" in text and "911" in text
    assert "0800 1111" not in text  # another country's number never appears


@pytest.mark.parametrize(("edition", "size"), [("en-GB", A4), ("en-US", LETTER)])
def test_paper_size_follows_the_edition(built_mini: Path, edition: str,
                                        size: tuple[float, float]) -> None:
    reader = PdfReader(built_mini / f"site/{edition}/11-13/sample/handout.pdf")
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_fonts_embedded_and_subset(built_mini: Path) -> None:
    rows = fonts(built_mini / "site/en-GB/8-10/sample/handout.pdf")
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert "+" in name  # subset fonts carry a 6-letter tag
    assert any("NotoSans" in r.replace("-", "") for r in rows)


def test_pdf_metadata_title_and_language(built_mini: Path) -> None:
    reader = PdfReader(built_mini / "site/en-GB/8-10/sample/handout.pdf")
    assert reader.metadata.title == "Kind chats — Student handout — Ages 8-10"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF


def test_html_has_lang_title_and_no_external_references(built_mini: Path) -> None:
    html = (built_mini / "site/en-US/11-13/sample/handout.html").read_text(encoding="utf-8")
    assert '<html lang="en-US" dir="ltr">' in html
    assert "<title>Sample module — Student handout — Ages 11-13</title>" in html
    assert "http://" not in html.split("<body")[0] and "<link" not in html


def test_same_input_gives_identical_bytes(tmp_path: Path, built_mini: Path) -> None:
    root = make_project(tmp_path / "again")
    assert run("build", "--project", root, "--jobs", "1").exit_code == 0
    first = {r["path"]: r["sha256"] for r in manifest(built_mini)}
    second = {r["path"]: r["sha256"] for r in manifest(root)}
    assert first == second


def test_build_exactly_the_requested_subset(project: Path) -> None:
    result = run("build", "--project", project, "--edition", "en-US", "--band", "11-13",
                 "--doc", "handout", "--format", "pdf", "--out", project / "out")
    assert result.exit_code == 0, result.output
    rows = json.loads((project / "out/manifest.json").read_text())["outputs"]
    assert [r["path"] for r in rows] == ["en-US/11-13/sample/handout.pdf"]
    assert not (project / "site").exists()


def test_unknown_filter_value_is_a_usage_error(project: Path) -> None:
    result = run("build", "--project", project, "--band", "11-14")
    assert result.exit_code == 2
    assert "--band '11-14': no such band; expected one of: 8-10, 11-13" in result.output
    assert not (project / "site").exists()


def test_content_error_stops_build_before_writing(project: Path) -> None:
    module = project / "lessons/01-sample/module.yaml"
    module.write_text(module.read_text().replace("order: 1", "order: one"))
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert "lessons/01-sample/module.yaml:2:8: error schema.type" in result.output
    assert "nothing was written" in result.output
    assert not (project / "site").exists()
