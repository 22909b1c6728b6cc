"""The slide model as an editable PowerPoint file (python-pptx): bytes, nothing else.

Each slide uses the "Title Only" layout, so its title is a real title placeholder (screen
readers and PowerPoint's outline use it); the items go in one text box placed and sized as
``slidefit`` decided, at the font size the model chose, with exact line spacing (1.3 em) and
space after (0.45 em) — the numbers the fit computed with. Every run names its typefaces:
``a:latin`` Noto Sans, ``a:ea`` Noto Sans CJK KR, ``a:cs`` Noto Sans Thai (Noto Sans Arabic in
Arabic decks), and carries the edition's language, so Thai and Korean show in PowerPoint and
Impress without a font substitution. Korean lines end with a line break where the fit wrapped
them (Impress would break inside words). QR codes are PNG pictures with alt text. Presenter
notes hold the plan's steps and the answers.

The same deck gives the same bytes: fixed document dates and zip entry dates.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..content.markup import plain_text
from . import slidefit as fit
from .pictures import picture_svg
from .slides import Deck, Item, Slide

TITLE_ONLY_LAYOUT = 5
FIXED_DATE = dt.datetime(2000, 1, 1)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DeckInfo:
    """What the PPTX needs besides the slides: language, direction, footer, metadata."""

    lang: str
    """BCP 47 tag for runs (``th-TH``, ``ko-KR``, ``en-GB``)."""
    rtl: bool
    footer: str
    author: str
    qr_alt: str = "QR code for {url}"
    keep_words: bool = False
    """Korean: do not break inside a word (``eaLnBrk="0"``)."""
    pictures: Path | None = None
    """The pictogram folder (``assets/pictograms``) the deck's pictures come from."""


def _fonts(rtl: bool) -> dict[str, str]:
    complex_script = fit.FONTS["arabic"] if rtl else fit.FONTS["thai"]
    return {"a:latin": fit.FONTS["latin"], "a:ea": fit.FONTS["cjk"], "a:cs": complex_script}


def _style_run(run, size: float, bold: bool, info: DeckInfo, lang: str = "") -> None:  # noqa: ANN001
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", lang or info.lang)
    for tag, face in _fonts(info.rtl).items():
        etree.SubElement(rpr, qn(tag)).set("typeface", face)


def _paragraph(paragraph, size: float, info: DeckInfo, bullet: str = "",  # noqa: ANN001
               number: int = 0, last: bool = False, picture: bool = False) -> None:
    paragraph.line_spacing = Pt(size * fit.LINE)
    paragraph.space_after = Pt(0 if last else size * fit.PARA_GAP)
    paragraph.alignment = PP_ALIGN.RIGHT if info.rtl else PP_ALIGN.LEFT
    ppr = paragraph._p.get_or_add_pPr()
    if info.rtl:
        ppr.set("rtl", "1")
    if info.keep_words:
        ppr.set("eaLnBrk", "0")
    if picture:  # the pictogram stands where the bullet would: every line indented
        ppr.set("marL", str(int(Pt(fit.PICTURE_INDENT * size))))
        ppr.set("indent", "0")
        etree.SubElement(ppr, qn("a:buNone"))
    elif bullet or number:
        indent = int(Pt(fit.INDENT * size))
        ppr.set("marL", str(indent))
        ppr.set("indent", str(-indent))
        if number:
            etree.SubElement(ppr, qn("a:buFont")).set("typeface", fit.FONTS["latin"])
            auto = etree.SubElement(ppr, qn("a:buAutoNum"))
            auto.set("type", "arabicPeriodR" if info.rtl else "arabicPeriod")
            auto.set("startAt", str(number))
        else:
            etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
            etree.SubElement(ppr, qn("a:buChar")).set("char", bullet)
    else:
        etree.SubElement(ppr, qn("a:buNone"))


def _frame(shape, vertical=MSO_ANCHOR.TOP):  # noqa: ANN001, ANN202 - python-pptx shapes
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = vertical
    return frame


_SOFT_BREAK = re.compile(r"[ \t\r\n]+")


def _item_text(item: Item) -> tuple[str, str]:
    """Term and text as the HTML shows them: a line end in the YAML is a space (in ``a:t`` it
    would be a line break in Impress, where the fit counted none)."""
    term = plain_text(item.term) if item.term and item.markdown else item.term
    return _SOFT_BREAK.sub(" ", term), _SOFT_BREAK.sub(" ", item.plain)


def _add_items(frame, slide: Slide, info: DeckInfo) -> None:  # noqa: ANN001
    size = slide.body_pt
    for index, item in enumerate(slide.items):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        last = index == len(slide.items) - 1
        if item.style == "number":
            _paragraph(paragraph, size, info, number=item.number or 1, last=last)
        elif item.picture:
            _paragraph(paragraph, size, info, last=last, picture=True)
        elif item.style == "bullet":
            _paragraph(paragraph, size, info, bullet="•", last=last)
        else:
            _paragraph(paragraph, size, info, last=last)
        term, text = _item_text(item)
        lang = "en" if item.fallback else ""  # English fallback: spell-checked, read as English
        parts = [(f"{term} — ", True, ""), (text, item.bold, lang)] if term else \
            [(text, item.bold, lang)]
        inner = slide.body_w - fit.box_indent(item.box, size)
        _add_text(paragraph, parts, size, info, inner, bool(term) or item.bold)


def _add_text(paragraph, parts: list[tuple[str, bool, str]], size: float,  # noqa: ANN001
              info: DeckInfo, width: float, measure_bold: bool) -> None:
    """Runs of (text, bold, lang). In Korean decks, a line break (``a:br``) after the space
    where ``slidefit`` wrapped the line: Impress breaks inside Korean words otherwise (it
    ignores ``eaLnBrk``); the words stay whole, the space stays, so the text reads, searches
    and re-flows as typed once a teacher deletes the break."""
    full = "".join(text for text, _, _ in parts)
    starts = fit.line_starts(full, size, width, measure_bold) if info.keep_words else ()
    offset = 0
    for text, bold, lang in parts:
        cuts = [s - offset for s in starts if offset < s < offset + len(text)]
        if offset in starts and offset:
            _line_break(paragraph, size, info)
        for begin, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
            if begin:
                _line_break(paragraph, size, info)
            _style_run(_run(paragraph, text[begin:end]), size, bold, info, lang)
        offset += len(text)


def _add_item_pictures(page, slide: Slide, left: float, info: DeckInfo) -> None:  # noqa: ANN001
    """Each pictured item's pictogram at the start of its first line (the fit's positions)."""
    if info.pictures is None or not any(i.picture for i in slide.items):
        return
    size = slide.body_pt
    side = fit.PICTURE_EM * size
    tops = fit.item_tops([i.box for i in slide.items], size, slide.body_w)
    for item, top in zip(slide.items, tops, strict=True):
        if item.picture:
            x = left + slide.body_w - side if info.rtl else left
            _add_picture(page, info.pictures, item.picture, item.picture_alt, x,
                         slide.body_top + top, side).name = "Picture"


def _add_picture(page, folder: Path, picture: str, alt: str, left: float,  # noqa: ANN001, ANN202
                 top: float, side: float):
    shape = page.shapes.add_picture(io.BytesIO(_picture_png(folder, picture)), Pt(left),
                                    Pt(top), Pt(side), Pt(side))
    shape._element.nvPicPr.cNvPr.set("descr", alt)
    return shape


@lru_cache(maxsize=64)
def _picture_png(folder: Path, picture: str) -> bytes:
    """The pictogram as a 384 px PNG (PowerPoint and Impress both show PNG; python-pptx does
    not take SVG): the same black-stroke SVG the HTML and PDF draw, rendered by cairosvg."""
    import cairosvg

    svg = picture_svg(folder, picture).encode("utf-8")
    return cairosvg.svg2png(bytestring=svg, output_width=384, output_height=384)


def _line_break(paragraph, size: float, info: DeckInfo) -> None:  # noqa: ANN001
    rpr = paragraph._p.add_br().get_or_add_rPr()
    rpr.set("lang", info.lang)
    rpr.set("sz", str(round(size * 100)))


def _run(paragraph, text: str):  # noqa: ANN001, ANN202
    run = paragraph.add_run()
    run.text = text
    return run


@lru_cache(maxsize=256)
def qr_png_bytes(url: str) -> bytes:
    """The PNG of ``url``'s QR code, made once per process: a deck repeats its codes on many
    slides (96 codes in the 29 en-GB decks, ~18% of the PPTX time when made every time)."""
    import segno

    out = io.BytesIO()
    segno.make_qr(url, error="m", boost_error=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def _qr_png(url: str) -> io.BytesIO:
    # a fresh stream each time: python-pptx reads it to the end
    return io.BytesIO(qr_png_bytes(url))


def _add_slide(prs, slide: Slide, number: int, total: int, info: DeckInfo) -> None:  # noqa: ANN001
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    title = page.shapes.title
    title.left, title.top = Pt(fit.MARGIN_X), Pt(fit.TITLE_TOP)
    title.width, title.height = Pt(fit.SLIDE_W - 2 * fit.MARGIN_X), Pt(slide.title_h)
    frame = _frame(title)
    _paragraph(frame.paragraphs[0], slide.title_pt, info, last=True)
    _add_text(frame.paragraphs[0], [(plain_text(slide.title), True, "")], slide.title_pt, info,
              fit.SLIDE_W - 2 * fit.MARGIN_X, True)

    left = fit.MARGIN_X
    if info.rtl and slide.side:
        left += fit.QR_COLUMN + fit.QR_GAP
    body = page.shapes.add_textbox(Pt(left), Pt(slide.body_top), Pt(slide.body_w),
                                   Pt(slide.body_h))
    body.name = "Body"
    _add_items(_frame(body), slide, info)
    _add_item_pictures(page, slide, left, info)

    column = fit.MARGIN_X if info.rtl else fit.SLIDE_W - fit.MARGIN_X - fit.QR_COLUMN
    top = slide.body_top
    if slide.scene and info.pictures:
        _add_picture(page, info.pictures, slide.scene, slide.scene_alt, column, top,
                     fit.SCENE_PT).name = "Scene"
        top += fit.SCENE_PT + fit.QR_SPACING
    for url, label in slide.qr:
        picture = page.shapes.add_picture(_qr_png(url), Pt(column + (fit.QR_COLUMN - fit.QR_PT)
                                                           / 2), Pt(top),
                                          Pt(fit.QR_PT), Pt(fit.QR_PT))
        picture._element.nvPicPr.cNvPr.set("descr", info.qr_alt.replace("{url}", url))
        block = fit.qr_block_height(label)
        caption = page.shapes.add_textbox(Pt(column), Pt(top + fit.QR_PT + 2.0),
                                          Pt(fit.QR_COLUMN), Pt(block - fit.QR_PT - 2.0))
        caption.name = "QR caption"
        frame = _frame(caption)
        _paragraph(frame.paragraphs[0], fit.CAPTION_PT, info, last=True)
        frame.paragraphs[0].alignment = PP_ALIGN.CENTER
        _add_text(frame.paragraphs[0], [(label, False, "")], fit.CAPTION_PT, info,
                  fit.QR_COLUMN, False)
        top += block

    footer = page.shapes.add_textbox(Pt(fit.MARGIN_X), Pt(fit.FOOTER_TOP),
                                     Pt(fit.SLIDE_W - 2 * fit.MARGIN_X), Pt(fit.FOOTER_PT * 1.6))
    footer.name = "Footer"
    frame = _frame(footer)
    _paragraph(frame.paragraphs[0], fit.FOOTER_PT, info, last=True)
    _style_run(_run(frame.paragraphs[0], f"{info.footer} · {number} / {total}"),
               fit.FOOTER_PT, False, info)

    notes = page.notes_slide.notes_text_frame
    for index, note in enumerate(slide.notes):
        paragraph = notes.paragraphs[0] if index == 0 else notes.add_paragraph()
        if info.rtl:
            paragraph._p.get_or_add_pPr().set("rtl", "1")
        _style_run(_run(paragraph, note), 12, False, info)


def deck_pptx(deck: Deck, info: DeckInfo) -> bytes:
    """The PPTX file's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(fit.SLIDE_W), Pt(fit.SLIDE_H)
    props = prs.core_properties
    props.title = plain_text(deck.title)
    props.author = props.last_modified_by = info.author
    props.language = info.lang
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    for number, slide in enumerate(deck.slides, start=1):
        _add_slide(prs, slide, number, len(deck.slides), info)
    raw = io.BytesIO()
    prs.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same entries, in the same order, dated 1980-01-01 (python-pptx stamps now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
