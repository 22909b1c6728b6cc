"""Pictograms: the vendored set, picture ids in module.yaml, and pictures in real PDFs."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from conftest import REPO, run
from test_check_errors import MODULE, check_lines, edit

from lessonpack.content.pictures import ENGINE_PICTOGRAMS, PICTURES
from lessonpack.render.pictures import picture_svg


def test_every_picture_is_vendored_with_its_licence() -> None:
    folder = REPO / "assets" / "pictograms"
    assert folder == ENGINE_PICTOGRAMS
    assert (folder / "LICENSE").read_text().startswith("ISC License")
    assert "lucide-static" in (folder / "README.md").read_text()
    svgs = {p.stem for p in folder.glob("*.svg")}
    assert svgs == set(PICTURES), "one SVG per picture id, and nothing unused"
    assert 30 <= len(svgs) <= 60


def test_pictures_are_black_line_drawings() -> None:
    for picture in PICTURES:
        svg = picture_svg(ENGINE_PICTOGRAMS, picture)
        assert 'stroke="#000"' in svg and "currentColor" not in svg, picture
        assert 'fill="none"' in svg, picture  # line icons: nothing grey to photocopy badly


def test_unknown_picture_id_is_an_error_at_its_line_with_the_choices(project: Path) -> None:
    edit(project, MODULE, "      - title: Sam and the game\n",
         "      - title: Sam and the game\n        picture: fone\n")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:34:18: error picture.unknown unknown picture id 'fone' — "
                           "did you mean 'phone'")
    assert "choose one of: ban, camera," in line


def test_unknown_key_message_picture_is_an_error_at_its_item(project: Path) -> None:
    edit(project, MODULE, "      - It is never too late to tell.\n",
         "      - It is never too late to tell.\n    key_message_pictures: [octagon-x, hart]\n")
    (line,) = check_lines(project)
    assert line.startswith(f"{MODULE}:16:39: error picture.unknown unknown picture id 'hart' — "
                           "did you mean 'heart'")


def test_known_pictures_print_as_tagged_figures_with_alt_text(project: Path,
                                                               tmp_path: Path) -> None:
    edit(project, MODULE, "      - title: Sam and the game\n",
         "      - title: Sam and the game\n        picture: gamepad-2\n")
    out = tmp_path / "out"
    result = run("build", "--project", project, "--out", out, "--doc", "handout", "--band",
                 "8-10", "--edition", "en-GB", "--format", "pdf", "--no-packs",
                 "--jobs", "1")
    assert result.exit_code == 0, result.output
    (pdf,) = out.rglob("8-10/*/handout.pdf")
    alts = figure_alts(pdf)
    assert "A game controller" in alts  # the story's scene
    assert "A helping hand" in alts  # the help box's picture


def figure_alts(pdf: Path) -> list[str]:
    """The /Alt of every Figure structure element (pictures and QR codes)."""
    alts: list[str] = []
    with pikepdf.open(pdf) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            if kids is None:
                continue
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S == "/Figure":
                        alts.append(str(kid.get("/Alt", "")))
                    stack.append(kid)
    return alts
