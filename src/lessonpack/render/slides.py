"""The slide model: one lesson's deck as a list of slides, fitted to 16:9 once.

Built from the localised module, the curriculum and the edition's help routes (the
handout's selection: confirmed only, nothing for adults only). ``slides.html`` renders it as
an HTML deck and (same HTML, print CSS) as a 16:9 PDF; ``slides_pptx`` writes it as
PowerPoint. All three place each slide's title and items in the boxes and at the font sizes
chosen here (``slidefit``), so they show the same slides, split in the same places.

A slide whose text does not fit at 28 pt shrinks in 2 pt steps to 18 pt; what still does not
fit moves to a continuation slide ("… (continued)"). A single text too long for a whole slide
at 18 pt is cut between words over several slides — never clipped — and reported as an
:class:`Overflow` at its source line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..content.markup import plain_text
from ..content.model import KIND_LABELS, SLIDE_KINDS, BandContent, Route
from ..content.pictures import PICTURES
from ..content.resources_model import material_text
from ..content.slidetexts import GROUND_RULES, GROUND_RULES_FROM_AGE
from . import slidefit as fit
from .helproutes import HelpRoutes, child_texts

NBSP = "\u00a0"


@dataclass(frozen=True)
class Item:
    """One paragraph of a slide: a bullet, a numbered line or plain text."""

    text: str
    style: str = "bullet"  # "bullet" | "number" | "plain"
    number: int = 0
    term: str = ""
    """Bold lead-in, printed ``term — text``."""
    markdown: bool = True
    """Module text (Markdown) or plain text (template labels, route fields)."""
    bold: bool = False
    qr: str = ""
    """A URL whose QR code the slide shows beside its items."""
    qr_label: str = ""
    """The caption under that QR code (the route's name)."""
    keep_with_next: bool = False
    """A lead-in ("If a private photo … is shared online:") never ends a slide."""
    fallback: bool = False
    """Printed in English for want of a translation (the PPTX marks its runs ``lang="en"``)."""
    place: str = ""
    """Where the text was written: ``content/<band>/scenarios/0/story`` (for warnings)."""
    picture: str = ""
    """A pictogram id shown at the item's start instead of its bullet (key messages)."""
    picture_alt: str = ""

    @property
    def plain(self) -> str:
        return plain_text(self.text) if self.markdown else self.text

    @property
    def box(self) -> fit.Box:
        return fit.Box(self.plain, self.style != "plain", self.bold,
                       plain_text(self.term) if self.term and self.markdown else self.term,
                       picture=bool(self.picture))


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    items: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()
    part: int = 1
    """1 for a slide, 2, 3 … for its continuation slides."""
    body_pt: int = fit.BODY_MAX
    title_pt: int = fit.TITLE_MAX
    title_lines: int = 1
    scene: str = ""
    """A story's pictogram id, drawn at the top of the side column."""
    scene_alt: str = ""

    @property
    def qr(self) -> tuple[tuple[str, str], ...]:
        """(url, caption) of each QR code the slide shows, top to bottom."""
        return tuple((i.qr, i.qr_label) for i in self.items if i.qr)

    @property
    def side(self) -> bool:
        """Whether the slide has a side column (QR codes or a scene)."""
        return bool(self.qr or self.scene)

    @property
    def qr_fits(self) -> bool:
        scene = fit.SCENE_PT + fit.QR_SPACING if self.scene else 0.0
        return scene + sum(fit.qr_block_height(label) for _, label in self.qr) <= self.body_h

    @property
    def groups(self) -> list[tuple[str, list[Item]]]:
        """Consecutive items of one style (a ``ul``, an ``ol`` or paragraphs in HTML)."""
        out: list[tuple[str, list[Item]]] = []
        for item in self.items:
            if out and out[-1][0] == item.style and item.style != "plain":
                out[-1][1].append(item)
            else:
                out.append((item.style, [item]))
        return out

    @property
    def title_h(self) -> float:
        return self.title_lines * self.title_pt * fit.LINE

    @property
    def body_top(self) -> float:
        return fit.TITLE_TOP + self.title_h + fit.TITLE_GAP

    @property
    def body_h(self) -> float:
        return fit.BODY_BOTTOM - self.body_top

    @property
    def body_w(self) -> float:
        full = fit.SLIDE_W - 2 * fit.MARGIN_X
        return full - (fit.QR_COLUMN + fit.QR_GAP if self.side else 0.0)


@dataclass(frozen=True)
class Overflow:
    """A text too long for a whole slide at the floor size (cut over several slides)."""

    place: str
    slides: int


@dataclass
class Deck:
    title: str
    slides: list[Slide] = field(default_factory=list)
    overflows: list[Overflow] = field(default_factory=list)


def _notes_for_steps(content: BandContent, source_steps: list[str],
                     kinds: set[str]) -> dict[str, list[str]]:
    """Each plan step's text and minutes, on the slide the teacher shows during it: the one its
    ``slide:`` names, else the one its English title suggests (``Scenarios``, ``Activity -
    …``, ``Exit ticket``, ``Closing``, ``Ground rules …``, ``Teaching …``); the others, and a
    step whose slide the deck does not have (ground rules under 11), go with the objectives."""
    keys = (("scenario", "scenario"), ("stor", "scenario"), ("activit", "activity"),
            ("exit", "exit"), ("clos", "closing"), ("ground", "rules"), ("teach", "messages"),
            ("help", "help"))
    out: dict[str, list[str]] = {}
    for step, english in zip(content.steps, source_steps, strict=True):
        lowered = english.lower()
        slot = step.slide or next((slot for key, slot in keys if key in lowered), "objectives")
        slot = slot if slot in kinds else "objectives"
        out.setdefault(slot, []).append(
            f"{plain_text(step.title)} ({step.minutes} min): {plain_text(step.text)}")
    return out


def route_item(route: Route, label: str, gettext: Callable[[str], str]) -> Item:
    contacts = []
    if route.phone:
        contacts.append("☎" + NBSP + route.phone.replace(" ", NBSP))
    if route.sms:
        contacts.append(gettext("Text:") + " " + route.sms.replace(" ", NBSP))
    if route.whatsapp:
        contacts.append("WhatsApp" + NBSP + route.whatsapp.replace(" ", NBSP))
    if route.email:
        contacts.append(route.email)
    if route.url:
        contacts.append(route.url)
    name = route.name
    if route.local_name and route.local_name not in route.name:
        name += f" ({route.local_name})"
    term = f"{label}: {name}" if label else name
    return Item(" ".join([*contacts, route.when]), "bullet", term=term, markdown=False,
                qr=route.url or "", qr_label=short_name(route.name) if route.url else "")


_ASIDE = re.compile(r"\s*(\([^()]*\)|[—–] .*)$")


def short_name(name: str) -> str:
    """A route's name without its trailing aside, for the caption under its QR code
    ("CEOP Safety Centre (National Crime Agency)" → "CEOP Safety Centre"; "INHOPE — find
    your national hotline" → "INHOPE"). The full name is in the route's item beside it."""
    short = _ASIDE.sub("", name)
    return short if short.strip() else name


def logical_slides(content: BandContent, title: str, summary: str, band_id: str,
                   help_routes: HelpRoutes, gettext: Callable[..., str],
                   source_steps: list[str]) -> list[Slide]:
    """The deck before fitting: one slide per part of the lesson."""
    rules = int(band_id.split("-")[0]) >= GROUND_RULES_FROM_AGE
    notes = _notes_for_steps(content, source_steps,
                             {k for k in SLIDE_KINDS if rules or k != "rules"})
    band = f"content/{band_id}"
    slides = [Slide("title", title, (
        Item(summary, "plain", place="summary"),
        Item(gettext("{minutes} minutes", minutes=content.minutes), "plain", markdown=False)),
        notes=(gettext("Lesson plan") + f" ({content.minutes} min):",
               *(f"{plain_text(s.title)} — {s.minutes} min" for s in content.steps),
               gettext("Materials") + ": " + "; ".join(plain_text(material_text(m))
                                                         for m in content.materials)))]
    slides.append(Slide("objectives", gettext("Learning objectives"), tuple(
        Item(text, place=f"{band}/objectives/{i}") for i, text in
        enumerate(content.objectives)),
        tuple(notes.get("objectives", ())) or (plain_text(summary),)))
    if rules:
        slides.append(Slide("rules", gettext("Ground rules"), tuple(
            Item(gettext(rule), markdown=False) for rule in GROUND_RULES),
            tuple(notes.get("rules", ())) or (gettext(
                "Use the fictional characters to keep distance. Agree ground rules, and offer "
                "an anonymous question box."),)))
    pictures = content.key_message_pictures
    slides.append(Slide("messages", gettext("Remember"), tuple(
        Item(text, place=f"{band}/key_messages/{i}", **_picture(pictures[i:i + 1], gettext))
        for i, text in enumerate(content.key_messages)),
        (*notes.get("messages", ()), plain_text(content.background))))
    slides.append(Slide("vocabulary", gettext("Words to know"), tuple(
        Item(v.definition, "plain", term=v.term, place=f"{band}/vocabulary/{i}/definition")
        for i, v in enumerate(content.vocabulary)), (*notes.get("vocabulary", ()), *(
        f"{plain_text(v.term)} — {plain_text(v.definition)}" for v in content.vocabulary))))
    for number, scenario in enumerate(content.scenarios, start=1):
        where = f"{band}/scenarios/{number - 1}"
        items = [Item(scenario.story, "plain", place=f"{where}/story")]
        items += [Item(q.question, "number", number=i, place=f"{where}/questions/{i - 1}")
                  for i, q in enumerate(scenario.questions, start=1)]
        answers = [f"{plain_text(q.question)} → {plain_text(q.answer)}"
                   for q in scenario.questions]
        steps = notes.get("scenario", []) if number == 1 else []
        scene = _picture([scenario.picture] if scenario.picture else [], gettext)
        slides.append(Slide("scenario", f"{gettext('Story')} {number}: {scenario.title}",
                            tuple(items), (*steps, gettext("Answers") + ":", *answers),
                            scene=scene.get("picture", ""),
                            scene_alt=scene.get("picture_alt", "")))
    activity = content.activity
    slides.append(Slide("activity", f"{gettext('Activity')}: {activity.title}", (
        Item(activity.instructions, "plain", place=f"{band}/activity/instructions"),
        *(Item(p, "number", number=i, place=f"{band}/activity/prompts/{i - 1}")
          for i, p in enumerate(activity.prompts, start=1))),
        tuple(notes.get("activity", ())) or (plain_text(activity.instructions),)))
    slides.append(help_slide(help_routes, gettext, band_id, [
        *notes.get("help", []),
        gettext("Students' handouts and family letters show only confirmed routes."),
        *(plain_text(content.safeguarding) for _ in (1,) if content.safeguarding)]))
    slides.append(Slide("exit", gettext("Exit ticket"), tuple(
        Item(e.question, "number", number=i, place=f"{band}/exit_ticket/{i - 1}/question")
        for i, e in enumerate(content.exit_ticket, start=1)), (*notes.get("exit", ()), *(
        f"{i}. " + gettext("checks objective {number}", number=e.objective)
        for i, e in enumerate(content.exit_ticket, start=1)))))
    slides.append(Slide("closing", gettext("It is never too late to tell"), (
        Item(gettext("You will not be blamed for what someone did to you. It is never too late "
                     "to tell, and it is never your fault."), "plain", markdown=False, bold=True),
        Item(gettext("Tell a trusted adult."), markdown=False),
        Item(gettext("A parent, carer, teacher or another grown-up you trust. If they do not "
                     "help, tell another one."), markdown=False)),
        tuple(notes.get("closing", ())) or (gettext("Tell a trusted adult."),)))
    return slides


def _picture(ids: list[str], gettext: Callable[..., str]) -> dict[str, str]:
    """``picture`` and its translated ``picture_alt`` for the first id, if any."""
    return {"picture": ids[0], "picture_alt": gettext(PICTURES[ids[0]])} if ids else {}


def help_slide(help_routes: HelpRoutes, gettext: Callable[..., str], band: str,
               notes: list[str]) -> Slide:
    """The handout's help box as a slide: trusted adult, block and report, the ladder (the
    child box's words for a ``help_box: child`` band)."""
    if help_routes.child:
        words = child_texts(gettext, str, band)
        child = [Item(words["tell_more"], term=words["tell"], markdown=False)]
        child += [replace(route_item(r, "", gettext), text=" ".join(
            [*(["☎" + NBSP + r.phone.replace(" ", NBSP)] if r.phone else []), words["when"](r)]),
            qr="", qr_label="") for r in help_routes.ladder]
        child.append(Item(words["no_trouble"], "plain", markdown=False, bold=True))
        return Slide("help", words["title"], tuple(child), tuple(notes))
    items = [
        Item(gettext("A parent, carer, teacher or another grown-up you trust. If they do not "
                     "help, tell another one."), term=gettext("Tell a trusted adult."),
             markdown=False),
        Item(gettext("Use the block and report buttons. Ask an adult to help you."),
             term=gettext("Block and report in the app."), markdown=False)]
    items += [route_item(r, gettext(KIND_LABELS[r.kind]), gettext)
              for r in (*help_routes.ladder, *help_routes.extra)]
    if help_routes.removal:
        items.append(Item(gettext("If a private photo or video of you is shared online:"),
                          "plain", markdown=False, bold=True, keep_with_next=True))
        items += [route_item(r, "", gettext) for r in help_routes.removal]
    return Slide("help", gettext("Help box: who can help"), tuple(items), tuple(notes))


def fit_deck(slides: list[Slide], continued: str) -> tuple[list[Slide], list[Overflow]]:
    """Each slide at the largest body size that fits, or split onto continuation slides."""
    out: list[Slide] = []
    overflows: list[Overflow] = []
    for slide in slides:
        size, lines = fit.title_fit(slide.title, fit.SLIDE_W - 2 * fit.MARGIN_X)
        slide = replace(slide, title_pt=size, title_lines=lines)
        pages = _pages(slide, overflows)
        for part, items in enumerate(pages, start=1):
            title = slide.title if part == 1 else f"{slide.title} {continued}"
            page = replace(slide, title=title, items=tuple(items), part=part)
            if part > 1:
                size, lines = fit.title_fit(title, fit.SLIDE_W - 2 * fit.MARGIN_X)
                page = replace(page, title_pt=size, title_lines=lines)
            body = next((s for s in fit.body_sizes() if fits(page, s)), fit.BODY_FLOOR)
            out.append(replace(page, body_pt=body))
    return out, overflows


def fits(slide: Slide, size: float) -> bool:
    return fit.items_height([i.box for i in slide.items], size, slide.body_w) <= slide.body_h


def _pages(slide: Slide, overflows: list[Overflow]) -> list[list[Item]]:
    """The slide's items, packed onto as few slides as fit at the floor size."""
    floor = fit.BODY_FLOOR
    if slide.qr_fits and fits(slide, floor):
        return [list(slide.items)]
    pages: list[list[Item]] = [[]]
    for index, item in enumerate(slide.items):
        following = slide.items[index + 1:index + 2] if item.keep_with_next else ()
        trial = replace(slide, items=(*pages[-1], item, *following))
        if fits(trial, floor) and trial.qr_fits:
            pages[-1].append(item)
            continue
        alone = replace(slide, items=(item,))
        if fits(alone, floor):
            pages.append([item])
            continue
        pieces = fit.split_words(item.plain, floor, alone.body_w, alone.body_h,
                                 item.style != "plain")
        overflows.append(Overflow(item.place, len(pieces)))
        parts = [replace(item, text=piece, markdown=False, number=item.number if i == 0 else 0,
                         style=item.style if i == 0 else "plain")
                 for i, piece in enumerate(pieces)]
        pages.extend([p] for p in parts)
    return [p for p in pages if p]


def build_deck(content: BandContent, title: str, summary: str, band_id: str,
               help_routes: HelpRoutes, gettext: Callable[..., str],
               source_steps: list[str], fallbacks: frozenset[str] = frozenset()) -> Deck:
    """The fitted deck for one unit and edition (``gettext``: the template's ``_``;
    ``fallbacks``: the English texts the translator returned for want of a translation)."""
    slides = logical_slides(content, title, summary, band_id, help_routes, gettext,
                            source_steps)
    slides = [replace(s, items=tuple(replace(i, fallback=i.text in fallbacks)
                                     for i in s.items)) for s in slides]
    fitted, overflows = fit_deck(slides, gettext("(continued)"))
    return Deck(title, fitted, overflows)
