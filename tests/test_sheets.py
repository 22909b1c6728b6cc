"""Children's sheets read back from real PDFs: one sheet, few words, pictures, room to work.

The 5-7 handouts of the real curriculum are built (en-GB on A4, en-US on Letter, ms-MY
translated) and each is checked: at most 2 pages, at most 250 words on the page body, at least
three pictures that are not QR codes, and drawing boxes / the hand outline at least as big as
the band's sheet gives (content/activities.py, measured from the border rectangles the PDF
draws). The 8-10 handouts, built the same way, keep their content (every page before the
tear-off exit slip, which is the last page) on one sheet: at most 2 pages and 450 words.
The mini project checks the other bands' sizes and the activity-type errors.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO, make_project, run
from test_check_errors import MODULE, check_lines, edit
from test_pictures import figure_alts

from lessonpack.content.activities import ACTIVITY_TYPES, SHEETS

MM = 72 / 25.4
TOP_MARGIN_MM, BOTTOM_MARGIN_MM = 20, 18  # templates/css/20-print.css: the running header/footer
MAX_PAGES, MAX_WORDS, MIN_PICTURES = 2, 250, 3
EARLY_MAX_PAGES, EARLY_MAX_WORDS = 2, 450  # 8-10: content pages before the exit slip
EDITIONS = ("en-GB", "en-US", "ms-MY")
YOUNG = ("chatting-safely", "not-who-they-say", "spotting-grooming", "getting-help",
         "helping-a-friend", "my-body-and-cameras")
EARLY = ("getting-help", "chatting-safely", "not-who-they-say", "spotting-grooming",
         "my-body-and-cameras", "live-streaming", "helping-a-friend")
HAND = {"spotting-grooming", "getting-help"}
DRAWING = {"chatting-safely": 2, "helping-a-friend": 2, "my-body-and-cameras": 2}


def band_handouts(out: Path, band: str) -> Path:
    """Every shipped edition's handout PDFs of ``band``, built into ``out``."""
    args = ["build", "--project", REPO, "--out", out, "--band", band, "--doc", "handout",
            "--format", "pdf", "--no-packs", "--jobs", "2"]
    for edition in EDITIONS:
        args += ["--edition", edition]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def young_sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return band_handouts(tmp_path_factory.mktemp("young"), "5-7")


def body_words(pdf: Path, first: int = 1, last: int | None = None) -> list[str]:
    """The words on the page bodies (inside the margins: no running header or footer) of pages
    ``first`` to ``last`` (default: all); a word is a run of text with at least one letter, so
    list numbers and phone digits do not count."""
    with pikepdf.open(pdf) as doc:
        box = [float(v) for v in doc.pages[0].MediaBox]
        last = len(doc.pages) if last is None else last
    width, height = box[2] - box[0], box[3] - box[1]
    top, bottom = TOP_MARGIN_MM * MM, BOTTOM_MARGIN_MM * MM
    text = subprocess.run(["pdftotext", "-q", "-f", str(first), "-l", str(last), "-x", "0",
                           "-y", str(int(top)), "-W", str(int(width)), "-H",
                           str(int(height - top - bottom)), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [t for t in text.split() if re.search(r"[^\W\d_]", t)]


def pictures(pdf: Path) -> list[str]:
    """Alt texts of the Figure structure elements that are not QR codes (whose alt names a URL)."""
    return [alt for alt in figure_alts(pdf) if "://" not in alt]


def bordered_boxes(pdf: Path) -> list[tuple[int, float, float]]:
    """(page, width mm, height mm) of each rectangle drawn as a solid border: WeasyPrint fills
    the ring between an outer and an inner ``re`` with ``f*``. Rounded boxes (the help box,
    "Remember") are drawn with curves and are not listed."""
    found: list[tuple[int, float, float]] = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            ctm, saved, rects = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    saved.append(ctm)
                elif op == "Q":
                    ctm = saved.pop() if saved else ctm
                elif op == "cm":
                    a, b = [float(x) for x in operands], ctm
                    ctm = [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
                           a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
                           a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]
                elif op == "re":
                    w, h = float(operands[2]), float(operands[3])
                    rects.append((abs(w * ctm[0]) / MM, abs(h * ctm[3]) / MM))
                elif op == "f*":
                    if len(rects) >= 2:
                        w, h = max(rects, key=lambda r: r[0] * r[1])
                        found.append((number, w, h))
                    rects = []
                elif op in ("f", "F", "S", "n", "B", "b", "s", "W", "W*"):
                    rects = []
    return found


def sheet(out: Path, edition: str, module: str) -> Path:
    return out / edition / "5-7" / module / "handout.pdf"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("module", YOUNG)
def test_young_handout_is_one_sheet_of_few_words_with_pictures(young_sheets: Path, edition: str,
                                                                module: str) -> None:
    pdf = sheet(young_sheets, edition, module)
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) <= MAX_PAGES, f"{pdf}: {len(doc.pages)} pages"
    words = body_words(pdf)
    assert 60 < len(words) <= MAX_WORDS, f"{pdf}: {len(words)} words"
    assert len(pictures(pdf)) >= MIN_PICTURES, f"{pdf}: pictures {pictures(pdf)}"


@pytest.fixture(scope="module")
def early_sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return band_handouts(tmp_path_factory.mktemp("early"), "8-10")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("module", EARLY)
def test_early_reader_handout_content_is_one_sheet(early_sheets: Path, edition: str,
                                                   module: str) -> None:
    """The content (every page before the exit slip; a blank verso has no body words) is at
    most 2 pages and 450 words, so the handout is one sheet plus the slip."""
    pdf = early_sheets / edition / "8-10" / module / "handout.pdf"
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
    slip = body_words(pdf, pages, pages)
    assert len(slip) > 10, f"{pdf}: the last page is not the exit slip"
    content = [p for p in range(1, pages) if body_words(pdf, p, p)]
    assert content and max(content) <= EARLY_MAX_PAGES, f"{pdf}: content on pages {content}"
    words = body_words(pdf, 1, pages - 1)
    assert 200 < len(words) <= EARLY_MAX_WORDS, f"{pdf}: {len(words)} words"
    assert len(pictures(pdf)) >= 4, f"{pdf}: pictures {pictures(pdf)}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_young_work_areas_are_at_least_the_pre_reader_sizes(young_sheets: Path,
                                                            edition: str) -> None:
    size = SHEETS["pre-reader"]
    for module, boxes in DRAWING.items():
        big = [b for b in bordered_boxes(sheet(young_sheets, edition, module)) if b[2] > 30]
        assert len(big) == boxes, f"{module}: {big}"
        for _page, width, height in big:
            assert height >= size.drawing_mm and width >= 60, f"{module}: {width}x{height} mm"
    for module in HAND:
        big = [b for b in bordered_boxes(sheet(young_sheets, edition, module)) if b[2] > 30]
        assert len(big) == 1, f"{module}: {big}"
        assert big[0][2] >= size.hand_mm and big[0][1] >= 100, f"{module}: {big}"


@pytest.mark.parametrize(("band", "sheet_name", "boxes"),
                         [("8-10", "early-reader", 2), ("11-13", "reader", 1)])
def test_drawing_boxes_are_sized_per_band(project: Path, tmp_path: Path, band: str,
                                          sheet_name: str, boxes: int) -> None:
    text = (project / MODULE).read_text()
    index = text.index(f'  "{band}":')
    text = text[:index] + text[index:].replace(
        "      type: writing\n", "      type: drawing\n", 1)
    (project / MODULE).write_text(text)
    out = tmp_path / "out"
    result = run("build", "--project", project, "--out", out, "--band", band, "--edition",
                 "en-GB", "--doc", "handout", "--format", "pdf", "--no-packs", "--jobs", "1")
    assert result.exit_code == 0, result.output
    (pdf,) = out.rglob("handout.pdf")
    big = [b for b in bordered_boxes(pdf) if b[2] > 30]
    assert len(big) == boxes  # one box per prompt
    assert all(h >= SHEETS[sheet_name].drawing_mm for _p, _w, h in big), big
    if sheet_name == "reader":
        assert all(h < SHEETS["early-reader"].drawing_mm for _p, _w, h in big), big


def test_every_activity_type_prints(tmp_path: Path) -> None:
    """Each type's work area is in the HTML of a real build (one project per type)."""
    marks = {"drawing": 'class="draw-box"', "hand": 'class="hand-box"',
             "feelings": 'class="faces"', "tick-cross": 'class="tick-box"',
             "true-false": 'class="tick-box"', "matching": 'class="match-right"',
             "ladder": 'class="ladder-rungs"', "sort-cards": 'class="card"',
             "role-play": 'class="card"', "writing": 'write-line'}
    assert set(marks) == set(ACTIVITY_TYPES)
    for kind in ACTIVITY_TYPES:
        root = make_project(tmp_path / kind)
        prompts = "        - At home\n        - At school\n"
        extra = ""
        if kind == "hand":
            prompts += "        - Outside my home\n        - One more\n        - One more again\n"
        if kind == "matching":
            extra = "      matches:\n        - Mum\n        - Ms Lee\n"
        if kind == "sort-cards":
            extra = "      sort_into: [Tell, Fine]\n"
        edit(root, MODULE, "      type: writing\n", f"      type: {kind}\n")
        edit(root, MODULE, "      prompts:\n        - At home\n        - At school\n",
             f"      prompts:\n{prompts}{extra}")
        out = tmp_path / f"{kind}-out"
        result = run("build", "--project", root, "--out", out, "--band", "8-10", "--edition",
                     "en-GB", "--doc", "handout", "--format", "html", "--no-packs")
        assert result.exit_code == 0, (kind, result.output)
        html = next(out.rglob("handout.html")).read_text()
        assert f"activity-{kind}" in html and marks[kind] in html, kind
        if kind == "matching":  # the right column is never printed in the answer order
            assert html.index("Ms Lee") < html.index("Mum")


def test_unknown_activity_type_is_an_error_with_the_choices(project: Path) -> None:
    edit(project, MODULE, "      type: writing\n", "      type: drawng\n")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:44:13: error schema.choice 'content.8-10.activity.type' is "
                           "'drawng' — did you mean 'drawing'? expected one of: 'drawing', 'hand'")


def test_hand_needs_a_label_per_finger(project: Path) -> None:
    edit(project, MODULE, "      type: writing\n", "      type: hand\n")
    (line,) = check_lines(project)
    assert line == (f"{MODULE}:48:9: error activity.hand band 8-10: a hand activity has 2 "
                    "prompts — write 5, one label per finger (thumb first)")


@pytest.mark.parametrize(("height", "message"), [
    (30, "a 30 mm drawing box is smaller than the 55 mm this band's (early-reader) sheets give"),
    (230, "a 230 mm drawing box cannot fit on the page"),
])
def test_drawing_box_that_cannot_fit_is_an_error(project: Path, height: int,
                                                 message: str) -> None:
    edit(project, MODULE, "      type: writing\n",
         f"      type: drawing\n      box_height_mm: {height}\n")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:45:22: error activity.box-size band 8-10: {message}")
