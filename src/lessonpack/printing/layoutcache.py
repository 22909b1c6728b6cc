"""A print pack's own laid-out pages (contents, routes appendix, blank verso), kept by the hash
of their HTML, so re-assembling a pack after an edit that moves no page range lays nothing out
and does not even import WeasyPrint (~1 s of the ~2 s a Korean pack took).

The key covers everything the layout depends on that lessonpack controls: the HTML as printed
(ranges, labels, routes, stylesheet, every text), the locale, the PDF identifier (the pack's
path), lessonpack's and WeasyPrint's versions. WeasyPrint writes the same bytes for the same
HTML, so a hit gives the bytes a layout would. At most ``KEEP`` files are kept (the oldest go
first); a cache that cannot be read or written only costs a layout.
"""

from __future__ import annotations

import contextlib
import hashlib
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..output import write_atomically

KEEP = 200


def _weasyprint_version() -> str:
    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "unknown"


class LayoutCache:
    """``get(html, locale, identifier)`` → (pdf, pages) or None; ``put(…, pdf)``. The
    identifier is the PDF's ``/ID`` seed (the pack's path), so it is part of the key too."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.versions = f"{__version__}\0{_weasyprint_version()}"

    def _path(self, html: str, locale: str, identifier: str) -> Path:
        key = hashlib.sha256(f"{self.versions}\0{locale}\0{identifier}\0{html}".encode())
        return self.folder / f"{key.hexdigest()}.pdf"

    def get(self, html: str, locale: str, identifier: str) -> tuple[bytes, int] | None:
        path = self._path(html, locale, identifier)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                return data, len(pdf.pages)
        except pikepdf.PdfError:
            return None

    def put(self, html: str, locale: str, identifier: str, pdf: bytes) -> None:
        with contextlib.suppress(OSError):
            write_atomically(self._path(html, locale, identifier), pdf)
            files = sorted(self.folder.glob("*.pdf"), key=lambda p: (p.stat().st_mtime_ns, p.name))
            for old in files[:-KEEP]:
                old.unlink(missing_ok=True)
