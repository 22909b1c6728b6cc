"""The content model: curriculum, modules, bands, editions and reporting routes.

Every field carries a one-line docstring (shown by ``lessonpack check`` hints and docs).
Unknown keys are errors: a typo must never silently drop content from a child's handout.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from .activities import Activity
from .modelbase import (
    BandId,
    CountryCode,
    EditionId,
    PictureId,
    SafeId,
    StrictModel,
    Text,
    TextList,
)
from .resources_model import Material, Resource

DOC_KINDS = ("teacher-guide", "handout", "family-letter", "slides",
             "knowledge-check", "knowledge-check-key", "knowledge-check-tally", "resources")
PRINT_DOC_KINDS = ("teacher-guide", "handout", "family-letter")
"""What print packs and large print hold: a deck is projected, not copied for a class."""
FORMATS = ("html", "pdf", "pptx", "csv")
DOC_FORMATS = {"slides": ("html", "pdf", "pptx"), "knowledge-check-tally": ("html", "pdf", "csv")}
"""Formats a document kind is made in, where not just html and pdf."""
VARIANTS = ("standard", "large-print")
DocKind = Literal["teacher-guide", "handout", "family-letter", "slides", "knowledge-check",
                  "knowledge-check-key", "knowledge-check-tally", "resources"]
CHECK_MODULE = "knowledge-check"
"""The knowledge check's place among a band's modules (its folder in the output; its texts'
message prefix; a reserved module id). Its source is ``lessons/knowledge-check.yaml``."""
CHECK_DOC_KINDS = ("knowledge-check", "knowledge-check-key", "knowledge-check-tally")
"""One check per edition and band: the pupils' sheet, the teacher's copy (answer key and
read-aloud script) and the tally sheet (with its CSV template)."""
CHECK_DOC_LABELS = {"knowledge-check": "Pupils' sheet", "knowledge-check-key": "Teacher's copy",
                    "knowledge-check-tally": "Tally sheet"}
"""The check's documents as the site lists them (English; translated)."""
CHECK_TITLE = "Knowledge check: before and after"
CHECK_SUMMARY = ("The same short check before the first lesson and after the last, with no "
                 "names, to see what the class learned.")
ADULT_DOC_LABELS = {"teacher-guide": "Facilitator guide", "handout": "Participant handout"}
"""What a band for adults calls the guide and the handout (English; translated)."""


def doc_label(kind: str, audience: str, labels: dict[str, str]) -> str:
    """The English label of a document kind for a band's audience."""
    return ADULT_DOC_LABELS.get(kind, labels[kind]) if audience == "adults" else labels[kind]
# What the help box calls each route kind (English; translated like template texts).
KIND_LABELS = {
    "emergency": "Emergency",
    "child-helpline": "Child helpline",
    "exploitation-report": "Report it",
    "takedown-tool": "Remove images",
    "victim-support": "Support",
}
ROUTE_KINDS = ("emergency", "child-helpline", "exploitation-report", "takedown-tool",
               "victim-support")


_Strict = StrictModel


# --- curriculum.yaml ---------------------------------------------------------------------------

class Band(_Strict):
    id: BandId
    """Age band id such as ``11-13``."""
    label: Text
    """Shown to teachers, e.g. ``Ages 11-13``."""
    reading_grade_max: float = Field(ge=-5, le=18)
    """Flesch-Kincaid ceiling for the band's English student handouts."""
    min_font_pt: float = Field(default=11, ge=8, le=24)
    """Smallest body text size in print."""
    crosswalk: dict[str, Text] = {}
    """School levels in other systems, by country code."""
    banned_terms: list[Text] = []
    """Words that must not appear in this band's modules (whole words, any case)."""
    audience: Literal["children", "adults"] = "children"
    """``adults``: sessions for parents, carers, community and staff (facilitator guide and
    participant handout, no family letter); the band id is then ``adults``."""
    docs: list[DocKind] | None = None
    """Document kinds built for this band's modules; default: all."""
    minutes_max: int = Field(default=50, ge=30, le=120)
    """Longest session allowed (minutes); lessons are 30 minutes or more."""
    sequence: list[SafeId] = []
    """Recommended teaching order (module ids); modules not listed follow in module order."""

    exit_ticket_mode: Literal["slip", "aloud", "self"] = "slip"
    """Where pupils answer the exit ticket: ``slip`` (a tear-off slip on its own sheet at the
    end of the handout, the only part collected), ``aloud`` (asked aloud; the handout prints
    no exit ticket) or ``self`` (adults answer for themselves; printed in place, not
    collected)."""

    help_box: Literal["full", "child"] = "full"
    """``child``: handouts and decks print the child-level help box (a trusted grown-up, the
    child helpline and the emergency number, in the band's words; no reporting or removal
    tools). Its text is graded against ``reading_grade_max``."""

    def makes(self, doc: str) -> bool:
        """Whether this band's modules get documents of kind ``doc``."""
        return self.docs is None or doc in self.docs


class LetterSender(_Strict):
    name: Text | None = None
    """The school's or organisation's name, printed at the top of family letters."""
    contact: Text | None = None
    """How families reach the school about the lesson: an office, a phone or an e-mail."""
    sign_off: Text | None = None
    """Who signs family letters, e.g. ``Ms Reyes, Grade 3 adviser``."""


class Edition(_Strict):
    id: EditionId
    """Edition id: language and country, e.g. ``fil-PH``."""
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
    """Babel/gettext locale whose text the edition prints, e.g. ``fil`` or ``en_GB``."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    """Country whose reporting routes the edition prints (``routes/<CC>.yaml``)."""
    paper: Literal["A4", "Letter"] | None = None
    """Paper size; by default Letter in CLDR's Letter countries, A4 elsewhere."""
    school: LetterSender | None = None
    """Who family letters come from; blank lines are printed for what is not given."""


Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]


class Sourced(_Strict):
    """Where a mapping was checked (a crosswalk row, a framework): both printed with it."""

    source: Url
    """Where the mapping was checked (required: a mapping is never printed without one)."""
    checked: dt.date
    """The day it was checked against the source (required)."""
    note: Text | None = None
    """Printed with the source (how the mapping was made, what could not be verified)."""


class FrameworkCode(Sourced):
    """A content-description code read at a source, for the bands whose school years it
    covers: a guide of one of those bands prints it beside the module's mapped strand."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,30}$")]
    """The code as the source prints it, e.g. ``AC9HP10P10``."""
    strand: Text
    """The framework strand the source files the code under (one of ``strands``)."""
    bands: Annotated[list[BandId], Field(min_length=1)]
    """Bands whose school years the code's year level covers (see the crosswalk)."""


class Framework(Sourced):
    """A national curriculum framework that modules map to (``frameworks:`` in a module)."""

    name: Text
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    """Teacher guides of this country's editions list the module's mapping."""
    strands: Annotated[list[Text], Field(min_length=1)]
    """The framework's strands (as its source names them); modules map to these."""
    see_also: list[Url] = []
    """Further pages the strands were checked on (printed after the source)."""
    codes: list[FrameworkCode] = []
    """Content-description codes verified at a source; never a guessed code (a module maps to
    strands, and a guide shows the codes of its band under the module's strands)."""


class Curriculum(_Strict):
    title: Text
    """The curriculum's name, shown on the site and on every document."""
    publisher: Text = "lessonpack"
    """Who publishes the pack (shown in the footer)."""
    bands: Annotated[list[Band], Field(min_length=1)]
    """Age bands, youngest first."""
    editions: Annotated[list[Edition], Field(min_length=1)]
    """Editions built by default."""
    flagged_phrases: list[Text] = []
    """Victim-blaming phrases that must not appear anywhere in lesson text."""
    crosswalk_sources: dict[str, Sourced] = {}
    """Where each country's crosswalk row was checked, by country code (shown on the site)."""
    frameworks: dict[SafeId, Framework] = {}
    """Curriculum frameworks modules map to, by id (docs/content-model.md, "Frameworks")."""


# --- lessons/<NN-id>/module.yaml -----------------------------------------------------------------

class Vocabulary(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    term: Text
    definition: Text


SlideKind = Literal["objectives", "rules", "messages", "vocabulary", "scenario", "activity",
                    "help", "exit", "closing"]
"""The deck's slides a plan step's text can go with (``slide:`` on a step)."""
SLIDE_KINDS: tuple[str, ...] = get_args(SlideKind)


class Step(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    title: Text
    minutes: int = Field(ge=1, le=60)
    text: Text
    slide: SlideKind | None = None
    """The slide whose presenter notes carry this step; without it, the step's English title
    decides (``render/slides.py``)."""
    support: Text | None = None
    """Optional differentiation note: how to help pupils who find this step hard (guide only)."""
    stretch: Text | None = None
    """Optional differentiation note: how to extend pupils who are ready (guide only)."""


class Question(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    question: Text
    answer: Text
    """Teacher note: what a good answer includes (teacher guide only)."""


class Scenario(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    title: Text
    story: Text
    questions: Annotated[list[Question], Field(min_length=1)]
    picture: PictureId | None = None
    """A pictogram printed with the story (its scene), by id; see docs/content-model.md."""


class ExitItem(_Strict):
    id: SafeId | None = None
    """Optional stable name for translations; see docs/content-model.md ("Stable ids")."""
    question: Text
    objective: int = Field(ge=1)
    """1-based index of the objective this question checks."""
    answer: Text | None = None
    """What a good answer includes (teacher guide only); ``check`` warns when missing."""


class Family(_Strict):
    learned: Text
    conversation_starters: TextList
    warning_signs: TextList
    tips: TextList


class AllowedTerm(_Strict):
    term: Text
    reason: Text
    reviewed_by: Text


class BandContent(_Strict):
    title: Text | None = None
    """Band-specific title; defaults to the module title."""
    minutes: int = Field(ge=10, le=120)
    objectives: TextList
    key_messages: TextList
    key_message_pictures: list[PictureId] = []
    """A pictogram for each key message, in order (as many as there are key messages)."""
    vocabulary: Annotated[list[Vocabulary], Field(min_length=1)]
    background: Text
    materials: Annotated[list[Text | Material], Field(min_length=1)]
    """Plain text is a classroom item; the long form says what lessonpack supplies."""
    resources: list[Resource] = []
    """Printable materials lessonpack makes (the unit's ``resources`` document)."""
    steps: Annotated[list[Step], Field(min_length=1)]
    scenarios: Annotated[list[Scenario], Field(min_length=1)]
    activity: Activity
    exit_ticket: Annotated[list[ExitItem], Field(min_length=1)]
    family: Family | None = None
    """What families are told (family letter); required where the band makes family letters."""
    safeguarding: Text | None = None
    """Module-specific addition to the standard safeguarding note."""
    allowed_terms: list[AllowedTerm] = []
    """Reviewed exceptions to the band's banned-word list."""


RouteKind = Literal["emergency", "child-helpline", "exploitation-report", "takedown-tool",
                   "victim-support"]


class ModuleHelp(_Strict):
    kinds: list[RouteKind] = []
    """Route kinds the help box must print for this module (every confirmed route of each
    kind); every edition's country (or international.yaml) must have one."""
    routes: list[SafeId] = []
    """Route ids the help box prints in that route's country's editions (e.g. a trafficking
    line); must exist in some route file."""


class Module(_Strict):
    id: SafeId
    order: int = Field(ge=0)
    title: Text
    summary: Text
    bands: Annotated[list[BandId], Field(min_length=1)]
    content: dict[BandId, BandContent]
    frameworks: dict[SafeId, list[Text]] = {}
    """Framework id → the strands this module teaches (see ``Curriculum.frameworks``)."""
    help: ModuleHelp = ModuleHelp()
    """What this module's help box prints besides the standard ladder (docs/content-model.md)."""


# --- routes/<CC>.yaml ----------------------------------------------------------------------------

class Route(_Strict):
    id: SafeId
    name: Text
    local_name: Text | None = None
    kind: Literal["emergency", "child-helpline", "exploitation-report", "takedown-tool",
                  "victim-support"]
    phone: Text | None = None
    sms: Text | None = None
    whatsapp: Text | None = None
    email: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")] | None = None
    hours: Text | None = None
    audience: Text
    when: Text
    when_by_band: dict[BandId, Text] = {}
    """A child-level ``when`` for a band with the child help box (``"5-7": Call if ...``)."""
    needs: Text | None = None
    """What using the route needs (a removal tool: from your own device, participating
    services); printed with the route in the help box."""
    source: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")]
    checked: dt.date
    status: Literal["confirmed", "unconfirmed"]
    note: Text | None = None
    """For teachers: printed under the route in the teacher guide (translated)."""
    verification: Text | None = None
    """For editors: how the facts were checked and what sources disagree on. Never printed,
    never translated; `lessonpack routes --format json` shows it."""
    adults_only: bool = False
    """For adults only (e.g. a helpline for worried parents): never on a student handout."""

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


class Term(_Strict):
    """A country's word for a role, term or law, printed where a text says ``{id}``."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
    """The placeholder's name: ``safeguarding_contact`` fills ``{safeguarding_contact}``."""
    kind: Literal["role", "term", "law"] = "term"
    text: Text
    """What the placeholder prints, mid-sentence (``the school's Child Protection Committee``)."""
    note: Text | None = None
    """For teachers: printed with the term in the teacher guide (translated)."""
    source: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")] | None = None
    """Where the term was checked; required in a country's file, optional for the neutral
    defaults in ``routes/international.yaml``."""
    checked: dt.date | None = None
    """The day the term was checked against its source."""
    verification: Text | None = None
    """For editors: never printed, never translated."""


class RouteFile(_Strict):
    country: CountryCode
    name: Text
    routes: Annotated[list[Route], Field(min_length=1)]
    terms: list[Term] = []
    """The country's roles, terms and laws (see docs/content-model.md, "Country terms")."""
