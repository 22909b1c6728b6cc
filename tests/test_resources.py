"""The ``resources`` document (issue 14): every printable material a plan lists as supplied is
printed, read back from real PDFs (en-GB and fil-PH), with cut lines and drawn (never
photographed) faces; it is in the manifest, the site and the zip; bad input is an error at
its module.yaml line with the choices."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import REPO, run
from test_check_errors import edit

MODULE = "lessons/01-sample/module.yaml"


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return squash(text)


def squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def head(text: str) -> str:
    return squash(re.sub(r"[*_`]", "", text))[:40]


def supplied(content: dict) -> list[dict]:
    """The band's resources that some material names (what must be printed)."""
    named = {m["supplied"] for m in content["materials"] if isinstance(m, dict)
             and m.get("supplied")}
    return [r for r in content.get("resources", []) if r["id"] in named]


def source_units() -> list[tuple[str, str, dict]]:
    units = []
    for path in sorted((REPO / "lessons").glob("*/module.yaml")):
        module = yaml.safe_load(path.read_text(encoding="utf-8"))
        units += [(module["id"], band, content) for band, content in module["content"].items()]
    return units


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("resources") / "site"
    for edition in ("en-GB", "fil-PH"):
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--doc",
                     "resources", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


def test_every_supplied_material_is_printed(built: Path) -> None:
    printed = 0
    for module, band, content in source_units():
        wanted = supplied(content)
        pdf = built / "en-GB" / band / module / "resources.pdf"
        if not wanted:
            assert not pdf.exists(), f"{pdf}: a unit with nothing to supply has no resources"
            continue
        text = pdf_text(pdf)
        for resource in wanted:
            assert head(resource["title"]) in text, (pdf, resource["id"])
            expected = [s["title"] for s in content["scenarios"]] \
                if resource.get("from_scenarios") else []
            for item in resource.get("items", []):
                expected += [item.get("title") or "", item.get("text") or "",
                             *item.get("details", []),
                             *(m["text"] for m in item.get("messages", []))]
            for piece in filter(None, expected):
                assert head(piece) in text, (pdf, resource["id"], piece)
            printed += 1
    assert printed >= 20, printed


def dash_patterns(pdf: Path) -> int:
    """How many times the page content sets a dashed line (``[on off] d`` with dashes that
    have length: ``[0 w]`` is the dotted underline of text still in English)."""
    count = 0
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "d" and len(operands[0]) > 0 and operands[0][0] > 0:
                    count += 1
    return count


def images(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return sum(len(page.get_images()) for page in doc.pages)  # forms too


@pytest.mark.parametrize("edition", ["en-GB", "fil-PH"])
def test_cut_lines_drawings_and_no_photos(built: Path, edition: str) -> None:
    pdfs = sorted((built / edition).glob("*/*/resources.pdf"))
    assert len(pdfs) >= 20
    for pdf in pdfs:
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        # A draft edition's mark is a dashed box too, so dashes are counted in English.
        assert edition != "en-GB" or dash_patterns(pdf) >= 1, f"{pdf}: no dashed cut lines"
        assert images(pdf) == 0, f"{pdf}: a raster image (photos are never used)"
        text = pdf_text(pdf)
        cuts = re.findall(r'<span class="cut-text">(.*?)</span></p>', page, re.S)
        assert all(squash(re.sub("<[^>]+>", "", c)) in text for c in cuts), pdf
        for title in re.findall(r"<h3>(.*?)</h3>", page, re.S):  # every card in every language
            assert squash(re.sub("<[^>]+>", "", title))[:30] in text, (pdf, title)
    profiles = built / edition / "14-17" / "not-who-they-say" / "resources.html"
    # three made-up profiles, each with the drawn "user" pictogram (never a photo)
    assert profiles.read_text(encoding="utf-8").count('class="picture picture-lg"') == 3


# --- the document kind in a whole build: manifest, site, zip ------------------------------------

RESOURCE = """    resources:
      - id: clue-cards
        type: cards
        title: Clue cards
        items:
          - text: A school badge in a photo
          - title: A street sign
            text: The name of a road near home
"""


def with_resource(project: Path) -> Path:
    edit(project, MODULE, "    materials:\n      - The handout\n",
         "    materials:\n      - The handout\n      - text: Clue cards, one set per group\n"
         "        supplied: clue-cards\n      - text: Crayons\n        classroom: true\n"
         + RESOURCE)
    return project


def test_resources_in_manifest_site_and_zip(project: Path) -> None:
    with_resource(project)
    out = project / "site"
    result = run("build", "--project", project, "--out", out, "--edition", "en-GB", "--jobs",
                 "2")
    assert result.exit_code == 0, result.output
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    mine = {(r["band"], r["format"]) for r in rows if r.get("doc") == "resources"}
    assert mine == {("8-10", "html"), ("8-10", "pdf")}  # only the unit that has resources
    assert "cluecards" in pdf_text(out / "en-GB" / "8-10" / "sample" / "resources.pdf")
    page = (out / "en-GB" / "index.html").read_text(encoding="utf-8")
    assert "8-10/sample/resources.pdf" in page and "11-13/sample/resources" not in page
    names = zipfile.ZipFile(next(out.glob("**/*en-GB*.zip"))).namelist()
    assert any(n.endswith("8-10/sample/resources.pdf") for n in names), names
    guide = pdf_text(out / "en-GB" / "8-10" / "sample" / "teacher-guide.pdf")
    assert "printedinthislessonsresourcesclueca" in guide


def check_lines(project: Path, *options: str) -> list[str]:
    result = run("check", "--project", project, *options)
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()


def test_supplied_by_a_resource_that_does_not_exist(project: Path) -> None:
    with_resource(project)
    edit(project, MODULE, "supplied: clue-cards", "supplied: clue-card")
    assert check_lines(project) == [
        f"{MODULE}:26:19: error materials.unsupplied band 8-10: material is supplied by "
        "'clue-card', but no resource prints it; expected one of: clue-cards, handout, slides "
        "— add a resource with that id under `resources:`, or mark the material "
        "`classroom: true`",
        f"{MODULE}:30:13: warning resources.unused band 8-10: no material is supplied by "
        "resource 'clue-cards' — name it in a material's `supplied:`"]


def test_unknown_type_and_picture_name_the_choices(project: Path) -> None:
    with_resource(project)
    edit(project, MODULE, "type: cards", "type: posters")
    edit(project, MODULE, "          - text: A school badge in a photo",
         "          - text: A school badge in a photo\n            picture: photo")
    lines = check_lines(project)
    assert lines[0] == (
        f"{MODULE}:31:15: error resources.type resource 'clue-cards': unknown type 'posters'; "
        "expected one of: cards, profiles, chat, signs — cards to cut out, profiles, chat "
        "bubbles or signs")
    assert lines[1].startswith(f"{MODULE}:35:22: error picture.unknown unknown picture id "
                               "'photo' — ")  # 14a's pictogram check, with its choices
    assert "choose one of: " in lines[1] and "user" in lines[1] and len(lines) == 2


def test_printable_material_that_nothing_supplies_warns(project: Path) -> None:
    edit(project, MODULE, "      - The handout\n", "      - The handout\n      - Profile cards\n")
    assert check_lines(project) == [
        f"{MODULE}:25:9: warning materials.printable band 8-10: 'Profile cards' reads like a "
        "printable material, but no resource supplies it — write it as `- text: ...` with "
        "`supplied: <resource id>` (resources: none yet), or `classroom: true`"]


def test_exit_question_without_answer_warns_and_strict_fails(project: Path) -> None:
    edit(project, MODULE, "        answer: Any adult the pupil knows well and trusts.\n", "")
    expected = [f"{MODULE}:54:9: warning exit.answer exit-ticket question 'Name one trusted "
                "adult.' has no answer — add `answer:` (what a good answer includes, for the "
                "teacher)"]
    assert check_lines(project) == expected
    assert run("check", "--project", project).exit_code == 0
    assert run("check", "--project", project, "--strict").exit_code == 1
