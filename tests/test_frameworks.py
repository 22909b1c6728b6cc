"""Framework mappings and the crosswalk (issue 16): sourced, shown, complete, checked.

The real repository is built (one unit, HTML and PDF) and read back: the en-GB teacher guide
lists the unit's UKCIS strands with the source and checked date, the curriculum map has a
frameworks column, and the index's crosswalk has a column for every shipped country, with the
sources of the rows that have one. The error cases use the mini fixture project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

CURRICULUM = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
COUNTRIES = sorted({e["country"] for e in CURRICULUM["editions"]})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fw") / "site"
    for edition in ("en-GB", "en-PH"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--band",
                     "11-13", "--module", "helping-a-friend", "--doc", "teacher-guide",
                     "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


def test_every_crosswalk_has_every_shipped_country(built: Path) -> None:
    for band in CURRICULUM["bands"]:
        if band.get("audience") == "adults":
            continue  # sessions for adults have no school year
        assert set(COUNTRIES) <= set(band["crosswalk"]), band["id"]
    page = (built / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<section class="crosswalk".*?</section>', page, re.S)[0]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert len(headers) == 1 + len(COUNTRIES)  # "Band" + one column per country
    for name in ("Australia", "Thailand"):
        assert name in headers
    for code, src in CURRICULUM["crosswalk_sources"].items():
        assert src["source"] in table and str(src["checked"]) in table, code


def test_guide_and_map_show_the_framework_mapping(built: Path) -> None:
    efcw = CURRICULUM["frameworks"]["efcw"]
    module = yaml.safe_load((REPO / "lessons" / "08-helping-a-friend" / "module.yaml")
                            .read_text(encoding="utf-8"))
    gb = subprocess.run(["pdftotext", str(built / "en-GB" / "11-13" / "helping-a-friend" /
                                          "teacher-guide.pdf"), "-"],
                        check=True, capture_output=True, text=True).stdout
    gb = " ".join(gb.split())
    assert f"{efcw['name']}: " + "; ".join(module["frameworks"]["efcw"]) in gb
    assert efcw["source"] in gb.replace(" ", "")
    ph = (built / "en-PH" / "11-13" / "helping-a-friend" / "teacher-guide.html").read_text()
    assert efcw["name"] not in ph  # a UK framework is not listed in a Philippine guide
    page = (built / "curriculum-map.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">Frameworks</th>" in page and efcw["source"] in page
    # every module taught to pupils is mapped (the adults' sessions are not)
    pupils = [m for m in (REPO / "lessons").glob("*/module.yaml")
              if "adults" not in yaml.safe_load(m.read_text(encoding="utf-8"))["bands"]]
    assert page.count(efcw["name"] + "</strong>") == len(pupils) == 9


def test_unknown_strand_is_an_error_at_its_line(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text() + (
        "frameworks:\n  efcw:\n    name: EfCW\n    country: GB\n"
        "    strands: [Online relationships]\n    source: https://example.org/efcw\n"
        "    checked: 2026-11-01\n"))
    module = project / "lessons" / "01-sample" / "module.yaml"
    module.write_text(module.read_text().replace(
        'bands: ["8-10", "11-13"]\n',
        'bands: ["8-10", "11-13"]\nframeworks:\n  efcw: [Online relationships, Onlien safety]\n'))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(module.read_text().splitlines(), 1) if "Onlien" in t)
    assert re.search(rf"module\.yaml:{line}:\d+: error module\.framework 'Onlien safety' is "
                     r"not a strand of efcw \(its strands: Online relationships\)", result.output)


def test_missing_crosswalk_row_is_a_warning(project: Path) -> None:
    assert "curriculum.crosswalk" not in run("check", "--project", project).output  # none yet
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text().replace(
        "    min_font_pt: 12\n", "    min_font_pt: 12\n    crosswalk: {GB: Years 4-5}\n"))
    result = run("check", "--project", project, "--strict")
    assert result.exit_code == 1
    assert "curriculum.yaml:3:5: error curriculum.crosswalk band 8-10 has no crosswalk row for US" \
        in result.output  # a warning, an error under --strict
    assert "band 11-13 has no crosswalk row for GB, US" in result.output
