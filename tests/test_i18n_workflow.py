"""The translation workflow end to end: extract, init, update, status, and what a build prints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import run

from lessonpack.content.messages import text_key

PO = "locales/fr/LC_MESSAGES/messages.po"
MODULE = "lessons/01-sample/module.yaml"


def add_edition(root: Path, line: str) -> None:
    cur = root / "curriculum.yaml"
    cur.write_text(cur.read_text().replace(
        "  - {id: en-US, locale: en_US, country: US}",
        f"  - {{id: en-US, locale: en_US, country: US}}\n  {line}"))


def catalogue(root: Path, locale: str = "fr") -> Path:
    assert run("i18n", "extract", "--project", root).exit_code == 0
    assert run("i18n", "init", locale, "--project", root).exit_code == 0
    return root / f"locales/{locale}/LC_MESSAGES/messages.po"


def translate(path: Path, pairs: dict[str, str]) -> None:
    """Set msgstr for entries whose msgid is a key (as a translator's tool would)."""
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in pairs:
            entry.msgstr = pairs[entry.msgid]
    po.save()


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def fr(project: Path) -> Path:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    path = catalogue(project)
    translate(path, {"You can always stop a chat.": "Tu peux toujours arrêter un chat.",
                     "It is never too late to tell.": "Il n'est jamais trop tard pour le dire.",
                     "Remember": "À retenir", "Student handout": "Fiche élève"})
    return project


def test_extract_is_deterministic(project: Path) -> None:
    assert run("i18n", "extract", "--project", project).exit_code == 0
    pot = project / "locales/messages.pot"
    first = pot.read_bytes()
    result = run("i18n", "extract", "--project", project)
    assert "(unchanged)" in result.stderr
    assert pot.read_bytes() == first
    entries = polib.pofile(str(pot))
    sample = next(e for e in entries if e.msgid == "You can always stop a chat.")
    # named by a key derived from its text, not by its position (content/messages.py)
    assert sample.msgctxt == f"sample/content/8-10/key_messages/{text_key(sample.msgid)}"
    assert sample.occurrences == [(MODULE, "14")]
    assert "key message" in sample.comment


def test_init_sets_plural_rule_and_draft_status(project: Path) -> None:
    path = catalogue(project, "pl")
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert po.metadata["X-Review-Status"] == "draft"
    again = run("i18n", "init", "pl", "--project", project)
    assert again.exit_code == 2 and "use `lessonpack i18n update`" in again.output


def test_update_loses_nothing_and_marks_what_changed(fr: Path) -> None:
    path = fr / PO
    po = polib.pofile(str(path))
    po.metadata["X-Reviewed-By"] = "Camille (volunteer)"
    po.save()
    edit(fr, MODULE, "You can always stop a chat.", "You can always stop any chat.")
    edit(fr, MODULE, "      - It is never too late to tell.\n", "")
    assert run("i18n", "update", "--project", fr).exit_code == 0
    text = path.read_text()
    po = polib.pofile(str(path))
    changed = next(e for e in po if e.msgid == "You can always stop any chat.")
    assert changed.fuzzy and changed.msgstr == "Tu peux toujours arrêter un chat."
    assert changed.previous_msgid == "You can always stop a chat."
    assert '#| msgid "You can always stop a chat."' in text
    gone = next(e for e in po.obsolete_entries() if e.msgid == "It is never too late to tell.")
    assert gone.msgstr == "Il n'est jamais trop tard pour le dire."
    assert po.metadata["X-Reviewed-By"] == "Camille (volunteer)"
    kept = next(e for e in po if e.msgid == "Remember")
    assert kept.msgstr == "À retenir" and not kept.fuzzy
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    before = path.read_bytes()
    assert run("i18n", "update", "--project", fr).exit_code == 0
    assert path.read_bytes() == before  # twice changes nothing
    edit(fr, MODULE, "      - You can always stop any chat.\n",
         "      - You can always stop any chat.\n      - It is never too late to tell.\n")
    assert run("i18n", "update", "--project", fr).exit_code == 0
    revived = next(e for e in polib.pofile(str(path))
                   if e.msgid == "It is never too late to tell." and not e.obsolete)
    assert revived.msgstr == "Il n'est jamais trop tard pour le dire."


def test_status_counts_fuzzy_as_not_translated(fr: Path) -> None:
    po = polib.pofile(str(fr / PO))
    entry = next(e for e in po if e.msgid == "Remember")
    entry.flags.append("fuzzy")
    po.save()
    result = run("i18n", "status", "--project", fr, "--format", "json")
    (row,) = json.loads(result.stdout)["locales"]
    assert row["locale"] == "fr" and row["review_status"] == "draft"
    assert row["translated"] == 3 and row["fuzzy"] == 1
    assert row["modules"]["template"]["translated"] == 1
    text = run("i18n", "status", "--project", fr).stdout
    assert text.startswith("fr: 3/")


def test_build_prints_translation_with_draft_mark(fr: Path) -> None:
    result = run("build", "--project", fr, "--edition", "fr-GB", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (fr / "site/fr-GB/8-10/sample/handout.html").read_text()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Tu peux toujours arrêter un chat." in html and "À retenir" in html
    assert "Draft translation" in html and "% translated" in html
    assert "not yet reviewed by a native speaker" in html
    assert "Words to know" in html  # untranslated: English fallback


def test_broken_translation_falls_back_to_english(fr: Path) -> None:
    translate(fr / PO, {"Page": "Page {page}", "Sam plays a game. A player asks where he lives. "
                        "Sam feels odd.": "<script>alert(1)</script> Sam joue."})
    line = next(e.linenum for e in polib.pofile(str(fr / PO)) if e.msgid == "Page")
    check = run("check", "--project", fr)
    assert check.exit_code == 1
    assert (f"{PO}:{line}:1: error i18n.placeholder translation of 'Page' has placeholders "
            "['{page}'], the English has []") in check.stderr
    assert "error i18n.markup translation of 'Sam plays a game." in check.stderr
    result = run("build", "--project", fr, "--edition", "fr-GB", "--format", "html")
    assert result.exit_code == 0, result.output  # contained: English is printed instead
    html = (fr / "site/fr-GB/8-10/sample/handout.html").read_text()
    assert "<script>alert" not in html and "Sam plays a game." in html
    assert run("build", "--project", fr, "--strict").exit_code == 1


def test_character_without_a_glyph_is_an_error(fr: Path) -> None:
    translate(fr / PO, {"Remember": "À retenir \U00013000"})
    result = run("check", "--project", fr)
    assert "error font.glyph translation of 'Remember' uses U+13000 EGYPTIAN HIEROGLYPH A001" \
        in result.stderr
    edit(fr, MODULE, "Sam feels odd.", "Sam feels odd \U00013000.")
    result = run("build", "--project", fr)
    assert result.exit_code == 1
    assert f"{MODULE}:34:16: error font.glyph no font in the stack has U+13000" in result.stderr


def test_author_notes_reach_translators(project: Path) -> None:
    edit(project, MODULE, "      - You can always stop a chat.\n",
         "      # translators: 'stop' means leave the chat, not end the friendship\n"
         "      - You can always stop a chat.\n")
    assert run("i18n", "extract", "--project", project).exit_code == 0
    pot = polib.pofile(str(project / "locales/messages.pot"))
    entry = next(e for e in pot if e.msgid == "You can always stop a chat.")
    assert entry.comment.endswith(
        "Translators: 'stop' means leave the chat, not end the friendship")
    assert "#. Translators: 'stop' means leave the chat" in \
        (project / "locales/messages.pot").read_text()
