"""Is the translation template current, and does each edition's catalogue cover its texts?

`check` (and so `build`) warns, and `--strict` fails, when:
* ``locales/messages.pot`` differs from what ``i18n extract`` would write now, or is missing
  while catalogues exist (a stale template makes translators' tools miss new texts);
* a catalogue still uses positional contexts (written before issue 13): ``i18n update``
  re-keys it, and until then its list texts print in English;
* an edition's catalogue has no translation for texts the edition prints (English is printed
  instead). Only what the locale's editions print counts: other countries' route texts do not.
"""

from __future__ import annotations

from pathlib import Path

import polib
from jinja2 import TemplateError

from ..content.project import Project
from ..problems import Problems
from .extract import build_pot, pot_path
from .pofile import load_po, render_po
from .rekey import legacy_contexts
from .scope import scoped_template
from .translations import Translator

STALE_HINT = "run `lessonpack i18n update` (it re-extracts, then merges into every catalogue)"


def pot_is_stale(project: Project, pot: polib.POFile | None = None) -> bool:
    """True when messages.pot is missing or differs from a fresh extraction (date aside)."""
    path = pot_path(project)
    if not path.is_file():
        return True
    pot = pot or build_pot(project)
    try:
        old = load_po(path)
    except (OSError, ValueError, UnicodeDecodeError):
        return True
    pot.metadata["POT-Creation-Date"] = old.metadata.get("POT-Creation-Date", "")
    return render_po(pot) != path.read_bytes()


def check_freshness(project: Project, translators: dict[str, Translator],
                    problems: Problems) -> None:
    """Warnings for a stale template, positional catalogues and untranslated texts."""
    if project.curriculum is None:
        return
    try:
        pot = build_pot(project)
    except TemplateError:
        return  # the build reports the template's error at its line; nothing to compare
    has_catalogues = any(t.path is not None for t in translators.values())
    if (has_catalogues or pot_path(project).is_file()) and pot_is_stale(project, pot):
        problems.warning(pot_path(project), 1, 1, "i18n.pot-stale",
                         "locales/messages.pot is out of date with the sources (or missing)",
                         STALE_HINT)
    legacy = legacy_contexts(project)
    edition_locales = {e.locale for e in project.curriculum.editions}
    for locale, translator in sorted(translators.items()):
        path: Path | None = translator.path
        if path is None:
            continue
        positional = sum(1 for ctxt, _text in translator.entries if ctxt in legacy)
        if positional:
            problems.warning(path, 1, 1, "i18n.positional",
                             f"{positional} translations are named by position (an old "
                             "catalogue); they print as English until re-keyed", STALE_HINT)
        if locale not in edition_locales:
            continue
        missing = [e for e in scoped_template(project, locale, pot)
                   if (e.msgctxt or "", e.msgid) not in translator.entries]
        if missing:
            first = missing[0]
            problems.warning(path, 1, 1, "i18n.untranslated",
                             f"{len(missing)} texts the '{locale}' editions print have no "
                             f"usable translation (English is printed), e.g. "
                             f"'{first.msgid[:40]}'",
                             "translate them (fuzzy counts as untranslated); `lessonpack i18n "
                             "status` lists them per module")
