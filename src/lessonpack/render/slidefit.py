"""How much room a slide's text needs: measured with the fonts the deck names, in points.

The slide model (``slides.py``) asks this module three questions — how wide is this text at
this size, how many lines does it wrap to in this box, how tall is this list of items — and
the HTML deck, the 16:9 PDF and the PPTX all place text in the boxes and at the sizes it
chose. Widths come from the real Noto fonts (Pillow, with HarfBuzz shaping where Pillow has
it), found through fontconfig; where a font is missing, an average glyph width is used
(0.55 em Latin/Thai/Arabic, 1 em Hangul) so the fit errs on the roomy side.

Wrapping is greedy at spaces, like PowerPoint, Impress and browsers; a word wider than the
line (Thai is written without spaces between words) is broken where the renderer would
break it, which we do not know, so such text gets :data:`UNSPACED_SLACK` more room.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..i18n.glyphs import font_file

# --- geometry (points; a 16:9 slide is 960 x 540 pt = 13.333 x 7.5 in, PowerPoint's default)
SLIDE_W, SLIDE_H = 960.0, 540.0
MARGIN_X = 48.0
TITLE_TOP = 28.0
TITLE_GAP = 14.0
BODY_BOTTOM = 486.0
FOOTER_TOP = 500.0
FOOTER_PT = 12.0
QR_PT = 104.0
"""A QR code on a slide: 104 pt (36.7 mm on the PDF page; about 27 cm on a 2 m screen)."""
QR_GAP = 18.0
QR_COLUMN = 144.0
"""The side column's width (QR codes, a story's scene): a code centred, its caption wrapped in
the whole width."""
SCENE_PT = QR_COLUMN
"""A story's scene pictogram fills the side column."""
PICTURE_EM = 1.3
"""A key message's pictogram, in ems of the body text: one line high."""
PICTURE_INDENT = 1.8
"""A pictured item's text starts this many ems in (the picture, then a gap)."""
QR_SPACING = 10.0
LINE = 1.3
"""Line height in ems, the same in CSS (line-height) and PPTX (exact line spacing)."""
PARA_GAP = 0.45
"""Space after each item, in ems."""
INDENT = 1.3
"""Bullet/number indent, in ems."""
WIDTH_SAFETY = 0.94
"""Wrap in 94 % of the box: renderers differ a little in kerning and hinting."""
UNSPACED_SLACK = 1.15

TITLE_MAX, TITLE_FLOOR, TITLE_LINES = 36, 26, 2
BODY_MAX, BODY_FLOOR, BODY_STEP = 28, 18, 2
"""Body text shrinks from 28 pt to 18 pt (readable from the back of a classroom), then the
rest moves to a continuation slide."""
CAPTION_PT = float(BODY_FLOOR)
"""The route's short name under its QR code, so the class knows which code is which: as
large as the smallest body text, since it is read from the back of the room too."""

FONTS = {
    "latin": "Noto Sans",
    "thai": "Noto Sans Thai",
    "cjk": "Noto Sans CJK KR",
    "arabic": "Noto Sans Arabic",
}
"""What each script is set in, in this order of preference — the CSS font stack and the
typefaces the PPTX names (``a:latin``, ``a:cs``, ``a:ea``)."""
_AVERAGE_EM = {"latin": 0.55, "thai": 0.55, "cjk": 1.0, "arabic": 0.55}
_REFERENCE = 100  # measure at 100 pt and scale


def script_of(char: str) -> str:
    code = ord(char)
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    if (0x1100 <= code <= 0x11FF or 0x3000 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF
            or 0xFF00 <= code <= 0xFFEF):
        return "cjk"
    if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    return "latin"


_RUN = re.compile(r"[\u0e00-\u0e7f]+|[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+"
                  r"|[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]+|[^\u0e00-\u0e7f\u1100-\u11ff"
                  r"\u3000-\u9fff\uac00-\ud7af\uff00-\uffef\u0600-\u06ff\ufb50-\ufdff"
                  r"\ufe70-\ufeff]+")


@lru_cache(maxsize=16)
def _font(script: str, bold: bool):  # noqa: ANN202 - a PIL FreeTypeFont or None
    found = font_file(FONTS[script], bold)
    if found is None:
        return None
    from PIL import ImageFont

    try:
        return ImageFont.truetype(found[0], _REFERENCE, index=found[1])
    except OSError:
        return None


@lru_cache(maxsize=65536)
def _run_width(run: str, bold: bool) -> float:
    """Width of a one-script run at the reference size."""
    script = script_of(run[0])
    font = _font(script, bold)
    if font is None:
        return len(run) * _AVERAGE_EM[script] * _REFERENCE
    return float(font.getlength(run))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set at ``size`` pt, in points."""
    return sum(_run_width(run, bold) for run in _RUN.findall(text)) * size / _REFERENCE


_BREAKABLE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_WORD = re.compile(r"[^ \t\n\r\f\v]+")


def words(text: str) -> list[str]:
    """``text`` cut at the spaces a line may break at: not at NO-BREAK SPACE (phone
    numbers keep their digits together), which ``str.split`` would cut at."""
    return [w for w in _BREAKABLE_SPACE.split(text) if w]


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines ``text`` wraps to in a box ``width`` pt wide (greedy, at spaces)."""
    room = width * WIDTH_SAFETY
    space = text_width(" ", size, bold)
    lines, used = 1, 0.0
    for word in words(text):
        wide = text_width(word, size, bold)
        if wide > room:  # unspaced script or a long URL: broken inside, with slack
            if used:
                lines += 1
            extra = math.ceil(wide * UNSPACED_SLACK / room)
            lines += extra - 1
            used = (wide * UNSPACED_SLACK) % room or room
            continue
        if used and used + space + wide > room:
            lines += 1
            used = wide
        else:
            used += (space if used else 0.0) + wide
    return lines


def line_starts(text: str, size: float, width: float, bold: bool = False) -> tuple[int, ...]:
    """Where in ``text`` each line after the first starts, wrapped greedily at spaces as
    :func:`line_count` wraps it (the same number of lines). Empty when a word is wider than
    a line: the renderer breaks that word where it must, and the lines are not ours to fix.

    The PPTX puts a line break at each of these offsets in Korean text, since LibreOffice
    Impress breaks between any two Hangul syllables (docs/architecture.md)."""
    room = width * WIDTH_SAFETY
    space = text_width(" ", size, bold)
    starts: list[int] = []
    used = 0.0
    for match in _WORD.finditer(text):
        wide = text_width(match.group(), size, bold)
        if wide > room:
            return ()
        if used and used + space + wide > room:
            starts.append(match.start())
            used = wide
        else:
            used += (space if used else 0.0) + wide
    return tuple(starts)


@dataclass(frozen=True)
class Box:
    """A text item as the fit sees it: its plain text, whether it is indented (bullet or
    number) and whether it is bold."""

    text: str
    indented: bool = False
    bold: bool = False
    term: str = ""
    """Bold lead-in (``term — text``), measured bold."""
    picture: bool = False
    """A pictogram at its start instead of a bullet (indented :data:`PICTURE_INDENT`)."""


def box_indent(box: Box, size: float) -> float:
    """How far the box's text starts in from the body's start, in points."""
    if box.picture:
        return PICTURE_INDENT * size
    return INDENT * size if box.indented else 0.0


def box_lines(box: Box, size: float, width: float) -> int:
    inner = width - box_indent(box, size)
    if not box.term:
        return line_count(box.text, size, inner, box.bold)
    # "term — text" in one paragraph: measured all bold (wider, so on the safe side)
    return line_count(f"{box.term} — {box.text}", size, inner, bold=True)


def items_height(boxes: list[Box], size: float, width: float) -> float:
    """Height of a list of items at ``size``: lines x line height, plus the gaps between."""
    if not boxes:
        return 0.0
    lines = sum(box_lines(b, size, width) for b in boxes)
    return lines * size * LINE + (len(boxes) - 1) * size * PARA_GAP


def qr_block_height(caption: str) -> float:
    """A QR code, its caption (wrapped in the code's width) and the space below it."""
    lines = line_count(caption, CAPTION_PT, QR_COLUMN) if caption else 0
    return QR_PT + 2.0 + lines * CAPTION_PT * LINE + QR_SPACING


def item_tops(boxes: list[Box], size: float, width: float) -> list[float]:
    """Each item's top, in points below the body's top (where its pictogram goes)."""
    tops, y = [], 0.0
    for box in boxes:
        tops.append(y)
        y += box_lines(box, size, width) * size * LINE + size * PARA_GAP
    return tops


def body_sizes() -> list[int]:
    return list(range(BODY_MAX, BODY_FLOOR - 1, -BODY_STEP))


def title_fit(title: str, width: float) -> tuple[int, int]:
    """(size, lines): the largest title size from 36 to 26 pt that fits two lines; below
    that, the floor size with as many lines as it takes (the body gets less room)."""
    for size in range(TITLE_MAX, TITLE_FLOOR - 1, -2):
        lines = line_count(title, size, width, bold=True)
        if lines <= TITLE_LINES:
            return size, lines
    return TITLE_FLOOR, line_count(title, TITLE_FLOOR, width, bold=True)


def split_words(text: str, size: float, width: float, height: float,
                indented: bool = False) -> list[str]:
    """``text`` cut at spaces into pieces that each fit ``height`` (a last resort for a text
    too long for a whole slide at the floor size; the build warns at its source line).
    Unspaced text is cut between characters."""
    tokens = text.split(" ") if " " in text.strip() else list(text)
    joiner = " " if " " in text.strip() else ""
    pieces: list[str] = []
    current: list[str] = []
    for token in tokens:
        trial = joiner.join([*current, token])
        if current and items_height([Box(trial, indented)], size, width) > height:
            pieces.append(joiner.join(current))
            current = [token]
        else:
            current.append(token)
    if current:
        pieces.append(joiner.join(current))
    return pieces
