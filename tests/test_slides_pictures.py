"""Pictograms on slides (issue 17 with issue 14's pictures): each key message's picture at the
start of its line and a story's scene in the side column, in the HTML deck, its PDF and the
PPTX (a PNG picture whose description is the translated alt text). Real lessons: 07-getting-help
5-7 names pictures for its key messages and its story."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO, run
from pdfua import pdfua_faults
from pptx import Presentation
from pptx.util import Emu
from test_pictures import figure_alts

from lessonpack.content.pictures import PICTURES
from lessonpack.render import slidefit as fit

# the pictures the lesson names for its 5-7 key messages (read from the source, not copied)
KEY_PICTURES = yaml.safe_load((REPO / "lessons/07-getting-help/module.yaml").read_text(
    encoding="utf-8"))["content"]["5-7"]["key_message_pictures"]
UNIT = "en-GB/5-7/getting-help"


def _pt(value: int) -> float:
    return Emu(value).pt


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pictured")
    result = run("build", "--project", REPO, "--out", out, "--edition", "en-GB", "--band",
                 "5-7", "--module", "getting-help", "--doc", "slides", "--no-packs")
    assert result.exit_code == 0, result.output
    return out / UNIT


def _slide(prs, title: str):  # noqa: ANN001, ANN202
    return next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith(title))


def test_pptx_key_messages_carry_their_pictures_at_each_line(pictured: Path) -> None:
    prs = Presentation(str(pictured / "slides.pptx"))
    slide = _slide(prs, "Remember")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    pictures = [sh for sh in slide.shapes if sh.name == "Picture"]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == \
        [PICTURES[p] for p in KEY_PICTURES]
    assert all(p.image.content_type == "image/png" for p in pictures)
    size = body.text_frame.paragraphs[0].runs[0].font.size.pt
    boxes = [fit.Box(p.text, True, False, picture=True) for p in body.text_frame.paragraphs]
    tops = fit.item_tops(boxes, size, _pt(body.width))
    for picture, paragraph, top in zip(pictures, body.text_frame.paragraphs, tops, strict=True):
        # the picture stands where the bullet would, one line high, level with its line
        assert abs(_pt(picture.top) - (_pt(body.top) + top)) < 0.5
        assert abs(_pt(picture.width) - fit.PICTURE_EM * size) < 0.5
        assert abs(_pt(picture.left) - _pt(body.left)) < 0.5
        assert abs(_pt(int(paragraph._p.pPr.get("marL"))) - fit.PICTURE_INDENT * size) < 0.5
        assert paragraph._p.pPr.find("{*}buNone") is not None  # no bullet beside the picture
        assert _pt(picture.top + picture.height) <= fit.BODY_BOTTOM


def test_pptx_story_shows_its_scene_in_the_side_column(pictured: Path) -> None:
    prs = Presentation(str(pictured / "slides.pptx"))
    slide = _slide(prs, "Story 1")
    scene = next(sh for sh in slide.shapes if sh.name == "Scene")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    assert scene._element.nvPicPr.cNvPr.get("descr") == PICTURES["tablet-smartphone"]
    assert _pt(scene.left) == fit.SLIDE_W - fit.MARGIN_X - fit.QR_COLUMN
    assert _pt(body.left + body.width) <= _pt(scene.left) - fit.QR_GAP + 0.5  # no overlap
    story = body.text_frame.paragraphs[0].text
    assert "\n" not in story and "knot in her tummy" in story  # a YAML line end is a space


def test_html_and_pdf_decks_show_the_same_pictures(pictured: Path) -> None:
    html = (pictured / "slides.html").read_text(encoding="utf-8")
    for picture in (*KEY_PICTURES, "tablet-smartphone"):
        assert f'alt="{PICTURES[picture]}"' in html
    assert html.count('class="with-picture"') == len(KEY_PICTURES)
    alts = figure_alts(pictured / "slides.pdf")  # tagged figures with their alt text
    for picture in (*KEY_PICTURES, "tablet-smartphone"):
        assert PICTURES[picture] in alts
    assert pdfua_faults(pictured / "slides.pdf") == []


def test_pictured_deck_is_the_same_bytes_twice(pictured: Path, tmp_path: Path) -> None:
    result = run("build", "--project", REPO, "--out", tmp_path, "--edition", "en-GB", "--band",
                 "5-7", "--module", "getting-help", "--doc", "slides", "--format", "pptx",
                 "--no-packs")
    assert result.exit_code == 0, result.output
    assert (tmp_path / UNIT / "slides.pptx").read_bytes() == \
        (pictured / "slides.pptx").read_bytes()
