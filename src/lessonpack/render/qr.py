"""QR codes for the URLs printed on documents: small SVGs, made at build time, same bytes every run.

A code is error level M (no boost, so the level never depends on the URL's length), keeps the
4-module quiet zone the standard asks for, and is drawn :data:`SIZE_MM` wide *including* that
quiet zone. For the routes' URLs (up to 62 characters: version 4, 41 modules with the quiet zone)
a module is about 0.5 mm when printed — scannable by a phone from a sheet of paper.

The SVG is embedded as a ``data:`` URL in an ``<img>``, which browsers and WeasyPrint both draw;
WeasyPrint's fetcher (pdf.py) accepts ``data:`` URLs and nothing from the network.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import segno

SIZE_MM = 20
"""Printed width and height of a code, quiet zone included."""
QUIET_ZONE = 4
"""Light modules around the symbol (ISO/IEC 18004 asks for 4)."""
ERROR_LEVEL = "m"


@lru_cache(maxsize=256)
def qr_svg(data: str) -> str:
    """The QR code for ``data`` as a standalone SVG document (dark on white, quiet zone kept)."""
    code = segno.make_qr(data, error=ERROR_LEVEL, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", border=QUIET_ZONE, dark="#000", light="#fff", xmldecl=False,
              nl=False, svgclass=None, lineclass=None, omitsize=True)
    svg = out.getvalue().decode("ascii")
    # viewBox only (omitsize) scales cleanly; a physical size helps viewers that ignore CSS.
    return svg.replace("<svg ", f'<svg width="{SIZE_MM}mm" height="{SIZE_MM}mm" '
                                'shape-rendering="crispEdges" ', 1)


@lru_cache(maxsize=256)
def qr_data_uri(data: str) -> str:
    """``data:image/svg+xml;base64,...`` for an ``<img src>`` (a Jinja filter: ``url|qr``)."""
    encoded = base64.b64encode(qr_svg(data).encode("ascii")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
