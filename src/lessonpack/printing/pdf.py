"""HTML → PDF with WeasyPrint: no network, no files outside the project, same bytes every time.

WeasyPrint's default fetcher reads ``file:`` and ``http(s):`` URLs and follows redirects
(shared/reference/rendering-notes.md); :class:`ProjectFetcher` serves only ``data:`` URLs and
files inside the project's asset folders, and records everything it refused.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import fontcut, pdfua, stylecache, tagging

# Reproducible output: fontTools' fallback subsetter stamps the time unless this is set.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


# Tagged PDF/UA-1: structure tree, document title shown, language, alt text (WeasyPrint 62+);
# tagging.py and pdfua.py add what WeasyPrint 70 leaves out (docs/architecture.md).
PDF_VARIANT = "pdf/ua-1"


class PdfSetupError(Exception):
    """The machine cannot render PDFs the way lessonpack promises (says how to fix it)."""


def check_hb_subset() -> None:
    """Fail early when HarfBuzz's subsetter is missing: fontTools is slow and not reproducible."""
    from weasyprint.text import ffi

    if getattr(ffi, "harfbuzz_subset", None) is None:
        raise PdfSetupError(
            "libharfbuzz-subset0 is not installed: PDFs would be slow (50x for Korean) and "
            "differ between runs. Install it: apt-get install libharfbuzz-subset0")


@dataclass
class ProjectFetcher:
    """A WeasyPrint URL fetcher limited to ``data:`` and the project's asset folders."""

    allowed_dirs: tuple[Path, ...]
    refused: list[str] = field(default_factory=list)
    # Read by weasyprint.urls.fetch (WeasyPrint 70): False turns a refusal into a warning, so
    # layout goes on and every refused URL is recorded (the builder then fails the document
    # and names each one). Without the attribute a refusal was an AttributeError.
    _fail_on_errors: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        from weasyprint.urls import URLFetcher

        self._inner = URLFetcher(allowed_protocols={"data"}, allow_redirects=False,
                                 fail_on_errors=True)

    def __call__(self, url: str, *args, **kwargs):  # noqa: ANN002, ANN003 - WeasyPrint's API
        return self.fetch(url)

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint type
        from weasyprint.urls import URLFetcherResponse

        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._inner.fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(d.resolve()) for d in self.allowed_dirs) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=io.BytesIO(path.read_bytes()),
                                          headers={"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"lessonpack does not fetch {url}")


def register_cut_faces(font_config: object) -> list[fontcut.CutFace]:
    """Register the Korean cut (``fontcut``) in ``font_config``; the faces, or ``[]``."""
    from weasyprint import CSS

    faces = fontcut.prepare()
    if faces:
        # parsing @font-face with a font_config registers the faces in it (WeasyPrint's
        # documented way); the sheet itself is not needed afterwards
        CSS(string=fontcut.font_face_rules(faces), font_config=font_config,
            url_fetcher=ProjectFetcher(tuple({face.path.parent for face in faces})))
    return faces


class PdfPrinter:
    """Prints HTML to PDF bytes; one font configuration per printer (one per worker process)."""

    def __init__(self, base_dir: Path, asset_dirs: tuple[Path, ...]) -> None:
        from weasyprint.text.fonts import FontConfiguration

        check_hb_subset()
        tagging.install()
        stylecache.install()  # the shared stylesheet is parsed once per process
        # lessonpack reports what matters itself (refused URLs, missing glyphs, broken
        # templates); WeasyPrint's own warnings about ignored CSS would only be noise.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        self.base_dir = base_dir
        self.asset_dirs = asset_dirs
        self.font_config = FontConfiguration()
        self.image_cache: dict = {}
        self.cut_faces = register_cut_faces(self.font_config)

    def print_pdf(self, html: str, identifier: str) -> tuple[bytes, int, list[str]]:
        """(pdf bytes, page count, refused URLs)."""
        from weasyprint import HTML

        fetcher = ProjectFetcher(self.asset_dirs)
        if self.cut_faces:
            html = fontcut.prefer_cut(html)
        document = HTML(string=html, base_url=self.base_dir.as_uri() + "/",
                        url_fetcher=fetcher).render(font_config=self.font_config,
                                                    cache=self.image_cache)
        pdf = document.write_pdf(pdf_tags=True, pdf_variant=PDF_VARIANT,
                                 pdf_identifier=identifier.encode("utf-8"))
        return pdfua.finish(pdf), len(document.pages), fetcher.refused
