"""What the build adds for slide decks: the PPTX's metadata and the too-long-text warnings."""

from __future__ import annotations

from ..content.locales import html_lang, text_direction
from ..content.pictures import pictogram_dir
from ..content.yamlsafe import locate
from ..i18n.linebreak import needs_keep_words
from ..i18n.translations import Translator
from ..problems import Problems
from ..render.documents import Job, Renderer
from ..render.slidefit import BODY_FLOOR
from ..render.slides import Deck
from ..render.slides_pptx import DeckInfo


def deck_info(renderer: Renderer, job: Job, translator: Translator,
              percent: int) -> DeckInfo:
    """Language, direction, footer (with the draft mark, as in the HTML) for the PPTX."""
    project = renderer.project
    edition = project.edition(job.edition)
    curriculum = renderer.localised_curriculum(translator)
    band = next(b for b in curriculum.bands if b.id == job.band)
    footer = f"{curriculum.title} · {band.label}"
    if not translator.is_source and (translator.review_status != "reviewed" or percent < 100):
        footer += f" · {translator.gettext('Draft translation')}"
    return DeckInfo(lang=html_lang(edition.locale), rtl=text_direction(edition.locale) == "rtl",
                    footer=footer, author=curriculum.publisher,
                    qr_alt=translator.gettext("QR code for {url}"),
                    keep_words=needs_keep_words(edition.locale),
                    pictures=pictogram_dir(project.root))


def report_overflows(renderer_project, job: Job, deck: Deck, problems: Problems,  # noqa: ANN001
                     seen: set[tuple[str, int]]) -> None:
    """A text too long for a whole slide at the floor size: a warning at its source line
    (once per text and line, however many editions print it)."""
    source = renderer_project.module(job.module)
    for overflow in deck.overflows:
        loc = tuple(int(p) if p.isdigit() else p for p in overflow.place.split("/") if p)
        pos = locate(source.raw, loc) if loc else None
        line, col = (pos.line, pos.col) if pos else (1, 1)
        if (str(source.path), line) in seen:
            continue
        seen.add((str(source.path), line))
        problems.warning(
            source.path, line, col, "slides.too-long",
            f"{job.stem}: this text does not fit one slide even at {BODY_FLOOR} pt "
            f"({job.edition}); it is split over {overflow.slides} slides",
            "shorten it, or make it two items (a deck never cuts text off)")
