"""Per-message review: a `# reviewed` translator comment, counted by `i18n status`, kept by
GNU gettext, dropped by `update` when the English changes; CI thresholds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
from conftest import run
from test_i18n_workflow import add_edition

PO = "locales/fr/LC_MESSAGES/messages.po"
MODULE = "lessons/01-sample/module.yaml"


def _fr(project: Path) -> Path:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    path = project / PO
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
        if entry.msgid in ("You can always stop a chat.", "It is never too late to tell."):
            entry.tcomment = "reviewed: Camille, 2026-12-01"
    po.save()
    return path


def _status(project: Path, *extra: str) -> tuple[int, dict]:
    result = run("i18n", "status", "--project", project, "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)["locales"][0]


def test_status_counts_reviewed_and_draft(project: Path) -> None:
    _fr(project)
    code, row = _status(project)
    assert code == 0
    assert row["reviewed"] == 2 and row["draft"] == row["translated"] - 2
    assert row["modules"]["sample"]["reviewed"] == 2
    # both reviewed texts are 8-10 key messages: 6 + 7 English words
    assert row["bands"]["8-10"]["reviewed"] == 2 and row["bands"]["11-13"]["reviewed"] == 0
    assert row["words"]["reviewed"] == 13
    assert row["words"]["translated"] == row["words"]["total"] > 100
    assert run("i18n", "status", "--project", project, "--min-translated", "100",
               "--min-reviewed", "0.5").exit_code == 0  # 2 of ~200
    low = run("i18n", "status", "--project", project, "--min-reviewed", "50")
    assert low.exit_code == 1 and "fr: reviewed" in low.stderr and "< 50%" in low.stderr


def test_gnu_gettext_keeps_the_mark_and_update_drops_it_when_english_changes(
        project: Path, tmp_path: Path) -> None:
    path = _fr(project)
    catted = tmp_path / "catted.po"
    subprocess.run(["msgcat", str(path), "-o", str(catted)], check=True)
    assert catted.read_text().count("# reviewed: Camille, 2026-12-01") == 2
    module = project / MODULE
    module.write_text(module.read_text().replace("You can always stop a chat.",
                                                 "You can always stop any chat."))
    assert run("i18n", "update", "--project", project).exit_code == 0
    po = polib.pofile(str(path))
    changed = next(e for e in po if e.msgid == "You can always stop any chat.")
    assert changed.fuzzy and "reviewed" not in changed.tcomment
    kept = next(e for e in po if e.msgid == "It is never too late to tell.")
    assert kept.tcomment == "reviewed: Camille, 2026-12-01"
    _code, row = _status(project)
    assert row["reviewed"] == 1


def test_draft_mark_follows_the_documents_own_messages(project: Path) -> None:
    path = _fr(project)
    po = polib.pofile(str(path))
    for entry in po:
        entry.tcomment = "reviewed: Camille, 2026-12-01"
    po.save()

    def handout(band: str) -> str:
        result = run("build", "--project", project, "--edition", "fr-GB", "--band", band,
                     "--doc", "handout", "--format", "html", "--no-packs")
        assert result.exit_code == 0, result.output
        return (project / f"site/fr-GB/{band}/sample/handout.html").read_text()

    assert 'class="draft-mark"' not in handout("8-10")  # every text it prints is reviewed
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == "It is never too late to tell.")  # an 8-10 text
    entry.tcomment = ""
    po.save()
    assert "not yet reviewed" in handout("8-10").replace("FR not yet", "not yet")
    assert 'class="draft-mark"' not in handout("11-13")  # its own texts all reviewed


def test_status_per_edition_counts_only_that_countrys_routes() -> None:
    """`i18n status` per edition: a locale shared by two countries' editions reports each
    edition's own texts — everything but the other country's routes."""
    from lessonpack.i18n.stats import stats_by_edition

    po = polib.POFile()
    for context, translated in (("template", True), ("sample/content/8-10/title", True),
                                ("routes/GB/gb-childline/when", True),
                                ("routes/US/us-911/when", False),
                                ("routes/international/int-x/when", True)):
        po.append(polib.POEntry(msgctxt=context, msgid=context,
                                msgstr="x" if translated else ""))
    stats = stats_by_edition(po, {"fr-GB": "GB", "fr-US": "US"})
    assert (stats["fr-GB"].translated, stats["fr-GB"].untranslated) == (4, 0)
    assert (stats["fr-US"].translated, stats["fr-US"].untranslated) == (3, 1)
