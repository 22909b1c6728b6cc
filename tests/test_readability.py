"""Reading levels: a cold `lessonpack check` grades handouts, knowledge checks and help boxes in
ONE spawned grading process (content/readability.py ``one_grading_process``), gives the same
grades as one process per check did, and ends that process before it returns."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from conftest import REPO

from lessonpack.checks import check_project
from lessonpack.content import readability
from lessonpack.content.helpcheck import check_help
from lessonpack.content.knowledge import check_knowledge
from lessonpack.content.project import load_project
from lessonpack.content.rules import check_content_rules
from lessonpack.problems import Problems


def _grades(cache: Path) -> dict[str, float]:
    return json.loads((cache / "reading-levels.json").read_text())["grades"]


def test_a_cold_check_grades_in_one_process(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # each of the three checks on its own, as before: one process each
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(tmp_path / "apart"))
    project, problems = load_project(REPO, Problems(REPO)), Problems(REPO)
    started = readability.grader_starts
    for check in (check_content_rules, check_knowledge, check_help):
        check(project, problems)
    assert readability.grader_starts - started == 3  # all three had texts to grade
    # the whole check, cold: one process, the same grades, and no process left behind
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(tmp_path / "together"))
    started = readability.grader_starts
    checked = check_project(REPO)
    assert readability.grader_starts - started == 1
    assert multiprocessing.active_children() == []
    assert not checked.problems.errors
    together = _grades(tmp_path / "together")
    assert together == _grades(tmp_path / "apart") and len(together) >= 30
    # warm: nothing to grade, no process at all
    started = readability.grader_starts
    check_project(REPO)
    assert readability.grader_starts == started


def test_the_preview_grades_in_its_warm_process(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` keeps one grader (keep_grader_warm): a check uses it and starts none."""
    monkeypatch.setenv("LESSONPACK_CACHE_DIR", str(tmp_path / "cache"))
    started = readability.grader_starts
    readability.keep_grader_warm()
    try:
        check_project(REPO)
        assert readability.grader_starts - started == 1  # the warm one only
        assert len(multiprocessing.active_children()) == 1  # still there for the next edit
    finally:
        readability.stop_grader()
    assert len(_grades(tmp_path / "cache")) >= 30
