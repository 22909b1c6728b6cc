"""The tear-off exit ticket (issue 14), read back from real handout PDFs of every band in en-GB
and in a translated edition (fil-PH): the slip is on its own sheet, behind a cut line, and its
questions never share a page with the help box (its heading and phone numbers) or with the
activity, where pupils write a plan "you do not have to show anyone". The teacher guide says
to collect only the slip, and gives an answer for every exit-ticket question."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run

EDITIONS = ("en-GB", "fil-PH")
CURRICULUM = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
MODE = {b["id"]: b.get("exit_ticket_mode", "slip") for b in CURRICULUM["bands"]}


def squash(text: str) -> str:
    """Letters and digits only: PDF text extraction breaks lines and spaces differently."""
    return "".join(ch for ch in htmllib.unescape(text).casefold() if ch.isalnum())


def head(text: str) -> str:
    """The start of a source text, up to any {placeholder} the build fills in."""
    return squash(text.split("{")[0])[:40]


def page_texts(pdf: Path) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout).group(1))
    return [squash(subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n),
                                  str(pdf), "-"], check=True, capture_output=True,
                                 text=True).stdout) for n in range(1, pages + 1)]


def tag_text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", fragment)


def section(page: str, cls: str) -> str:
    found = re.search(rf'<section class="{cls}[^"]*".*?</section>', page, re.S)
    return found.group(0) if found else ""


def keys(fragment: str, length: int = 40) -> list[str]:
    """A key of each list item's text: its first ``length`` letters and digits."""
    items = re.findall(r"<li[^>]*>(.*?)</li>", fragment, re.S)
    return [squash(tag_text(i))[:length] for i in items if squash(tag_text(i))]


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("slip") / "site"
    for edition in EDITIONS:
        result = run("build", "--project", REPO, "--out", out, "--edition", edition, "--doc",
                     "handout", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


def units(root: Path) -> list[Path]:
    return sorted(root.glob("*/*/*/handout.pdf"))


def test_every_band_and_edition_was_built(handouts: Path) -> None:
    built = {(p.parts[-4], p.parts[-3]) for p in units(handouts)}
    assert {e for e, _ in built} == set(EDITIONS)
    assert {b for _, b in built} == {"5-7", "8-10", "11-13", "14-17", "adults"}


def test_exit_questions_never_share_a_page_with_the_help_box_or_the_plan(handouts: Path
                                                                         ) -> None:
    checked = 0
    for pdf in units(handouts):
        band = pdf.parts[-3]
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        texts = page_texts(pdf)
        help_section = section(page, "help-box")
        heading = squash(tag_text(re.search(r"<h2[^>]*>(.*?)</h2>", help_section, re.S)[1]))
        phones = [squash(p) for p in re.findall(r'<span class="nowrap" dir="ltr">([^<]+)</span>',
                                                help_section) if len(squash(p)) >= 3]
        help_pages = {n for n, t in enumerate(texts) if heading in t
                      or any(p in t for p in phones)}
        assert help_pages, f"{pdf}: the help box was not found"
        # Whole prompts: a prompt's start can be an exit question's middle ("Tatlong matandang
        # pinagkakatiwalaan…" in "Magbigay ng tatlong matandang pinagkakatiwalaan…").
        # every run of text in the activity (instructions and prompts, whatever its type draws)
        activity = re.sub(r"<h2.*?</h2>", "", section(page, "activity"), flags=re.S)
        plan = [squash(run) for run in re.findall(r">([^<]+)<", activity)]
        plan = [k for k in plan if len(k) >= 20]  # "Ang alok:" is in any text on offers
        plan_pages = {n for n, t in enumerate(texts) if any(k in t for k in plan)}
        assert plan_pages, f"{pdf}: the activity was not found"
        if MODE[band] == "self":  # adults answer for themselves; nothing is handed in
            continue
        slip = section(page, "exit-slip")
        questions = keys(slip)
        if MODE[band] == "aloud":
            assert not slip, f"{pdf}: a band that answers aloud prints no slip"
            continue
        question_pages = {n for n, t in enumerate(texts) for q in questions if q in t}
        assert len(questions) >= 1 and question_pages, f"{pdf}: exit questions not printed"
        assert not question_pages & (help_pages | plan_pages), (
            f"{pdf}: exit ticket on page(s) {sorted(question_pages)}, help box on "
            f"{sorted(help_pages)}, plan on {sorted(plan_pages)}")
        # On its own sheet: the last page, a right-hand page (its back is blank).
        assert question_pages == {len(texts) - 1} and len(texts) % 2 == 1, (pdf, len(texts))
        cut = squash(tag_text(re.search(r'<span class="cut-text">(.*?)</span></p>', slip)[1]))
        assert texts[-1].count(cut) == 2, f"{pdf}: the slip has no cut lines"
        checked += 1
    assert checked >= 40  # 8-10, 11-13 and 14-17 units in both editions


def test_slip_sheet_is_translated(handouts: Path) -> None:
    text = page_texts(handouts / "fil-PH" / "14-17" / "getting-help" / "handout.pdf")[-1]
    assert squash("cut here") not in text, "the cut line is still in English"


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guide") / "site"
    for band in ("5-7", "14-17", "adults"):
        result = run("build", "--project", REPO, "--out", out, "--edition", "en-GB", "--band",
                     band, "--doc", "teacher-guide", "--format", "pdf", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return out


def test_guide_gives_answers_key_messages_and_says_collect_only_the_slip(guides: Path) -> None:
    for source in sorted((REPO / "lessons").glob("*/module.yaml")):
        module = yaml.safe_load(source.read_text(encoding="utf-8"))
        for band, content in module["content"].items():
            pdf = guides / "en-GB" / band / module["id"] / "teacher-guide.pdf"
            if not pdf.exists():
                continue
            text = "".join(page_texts(pdf))
            for item in content["exit_ticket"]:
                assert head(item["answer"]) in text, (pdf, item["question"])
            for message in content["key_messages"]:
                assert head(message) in text, (pdf, message)
            for criterion in content["activity"]["success"]:
                assert head(criterion) in text, (pdf, criterion)
            note = {"slip": "collectonlytheslip", "aloud": "nothingiscollected"}.get(MODE[band])
            if note:
                assert note in text, f"{pdf}: the plan does not say what to collect"
