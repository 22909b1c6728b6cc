"""Module- and band-aware help boxes (issue 16).

Real builds of the repository are read back: the trafficking lesson's en-PH handout and letter
print the 1343 Actionline (and en-GB's do not, GB has no such route); the sextortion handout
prints each removal tool with what it needs; a 5-7 handout prints the child box (trusted
grown-up, child helpline, emergency number; no reporting or removal tools) whose words grade
within the band's ceiling. Error cases use the mini fixture project.
"""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

from lessonpack.content.readability import flesch_kincaid

CURRICULUM = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
CEILING = {b["id"]: b["reading_grade_max"] for b in CURRICULUM["bands"]}
ROUTES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
          for p in (REPO / "routes").glob("*.yaml")}


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.split())


def help_box(text: str) -> str:
    """The handout's help box: from its heading to the end of the document."""
    start = text.rfind("Help box: who can help")
    assert start >= 0, "no help box"
    return text[start:]


def first_confirmed(country: str, kind: str) -> dict:
    return next(r for r in ROUTES[country]["routes"] if r["kind"] == kind
                and r["status"] == "confirmed" and not r.get("adults_only"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("help") / "site"
    for edition, band, module in (("en-PH", "14-17", "too-good-to-be-true"),
                                  ("en-GB", "14-17", "too-good-to-be-true"),
                                  ("en-GB", "11-13", "pressure-and-sextortion")):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--band",
                     band, "--module", module, "--format", "pdf", "--jobs", "2")
        assert result.exit_code == 0, result.output
    for edition in ("en-PH", "en-GB", "en-US", "en-AU", "en-MY"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--band",
                     "5-7", "--module", "getting-help", "--doc", "handout", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("doc", ["handout", "family-letter"])
def test_trafficking_lesson_prints_the_trafficking_line_in_ph(built: Path, doc: str) -> None:
    ph = pdf_text(built / "en-PH" / "14-17" / "too-good-to-be-true" / f"{doc}.pdf")
    box = help_box(ph) if doc == "handout" else ph[ph.rfind("Where to get help"):]
    assert "1343 Actionline" in box and re.search(r"(?<!\d)1343(?!\d)", box)
    gb = pdf_text(built / "en-GB" / "14-17" / "too-good-to-be-true" / f"{doc}.pdf")
    assert "1343" not in gb  # asked for by id: only its own country's editions print it


def test_sextortion_lesson_prints_removal_tools_with_what_they_need(built: Path) -> None:
    box = help_box(pdf_text(built / "en-GB" / "11-13" / "pressure-and-sextortion" /
                            "handout.pdf"))
    tid = next(r for r in ROUTES["international"]["routes"] if r["id"] == "int-take-it-down")
    assert "Take It Down" in box
    assert " ".join(tid["needs"].split()) in box


@pytest.mark.parametrize("edition", ["en-PH", "en-GB", "en-US", "en-AU", "en-MY"])
def test_young_band_gets_the_child_box(built: Path, edition: str) -> None:
    country = next(e["country"] for e in CURRICULUM["editions"] if e["id"] == edition)
    pdf = built / edition / "5-7" / "getting-help" / "handout.pdf"
    box = help_box(pdf_text(pdf))
    assert box.startswith("Help box: who can help me")
    for kind in ("child-helpline", "emergency"):
        assert first_confirmed(country, kind)["phone"] in box
    for adult in ("Take It Down", "REPORT IT", "under 18", "@", "https://"):
        assert adult not in box, f"{edition} 5-7 box prints {adult!r}"
    # the box's own words (route names are proper names: left out, as the check does)
    page = (pdf.with_suffix(".html")).read_text(encoding="utf-8") if pdf.with_suffix(
        ".html").exists() else ""
    section = re.search(r'<section class="help-box child-help".*?</section>', page, re.S)
    assert section, "child box missing from the HTML"
    words = re.sub(r'<span class="(route-name|contact)">.*?</span>', " ", section[0], flags=re.S)
    sentences = [htmllib.unescape(re.sub(r"<[^>]+>", " ", part)).strip()
                 for part in re.split(r"</(?:h2|li|p)>", words)]
    text = " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences if s)
    assert flesch_kincaid(text) <= CEILING["5-7"], text


# --- lessonpack check ---------------------------------------------------------------------------

def _with_help(project: Path, block: str) -> Path:
    module = project / "lessons" / "01-sample" / "module.yaml"
    module.write_text(module.read_text().replace('bands: ["8-10", "11-13"]\n',
                                                 'bands: ["8-10", "11-13"]\n' + block, 1))
    return module


def test_module_asking_for_a_kind_a_country_lacks_is_an_error(project: Path) -> None:
    module = _with_help(project, "help:\n  kinds: [victim-support]\n")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = next(i for i, s in enumerate(module.read_text().splitlines(), 1) if "kinds:" in s)
    assert re.search(rf"module\.yaml:{line}:\d+: error help\.missing-kind module asks for route "
                     r"kind 'victim-support', but US has no confirmed one \(its kinds: "
                     r"child-helpline, emergency\)", result.output), result.output
    # GB's victim-support route is unconfirmed: it does not count
    assert "but GB has no confirmed one (its kinds: child-helpline, emergency)" in result.output


def test_module_asking_for_an_unknown_route_is_an_error(project: Path) -> None:
    _with_help(project, "help:\n  routes: [gb-nowhere]\n")
    result = run("check", "--project", project)
    assert result.exit_code == 1 and "help.unknown-route" in result.output


def test_child_box_above_the_reading_level_is_an_error(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text().replace(
        "    reading_grade_max: 4\n", "    reading_grade_max: 4\n    help_box: child\n", 1))
    assert run("check", "--project", project).exit_code == 0
    routes = project / "routes" / "US.yaml"
    long_when = ("Telephone this organisation whenever circumstances involving uncomfortable "
                 "communications, intimidation or exploitation necessitate professional "
                 "intervention and confidential consultation.")
    text = routes.read_text()
    routes.write_text(re.sub(r"(    kind: child-helpline\n)",
                             rf'\1    when_by_band: {{"8-10": "{long_when}"}}\n', text, count=1))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = next(i for i, s in enumerate(routes.read_text().splitlines(), 1)
                if "when_by_band" in s)
    assert re.search(rf"US\.yaml:{line}:\d+: error help\.reading-level the 8-10 help box for US "
                     r"reads at grade [\d.]+; the band's ceiling is 4", result.output), \
        result.output


def test_young_band_deck_shows_the_child_box(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run("build", "--project", REPO, "--out", out, "--edition", "en-GB", "--band", "5-7",
                 "--module", "getting-help", "--doc", "slides", "--format", "html")
    assert result.exit_code == 0, result.output
    deck = (out / "en-GB" / "5-7" / "getting-help" / "slides.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", deck).split())
    start = text.find("Help box: who can help me")
    assert start >= 0
    box = text[start:start + 600]
    assert first_confirmed("GB", "child-helpline")["phone"] in box
    assert "Take It Down" not in text and "REPORT IT" not in box.upper()
