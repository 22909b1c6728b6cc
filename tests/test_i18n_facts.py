"""Facts in translations: numbers, phone numbers, URLs and e-mails must survive unchanged."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import run
from test_i18n_workflow import add_edition

from lessonpack.i18n.checks import translation_problem
from lessonpack.i18n.facts import missing_facts

PO = "locales/fr/LC_MESSAGES/messages.po"


@pytest.mark.parametrize(("english", "translation", "missing"), [
    ("Talian Kasih 15999", "Talian Kasih 15990", ["15999"]),
    ("Police 110", "Polis 112", ["110"]),
    ("Call 1-800-18-2327", "Hubungi 1-800-18-2372", ["1800182327"]),
    ("Go to https://report.iwf.org.uk/my.", "Pergi ke https://report.iwf.org/my", [
        "https://report.iwf.org.uk/my"]),
    ("Visit aduan.mcmc.gov.my", "Layari aduan.mcmc.gov", ["aduan.mcmc.gov.my"]),
    ("Email aduanskmm@mcmc.gov.my", "E-mel aduan@mcmc.gov.my", ["aduanskmm@mcmc.gov.my"]),
    ("Since April 2025", "2024년 4월부터", ["2025"]),
    # Allowed: spacing, other digits, ranges, short numbers written out.
    ("Call 1-800-18-2327", "Hubungi 1 800 18 2327", []),
    ("WhatsApp 019-261 5999", "WhatsApp 019-2615999", []),
    ("Call 191", "โทร ๑๙๑", []),
    ("Ages 11-13", "11~13세", []),
    ("Ages 8-10", "Umur 8 hingga 10", []),
    ("Open 24/7", "Buka 24 jam setiap hari", []),
    ("Since April 2025", "2025년 4월부터", []),
    ("e.g. a game, i.e. a chat", "cth. permainan", []),
])
def test_missing_facts(english: str, translation: str, missing: list[str]) -> None:
    assert missing_facts(english, translation) == missing


def test_changed_number_is_a_translation_problem() -> None:
    problem = translation_problem("Talian Kasih 15999", "Talian Kasih 15990")
    assert problem is not None and problem[0] == "i18n.fact" and "'15999'" in problem[1]


@pytest.mark.parametrize(("english", "translation"), [
    ("Sam plays a game.\n", "Sam bermain permainan."),
    ("Sam plays a game.", "Sam bermain permainan.\n"),
])
def test_a_line_end_unlike_the_english_is_a_translation_problem(english: str,
                                                                translation: str) -> None:
    problem = translation_problem(english, translation)  # GNU msgfmt refuses such a catalogue
    assert problem is not None and problem[0] == "i18n.line-end"
    assert translation_problem(english, translation.rstrip("\n") + english[-1:] * (
        english.endswith("\n"))) is None


def test_changed_digit_in_a_catalogue_is_an_error_at_its_line(project: Path) -> None:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    assert run("i18n", "extract", "--project", project).exit_code == 0
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    path = project / PO
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = {"Emergency 999": "Urgence 990",
                        "Childline": "Childline"}.get(entry.msgid, "")
    po.save()
    line = next(e.linenum for e in polib.pofile(str(path)) if e.msgid == "Emergency 999")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"{PO}:{line}:1: error i18n.fact" in result.output
    assert "'999'" in result.output
    # The build prints the English for that message meanwhile.
    po = polib.pofile(str(path))
    next(e for e in po if e.msgid == "Emergency 999").msgstr = "Urgence 999"
    po.save()
    assert "i18n.fact" not in run("check", "--project", project).output
