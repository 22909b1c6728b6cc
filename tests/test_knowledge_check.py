"""Issue 15: the knowledge check — pupils' sheet, teacher's copy, tally sheet and CSV.

Real builds of the repository's own curriculum (en-PH for every children's band, ko-KR and
th-TH for 5-7 and 14-17), read back from the PDFs and the CSV; the mini fixture with a check
added for the site, the manifest, the zip and the check's error messages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import polib
import pytest
import yaml
from conftest import REPO, VNU_JAR, run, serious_axe_violations

from lessonpack.render.knowledge import CSV_COLUMNS

BANDS = ("5-7", "8-10", "11-13", "14-17")
SOURCE = yaml.safe_load((REPO / "lessons/knowledge-check.yaml").read_text(encoding="utf-8"))
CHECK = "knowledge-check"


def _text(pdf: Path, raw: bool = False) -> str:
    """The PDF's text, whitespace folded (``raw``: content order, which keeps Thai whole)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(pdf), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def _bare(text: str) -> str:
    """No whitespace or hyphens: Thai has no spaces, and a narrow table cell breaks
    "grown-up" at its hyphen (which pdftotext then drops)."""
    return re.sub(r"[\s\u00ad-]+", "", text)


def _pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def _questions(band: str) -> list[dict]:
    return SOURCE["checks"][band]["questions"]


def notdef_glyphs(pdf: Path) -> int:
    """How many glyphs the PDF draws with glyph 0 (.notdef, the empty box a missing
    character prints as). WeasyPrint writes text in two-byte Identity-H fonts."""
    count = 0
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            fonts = page.resources.get("/Font", {})
            current = None
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    current = fonts.get(str(operands[0]))
                    continue
                if op not in ("Tj", "TJ", "'", '"') or current is None \
                        or current.get("/Subtype") != "/Type0":
                    continue
                pieces = operands[0] if op == "TJ" else [operands[-1]]
                for piece in pieces:
                    if isinstance(piece, pikepdf.String):
                        data = bytes(piece)
                        count += sum(data[i:i + 2] == b"\0\0" for i in range(0, len(data), 2))
    return count


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every band's knowledge check in en-PH (HTML, PDF, CSV); 5-7 and 14-17 in ko-KR, th-TH."""
    out = tmp_path_factory.mktemp("checks")
    result = run("build", "--project", REPO, "--edition", "en-PH", "--module", CHECK,
                 "--no-packs", "--jobs", "2", "--out", out)
    assert result.exit_code == 0, result.output
    result = run("build", "--project", REPO, "--edition", "ko-KR", "--edition", "th-TH",
                 "--band", "5-7", "--band", "14-17", "--module", CHECK, "--format", "pdf",
                 "--no-packs", "--jobs", "2", "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("band", BANDS)
def test_each_band_has_a_one_page_sheet_whose_questions_read_back(built: Path, band: str
                                                                  ) -> None:
    pdf = built / "en-PH" / band / CHECK / "knowledge-check.pdf"
    assert _pages(pdf) == 1
    text = _bare(_text(pdf))
    for question in _questions(band):
        assert _bare(question["question"]) in text, question["id"]
    for words in ("Before the lessons", "After the lessons", "Do not write your name",
                  "Not sure"):
        assert _bare(words) in text
    assert 3 <= len(_questions(band)) <= 12


def test_read_aloud_band_has_pictures_and_a_script(built: Path) -> None:
    """5-7: children circle a picture (three answer drawings per question, plus the question's
    own), and the teacher's copy has the words to say."""
    sheet = (built / "en-PH/5-7" / CHECK / "knowledge-check.html").read_text(encoding="utf-8")
    count = len(_questions("5-7"))
    assert sheet.count('alt="Yes"') == count and sheet.count('alt="Not sure"') == count
    drawn = "class=\"check-picture\" style=\"background-image: url('data:image/svg+xml"
    assert sheet.count(drawn) == count
    assert "Circle one picture" in sheet
    key = _text(built / "en-PH/5-7" / CHECK / "knowledge-check-key.pdf")
    assert "Read aloud" in key and "I will read each question two times" in key
    # the running header is CSS text: an apostrophe must not print as an HTML entity
    assert "Knowledge check: teacher's copy" in key and "&#39;" not in key
    older = _text(built / "en-PH/14-17" / CHECK / "knowledge-check-key.pdf")
    assert "Read aloud" not in older


@pytest.mark.parametrize("band", BANDS)
def test_answer_key_is_in_the_teacher_copy_only(built: Path, band: str) -> None:
    folder = built / "en-PH" / band / CHECK
    key = _bare(_text(folder / "knowledge-check-key.pdf"))
    assert _bare("Answer key") in key
    # each question, in order, followed by its right answer
    pattern = "".join(re.escape(_bare(q["question"])) + ("Yes" if q["correct"] else "No")
                      + ".*?" for q in _questions(band))
    assert re.search(pattern, key), "a question is missing or has the wrong answer"
    pupil = _text(folder / "knowledge-check.pdf")
    for word in ("Answer key", "Right answer", "Taught in", "Lesson 1"):
        assert word not in pupil
    assert "answer-yes" not in (folder / "knowledge-check.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("band", BANDS)
def test_tally_sheet_is_one_page_and_the_csv_lists_every_question(built: Path, band: str
                                                                   ) -> None:
    folder = built / "en-PH" / band / CHECK
    assert _pages(folder / "knowledge-check-tally.pdf") == 1
    tally = _bare(_text(folder / "knowledge-check-tally.pdf"))
    for word in ("Right before", "Right after", "Sheets collected before"):
        assert _bare(word) in tally
    data = (folder / "knowledge-check-tally.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert CSV_COLUMNS[:5] == ("question_id", "question", "correct_answer", "before_count",
                               "after_count")
    body = rows[1:]
    questions = _questions(band)
    assert [r[0] for r in body] == [q["id"] for q in questions]
    assert [r[1] for r in body] == [q["question"] for q in questions]
    assert [r[2] for r in body] == ["Yes" if q["correct"] else "No" for q in questions]
    assert all(cell == "" for r in body for cell in r[3:])
    assert all(len(r) == len(CSV_COLUMNS) for r in body)


def test_the_manifest_lists_each_check_document(built: Path) -> None:
    rows = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    en = {(r["band"], r["doc"], r["format"]) for r in rows
          if r["edition"] == "en-PH" and r["module"] == CHECK}
    for band in BANDS:
        for doc in ("knowledge-check", "knowledge-check-key", "knowledge-check-tally"):
            assert {(band, doc, "pdf"), (band, doc, "html")} <= en
        assert (band, "knowledge-check-tally", "csv") in en
    assert not any(r["band"] == "adults" and r["module"] == CHECK for r in rows)


def test_adults_band_makes_no_check(built: Path) -> None:
    """The sessions for adults have no knowledge check (docs/architecture.md says why)."""
    assert not (built / "en-PH/adults" / CHECK).exists()
    result = run("build", "--project", REPO, "--edition", "en-PH", "--band", "adults",
                 "--module", CHECK, "--format", "html", "--no-packs", "--out",
                 built / "adults-only")
    assert result.exit_code == 0, result.output
    assert not (built / "adults-only/en-PH/adults" / CHECK).exists()


def _translations(locale: str) -> dict[str, str]:
    po = polib.pofile(str(REPO / f"locales/{locale}/LC_MESSAGES/messages.po"))
    return {e.msgctxt: e.msgstr for e in po if e.msgctxt and e.msgctxt.startswith(CHECK)
            and e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


@pytest.mark.parametrize(("edition", "locale"), [("ko-KR", "ko"), ("th-TH", "th")])
@pytest.mark.parametrize("band", ["5-7", "14-17"])
def test_korean_and_thai_checks_print_every_glyph(built: Path, edition: str, locale: str,
                                                   band: str) -> None:
    """A character no font has is dropped by the layout (WeasyPrint prints nothing for it)
    or drawn as glyph 0: so every translated question must read back whole from each of the
    three PDFs, and no glyph 0 may be drawn."""
    translated = _translations(locale)
    folder = built / edition / band / CHECK
    for doc in ("knowledge-check", "knowledge-check-key", "knowledge-check-tally"):
        pdf = folder / f"{doc}.pdf"
        assert notdef_glyphs(pdf) == 0, f"{pdf.name} draws a missing glyph"
        assert _pages(pdf) <= (2 if doc == "knowledge-check-key" else 1)
        text = _bare(_text(pdf, raw=True))
        for question in _questions(band):
            context = f"{CHECK}/checks/{band}/questions/{question['id']}/question"
            assert context in translated, f"{context} has no {locale} translation"
            assert _bare(translated[context]) in text, f"{doc}: {question['id']}"
    assert "Before the lessons" not in _text(folder / "knowledge-check.pdf")


MINI_CHECK = """\
title: What do you know?
checks:
  "8-10":
    questions:
      - id: stop-chat
        question: Can you stop a chat at any time?
        correct: yes
        teaches: sample
      - id: too-late
        question: Is it ever too late to tell?
        correct: no
        teaches: sample
      - id: fake
        question: Is everyone online who they say they are?
        correct: no
        teaches: sample
"""


@pytest.fixture
def checked_project(project: Path) -> Path:
    (project / "lessons/knowledge-check.yaml").write_text(MINI_CHECK, encoding="utf-8")
    return project


def test_site_page_manifest_and_zip_hold_the_check(checked_project: Path) -> None:
    out = checked_project / "site"
    result = run("build", "--project", checked_project, "--edition", "en-GB", "--jobs", "2",
                 "--out", out)
    assert result.exit_code == 0, result.output
    stem = "en-GB/8-10/knowledge-check/"
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    paths = {r["path"] for r in rows}
    assert {stem + "knowledge-check.pdf", stem + "knowledge-check-key.pdf",
            stem + "knowledge-check-tally.pdf", stem + "knowledge-check-tally.csv"} <= paths
    assert not any("11-13/knowledge-check" in p for p in paths)  # no check for that band
    page = (out / "en-GB/index.html").read_text(encoding="utf-8")
    item = page[page.index('data-module="knowledge-check"'):]
    item = item.split('<li class="module"')[0].split("</section>")[0]  # the check's own item
    for doc in ("knowledge-check.pdf", "knowledge-check-key.pdf", "knowledge-check-tally.pdf",
                "knowledge-check-tally.csv"):
        assert f'href="../{stem}{doc}"' in item
    assert "Knowledge check: before and after" in page and "CSV for reporting" in page
    assert "a family letter for every module" not in page
    with zipfile.ZipFile(out / "en-GB.zip") as archive:
        names = set(archive.namelist())
    assert f"lessonpack-en-GB/{stem}knowledge-check-tally.csv" in names
    assert f"lessonpack-en-GB/{stem}knowledge-check-key.pdf" in names


@pytest.mark.parametrize(("old", "new", "code", "line"), [
    ("Can you stop a chat at any time?", "Has anyone ever asked you for photos?",
     "knowledge.personal", 6),
    ("Can you stop a chat at any time?", "Can a naked photo be shared?",
     "safety.banned-term", 6),
    ("Is it ever too late to tell?", "Is it true that you should have known?",
     "safety.victim-blaming", 10),
    ("teaches: sample\n      - id: too-late", "teaches: nothing\n      - id: too-late",
     "knowledge.teaches", 8),
    ('"8-10":', '"14-17":', "knowledge.band", 3),
    ("Can you stop a chat at any time?",
     "Can a person who communicates continuously through anonymous applications "
     "eventually become dangerous, considering everything unexpectedly?",
     "knowledge.reading-level", 3),
])
def test_a_question_that_breaks_a_rule_is_an_error_at_its_line(
        checked_project: Path, old: str, new: str, code: str, line: int) -> None:
    path = checked_project / "lessons/knowledge-check.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("check", "--project", checked_project)
    assert result.exit_code == 1, result.output
    found = [ln for ln in result.output.splitlines() if f" {code} " in ln]
    assert found, result.output
    assert found[0].startswith(f"lessons/knowledge-check.yaml:{line}:"), found[0]


def test_the_check_as_written_passes(checked_project: Path) -> None:
    result = run("check", "--project", checked_project)
    assert not [ln for ln in result.output.splitlines() if "knowledge-check.yaml" in ln], \
        result.output


CHECK_PAGES = [f"en-PH/{band}/{CHECK}/{doc}.html" for band in ("5-7", "14-17")
               for doc in ("knowledge-check", "knowledge-check-key", "knowledge-check-tally")]


@pytest.mark.parametrize("page_path", CHECK_PAGES)
def test_check_pages_pass_axe_and_fit_a_phone(browser, built: Path,  # noqa: ANN001
                                              page_path: str) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    try:
        page.goto((built / page_path).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        bad = serious_axe_violations(page)
    finally:
        page.close()
    assert bad == []


def test_check_pages_are_valid_html(built: Path) -> None:
    done = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *(str(built / p) for p in CHECK_PAGES)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    errors = [(m.get("url", "").rsplit("/", 1)[-1], m.get("lastLine"), m["message"])
              for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    assert errors == []


def test_check_pdfs_pass_the_pdfua_structural_check(built: Path) -> None:
    """Every check PDF (en-PH, ko-KR, th-TH) is tagged like the other documents: the
    drawings have alt text or are marked as decoration (tests/pdfua.py)."""
    from pdfua import pdfua_faults

    pdfs = sorted(built.rglob("knowledge-check*.pdf"))
    assert len(pdfs) == 3 * 4 + 3 * 2 * 2
    faults = {str(p.relative_to(built)): pdfua_faults(p) for p in pdfs}
    assert faults == {p: [] for p in faults}


def test_large_print_of_a_check_is_a_usage_error_that_says_why() -> None:
    result = run("build", "--project", REPO, "--variant", "large-print", "--doc", CHECK,
                 "--out", REPO / "never-written")
    assert result.exit_code == 2
    assert "drop --doc knowledge-check" in result.output
    assert not (REPO / "never-written").exists()


def test_a_lesson_edit_reprints_the_check_only_when_its_key_changes(checked_project: Path) -> None:
    """The answer key shows each lesson's title and place: a story edit leaves the check's
    documents alone (a one-module edit lays out only that module's), a title edit does not."""
    site = checked_project / "site"

    def build() -> tuple[dict[Path, int], dict[Path, int]]:
        result = run("build", "--project", checked_project, "--edition", "en-GB", "--format",
                     "html", "--no-packs")
        assert result.exit_code == 0, result.output
        return ({p: p.stat().st_mtime_ns for p in site.glob("en-GB/*/knowledge-check/*.html")},
                {p: p.stat().st_mtime_ns for p in site.glob("en-GB/*/sample/*.html")})

    checks, lessons = build()
    assert checks and lessons
    module = checked_project / "lessons/01-sample/module.yaml"
    text = module.read_text(encoding="utf-8")
    assert "Sam feels odd." in text and "title: Kind chats" in text
    module.write_text(text.replace("Sam feels odd.", "Sam feels uneasy."), encoding="utf-8")
    after_story, lessons_after = build()
    assert after_story == checks  # not written again
    assert all(lessons_after[p] != lessons[p] for p in lessons)
    module.write_text(text.replace("title: Kind chats", "title: Kind and safe chats"),
                      encoding="utf-8")
    after_title, _ = build()
    assert all(after_title[p] != checks[p] for p in checks)
    key = next(p for p in after_title if p.name == "knowledge-check-key.html")
    assert "Kind and safe chats" in key.read_text(encoding="utf-8")
