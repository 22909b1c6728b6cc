"""The knowledge check's three documents and its CSV: one band's questions, localised.

``knowledge-check`` is the pupils' sheet (no name, a before/after tick, no answers),
``knowledge-check-key`` the teacher's copy (how to run it, the read-aloud script, the answer
key), ``knowledge-check-tally`` the one-page tally sheet; its ``csv`` format is the template an
NGO fills in to report the change (see docs/architecture.md, "knowledge check").
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from ..content.checks_model import KnowledgeChecks
from ..content.locales import html_lang, language_name, paper_for, text_direction
from ..content.messages import route_prefix, translate_tree
from ..content.model import CHECK_MODULE, CHECK_SUMMARY
from ..i18n.fallback_marks import strip_marks, template_text
from ..i18n.translations import Translator
from .filters import fill

# ``renderer`` below is a render.documents.Renderer and ``job`` its Job; documents.py imports
# this module, so they are typed loosely here (an import back would be a cycle).
Renderer = Any
Job = Any

CSV_COLUMNS = ("question_id", "question", "correct_answer", "before_count", "after_count",
               "sheets_before", "sheets_after")
"""The tally CSV's header (machine-readable, the same in every language): the number of sheets
with the right answer before and after, and how many sheets were collected each time."""
ANSWERS = {True: "Yes", False: "No"}
_STROKE = ('fill="none" stroke="#000" stroke-width="3.5" stroke-linecap="round" '
           'stroke-linejoin="round"')
# Simple line drawings (64 × 64): the answers a young child circles, and one picture per
# question. Drawn here, not fetched: a PDF may only use the project's own data.
_SHAPES = {
    "yes": '<circle cx="32" cy="32" r="28"/><path d="M17 33 L28 44 L48 21"/>',
    "no": '<circle cx="32" cy="32" r="28"/><path d="M21 21 L43 43 M43 21 L21 43"/>',
    "unsure": '<circle cx="32" cy="32" r="28"/><path d="M23 24 a9 9 0 1 1 13 8 '
              'c-3 2 -4 3 -4 8"/><circle cx="32" cy="47" r="1.5"/>',
    "talk": '<circle cx="18" cy="26" r="7"/><path d="M6 54 Q18 30 30 54"/>'
            '<rect x="32" y="8" width="26" height="17" rx="5"/><path d="M38 25 L35 32 L44 25"/>',
    "secret": '<circle cx="32" cy="32" r="22"/><circle cx="24" cy="26" r="1.5"/>'
              '<circle cx="40" cy="26" r="1.5"/><path d="M24 41 H40 M32 30 V54"/>',
    "body": '<circle cx="32" cy="12" r="7"/><path d="M32 19 V40 M18 27 H46 M32 40 L24 58 '
            'M32 40 L40 58"/><rect x="26" y="36" width="12" height="7" rx="2"/>',
    "camera": '<rect x="8" y="20" width="48" height="32" rx="5"/><circle cx="32" cy="36" '
              'r="10"/><path d="M22 20 L26 13 H38 L42 20"/>',
    "home": '<path d="M8 32 L32 11 L56 32 M15 27 V55 H49 V27"/><rect x="28" y="40" width="9" '
            'height="15"/>',
    "screen": '<rect x="7" y="10" width="50" height="34" rx="3"/><path d="M32 44 V52 M22 54 '
              'H42"/><circle cx="32" cy="25" r="7"/><path d="M22 40 Q32 30 42 40"/>',
    "friend": '<circle cx="20" cy="16" r="6"/><circle cx="44" cy="16" r="6"/><path d="M20 22 '
              'V42 M44 22 V42 M20 30 H44 M20 42 L14 58 M20 42 L26 58 M44 42 L38 58 '
              'M44 42 L50 58"/>',
    "clock": '<circle cx="32" cy="32" r="24"/><path d="M32 32 V16 M32 32 L43 39"/>',
    "money": '<circle cx="25" cy="38" r="15"/><circle cx="25" cy="38" r="8"/>'
             '<circle cx="41" cy="24" r="15" fill="#fff"/><circle cx="41" cy="24" r="8"/>',
    "phone": '<rect x="19" y="6" width="26" height="52" rx="4"/><path d="M28 51 H36"/>'
             '<rect x="24" y="14" width="16" height="10" rx="3"/><rect x="24" y="29" '
             'width="13" height="8" rx="3"/>',
    "shield": '<path d="M32 7 L53 15 V31 C53 45 43 53 32 58 C21 53 11 45 11 31 V15 Z"/>',
}


def picture(name: str) -> str:
    """A ``data:`` URL of the named line drawing (SVG)."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" '
           f'height="64"><g {_STROKE}>{_SHAPES[name]}</g></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def localised_checks(renderer: Renderer, translator: Translator, country: str
                     ) -> KnowledgeChecks:
    """``lessons/knowledge-check.yaml`` in the translator's language and the country's terms."""
    source = renderer.project.knowledge
    assert source is not None
    data = translate_tree(source.raw, CHECK_MODULE, renderer.localised_text(translator, country))
    return KnowledgeChecks.model_validate(data)


def check_questions(renderer: Renderer, job: Job, translator: Translator,
                    gettext: Any) -> list[dict[str, Any]]:
    """The band's questions for the templates: number, text, right answer, the lesson."""
    project = renderer.project
    edition = project.edition(job.edition)
    check = localised_checks(renderer, translator, edition.country).checks[job.band]
    order = project.sequence(job.band)
    rows = []
    for number, question in enumerate(check.questions, start=1):
        lesson = renderer.localised_module(question.teaches, translator, edition.country)
        rows.append({"number": number, "id": question.id, "question": question.question,
                     "correct": question.correct, "answer": gettext(ANSWERS[question.correct]),
                     "picture": picture(question.picture) if question.picture else None,
                     "lesson": lesson.content[job.band].title or lesson.title,
                     "step": order.index(question.teaches) + 1})
    return rows


def check_context(renderer: Renderer, job: Job, translator: Translator) -> dict[str, Any]:
    """What the three knowledge-check templates print (``base.html`` needs the same names
    as a module's documents: ``module`` is the check itself)."""
    project = renderer.project
    assert project.curriculum is not None
    edition = project.edition(job.edition)
    curriculum = renderer.localised_curriculum(translator)
    band = next(b for b in curriculum.bands if b.id == job.band)
    terms = renderer.term_values(edition.country, translator)

    def gettext(text: str, **values: Any) -> str:
        translated = translator.gettext(text)  # an English edition's variant applies inside
        return template_text(translator, text, translated, fill(translated, {**terms, **values}))

    checks = localised_checks(renderer, translator, edition.country)
    country = project.routes.get(edition.country)
    summary = gettext(CHECK_SUMMARY)
    return {
        "_": gettext, "doc": job.doc, "curriculum": curriculum, "edition": edition,
        "lang": html_lang(edition.locale), "dir": text_direction(edition.locale),
        "language": language_name(edition.locale), "paper": paper_for(edition),
        "country_name": translator.lookup(f"{route_prefix(edition.country)}/name",
                                          country.routes.name) if country else "",
        "band": band, "title": checks.title,
        "module": {"title": checks.title, "summary": summary},
        "read_aloud": checks.checks[job.band].read_aloud,
        "questions": check_questions(renderer, job, translator, gettext),
        "marks": {name: picture(name) for name in ("yes", "no", "unsure")},
        "translation": translator, "stylesheet": renderer.stylesheet, "variant": "standard",
    }


def tally_csv(renderer: Renderer, job: Job, translator: Translator) -> bytes:
    """The tally template: one row per question, counts left empty for the teacher.

    UTF-8 with a byte-order mark, so spreadsheet programs open Thai and Korean text correctly;
    ``csv`` reads it back with ``encoding="utf-8-sig"``."""
    rows = check_questions(renderer, job, translator,
                           lambda text: strip_marks(translator.gettext(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row["id"], strip_marks(row["question"]), row["answer"],
                         "", "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
