"""Each shipped country's frameworks, roles and crosswalk row: sourced, dated and printed.

Real builds of the repository are read back: the en-PH, ms-MY and en-AU teacher guides list
their own country's frameworks (with every source and the checked date) and no other
country's; the en-AU live-streaming guide names the under-16 social media account rule; the
US, AU, KR and TH guides print their sourced safeguarding term; en-US prints the adults band's
label in US words. The refusals use the mini fixture project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

CURRICULUM = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
FRAMEWORKS = CURRICULUM["frameworks"]
MODULE, BAND = "live-streaming", "14-17"
STREAMING = yaml.safe_load((REPO / "lessons" / "05-live-streaming" / "module.yaml")
                           .read_text(encoding="utf-8"))
ADULTS_MODULE = "caregiver-workshop"


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.replace("\u2010 ", "").replace("-\n", "").split())


def pdf_urls(path: Path) -> str:
    """The PDF's text with no whitespace or hyphens: a URL wrapped over lines reads back
    whole (pdftotext drops a hyphen at a line end, even one of the URL's own); compare with
    :func:`bare`."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return bare(text)


def bare(text: str) -> str:
    return re.sub(r"[\s\-\u2010]+", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country-fw") / "site"
    for edition in ("en-PH", "ms-MY", "en-AU", "en-US"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--band",
                     BAND, "--module", MODULE, "--doc", "teacher-guide", "--format", "pdf",
                     "--jobs", "2")
        assert result.exit_code == 0, result.output
    for edition in ("ko-KR", "th-TH"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--band",
                     BAND, "--module", MODULE, "--doc", "teacher-guide", "--format", "html")
        assert result.exit_code == 0, result.output
    result = run("build", "--project", REPO, "--out", out, "--edition", "en-AU", "--band",
                 "11-13", "--module", MODULE, "--doc", "teacher-guide", "--format", "html")
    assert result.exit_code == 0, result.output
    result = run("build", "--project", REPO, "--out", out, "--edition", "en-US", "--band",
                 "adults", "--module", ADULTS_MODULE, "--doc", "handout", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("edition", "country"), [("en-PH", "PH"), ("ms-MY", "MY"),
                                                  ("en-AU", "AU")])
def test_guide_lists_its_countrys_frameworks_with_sources(built: Path, edition: str,
                                                         country: str) -> None:
    path = built / edition / BAND / MODULE / "teacher-guide.pdf"
    text, flat = pdf_text(path), pdf_urls(path)
    own = {fid: fw for fid, fw in FRAMEWORKS.items() if fw["country"] == country}
    mapped = [fid for fid in own if STREAMING["frameworks"].get(fid)]
    assert mapped, f"live-streaming maps to no {country} framework"
    for fid in mapped:
        framework = own[fid]
        for strand in STREAMING["frameworks"][fid]:
            assert strand in text, (fid, strand)
        for url in [framework["source"], *framework.get("see_also", [])]:
            assert bare(url) in flat, (fid, url)
        if edition.startswith("en-"):
            assert framework["name"] in text, fid  # ms-MY prints its translated name
    assert re.search(r"(Checked|Disemak) (December 6, 2026|6 (December|Disember) 2026)", text)
    for fid, framework in FRAMEWORKS.items():
        if framework["country"] != country:
            assert bare(framework["source"]) not in flat, f"{fid} printed in {edition}"


def test_a_guide_prints_the_codes_verified_for_its_band_only(built: Path) -> None:
    hpe = FRAMEWORKS["ac9-hpe"]
    mine = [c for c in hpe["codes"] if "14-17" in c["bands"]
            and c["strand"] in STREAMING["frameworks"]["ac9-hpe"]]
    others = [c for c in hpe["codes"] if c not in mine]
    assert mine and others  # live-streaming maps to one of the two coded sub-strands
    path = built / "en-AU" / BAND / MODULE / "teacher-guide.pdf"
    text, flat = pdf_text(path), pdf_urls(path)
    section = text.split("Curriculum frameworks")[1].split("Safeguarding")[0]
    for code in mine:
        assert f"codes for this age band: {code['code']}" in section
        assert bare(code["source"]) in flat
    for code in others:  # a code under a strand the module does not map to
        assert f"age band: {code['code']}" not in section
    younger = (built / "en-AU" / "11-13" / MODULE / "teacher-guide.html").read_text("utf-8")
    assert "codes for this age band" not in younger  # Years 9-10 codes are not for 11-13
    assert "Making healthy and safe choices" in younger


def test_en_au_streaming_guide_names_the_under_16_account_rule(built: Path) -> None:
    text = pdf_text(built / "en-AU" / BAND / MODULE / "teacher-guide.pdf")
    au = yaml.safe_load((REPO / "routes" / "AU.yaml").read_text(encoding="utf-8"))
    rule = next(t for t in au["terms"] if t["id"] == "social_media_minimum_age")
    assert "10 December 2025" in text and "under 16" in text
    assert " ".join(rule["text"].split()) in text
    assert bare(rule["source"]) in pdf_urls(built / "en-AU" / BAND / MODULE / "teacher-guide.pdf")


@pytest.mark.parametrize(("edition", "country", "fmt"), [
    ("en-US", "US", "pdf"), ("en-AU", "AU", "pdf"), ("ko-KR", "KR", "html"),
    ("th-TH", "TH", "html")])
def test_guide_prints_its_countrys_sourced_role(built: Path, edition: str, country: str,
                                               fmt: str) -> None:
    routes = yaml.safe_load((REPO / "routes" / f"{country}.yaml").read_text(encoding="utf-8"))
    role = next(t for t in routes["terms"] if t["id"] == "safeguarding_contact")
    assert role["source"].startswith("https://") and str(role["checked"]) == "2026-12-06"
    path = built / edition / BAND / MODULE / f"teacher-guide.{fmt}"
    if fmt == "pdf":
        text, flat = pdf_text(path), pdf_urls(path)
        assert " ".join(role["note"].split()) in text  # English editions print the note as is
    else:
        text = path.read_text(encoding="utf-8")
        flat = bare(text)
    assert bare(role["source"]) in flat
    assert "{safeguarding_contact}" not in text
    if country == "KR":
        assert "Wee" in text and "전문상담교사" in text


def test_en_us_prints_the_adapted_band_label(built: Path) -> None:
    adults = next(b for b in CURRICULUM["bands"] if b["id"] == "adults")
    assert adults["label"] == "Parents, carers and community"  # the British source
    text = pdf_text(built / "en-US" / "adults" / ADULTS_MODULE / "handout.pdf")
    assert "Parents, caregivers and community" in text
    assert not re.search(r"\bcarers?\b", text, re.IGNORECASE)
    page = (built / "en-US" / "index.html").read_text(encoding="utf-8")
    assert "Parents, caregivers and community" in page and "carers" not in page


def test_every_printed_mapping_and_role_has_a_source_and_date() -> None:
    countries = sorted({e["country"] for e in CURRICULUM["editions"]})
    for fid, framework in FRAMEWORKS.items():
        assert framework["source"].startswith("http") and framework["checked"], fid
    for band in CURRICULUM["bands"]:
        for country in band.get("crosswalk", {}):
            src = CURRICULUM["crosswalk_sources"][country]
            assert src["source"].startswith("https://") and src["checked"], country
    for country in countries:
        routes = yaml.safe_load((REPO / "routes" / f"{country}.yaml").read_text("utf-8"))
        roles = [t for t in routes.get("terms", []) if t["id"] == "safeguarding_contact"]
        assert roles, f"{country} has no sourced safeguarding role"
        for term in routes["terms"]:
            assert term.get("source") and term.get("checked"), (country, term["id"])


# --- lessonpack check refuses an unsourced mapping ----------------------------------------------

def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_framework_without_a_source_is_refused(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text() + (
        "frameworks:\n  efcw:\n    name: EfCW\n    country: GB\n"
        "    strands: [Online relationships]\n    checked: 2026-11-01\n"))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = _line_of(curriculum, "  efcw:")
    assert re.search(rf"curriculum\.yaml:{line}:3: error schema\.missing missing required "
                     r"field .source.", result.output), \
        result.output


def test_crosswalk_row_without_a_source_is_an_error_at_its_line(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text().replace(
        "    min_font_pt: 12\n", "    min_font_pt: 12\n    crosswalk:\n      GB: Years 4-5\n"
        "      US: Grades 3-5\n"))
    curriculum.write_text(curriculum.read_text() + (
        "crosswalk_sources:\n  GB:\n    source: https://example.org/key-stages\n"
        "    checked: 2026-11-01\n"))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = _line_of(curriculum, "US: Grades 3-5")
    assert f"curriculum.yaml:{line}:7: error curriculum.crosswalk-source the US crosswalk row " \
           "of band 8-10 has no source" in result.output
    assert "the GB crosswalk row" not in result.output  # sourced rows pass


def test_code_under_an_unknown_strand_is_an_error_at_its_line(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text() + (
        "frameworks:\n  efcw:\n    name: EfCW\n    country: GB\n"
        "    strands: [Online relationships]\n    source: https://example.org/efcw\n"
        "    checked: 2026-11-01\n    codes:\n      - code: EF1\n"
        "        strand: Online relashionships\n        bands: [\"8-10\"]\n"
        "        source: https://example.org/efcw/1\n        checked: 2026-11-01\n"))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = _line_of(curriculum, "- code: EF1")
    assert f"curriculum.yaml:{line}:9: error framework.code code EF1 of efcw is filed under " \
           "'Online relashionships', which is not one of its strands (Online relationships)" \
        in result.output


def test_module_without_its_countrys_framework_is_a_warning(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text() + (
        "frameworks:\n  efcw:\n    name: EfCW\n    country: GB\n"
        "    strands: [Online relationships]\n    source: https://example.org/efcw\n"
        "    checked: 2026-11-01\n"))
    result = run("check", "--project", project)
    module = project / "lessons" / "01-sample" / "module.yaml"
    assert re.search(r"01-sample/module\.yaml:1:1: warning module\.framework-missing module "
                     r"'\S+' maps to no framework of GB \(declared: GB: efcw\)", result.output)
    module.write_text(module.read_text().replace(
        'bands: ["8-10", "11-13"]\n',
        'bands: ["8-10", "11-13"]\nframeworks:\n  efcw: [Online relationships]\n'))
    assert "module.framework-missing" not in run("check", "--project", project).output


# --- translations: a framework's name and note are in its country's catalogues only ------------

def test_framework_texts_go_to_their_countrys_catalogues_only() -> None:
    import polib

    pot = polib.pofile(str(REPO / "locales" / "messages.pot"))
    contexts = [e.msgctxt or "" for e in pot if "frameworks" in (e.msgctxt or "")]
    assert contexts and all(c.startswith("curriculum/frameworks/") for c in contexts)
    # strands and module mappings are official names, never extracted
    assert not any(c.endswith(("/strands", "/see_also")) or "/strands/" in c for c in contexts)
    expected = {"ms": "kssm-peers", "fil": "deped-health", "ko": None, "th": None}
    for locale, framework in expected.items():
        po = polib.pofile(str(REPO / "locales" / locale / "LC_MESSAGES" / "messages.po"))
        found = {(e.msgctxt or "").split("/")[2] for e in po
                 if (e.msgctxt or "").startswith("curriculum/frameworks/") and not e.obsolete}
        assert found == ({framework} if framework else set()), locale
        for entry in po:
            if framework and entry.msgctxt == f"curriculum/frameworks/{framework}/note":
                assert entry.msgstr and "fuzzy" not in entry.flags, locale


def test_ms_my_guide_prints_the_translated_framework_note(built: Path) -> None:
    import polib

    po = polib.pofile(str(REPO / "locales" / "ms" / "LC_MESSAGES" / "messages.po"))
    note = next(e.msgstr for e in po if e.msgctxt == "curriculum/frameworks/kssm-peers/note")
    text = pdf_text(built / "ms-MY" / BAND / MODULE / "teacher-guide.pdf")
    assert " ".join(note.split()) in text
    english = FRAMEWORKS["kssm-peers"]["note"]
    assert english[:40] not in text


def test_a_broken_word_list_is_reported_by_check(project: Path) -> None:
    words = project / "locales" / "en_US" / "words.yaml"
    words.parent.mkdir(parents=True, exist_ok=True)
    words.write_text("words:\n  colour: color\n  mum: [mom]\n")
    result = run("check", "--project", project)
    assert "locales/en_US/words.yaml:3:3: error variant.words 'mum' must map one word or " \
           "phrase to another" in result.output, result.output
