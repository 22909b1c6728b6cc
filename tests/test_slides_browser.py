"""The HTML deck in headless Chromium (issue 17): keys advance, the presenter view shows the
notes, axe finds no serious issue, no slide's text runs past its box, right-to-left mirrors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, serious_axe_violations
from test_i18n_workflow import add_edition, catalogue, translate

ARABIC = "يمكنك دائمًا إيقاف أي محادثة وإخبار شخص بالغ تثق به."


def _visible(page) -> list[str]:  # noqa: ANN001 - a Playwright page
    return page.eval_on_selector_all(".slide", "s => s.filter(x => !x.hidden).map(x => x.id)")


def test_keys_and_clicks_move_through_the_deck(browser, built_mini: Path) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((built_mini / "site/en-GB/8-10/sample/slides.html").as_uri())
        total = page.locator(".slide").count()
        assert total >= 10 and _visible(page) == ["slide-1"]
        page.keyboard.press("ArrowRight")
        assert _visible(page) == ["slide-2"]
        page.keyboard.press(" ")
        assert _visible(page) == ["slide-3"]
        page.keyboard.press("ArrowLeft")
        assert _visible(page) == ["slide-2"]
        page.mouse.click(640, 360)
        assert _visible(page) == ["slide-3"]
        page.keyboard.press("End")
        assert _visible(page) == [f"slide-{total}"]
        page.keyboard.press("Home")
        page.keyboard.press("p")  # presenter view: this slide's notes, the next title, a timer
        assert page.is_visible("#presenter")
        assert "Lesson plan (30 min)" in page.inner_text("#current-notes")
        assert page.inner_text("#next-title") == "Learning objectives"
        assert page.inner_text("#timer").startswith("0:0")
        # at 1280 x 720 a slide fills the window exactly when not presenting
        page.keyboard.press("p")
        box = page.locator("#slide-1").bounding_box()
        assert box is not None and abs(box["width"] - 1280) < 2 and abs(box["height"] - 720) < 2
    finally:
        page.close()


@pytest.mark.parametrize("deck", ["en-GB/8-10/sample/slides.html",
                                  "en-US/11-13/sample/slides.html"])
def test_no_slide_scrolls_and_axe_is_clean(browser, built_mini: Path, deck: str) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((built_mini / "site" / deck).as_uri())
        total = page.locator(".slide").count()
        for number in range(1, total + 1):
            over = page.evaluate("""n => {
                const s = document.getElementById('slide-' + n);
                const out = [];
                for (const el of s.querySelectorAll('.slide-title, .slide-body, .slide-qr')) {
                  if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
                    out.push(el.className + ' ' + el.scrollHeight + '/' + el.clientHeight);
                }
                return out; }""", number)
            assert over == [], (number, over)
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Home")
        bad = serious_axe_violations(page)
    finally:
        page.close()
    assert bad == []


def test_right_to_left_deck_mirrors(browser, project: Path) -> None:  # noqa: ANN001
    add_edition(project, "- {id: ar-GB, locale: ar, country: GB}")
    translate(catalogue(project, "ar"), {"You can always stop a chat.": ARABIC})
    result = run("build", "--project", project, "--edition", "ar-GB", "--band", "8-10",
                 "--doc", "slides", "--format", "html")
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((project / "site/ar-GB/8-10/sample/slides.html").as_uri())
        assert page.get_attribute("html", "dir") == "rtl"
        page.keyboard.press("ArrowLeft")  # forward, in a right-to-left deck
        page.keyboard.press("ArrowLeft")
        assert _visible(page) == ["slide-3"]
        # the text itself (not its full-width box) sits at the right; the title too
        for selector in ("#slide-3 .slide-body li", "#slide-3 .slide-title"):
            left, right = page.evaluate("""sel => {
                const r = document.createRange();
                r.selectNodeContents(document.querySelector(sel));
                const b = r.getBoundingClientRect(); return [b.left, b.right]; }""", selector)
            assert right > 1280 - 64 - 60 and left > 200, (selector, left, right)  # bullet: 49 px
        page.keyboard.press("ArrowRight")
        assert _visible(page) == ["slide-2"]
    finally:
        page.close()


def test_qr_captions_fit_their_column_at_the_body_floor(browser, tmp_path: Path) -> None:  # noqa: ANN001
    """Real routes (the mini project has no URLs): every QR caption is at least the body's
    floor size (18 pt = 24 px) and the QR column neither scrolls nor runs into the footer."""
    from conftest import REPO

    result = run("build", "--project", REPO, "--out", tmp_path, "--edition", "en-AU", "--band",
                 "11-13", "--module", "getting-help", "--doc", "slides", "--format", "html",
                 "--no-packs")
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((tmp_path / "en-AU/11-13/getting-help/slides.html").as_uri())
        found = page.evaluate("""() => [...document.querySelectorAll('.slide-qr')].map(col => {
            const slide = col.closest('.slide'); slide.hidden = false;
            const foot = slide.querySelector('.slide-footer').getBoundingClientRect();
            const out = [col.scrollHeight <= col.clientHeight + 1,
                         col.getBoundingClientRect().bottom <= foot.top + 1,
                         ...[...col.querySelectorAll('figcaption')].map(
                             c => parseFloat(getComputedStyle(c).fontSize))];
            slide.hidden = true; return out; })""")
    finally:
        page.close()
    assert found and all(column[0] and column[1] for column in found), found
    sizes = [size for column in found for size in column[2:]]
    assert len(sizes) >= 3 and min(sizes) >= 24, sizes


def test_key_message_pictures_sit_where_chromium_sets_their_lines(browser,  # noqa: ANN001
                                                                  tmp_path: Path) -> None:
    """The PPTX places each key message's picture where the fit says the item starts; Chromium
    lays the same items out itself: the two agree, and each picture is level with its line."""
    from conftest import REPO
    from pptx import Presentation
    from pptx.util import Emu
    from test_slides_pictures import KEY_PICTURES

    result = run("build", "--project", REPO, "--out", tmp_path, "--edition", "en-GB", "--band",
                 "5-7", "--module", "getting-help", "--doc", "slides", "--format", "html",
                 "--format", "pptx", "--no-packs")
    assert result.exit_code == 0, result.output
    unit = tmp_path / "en-GB/5-7/getting-help"
    prs = Presentation(str(unit / "slides.pptx"))
    number, slide = next((n, s) for n, s in enumerate(prs.slides, start=1)
                         if s.shapes.title.text_frame.text == "Remember")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    pptx_tops = [Emu(sh.top - body.top).pt for sh in slide.shapes if sh.name == "Picture"]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((unit / "slides.html").as_uri())
        found = page.evaluate("""n => {
            const s = document.getElementById('slide-' + n); s.hidden = false;
            const scale = 960 / s.getBoundingClientRect().width;  // pt per CSS px
            const top = s.querySelector('.slide-body').getBoundingClientRect().top;
            return [...s.querySelectorAll('li.with-picture')].map(li => {
              const img = li.querySelector('img').getBoundingClientRect();
              const line = li.getBoundingClientRect();
              return [(line.top - top) * scale, (img.top - line.top) * scale,
                      img.height * scale]; }); }""", number)
    finally:
        page.close()
    assert len(found) == len(pptx_tops) == len(KEY_PICTURES) >= 3
    size = body.text_frame.paragraphs[0].runs[0].font.size.pt
    for (line_top, offset, height), pptx_top in zip(found, pptx_tops, strict=True):
        assert abs(line_top - pptx_top) < 2, (line_top, pptx_top)
        assert abs(offset) < 1 and abs(height - 1.3 * size) < 1
