"""Extract every translatable text into ``locales/messages.pot``.

Sources: each module's texts, curriculum.yaml's labels, every route file's translatable fields,
the templates' ``_("...")`` calls and the few labels the engine supplies. Each message has a
msgctxt naming it by identity (see messages.py), a ``#:`` reference to file and line, and an
extracted comment that tells the translator where the text is printed.
Extraction is deterministic: when nothing but the date would change, the file is not rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
from jinja2 import Environment

from .. import __version__
from ..content.files import is_regular, read_regular
from ..content.helptexts import CHILD_STRINGS
from ..content.messages import Message, iter_messages, route_prefix
from ..content.model import (
    CHECK_DOC_LABELS,
    CHECK_MODULE,
    CHECK_SUMMARY,
    CHECK_TITLE,
    KIND_LABELS,
)
from ..content.pictures import PICTURES
from ..content.project import Project
from ..content.slidetexts import GROUND_RULES, SLIDE_LABELS
from ..content.terms import BUILTIN
from .pofile import load_po, render_po, write_po_atomically

# Texts the engine (not a template) supplies; extracted with the template messages.
ENGINE_STRINGS = (*KIND_LABELS.values(), *SLIDE_LABELS, *GROUND_RULES, *BUILTIN.values(),
                  *CHILD_STRINGS, *PICTURES.values(), *CHECK_DOC_LABELS.values(), CHECK_TITLE,
                  CHECK_SUMMARY)

TEMPLATE_CONTEXT = "template"

_PLACES = {
    "objectives": "learning objective", "key_messages": "key message (student handout)",
    "vocabulary": "vocabulary", "background": "teacher background (Markdown)",
    "materials": "materials list", "steps": "lesson step (teacher guide)",
    "scenarios": "scenario (student handout and teacher guide)",
    "activity": "activity (student handout)", "exit_ticket": "exit ticket question",
    "family": "family letter", "safeguarding": "safeguarding note (teacher guide)",
    "resources": "printed resource: cards, profiles, chat (pupils read it)",
}


def _comment(message: Message) -> str:
    parts = message.context.split("/")
    for part in parts:
        if part in _PLACES:
            band = parts[2] if len(parts) > 2 and parts[1] == "content" else ""
            where = _PLACES[part]
            return f"{where}, ages {band}" if band else where
    if parts[0] == CHECK_MODULE:
        band = parts[2] if len(parts) > 2 and parts[1] == "checks" else ""
        return (f"knowledge check question, ages {band}: a yes/no question read by (or to) the "
                "child before and after the lessons" if band else "knowledge check title")
    if parts[0] == "routes":
        return "reporting route: name or description (keep phone numbers and URLs out)"
    return ""


TRANSLATOR_NOTE = re.compile(r"^\s*#\s*translators?:\s*(.*)$", re.IGNORECASE)


def translator_notes(lines: list[str], line: int) -> str:
    """``# translators: ...`` comment lines written just above ``line`` (1-based), joined.

    YAML loaders drop comments, but lessonpack knows each text's line, so an author can leave
    a note for translators right where the text is written."""
    notes = []
    index = line - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        match = TRANSLATOR_NOTE.match(lines[index])
        if match:
            notes.append(match.group(1).strip())
        index -= 1
    return " ".join(reversed(notes))


def _entry(message: Message, path: str, lines: list[str] | None = None) -> polib.POEntry:
    comment = _comment(message)
    note = translator_notes(lines, message.pos.line) if lines else ""
    if note:
        comment = f"{comment}\nTranslators: {note}" if comment else f"Translators: {note}"
    return polib.POEntry(msgctxt=message.context, msgid=message.text,
                         occurrences=[(path, str(message.pos.line))], comment=comment)


def template_messages(project: Project) -> list[tuple[str, int, str]]:
    """(template path, line, text) for each ``_("...")`` in the templates."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    found = []
    for path in sorted(project.templates_dir.rglob("*.html")):
        rel = path.relative_to(project.root).as_posix()
        if not is_regular(path):
            continue  # a FIFO, device or link loop: reported by the check, never opened
        source = read_regular(path).decode("utf-8")
        for line, _function, text in env.extract_translations(source, gettext_functions=("_",)):
            # _("{n} minutes", n=...) comes back as ("{n} minutes", None): keyword arguments
            # hold the placeholders' values, the message is the first argument.
            if isinstance(text, tuple):
                text = text[0]
            if isinstance(text, str) and text:
                found.append((rel, line, text))
    return found


def source_messages(project: Project) -> Iterator[tuple[str, list[str] | None, Message]]:
    """(file, its lines for translator notes or None, message) for every source text, in the
    POT's order: curriculum, modules, the knowledge checks, routes. Extraction and re-keying
    both walk this."""
    root = project.root
    if project.curriculum_raw is not None:
        for message in iter_messages(project.curriculum_raw, "curriculum"):
            yield "curriculum.yaml", None, message
    for source in project.modules:
        rel = source.path.relative_to(root).as_posix()
        lines = source.path.read_text(encoding="utf-8-sig").splitlines()
        for message in iter_messages(source.raw, source.module.id):
            yield rel, lines, message
    if project.knowledge is not None:
        source = project.knowledge
        rel = source.path.relative_to(root).as_posix()
        lines = source.path.read_text(encoding="utf-8-sig").splitlines()
        for message in iter_messages(source.raw, CHECK_MODULE):
            yield rel, lines, message
    for country, source in sorted(project.routes.items()):
        rel = source.path.relative_to(root).as_posix()
        for message in iter_messages(source.raw, route_prefix(country)):
            yield rel, None, message


def build_pot(project: Project) -> polib.POFile:
    """The catalogue template for the whole project, in a stable order."""
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = {
        "Project-Id-Version": f"{project.curriculum.title if project.curriculum else ''}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"lessonpack {__version__}",
    }
    entries: dict[tuple[str, str], polib.POEntry] = {}

    def add(entry: polib.POEntry) -> None:
        key = (entry.msgctxt or "", entry.msgid)
        if key in entries:
            entries[key].occurrences.extend(entry.occurrences)
        else:
            entries[key] = entry

    for rel, lines, message in source_messages(project):
        add(_entry(message, rel, lines))
    for rel, line, text in template_messages(project):
        add(polib.POEntry(msgctxt=TEMPLATE_CONTEXT, msgid=text, occurrences=[(rel, str(line))],
                          comment="template text"))
    for text in ENGINE_STRINGS:
        add(polib.POEntry(msgctxt=TEMPLATE_CONTEXT, msgid=text,
                          occurrences=[("src/lessonpack/render.py", "1")],
                          comment="label printed by lessonpack"))
    for entry in entries.values():
        pot.append(entry)
    return pot


def pot_path(project: Project) -> Path:
    return project.locales_dir / "messages.pot"


def write_pot(project: Project, now: str) -> tuple[Path, bool, int]:
    """Write messages.pot unless only its date would change. (path, written?, count)."""
    pot = build_pot(project)
    path = pot_path(project)
    if path.is_file():
        try:
            old = load_po(path)
            pot.metadata["POT-Creation-Date"] = old.metadata.get("POT-Creation-Date", now)
            if render_po(pot) == path.read_bytes():
                return path, False, len(pot)
        except (OSError, ValueError):
            pass
    pot.metadata["POT-Creation-Date"] = now
    write_po_atomically(pot, path)
    return path, True, len(pot)
