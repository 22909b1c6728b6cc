"""`lessonpack check` on broken content: every problem at its exact file:line:col, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

MODULE = "lessons/01-sample/module.yaml"


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def check_lines(root: Path) -> list[str]:
    result = run("check", "--project", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()


def test_clean_project_prints_nothing(project: Path) -> None:
    result = run("check", "--project", project)
    assert result.exit_code == 0
    assert result.output == ""


def test_undeclared_band_names_file_line_and_declared_bands(project: Path) -> None:
    edit(project, MODULE, 'bands: ["8-10", "11-13"]', 'bands: ["8-10", "11-14"]')
    assert check_lines(project) == [
        f"{MODULE}:5:17: error schema.band band '11-14' is not declared in curriculum.yaml; "
        "declared: 8-10, 11-13",
        f"{MODULE}:65:3: error module.band-content content for band '11-13', which is not in "
        "this module's bands (8-10, 11-14) — add the band to `bands:` or remove this content",
    ]


def test_unknown_key_suggests_the_right_one(project: Path) -> None:
    edit(project, MODULE, "    objectives:", "    objectivs:")
    lines = check_lines(project)
    assert lines[0] == (f"{MODULE}:7:3: error schema.missing missing required field "
                        "'objectives' — add 'objectives:'")
    assert lines[1].startswith(f"{MODULE}:10:5: error schema.unknown-key unknown key "
                               "'objectivs' — did you mean 'objectives'? expected one of: title,")


def test_missing_required_field_points_at_its_mapping(project: Path) -> None:
    edit(project, MODULE, "summary: A small module used by the tests.\n", "")
    assert check_lines(project) == [
        f"{MODULE}:1:1: error schema.missing missing required field 'summary' — add 'summary:'"]


def test_yaml_syntax_error_has_line_and_column(project: Path) -> None:
    edit(project, MODULE, "    title: Kind chats", "    title: [Kind chats")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:9:12: error yaml.syntax did not find expected ',' or ']'")
    assert "check indentation and quoting near this line" in line


def test_tab_indentation_reported_at_its_line(project: Path) -> None:
    edit(project, MODULE, "    minutes: 30\n    objectives:", "    minutes: 30\n\tobjectives:")
    assert check_lines(project) == [
        f"{MODULE}:10:1: error yaml.tab tab used for indentation — indent with spaces"]


def test_duplicate_key_is_an_error(project: Path) -> None:
    edit(project, MODULE, "order: 1\n", "order: 1\norder: 2\n")
    assert check_lines(project) == [
        f"{MODULE}:3:1: error yaml.duplicate-key duplicate key 'order' (first at line 2) "
        "— keep one of them"]


def test_wrong_type_names_the_field(project: Path) -> None:
    edit(project, MODULE, "    minutes: 30\n    objectives:", "    minutes: half\n    objectives:")
    assert check_lines(project) == [
        f"{MODULE}:9:14: error schema.type 'content.8-10.minutes': input should be a valid "
        "integer, unable to parse string as an integer"]


def test_exit_ticket_must_point_at_an_objective(project: Path) -> None:
    edit(project, MODULE, "        objective: 2", "        objective: 5")
    assert check_lines(project) == [
        f"{MODULE}:54:9: error lesson.exit-ticket band 8-10: exit ticket item 2 checks "
        "objective 5, but there are 2 — point `objective:` at one of the objectives (1-based)"]


def test_timing_must_add_up(project: Path) -> None:
    edit(project, MODULE, "        minutes: 20\n", "        minutes: 25\n")
    assert check_lines(project) == [
        f"{MODULE}:25:5: error lesson.timing band 8-10: steps add up to 35 minutes, lesson "
        "says 30 — make the step minutes add up to `minutes`"]


def test_banned_term_in_young_band(project: Path) -> None:
    edit(project, MODULE, "Sam feels odd.", "Sam is asked for a naked photo.")
    assert check_lines(project) == [
        f"{MODULE}:34:16: error safety.banned-term band 8-10: 'naked' is not used with this "
        "age band — reword it for the age, or add a reviewed `allowed_terms:` entry"]


def test_victim_blaming_phrase_is_flagged(project: Path) -> None:
    edit(project, MODULE, "Stop the chat and tell a grown-up.",
         "Sam should have known better.")
    assert check_lines(project) == [
        f"{MODULE}:37:21: error safety.victim-blaming band 8-10: 'should have known' can read "
        "as blaming the child — say what the person can do now instead"]


def test_phone_number_in_lesson_text(project: Path) -> None:
    edit(project, MODULE, "A trusted adult at home or school.",
         "A trusted adult, or call 0800 1111.")
    assert check_lines(project) == [
        f"{MODULE}:42:21: error safety.phone-in-text '0800 1111' looks like a phone number "
        "— numbers come only from routes/; refer to the help box instead"]


def test_module_folder_must_match_id(project: Path) -> None:
    (project / "lessons/01-sample").rename(project / "lessons/01-other")
    assert check_lines(project) == [
        "lessons/01-other/module.yaml:1:5: error module.folder module id 'sample' does not "
        "match its folder '01-other' — name the folder NN-sample (NN = two-digit order)"]


def test_edition_without_routes(project: Path) -> None:
    (project / "routes/US.yaml").unlink()
    assert check_lines(project) == [
        "curriculum.yaml:13:5: error edition.routes edition 'en-US' uses country US but "
        "routes/US.yaml does not exist — add routes/US.yaml (see docs/content-model.md)"]


def test_route_with_bad_kind_and_no_source(project: Path) -> None:
    edit(project, "routes/GB.yaml", "kind: child-helpline", "kind: helpline")
    edit(project, "routes/GB.yaml", "    source: https://example.org/childline\n", "")
    assert check_lines(project) == [
        "routes/GB.yaml:13:5: error schema.missing missing required field 'source' "
        "— add 'source:'",
        "routes/GB.yaml:15:11: error schema.choice 'routes.1.kind' is 'helpline' — did you mean "
        "'child-helpline'? expected one of: 'emergency', 'child-helpline', "
        "'exploitation-report', 'takedown-tool' or 'victim-support'",
    ]


def test_json_format_for_machines(project: Path) -> None:
    import json

    edit(project, MODULE, "order: 1", "order: first")
    result = run("check", "--project", project, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["path"], p["line"], p["code"]) for p in problems] == [
        (MODULE, 2, "schema.type")]


@pytest.mark.parametrize("content", ["", "- just\n- a list\n"])
def test_empty_or_wrong_shape_module(project: Path, content: str) -> None:
    (project / MODULE).write_text(content, encoding="utf-8")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:1:1: error schema.")


def test_not_a_project_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--project", tmp_path)
    assert result.exit_code == 2
    assert "has no curriculum.yaml" in result.output


def test_objective_must_be_an_i_can_statement(project: Path) -> None:
    edit(project, MODULE, "      - I can say no to a chat.", "      - Saying no to a chat.")
    assert check_lines(project) == [
        f"{MODULE}:11:9: error lesson.objective band 8-10: objective 1 is not an \"I can ...\" "
        "statement — write what the pupil can do, starting with \"I can\""]


HARD = ("Notwithstanding considerable institutional encouragement, the overwhelming "
        "preponderance of unsolicited communications necessitates comprehensive, "
        "systematic documentation, authoritative verification and immediate escalation.")


def test_handout_above_its_bands_reading_level_is_an_error(project: Path) -> None:
    edit(project, MODULE, "      - You can always stop a chat.\n", f"      - {HARD}\n")
    lines = check_lines(project)
    assert len(lines) == 1
    assert lines[0].startswith(f"{MODULE}:8:5: error lesson.reading-level band 8-10: handout "
                               "reads at grade ")
    assert lines[0].endswith("the band's ceiling is 4 — use shorter sentences and shorter words")
    # the same grade is what `check --levels` prints for that handout, and it is over 4
    levels = run("check", "--project", project, "--levels").stdout.splitlines()
    row = next(line.split() for line in levels if line.startswith("sample") and " 8-10 " in line)
    assert float(row[2]) > 4 and row[2] in lines[0] and row[3] == "4"
