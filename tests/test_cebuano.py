"""The Cebuano edition (ceb-PH): a real handout built from the repository prints the
Philippine help routes and the draft notice in Cebuano, and every character of the
catalogue has a glyph in the font stack.

Expected numbers come from routes/PH.yaml and expected Cebuano from the catalogue itself,
so a changed route or translation changes the expectation, not the test.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import polib
import pytest
import yaml
from conftest import REPO, run

from lessonpack.i18n.glyphs import coverage_for

EDITION, BAND, MODULE = "ceb-PH", "5-7", "getting-help"
CATALOGUE = REPO / "locales/ceb/LC_MESSAGES/messages.po"


def _ceb(msgid: str, msgctxt: str = "template") -> str:
    """The catalogue's Cebuano for one message (it must be translated)."""
    entry = polib.pofile(str(CATALOGUE)).find(msgid, msgctxt=msgctxt)
    assert entry is not None and entry.msgstr, (msgctxt, msgid)
    return entry.msgstr


def _flat(text: str) -> str:
    return " ".join(text.split())


def _first_confirmed(kind: str) -> dict:
    routes = yaml.safe_load((REPO / "routes/PH.yaml").read_text(encoding="utf-8"))["routes"]
    return next(r for r in routes if r["kind"] == kind and r["status"] == "confirmed"
                and not r.get("adults_only"))


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ceb")
    result = run("build", "--project", REPO, "--edition", EDITION, "--band", BAND,
                 "--module", MODULE, "--doc", "handout", "--doc", "teacher-guide",
                 "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    return out / EDITION / BAND / MODULE / "handout.pdf"


def _pdf_text(path: Path) -> str:
    return _flat(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                capture_output=True, text=True).stdout)


@pytest.fixture(scope="module")
def text(handout: Path) -> str:
    return _pdf_text(handout)


def test_edition_is_shipped() -> None:
    curriculum = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
    editions = {e["id"]: e for e in curriculum["editions"]}
    assert editions[EDITION] == {"id": EDITION, "locale": "ceb", "country": "PH"}
    assert (REPO / "locales/ceb/glossary.yaml").is_file()


@pytest.mark.parametrize("kind", ["child-helpline", "emergency"])
def test_handout_prints_the_philippine_numbers(text: str, kind: str) -> None:
    phone = _first_confirmed(kind)["phone"]
    assert re.search(rf"(?<![\w-]){re.escape(phone)}(?![\w-])", text), (kind, phone)


def test_help_box_and_draft_notice_are_in_cebuano(text: str) -> None:
    for msgid in ("Help box: who can help me", "Tell a grown-up you trust.",
                  "Draft translation", "not yet reviewed by a native speaker",
                  "You will not be in trouble for telling."):
        cebuano = _flat(_ceb(msgid))
        assert cebuano != msgid
        assert cebuano in text, (msgid, cebuano)
    assert "Draft translation" not in text and "native speaker" not in text
    # the route's own name, translated in the catalogue, is what the box prints
    route = _first_confirmed("child-helpline")
    assert _flat(_ceb(route["name"], f"routes/PH/{route['id']}/name")) in text


def test_teacher_guide_names_the_philippine_role_in_cebuano(handout: Path) -> None:
    guide = _pdf_text(handout.with_name("teacher-guide.pdf"))
    role = _flat(_ceb("the school's Child Protection Committee",
                      "routes/PH/terms/safeguarding_contact/text"))
    assert "Child Protection Committee" in role and role in guide
    assert "{safeguarding_contact}" not in guide and "safeguarding lead" not in guide.lower()


def test_pdf_language_is_cebuano(handout: Path) -> None:
    with pikepdf.open(handout) as pdf:
        assert str(pdf.Root.Lang) == "ceb"


def test_every_character_of_the_catalogue_has_a_glyph(tmp_path: Path) -> None:
    coverage = coverage_for(REPO / "templates/css", tmp_path)
    assert not coverage.missing_families, coverage.missing_families
    missing = {(e.msgctxt, ch) for e in polib.pofile(str(CATALOGUE)) if e.msgstr
               for ch in coverage.uncovered(e.msgstr)}
    assert not missing, sorted(missing)[:10]
