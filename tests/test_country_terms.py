"""The country layer (issue 16): each country's roles and laws, sourced, and English variants.

Real builds of the repository's editions are read back with pdftotext: en-PH guides name the
Child Protection Committee and never "safeguarding lead"; en-US documents hold no British-only
word from the list below. Error cases use the mini fixture project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

from lessonpack.i18n.variants import Variant

MODULE = "pressure-and-sextortion"
BAND = "11-13"
DOCS = ("teacher-guide", "handout", "family-letter")

# British-only spellings and words: none may print in an en-US document. Kept here, not read
# from locales/en_US/words.yaml, so a word dropped from that file fails this test.
BRITISH_ONLY = ("mum", "mums", "carer", "carers", "colour", "colours", "coloured", "favourite",
                "neighbour", "neighbours", "behaviour", "behaviours", "rumour", "rumours",
                "recognise", "recognised", "realise", "organised", "criticise", "practise",
                "practised", "modelling", "judgement", "pupil", "pupils", "year group",
                "break time", "safeguarding lead")


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.replace("\u2010 ", "").replace("-\n", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("terms") / "site"
    for edition in ("en-PH", "en-US", "en-GB", "fil-PH"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition,
                     "--band", BAND, "--module", MODULE, "--format", "pdf", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


def test_en_ph_guide_names_the_child_protection_committee(built: Path) -> None:
    text = pdf_text(built / "en-PH" / BAND / MODULE / "teacher-guide.pdf")
    assert "Child Protection Committee" in text
    assert "safeguarding lead" not in text.lower()
    ph = yaml.safe_load((REPO / "routes" / "PH.yaml").read_text(encoding="utf-8"))
    for term in ph["terms"]:
        # every PH term and law prints with its source and checked date
        assert " ".join(term["text"].split()) in text, term["id"]
        assert term["source"] in text.replace(" ", ""), term["id"]
    assert "11930" in text and "OSAEC" in text


def test_fil_ph_guide_keeps_the_term(built: Path) -> None:
    text = pdf_text(built / "fil-PH" / BAND / MODULE / "teacher-guide.pdf")
    assert "Child Protection Committee" in text
    assert "safeguarding lead" not in text.lower()
    assert "{safeguarding_contact}" not in text


def test_en_gb_guide_names_the_designated_safeguarding_lead(built: Path) -> None:
    text = pdf_text(built / "en-GB" / BAND / MODULE / "teacher-guide.pdf")
    assert "designated safeguarding lead" in text
    assert "Child Protection Committee" not in text


@pytest.mark.parametrize("doc", DOCS)
def test_en_us_has_no_british_only_words(built: Path, doc: str) -> None:
    text = pdf_text(built / "en-US" / BAND / MODULE / f"{doc}.pdf")
    found = [w for w in BRITISH_ONLY if re.search(rf"\b{w}\b", text, re.IGNORECASE)]
    assert not found, f"British words in en-US {doc}: {found}"
    assert "{" not in text


def test_en_gb_keeps_the_source_words(built: Path) -> None:
    text = pdf_text(built / "en-GB" / BAND / MODULE / "teacher-guide.pdf").lower()
    assert "pupil" in text  # the source is British: no adaptation for en-GB


def test_variant_keeps_case_and_whole_words() -> None:
    variant = Variant((("colour", "color"), ("mum", "mom"), ("year group", "grade")))
    adapted = variant.adapt("Mum's colour, mum. Colourful mummy")
    assert adapted == "Mom's color, mom. Colourful mummy"
    assert variant.adapt("the Year group and {colour}") == "the Grade and {colour}"


# --- lessonpack check ---------------------------------------------------------------------------

def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_unknown_term_placeholder_is_an_error_at_its_line(project: Path) -> None:
    module = project / "lessons" / "01-sample" / "module.yaml"
    text = module.read_text()
    module.write_text(text.replace("Ask who chats in games.",
                                   "Ask who chats in games; tell {safeguarding_contac}.", 1))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = _line_of(module, "{safeguarding_contac}")
    assert re.search(rf"module\.yaml:{line}:\d+: error content\.term unknown term placeholder "
                     r"\{safeguarding_contac\} \(known: \{safeguarding_contact\}\)", result.output)


def test_known_term_placeholder_passes_and_prints_the_neutral_default(project: Path) -> None:
    module = project / "lessons" / "01-sample" / "module.yaml"
    module.write_text(module.read_text().replace(
        "Ask who chats in games.", "Ask who chats in games; tell {safeguarding_contact}.", 1))
    assert run("check", "--project", project).exit_code == 0
    out = project.parent / "out"
    result = run("build", "--project", project, "--out", out, "--edition", "en-US",
                 "--format", "html", "--doc", "teacher-guide")
    assert result.exit_code == 0, result.output
    html = next(out.glob("en-US/*/*/teacher-guide.html")).read_text()
    assert "tell the staff member your school names for child protection." in html
    assert "{safeguarding_contact}" not in html


def test_country_term_without_source_is_an_error(project: Path) -> None:
    routes = project / "routes" / "GB.yaml"
    routes.write_text(routes.read_text() + "terms:\n  - id: safeguarding_contact\n"
                      "    kind: role\n    text: the designated safeguarding lead\n")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = _line_of(routes, "id: safeguarding_contact")
    assert f"GB.yaml:{line}:" in result.output and "terms.unsourced" in result.output


def test_country_role_unknown_to_the_defaults_is_an_error(project: Path) -> None:
    routes = project / "routes" / "GB.yaml"
    routes.write_text(routes.read_text() + "terms:\n  - id: safeguarding_lead\n"
                      "    kind: role\n    text: the designated safeguarding lead\n"
                      "    source: https://example.org/kcsie\n    checked: 2026-11-01\n")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "terms.unknown term 'safeguarding_lead'" in result.output


def test_a_term_goes_stale_like_a_route(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    routes = project / "routes" / "GB.yaml"
    routes.write_text(routes.read_text() + "terms:\n  - id: safeguarding_contact\n"
                      "    kind: role\n    text: the designated safeguarding lead\n"
                      "    source: https://example.org/kcsie\n    checked: 2026-11-01\n")
    monkeypatch.setenv("LESSONPACK_TODAY", "2027-12-01")
    result = run("check", "--project", project)
    line = len(routes.read_text().splitlines())  # the term's `checked:` is the last line
    assert f"GB.yaml:{line}:14: warning routes.stale route 'safeguarding_contact'" \
        in result.output
    listing = run("routes", "--project", project, "--country", "GB").output
    assert re.search(r"safeguarding_contact\s+term:role\s+sourced\s+2026-11-01\s+395", listing)
