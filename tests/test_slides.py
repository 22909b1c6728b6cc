"""Slide decks (issue 17): one fitted model, three formats that agree. python-pptx reads every
deck of a real build back, LibreOffice Impress opens a Latin, a Thai and a Korean deck, and
long text shrinks, then continues on a new slide — never clipped."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run
from pptx import Presentation
from pptx.util import Emu
from test_i18n_workflow import add_edition, catalogue, translate

from lessonpack.render import slidefit as fit

THAI = "อย่าลืมบอกผู้ใหญ่ที่ไว้ใจได้เสมอ"
KOREAN = "신뢰할 수 있는 어른에게 언제든지 말하세요"


def _pt(value: int) -> float:
    return Emu(value).pt


def _decks(site: Path) -> list[dict]:
    manifest = json.loads((site / "manifest.json").read_text())
    return [r for r in manifest["outputs"] if r["doc"] == "slides"]


def body_overflow(slide) -> list[str]:  # noqa: ANN001 - a python-pptx slide
    """Body text boxes whose text needs more height than the box (by slidefit's measure)."""
    bad = []
    for shape in slide.shapes:
        picture = shape.shape_type == 13 or shape.name == "QR caption"
        if picture and _pt(shape.top + shape.height) > fit.BODY_BOTTOM + 0.5:
            bad.append(f"{shape.name} runs into the footer")  # QR codes stay above it
        if shape.name != "Body":
            continue
        boxes, size = [], 0.0
        for paragraph in shape.text_frame.paragraphs:
            runs = paragraph.runs
            size = runs[0].font.size.pt
            ppr = paragraph._p.pPr
            indented = ppr is not None and ppr.get("marL") is not None
            bold = any(r.font.bold for r in runs)
            boxes.append(fit.Box(paragraph.text, indented, bold))
        need = fit.items_height(boxes, size, _pt(shape.width))
        if need > _pt(shape.height) + 0.5:
            bad.append(f"{shape.text_frame.text[:40]!r} needs {need:.0f} pt of "
                       f"{_pt(shape.height):.0f}")
        if _pt(shape.top + shape.height) > fit.SLIDE_H or _pt(shape.left + shape.width) > \
                fit.SLIDE_W:
            bad.append(f"{shape.name} leaves the slide")
    return bad


def test_every_deck_reads_back_and_matches_the_plan(built_mini: Path) -> None:
    site = built_mini / "site"
    decks = _decks(site)
    pptx = [r for r in decks if r["format"] == "pptx"]
    # every unit (2 bands) of every edition (2) has a deck in each of the three formats
    assert len(pptx) == 4 and {r["format"] for r in decks} == {"html", "pdf", "pptx"}
    for row in pptx:
        prs = Presentation(str(site / row["path"]))
        slides = list(prs.slides)
        stem = row["path"][: -len(".pptx")]
        html = (site / f"{stem}.html").read_text(encoding="utf-8")
        pdf = next(r for r in decks if r["path"] == f"{stem}.pdf")
        # the three formats have the same slides: count, and each slide's title
        assert len(slides) == row["pages"] == pdf["pages"] == html.count('<section class="slide ')
        titles = re.findall(r'class="slide-title"[^>]*>(.*?)</h[12]>', html)
        assert [s.shapes.title.text_frame.text for s in slides] == \
            [re.sub(r"<[^>]+>", "", t) for t in titles]
        assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
        for slide in slides:
            assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
            assert body_overflow(slide) == []
        # the plan's steps are in the notes, with their minutes
        notes = "\n".join(s.notes_slide.notes_text_frame.text for s in slides)
        if "/8-10/" in stem:
            assert "Warm-up (10 min): Ask who chats in games." in notes
            assert "Stories (20 min): Read the stories and talk." in notes
            assert "Stop the chat and tell a grown-up." in notes  # answers for the teacher
            # the answers are not on the slides the class sees
            shown = "\n".join(sh.text_frame.text for s in slides for sh in s.shapes
                              if sh.has_text_frame)
            assert "Stop the chat and tell a grown-up." not in shown
            assert "Ground rules" not in shown  # under 11
        else:
            assert any(s.shapes.title.text_frame.text == "Ground rules" for s in slides)


def test_deck_fonts_name_each_script(built_mini: Path) -> None:
    path = built_mini / "site/en-GB/8-10/sample/slides.pptx"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("ppt/slides/slide2.xml").decode()
    assert '<a:latin typeface="Noto Sans"/>' in xml
    assert '<a:ea typeface="Noto Sans CJK KR"/>' in xml
    assert '<a:cs typeface="Noto Sans Thai"/>' in xml
    assert 'lang="en-GB"' in xml


def test_help_slide_shows_confirmed_routes_only(built_mini: Path) -> None:
    prs = Presentation(str(built_mini / "site/en-GB/8-10/sample/slides.pptx"))
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)
    assert "Childline" in text and "0800\u00a01111" in text
    assert "Unchecked Line" not in text  # unconfirmed: teacher guide only


def test_print_packs_leave_decks_out_and_zips_carry_them(built_mini: Path) -> None:
    site = built_mini / "site"
    pack = subprocess.run(["pdftotext", str(site / "en-GB/11-13/print-pack.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Words to know" in pack  # the handout is in the pack
    assert "take turns to speak" not in pack  # the deck's ground rules are not
    with zipfile.ZipFile(site / "en-GB.zip") as archive:
        names = archive.namelist()
    for ext in ("html", "pdf", "pptx"):
        assert f"lessonpack-en-GB/en-GB/8-10/sample/slides.{ext}" in names
    edition_page = (site / "en-GB/index.html").read_text(encoding="utf-8")
    assert 'href="../en-GB/8-10/sample/slides.pptx"' in edition_page


def test_same_input_gives_the_same_pptx(project: Path) -> None:
    args = ("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
            "--doc", "slides", "--format", "pptx")
    assert run(*args).exit_code == 0
    path = project / "site/en-GB/8-10/sample/slides.pptx"
    first = path.read_bytes()
    path.unlink()
    (project / "site/manifest.json").unlink()
    assert run(*args).exit_code == 0
    assert path.read_bytes() == first


def test_long_text_shrinks_then_continues_and_warns_at_its_line(project: Path) -> None:
    module = project / "lessons/01-sample/module.yaml"
    text = module.read_text()
    medium = " ".join(["Sam sees a message from a player he does not know."] * 12)
    long = " ".join(f"Word{i} and some more words here." for i in range(220))
    text = text.replace("story: Sam plays a game. A player asks where he lives. Sam feels odd.",
                        f"story: {medium}")
    text = text.replace("story: Lea gets a gift in a game. The giver wants a secret.",
                        f"story: {long}")
    module.write_text(text)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "Word0 and" in s)
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "slides", "--format", "pptx")
    assert result.exit_code == 0, result.output
    assert (f"lessons/01-sample/module.yaml:{line}:" in result.output
            and "warning slides.too-long" in result.output), result.output
    prs = Presentation(str(project / "site/en-GB/8-10/sample/slides.pptx"))
    slides = list(prs.slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    sam = slides[titles.index("Story 1: Sam and the game")]
    sizes = {r.font.size.pt for sh in sam.shapes if sh.name == "Body"
             for p in sh.text_frame.paragraphs for r in p.runs}
    assert sizes and max(sizes) < fit.BODY_MAX  # shrunk to fit, on one slide
    continued = [t for t in titles if t == "Story 2: Lea and the gift (continued)"]
    assert len(continued) >= 2
    shown = " ".join(sh.text_frame.text for s in slides for sh in s.shapes if sh.name == "Body")
    for i in (0, 57, 219):  # every word is somewhere: cut between slides, never clipped
        assert f"Word{i} and" in shown
    for slide in slides:
        assert body_overflow(slide) == []
        assert all(r.font.size.pt >= fit.BODY_FLOOR for sh in slide.shapes if sh.name == "Body"
                   for p in sh.text_frame.paragraphs for r in p.runs)


@pytest.fixture(scope="module")
def three_scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("scripts") / "proj")
    add_edition(project, "- {id: th-GB, locale: th, country: GB}\n"
                         "  - {id: ko-GB, locale: ko, country: GB}")
    translate(catalogue(project, "th"), {"You can always stop a chat.": THAI})
    translate(catalogue(project, "ko"), {"You can always stop a chat.": KOREAN})
    result = run("build", "--project", project, "--edition", "en-GB", "--edition", "th-GB",
                 "--edition", "ko-GB", "--band", "8-10", "--doc", "slides")
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (setup.sh --test)")
def test_impress_opens_latin_thai_and_korean_decks(three_scripts: Path, tmp_path: Path) -> None:
    site = three_scripts / "site"
    decks = []
    for edition in ("en-GB", "th-GB", "ko-GB"):  # one name each: Impress writes <name>.pdf
        decks.append(tmp_path / f"{edition}.pptx")
        shutil.copy(site / f"{edition}/8-10/sample/slides.pptx", decks[-1])
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, decks)],
        capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    for deck, words in zip(decks, ("You can always stop a chat.", THAI, KOREAN), strict=True):
        pdf = deck.with_suffix(".pdf")
        slides = len(Presentation(str(deck)).slides)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert f"Pages:           {slides}" in info
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        flat = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", words) in flat, (deck, text[:400])
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        if "th-GB" in str(deck):
            assert "NotoSansThai" in fonts
        if "ko-GB" in str(deck):
            assert "NotoSansCJK" in fonts


def test_korean_deck_keeps_words_whole(three_scripts: Path) -> None:
    html = (three_scripts / "site/ko-GB/8-10/sample/slides.html").read_text(encoding="utf-8")
    assert '<span class="kw">신뢰할</span>' in html
    with zipfile.ZipFile(three_scripts / "site/ko-GB/8-10/sample/slides.pptx") as archive:
        xml = archive.read("ppt/slides/slide3.xml").decode()
    assert 'eaLnBrk="0"' in xml and 'lang="ko"' in xml
    words = subprocess.run(["pdftotext", "-enc", "UTF-8",
                            str(three_scripts / "site/ko-GB/8-10/sample/slides.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout.split()
    for word in KOREAN.split():
        assert word in words


def test_english_fallback_runs_are_marked_english(three_scripts: Path) -> None:
    prs = Presentation(str(three_scripts / "site/th-GB/8-10/sample/slides.pptx"))
    langs = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name == "Body":
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        langs[run.text] = run._r.get_or_add_rPr().get("lang")
    assert langs[THAI] == "th"  # translated
    assert langs["It is never too late to tell."] == "en"  # no translation: English, marked


def test_pptx_bytes_are_a_valid_zip(built_mini: Path) -> None:
    data = (built_mini / "site/en-US/11-13/sample/slides.pptx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_large_print_leaves_decks_out(project: Path) -> None:
    result = run("build", "--project", project, "--variant", "large-print", "--edition",
                 "en-GB", "--band", "8-10", "--no-packs")
    assert result.exit_code == 0, result.output
    assert not list((project / "site").rglob("slides*"))
    assert (project / "site/en-GB/8-10/sample/handout.large-print.pdf").is_file()
    result = run("build", "--project", project, "--variant", "large-print", "--doc", "slides")
    assert result.exit_code == 2 and "slides are projected" in result.output


def test_qr_captions_are_read_from_the_back_of_the_room(tmp_path: Path) -> None:
    """Under each QR code the route's short name, at the body's floor size or larger, in the
    QR column and above the footer (real routes: the mini project has no URLs)."""
    from conftest import REPO

    result = run("build", "--project", REPO, "--out", tmp_path, "--edition", "en-GB",
                 "--edition", "en-AU", "--band", "11-13", "--module", "getting-help",
                 "--doc", "slides", "--format", "pptx", "--no-packs")
    assert result.exit_code == 0, result.output
    captions = []
    for deck in sorted(tmp_path.glob("*/11-13/getting-help/slides.pptx")):
        for slide in Presentation(str(deck)).slides:
            assert body_overflow(slide) == []
            for shape in slide.shapes:
                if shape.name == "QR caption":
                    captions.append(shape.text_frame.text)
                    sizes = {r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs}
                    assert min(sizes) >= fit.BODY_FLOOR, (shape.text_frame.text, sizes)
                    assert _pt(shape.width) == fit.QR_COLUMN
    assert "Childline" in captions and "CEOP Safety Centre" in captions  # not "(National …)"
    assert "ACCCE report" in captions and "Take It Down" in captions


def test_a_step_names_its_slide_and_a_missing_slide_falls_back(project: Path) -> None:
    """``slide:`` on a plan step puts its text in that slide's notes (the title would send
    "Warm-up" to the objectives); a step for ground rules in an 8-10 deck, which has no
    ground-rules slide, lands on the objectives slide instead of being lost."""
    from test_check_errors import edit

    module = "lessons/01-sample/module.yaml"
    edit(project, module, "      - title: Warm-up\n        minutes: 10\n",
         "      - title: Warm-up\n        minutes: 10\n        slide: vocabulary\n")
    edit(project, module, "      - title: Stories\n        minutes: 20\n",
         "      - title: Stories\n        minutes: 20\n        slide: rules\n")
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "slides", "--format", "pptx", "--no-packs")
    assert result.exit_code == 0, result.output
    prs = Presentation(str(project / "site/en-GB/8-10/sample/slides.pptx"))
    notes = {s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text
             for s in prs.slides}
    assert "Warm-up (10 min): Ask who chats in games." in notes["Words to know"]
    assert "Warm-up (10 min)" not in notes["Learning objectives"]
    assert "Stories (20 min): Read the stories and talk." in notes["Learning objectives"]

    edit(project, module, "        slide: vocabulary\n", "        slide: words\n")
    result = run("check", "--project", project)
    assert result.exit_code != 0
    output = result.output.replace(str(project) + "/", "")
    assert f"{module}:28:16: error schema.choice" in output, output


def test_qr_codes_are_made_once_and_decks_stay_the_same(tmp_path: Path) -> None:
    """A build shows the same routes' QR codes in many decks: each PNG is made once per process
    (slides_pptx.qr_png_bytes), and a deck built from that cache is byte for byte the deck
    built with every code made afresh; each picture is the code of the URL its alt text names."""
    import segno
    from conftest import REPO

    from lessonpack.render import slides_pptx

    def build(out: Path) -> bytes:
        result = run("build", "--project", REPO, "--out", out, "--edition", "en-GB",
                     "--band", "11-13", "--module", "getting-help", "--doc", "slides",
                     "--format", "pptx", "--no-packs")
        assert result.exit_code == 0, result.output
        return (out / "en-GB/11-13/getting-help/slides.pptx").read_bytes()

    slides_pptx.qr_png_bytes.cache_clear()
    cold = build(tmp_path / "cold")
    made = slides_pptx.qr_png_bytes.cache_info()
    assert made.misses >= 2, made
    assert build(tmp_path / "warm") == cold
    again = slides_pptx.qr_png_bytes.cache_info()
    assert again.misses == made.misses and again.hits >= made.hits + made.misses, again
    pictures = 0
    for slide in Presentation(io.BytesIO(cold)).slides:
        for shape in slide.shapes:
            descr = shape._element.nvPicPr.cNvPr.get("descr") if shape.shape_type == 13 else ""
            if url := re.search(r"https?://\S+", descr or ""):
                fresh = io.BytesIO()
                segno.make_qr(url.group(0), error="m", boost_error=False).save(
                    fresh, kind="png", scale=8, border=4)
                assert shape.image.blob == fresh.getvalue(), url.group(0)
                pictures += 1
    assert pictures >= made.misses
