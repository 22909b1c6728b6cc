"""Korean prints from a face cut out of the pan-CJK font (printing/fontcut.py): the cut has
every Hangul syllable and keeps the font's licence, is the same bytes every time, prints pages
that look exactly like the pan-CJK face's, falls back to the pan-CJK face for a character it
lacks (a Hanja), and a machine that cannot cut still prints."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run
from fontTools.ttLib import TTFont

from lessonpack.i18n.linebreak import for_print
from lessonpack.printing import fontcut
from lessonpack.printing.pdf import PdfPrinter

HANJA = "韓國"  # U+97D3 U+570B: in the pan-CJK face, not in the cut


@pytest.fixture(scope="module")
def faces() -> list[fontcut.CutFace]:
    """The machine's cut (made on the first run, ~18 s, then read from the user's cache)."""
    found = fontcut.prepare()
    assert [face.weight for face in found] == [400, 700], "Noto Sans CJK KR is installed here"
    return found


@pytest.fixture(scope="module")
def korean_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real ko-KR handout, as the print pool hands it to WeasyPrint."""
    out = tmp_path_factory.mktemp("fontcut")
    result = run("build", "--project", REPO, "--out", out, "--edition", "ko-KR", "--band",
                 "8-10", "--module", "chatting-safely", "--doc", "handout", "--format", "html",
                 "--no-packs")
    assert result.exit_code == 0, result.output
    return for_print((out / "ko-KR/8-10/chatting-safely/handout.html").read_text("utf-8"), "ko")


def fonts(pdf: Path) -> list[str]:
    """Embedded font names, subset tags removed."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return sorted(line.split()[0].split("+", 1)[1] for line in out.splitlines()[2:])


def pages_png(pdf: Path, prefix: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(prefix.parent.glob(prefix.name + "-*.png"))]


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_cut_has_hangul_and_keeps_the_licence(faces: list[fontcut.CutFace]) -> None:
    for face in faces:
        source, index = fontcut.source_face(face.weight)
        full = TTFont(source, fontNumber=index, lazy=True)
        cut = TTFont(face.path, lazy=True)
        cmap = cut.getBestCmap()
        assert all(code in cmap for code in range(0xAC00, 0xD7A4))  # all 11,172 syllables
        assert 0x97D3 not in cmap and 0x97D3 in full.getBestCmap()
        assert len(cut.getGlyphOrder()) < len(full.getGlyphOrder()) / 3
        names = cut["name"]
        assert names.getDebugName(1) == fontcut.FAMILY
        for licence_record in (0, 13, 14):  # copyright, licence (SIL OFL), licence URL
            assert names.getDebugName(licence_record) == full["name"].getDebugName(
                licence_record)
        assert "Open Font License" in names.getDebugName(13)
        # the source's timestamps are kept: a cut made later is the same bytes
        assert cut["head"].modified == full["head"].modified


def test_a_first_build_says_it_cuts_and_cuts_the_same_bytes(
        faces: list[fontcut.CutFace], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine's first PDF build cuts the font once, saying so; the cut is the same bytes
    as any other cut of the same font, and an older cut beside it is removed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = fontcut.cache_dir()
    folder.mkdir(parents=True)
    stale = folder / "noto-sans-kr-cut-400-0123456789abcdef.otf"  # an older lessonpack's
    stale.write_bytes(b"OTTO")
    assert fontcut.pending()
    args = ("build", "--project", REPO, "--out", tmp_path / "out", "--edition", "ko-KR",
            "--band", "8-10", "--module", "chatting-safely", "--doc", "family-letter",
            "--no-packs", "--jobs", "1")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "Cutting the Korean print font for this machine" in first.output
    assert not fontcut.pending()
    again = fontcut.prepare()
    assert [face.path.read_bytes() for face in again] == [
        face.path.read_bytes() for face in faces]
    assert sorted(folder.iterdir()) == sorted(face.path for face in again)  # no partial files
    letter = tmp_path / "out/ko-KR/8-10/chatting-safely/family-letter.pdf"
    assert "lessonpack-Noto-Sans-KR" in fonts(letter)
    (tmp_path / "out").rename(tmp_path / "first")
    second = run(*args)
    assert second.exit_code == 0, second.output
    assert "Cutting" not in second.output


def test_korean_pages_print_the_same_from_the_cut(faces: list[fontcut.CutFace],
                                                   korean_html: str, tmp_path: Path) -> None:
    printer = PdfPrinter(REPO / "templates", (REPO / "templates", REPO / "assets"))
    assert printer.cut_faces == faces
    plain = PdfPrinter(REPO / "templates", (REPO / "templates", REPO / "assets"))
    plain.cut_faces = []  # what a machine that cannot cut prints: the pan-CJK face
    cut_pdf, pan_pdf = tmp_path / "cut.pdf", tmp_path / "pan.pdf"
    cut_pdf.write_bytes(printer.print_pdf(korean_html, "cut")[0])
    pan_pdf.write_bytes(plain.print_pdf(korean_html, "pan")[0])

    assert fonts(cut_pdf) == ["Noto-Sans", "Noto-Sans-Bold", "lessonpack-Noto-Sans-KR",
                              "lessonpack-Noto-Sans-KR-Bold"]
    assert fonts(pan_pdf) == ["Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-CJK-KR",
                              "Noto-Sans-CJK-KR-Bold"]
    assert "온라인에서 안전하게 채팅하기" in text(cut_pdf)
    assert text(cut_pdf) == text(pan_pdf)
    cut_pages = pages_png(cut_pdf, tmp_path / "cut")
    assert len(cut_pages) >= 2
    assert cut_pages == pages_png(pan_pdf, tmp_path / "pan")  # same pixels, page by page
    assert cut_pdf.stat().st_size < pan_pdf.stat().st_size / 2
    assert printer.print_pdf(korean_html, "cut")[0] == cut_pdf.read_bytes()


def test_a_character_the_cut_lacks_prints_from_the_pan_cjk_face(
        faces: list[fontcut.CutFace], korean_html: str, tmp_path: Path) -> None:
    html = korean_html.replace("</h1>", f" {HANJA}</h1>", 1)  # the title is bold
    assert HANJA in html
    pdf = tmp_path / "hanja.pdf"
    pdf.write_bytes(PdfPrinter(REPO / "templates", (REPO / "assets",)).print_pdf(html, "h")[0])
    assert "Noto-Sans-CJK-KR-Bold" in fonts(pdf) and "lessonpack-Noto-Sans-KR-Bold" in fonts(pdf)
    assert HANJA in text(pdf)


def test_no_cut_when_the_cache_cannot_be_written(faces: list[fontcut.CutFace],
                                                 tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert not fontcut.pending(not_a_folder / "fonts")  # so a build announces no cut
    assert fontcut.prepare(not_a_folder / "fonts") == []  # no traceback, printing as before


def test_only_the_quoted_family_in_styles_gains_the_cut() -> None:
    html = ('<style>html { font-family: "Noto Sans", "Noto Sans CJK KR", sans-serif }\n'
            "p { font-family: 'Noto Sans CJK KR' }</style>"
            "<p>&#34;Noto Sans CJK KR&#34; is a font.</p>")
    out = fontcut.prefer_cut(html)
    assert out.count(f'"{fontcut.FAMILY}", ') == 2
    assert re.search(r'"Noto Sans", "lessonpack Noto Sans KR", "Noto Sans CJK KR", sans', out)
    assert "<p>&#34;Noto Sans CJK KR&#34; is a font.</p>" in out
