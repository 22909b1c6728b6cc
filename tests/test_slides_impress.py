"""Korean decks in a real client (issue 17): LibreOffice Impress breaks between any two Hangul
syllables and ignores the PPTX's ``eaLnBrk="0"``, so the PPTX carries a line break where the
fit wrapped each Korean line. Impress converts real ko-KR decks to PDF; each line's last word
and the next line's first word are read back (pdftotext -bbox-layout) and must not be the two
halves of one word of the source text. The same decks without those line breaks are the
control: there Impress splits words, so the check can see a split."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run
from lxml import etree
from pptx import Presentation

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="needs LibreOffice Impress (setup.sh --test)")

HANGUL = re.compile(r"[\uac00-\ud7a3]")
XHTML = "{http://www.w3.org/1999/xhtml}"
MODULES = ("spotting-grooming", "my-body-and-cameras")


def _bare(token: str) -> str:
    """A token without the punctuation around it (Impress may space it off: "말해요 .")."""
    return re.sub(r"^\W+|\W+$", "", token)


def source_words(pptx: Path) -> set[str]:
    words = set()
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    words.update(_bare(w) for w in paragraph.text.split())
    return words


def split_words(pptx: Path, pdf: Path) -> list[str]:
    """``page: first/second`` for each source word with Hangul that ends one PDF line and
    starts the next (lines of one text block, as pdftotext groups them)."""
    words = source_words(pptx)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    found = []
    for number, page in enumerate(etree.fromstring(xml).iter(f"{XHTML}page"), start=1):
        for block in page.iter(f"{XHTML}block"):
            lines = [[w.text or "" for w in line.iter(f"{XHTML}word")]
                     for line in block.iter(f"{XHTML}line")]
            for above, below in zip(lines, lines[1:], strict=False):
                if above and below:
                    end, start = _bare(above[-1]), _bare(below[0])
                    if HANGUL.search(end + start) and end and start and end + start in words:
                        found.append(f"{number}: {end}/{start}")
    return found


def without_line_breaks(deck: Path, out: Path) -> None:
    """The deck as it was before the fix: the same text, no ``a:br``."""
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename.startswith("ppt/slides/slide"):
                data = re.sub(rb"<a:br>.*?</a:br>|<a:br/>", b"", data)
            target.writestr(entry, data)


def impress_pdf(decks: list[Path], out: Path) -> None:
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, decks)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def korean_decks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("ko-decks")
    args = [a for m in MODULES for a in ("--module", m)]
    result = run("build", "--project", REPO, "--out", out / "site", "--edition", "ko-KR",
                 "--band", "8-10", *args, "--doc", "slides", "--format", "pptx", "--no-packs")
    assert result.exit_code == 0, result.output
    decks = []
    for module in MODULES:
        decks.append(out / f"{module}.pptx")
        shutil.copy(out / "site/ko-KR/8-10" / module / "slides.pptx", decks[-1])
    return decks


def test_impress_keeps_korean_words_whole(korean_decks: list[Path], tmp_path: Path) -> None:
    controls = []
    for deck in korean_decks:
        controls.append(tmp_path / f"control-{deck.name}")
        without_line_breaks(deck, controls[-1])
    impress_pdf([*korean_decks, *controls], tmp_path)
    for deck in korean_decks:
        assert split_words(deck, tmp_path / f"{deck.stem}.pdf") == [], deck.name
    split = [s for c in controls for s in split_words(c, tmp_path / f"{c.stem}.pdf")]
    assert split, "Impress keeps Korean words whole by itself now: the a:br workaround can go"


def test_korean_line_breaks_keep_the_text(korean_decks: list[Path]) -> None:
    """Each break follows a space, so the text without the breaks is the translation as
    written: it searches and re-flows as typed once a teacher deletes a break."""
    breaks = 0
    for deck in korean_decks:
        for slide in Presentation(str(deck)).slides:
            for shape in slide.shapes:
                if not shape.has_text_frame:
                    continue
                for paragraph in shape.text_frame.paragraphs:
                    text = paragraph.text
                    breaks += text.count("\v")
                    assert " \v" in text or "\v" not in text
                    assert re.search(r"[^ ]\v", text) is None, text
    assert breaks > 20
    with zipfile.ZipFile(io.BytesIO(korean_decks[0].read_bytes())) as archive:
        xml = archive.read("ppt/slides/slide3.xml").decode()
    assert '<a:br><a:rPr lang="ko"' in xml
