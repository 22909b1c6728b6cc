"""Pictograms on documents: a picture id → an ``<img>`` holding the vendored SVG, with alt text.

The SVGs are Lucide line icons (assets/pictograms/, ISC licence). Each is drawn black on
nothing: ``currentColor`` becomes ``#000`` and the stroke stays 2 units of a 24-unit box (at
the 14 mm a 5-7 sheet prints, a 1.2 mm line), so a picture survives black-and-white
photocopying and a low-toner printer. Like the QR codes (qr.py) the SVG is embedded as a
``data:`` URL, so a document's HTML works alone and its PDF draws the picture as a tagged
``Figure`` with ``/Alt`` (the translated alt text from content/pictures.py).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from ..content.pictures import PICTURES, pictogram_dir

SIZES = ("sm", "md", "lg")
"""CSS size classes (``picture-sm`` …); the millimetres are in templates/css/10-base.css."""

_COMMENT = re.compile(r"<!--.*?-->", re.S)


@lru_cache(maxsize=128)
def picture_svg(folder: Path, picture: str) -> str:
    """The SVG of ``picture``, black-and-white safe: black stroke, no fill, no comments."""
    if picture not in PICTURES:
        raise KeyError(f"unknown picture id {picture!r}")
    text = (folder / f"{picture}.svg").read_text(encoding="utf-8")
    text = _COMMENT.sub("", text)
    text = text.replace('stroke="currentColor"', 'stroke="#000"')
    text = re.sub(r'\sclass="[^"]*"', "", text)
    return " ".join(text.split())


@lru_cache(maxsize=128)
def picture_uri(folder: Path, picture: str) -> str:
    """A ``data:`` URL of the picture's SVG (the same bytes every run)."""
    data = base64.b64encode(picture_svg(folder, picture).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def picture_maker(root: Path, gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """The templates' ``picture(id, size="md", alt=None)``: an ``<img>`` with translated alt.

    ``alt=""`` marks a picture as decoration next to text that says the same thing (it is then
    an artifact for a screen reader). An unknown id never gets here: ``check`` refuses it."""
    folder = pictogram_dir(root)

    def picture(picture_id: str, size: str = "md", alt: str | None = None) -> Markup:
        size = size if size in SIZES else "md"
        text = gettext(PICTURES[picture_id]) if alt is None else alt
        return Markup('<img class="picture picture-{size}" src="{src}" alt="{alt}">').format(
            size=size, src=picture_uri(folder, picture_id), alt=escape(text))

    return picture
