"""Stale templates, positional catalogues and missing translations are warned about;
`--strict` fails on them; `init` extracts first."""

from __future__ import annotations

from pathlib import Path

import polib
from conftest import run
from test_i18n_workflow import add_edition

PO = "locales/fr/LC_MESSAGES/messages.po"
MODULE = "lessons/01-sample/module.yaml"


def _with_fr(project: Path) -> Path:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    return project / PO


def _translate_all(path: Path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
    po.save()


def test_init_extracts_first_so_new_texts_are_there(project: Path) -> None:
    path = _with_fr(project)
    assert run("i18n", "extract", "--project", project).exit_code == 0
    module = project / MODULE
    module.write_text(module.read_text().replace(
        "      - It is never too late to tell.\n",
        "      - It is never too late to tell.\n      - A brand-new key message.\n"))
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0  # stale POT on disk
    assert "A brand-new key message." in {e.msgid for e in polib.pofile(str(path))}


def test_missing_translations_warn_and_fail_strict(project: Path) -> None:
    path = _with_fr(project)
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    _translate_all(path)
    assert run("check", "--strict", "--project", project).exit_code == 0
    po = polib.pofile(str(path))
    next(e for e in po if e.msgid == "It is never too late to tell.").msgstr = ""
    po.save()
    result = run("check", "--project", project)
    assert result.exit_code == 0
    assert f"{PO}:1:1: warning i18n.untranslated 1 texts the 'fr' editions print" in result.output
    strict = run("check", "--strict", "--project", project)
    assert strict.exit_code == 1 and "i18n.untranslated" in strict.output
    build = run("build", "--strict", "--project", project, "--edition", "fr-GB", "--format",
                "html", "--out", project / "out")
    assert build.exit_code != 0 and not (project / "out").exists()


def test_stale_template_warns_in_check_and_status(project: Path) -> None:
    path = _with_fr(project)
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    _translate_all(path)
    assert "i18n.pot-stale" not in run("check", "--project", project).output
    module = project / MODULE
    module.write_text(module.read_text().replace("Ask who chats in games.",
                                                 "Ask who chats in games, and where."))
    check = run("check", "--project", project)
    assert "locales/messages.pot:1:1: warning i18n.pot-stale" in check.output
    assert "i18n.pot-stale" in run("i18n", "status", "--project", project).stderr
    assert run("i18n", "update", "--project", project).exit_code == 0
    assert "i18n.pot-stale" not in run("check", "--project", project).output


def test_positional_catalogue_is_warned_about(project: Path) -> None:
    path = _with_fr(project)
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    _translate_all(path)
    text = path.read_text()
    when = 'msgctxt "routes/GB/gb-childline/when"'
    assert when in text
    path.write_text(text.replace(when, 'msgctxt "routes/GB/routes/1/when"'))
    result = run("check", "--project", project)
    assert f"{PO}:1:1: warning i18n.positional 1 translations are named by position" \
        in result.output


def test_catalogues_hold_only_the_routes_their_editions_print(project: Path) -> None:
    path = _with_fr(project)  # fr-GB only
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    contexts = {e.msgctxt for e in polib.pofile(str(path))}
    assert "routes/GB/gb-childline/when" in contexts
    assert not [c for c in contexts if c.startswith("routes/US/")]
    assert "template" in contexts and any(c.startswith("sample/") for c in contexts)
    _translate_all(path)
    cur = project / "curriculum.yaml"
    cur.write_text(cur.read_text().replace(
        "  - {id: fr-GB, locale: fr, country: GB}",
        "  - {id: fr-US, locale: fr, country: US}"))  # the edition moves to the US
    assert run("i18n", "update", "--project", project).exit_code == 0
    po = polib.pofile(str(path))
    active = {e.msgctxt for e in po if not e.obsolete}
    assert any(c.startswith("routes/US/") for c in active)
    gone = [e for e in po if e.obsolete]
    assert gone and all(e.msgctxt.startswith("routes/GB/") and e.msgstr for e in gone)
    cur.write_text(cur.read_text().replace(
        "  - {id: fr-US, locale: fr, country: US}",
        "  - {id: fr-US, locale: fr, country: US}\n  - {id: fr-GB, locale: fr, country: GB}"))
    assert run("i18n", "update", "--project", project).exit_code == 0
    revived = next(e for e in polib.pofile(str(path))
                   if e.msgctxt == "routes/GB/gb-childline/when")
    assert not revived.obsolete and revived.msgstr.startswith("FR ")
