"""Thai SARA AM reads back as the one letter the source has: ``/ActualText`` spans.

The print copy writes SARA AM (U+0E33) as NIKHAHIT + SARA AA (``i18n/linebreak.py``): the same
two glyphs HarfBuzz draws for it, each with an unambiguous entry in the font's ToUnicode map.
Text extraction then gives the decomposed pair. A ToUnicode map cannot do better — it maps a
glyph, and the SARA AA glyph of "ำ" is the glyph of every plain "า" — so each NIKHAHIT glyph
followed by a SARA AA glyph in a ``TJ`` is drawn by its own ``TJ`` inside
``/Span <</ActualText (ำ)>> BDC … EMC``. Glyph positions are unchanged: consecutive ``TJ``
operators continue from where the previous one stopped, and the kerning numbers between the
two glyphs go with them.
"""

from __future__ import annotations

import re
from typing import Any

NIKHAHIT, SARA_AA, SARA_AM = 0x0E4D, 0x0E32, "\u0e33"
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
Codes = tuple[dict[bytes, str], frozenset[bytes]]
"""(NIKHAHIT-ending code → the text its pair with SARA AA stands for, SARA AA codes)."""


class ActualText:
    """Per-font glyph codes of NIKHAHIT and SARA AA, and the ``TJ`` split that marks pairs."""

    def __init__(self, pikepdf: Any) -> None:
        self.pikepdf = pikepdf
        self._fonts: dict[tuple[int, int], Codes | None] = {}

    def font(self, font: Any) -> Codes | None:
        """The NIKHAHIT and SARA AA codes of a two-byte font that has both, else None."""
        if font is None or font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
            return None
        key = font.objgen
        if key not in self._fonts:
            self._fonts[key] = _thai_codes(font.ToUnicode.read_bytes())
        return self._fonts[key]

    def split(self, array: Any, font: Codes) -> list | None:
        """The ``TJ`` operand as several ``TJ`` instructions, each NIKHAHIT + SARA AA pair in an
        ActualText span; None when the array has no pair."""
        items: list[Any] = []  # two-byte codes (bytes) and kerning numbers, in order
        for item in array:
            if isinstance(item, self.pikepdf.String):
                raw = bytes(item)
                items += [raw[i:i + 2] for i in range(0, len(raw) - 1, 2)]
            else:
                items.append(item)
        segments = _segments(items, font)
        if segments is None:
            return None
        pdf = self.pikepdf
        out = []
        for actual, part in segments:
            if actual is not None:
                span = pdf.Dictionary(ActualText=pdf.String(actual))
                out.append(pdf.ContentStreamInstruction([pdf.Name.Span, span],
                                                        pdf.Operator("BDC")))
            operand = pdf.Array([pdf.String(bytes(a)) if isinstance(a, bytearray) else a
                                 for a in _joined(part)])
            out.append(pdf.ContentStreamInstruction([operand], pdf.Operator("TJ")))
            if actual is not None:
                out.append(pdf.ContentStreamInstruction([], pdf.Operator("EMC")))
        return out

    @staticmethod
    def split_bytes(array: bytes, font: Codes) -> bytes | None:
        """The same for a ``TJ`` array written as WeasyPrint writes it (hex strings and numbers,
        without the brackets): the replacement for ``[array] TJ``, or None."""
        items: list[Any] = []
        for hex_string, number in _TJ_ITEM.findall(array):
            if number:
                items.append(number.decode("ascii"))  # a str: codes are bytes
            else:
                raw = bytes.fromhex(hex_string.decode())
                items += [raw[i:i + 2] for i in range(0, len(raw) - 1, 2)]
        segments = _segments(items, font)
        if segments is None:
            return None
        out = []
        for actual, part in segments:
            tj = b"[" + b"".join(b"<" + bytes(a).hex().encode() + b">"
                                 if isinstance(a, bytearray) else f" {a} ".encode()
                                 for a in _joined(part)) + b"] TJ"
            if actual is not None:
                text = (b"\xfe\xff" + actual.encode("utf-16-be")).hex().encode()
                tj = b"/Span <</ActualText <" + text + b">>> BDC\n" + tj + b"\nEMC"
            out.append(tj)
        return b"\n".join(out)


_TJ_ITEM = re.compile(rb"<([0-9a-fA-F\s]*)>|([-+]?[0-9]*\.?[0-9]+)")


def _segments(items: list[Any], font: Codes) -> list[tuple[str | None, list]] | None:
    """``items`` cut into runs: (None, plain run) and (actual text, NIKHAHIT … SARA AA)."""
    nikhahit, sara_aa = font
    pairs = []
    last_code = None
    for index, item in enumerate(items):
        if isinstance(item, bytes):
            if item in sara_aa and last_code is not None and items[last_code] in nikhahit:
                pairs.append((last_code, index))
            last_code = index
    if not pairs:
        return None
    segments: list[tuple[str | None, list]] = []
    start = 0
    for first, last in pairs:
        if items[start:first]:
            segments.append((None, items[start:first]))
        segments.append((nikhahit[items[first]], items[first:last + 1]))
        start = last + 1
    if items[start:]:
        segments.append((None, items[start:]))
    return segments


def _joined(items: list[Any]) -> list[Any]:
    """Adjacent codes joined into one string (a bytearray); numbers kept between them."""
    array: list[Any] = []
    for item in items:
        if isinstance(item, bytes):
            if array and isinstance(array[-1], bytearray):
                array[-1] += item
            else:
                array.append(bytearray(item))
        else:
            array.append(item)
    return array


def _thai_codes(cmap: bytes) -> Codes | None:
    """From a ToUnicode CMap's bfchar entries: each code whose text ends in NIKHAHIT, with the
    text its pair with SARA AA stands for (a ligature of MAI EK + NIKHAHIT maps to "่ํ", so
    "ต่ํา" must read "ต่ำ"), and the codes of SARA AA."""
    nikhahit: dict[bytes, str] = {}
    sara_aa: set[bytes] = set()
    for block in _BFCHAR_BLOCK.findall(cmap):
        for code, text in _BFCHAR.findall(block):
            if len(code) != 4 or len(text) % 4:
                continue
            value = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            glyph = bytes.fromhex(code.decode())
            if value.endswith(chr(NIKHAHIT)):
                nikhahit[glyph] = value[:-1] + SARA_AM
            elif value == chr(SARA_AA):
                sara_aa.add(glyph)
    if not nikhahit or not sara_aa:
        return None
    return nikhahit, frozenset(sara_aa)
