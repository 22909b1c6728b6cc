"""Issue 15: family letters are written to be sent before the lesson, and name their sender.

The sender (school name, contact, sign-off) comes from the edition's ``school:`` in
curriculum.yaml or from the build options, which win; blank lines are printed otherwise.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import run

LETTER = "en-GB/8-10/sample/family-letter.pdf"


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s+", " ", out)


def _build(project: Path, out: Path, *options: str) -> str:
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "family-letter", "--format", "pdf", "--no-packs", "--jobs", "1",
                 "--out", out, *options)
    assert result.exit_code == 0, result.output
    return result.output


def test_letter_without_sender_has_blank_lines_and_speaks_before_the_lesson(
        project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "out")
    text = _text(tmp_path / "out" / LETTER)
    assert "What your child will learn" in text
    assert "We are writing before the lesson" in text
    assert "From: Dear family," in text  # nothing after "From:" but the blank line
    assert "Questions about this lesson? Contact: With best wishes," in text
    html = (tmp_path / "out" / LETTER.replace(".pdf", ".html"))
    assert not html.exists()  # only PDFs were asked for


def test_sender_from_curriculum_and_options_override_it(project: Path, tmp_path: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text(encoding="utf-8").replace(
        "{id: en-GB, locale: en_GB, country: GB}",
        "{id: en-GB, locale: en_GB, country: GB, school: {name: Hillside Primary, "
        "contact: school office}}"), encoding="utf-8")
    out = tmp_path / "out"
    _build(project, out)
    text = _text(out / LETTER)
    assert "From: Hillside Primary" in text
    assert "Contact: school office" in text
    # the option replaces the name, keeps the contact, adds a sign-off, and rebuilds the letter
    output = _build(project, out, "--school", "Rizal Elementary", "--sign-off", "Ms Reyes")
    assert "built 1" in output, output
    text = _text(out / LETTER)
    assert "From: Rizal Elementary" in text and "Hillside" not in text
    assert "Contact: school office" in text
    assert "With best wishes, Ms Reyes Rizal Elementary" in text
    # the same options again: nothing to do
    assert "skipped 1" in _build(project, out, "--school", "Rizal Elementary", "--sign-off",
                                 "Ms Reyes")


def test_sender_option_must_be_text(project: Path, tmp_path: Path) -> None:
    result = run("build", "--project", project, "--school", "  ", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "Invalid value for '--school'" in result.output
    assert not (tmp_path / "o").exists()


def test_unknown_sender_key_is_a_clear_error(project: Path) -> None:
    curriculum = project / "curriculum.yaml"
    curriculum.write_text(curriculum.read_text(encoding="utf-8").replace(
        "{id: en-GB, locale: en_GB, country: GB}",
        "{id: en-GB, locale: en_GB, country: GB, school: {nme: Hillside}}"), encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "curriculum.yaml:" in result.output and "nme" in result.output
