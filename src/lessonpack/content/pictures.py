"""The pictogram set authors may name by id, each with its English alt text.

The pictures themselves are vendored SVGs under ``assets/pictograms/<id>.svg`` (Lucide,
ISC licence; see assets/pictograms/README.md). An author writes an id (``picture: phone``)
in module.yaml; :func:`picture_problems` rejects an id that is not in :data:`PICTURES` at its
line, with the nearest choices. The alt texts are extracted with the engine's strings and
translated like template texts, so every picture has alt text in every edition.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ..problems import Problems
from .yamlsafe import LocDict, LocList, Pos

PICTURES: dict[str, str] = {
    "ban": "A no sign",
    "camera": "A camera",
    "circle-check": "A tick in a circle",
    "circle-help": "A question mark",
    "circle-x": "A cross in a circle",
    "door-closed": "A closed door",
    "ear": "An ear: listening",
    "eye-off": "An eye crossed out: private",
    "frown": "A sad face",
    "gamepad-2": "A game controller",
    "gift": "A present",
    "hand": "An open hand",
    "hand-heart": "A hand holding a heart",
    "hand-helping": "A helping hand",
    "heart": "A heart",
    "heart-handshake": "Two hands and a heart: helping a friend",
    "house": "A house: home",
    "key": "A key",
    "laptop": "A laptop computer",
    "lock": "A lock: keep it private",
    "megaphone": "A megaphone: speak up",
    "meh": "A face that is not sure",
    "message-circle": "A chat message",
    "message-circle-warning": "A chat message with a warning sign",
    "octagon-x": "A stop sign",
    "party-popper": "A party popper: a happy surprise",
    "pencil": "A pencil",
    "phone": "A telephone",
    "scissors": "Scissors: cut here",
    "school": "A school",
    "shield-check": "A shield with a tick: safe",
    "shirt": "A T-shirt",
    "siren": "A siren: emergency",
    "smile": "A happy face",
    "star": "A star",
    "tablet-smartphone": "A tablet and a phone",
    "thumbs-down": "A thumb pointing down",
    "thumbs-up": "A thumb pointing up",
    "user": "A person",
    "user-check": "A person with a tick: someone you trust",
    "user-x": "A person with a cross: someone you do not know",
    "users": "Two people",
    "venetian-mask": "A mask: someone pretending",
    "video": "A video camera",
}
"""Picture id → English alt text (one short sentence a screen reader can say)."""


ENGINE_PICTOGRAMS = Path(__file__).resolve().parents[3] / "assets" / "pictograms"
"""The pictograms of the lessonpack checkout the engine runs from (an editable install)."""


def pictogram_dir(root: Path) -> Path:
    """Where a project's pictograms are: its own ``assets/pictograms/`` if it has one (a
    project may restyle them), else the engine checkout's."""
    own = root / "assets" / "pictograms"
    return own if own.is_dir() else ENGINE_PICTOGRAMS


def nearest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> str:
    """'did you mean ...?' followed by every choice, for an error's hint."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)
    listed = ", ".join(choices)
    return (f"did you mean {' or '.join(repr(c) for c in close)}? " if close else "") + \
        f"choose one of: {listed}"


def picture_ids_in(node: Any, where: Pos) -> list[tuple[str, Pos]]:
    """Every picture id named under ``node`` (``picture:`` values and items of
    ``key_message_pictures:``), with its position in the file."""
    found: list[tuple[str, Pos]] = []
    if isinstance(node, LocDict):
        for key, value in node.items():
            pos = node.value_pos_of(key)
            if key == "picture" and isinstance(value, str):
                found.append((value, pos))
            elif key == "key_message_pictures" and isinstance(value, LocList):
                found += [(v, value.pos_of(i)) for i, v in enumerate(value) if isinstance(v, str)]
            else:
                found += picture_ids_in(value, pos)
    elif isinstance(node, LocList):
        for index, value in enumerate(node):
            found += picture_ids_in(value, node.pos_of(index))
    return found


def picture_problems(raw: Any, path: Path, problems: Problems,
                     assets: Path | None = None) -> None:
    """An error for each unknown picture id in a module file (and one whose SVG is missing)."""
    for picture, pos in picture_ids_in(raw, Pos(1, 1)):
        if picture not in PICTURES:
            problems.error(path, pos.line, pos.col, "picture.unknown",
                           f"unknown picture id {picture!r}",
                           nearest(picture, sorted(PICTURES)) +
                           " (the pictures are in assets/pictograms/)")
        elif assets is not None and not (assets / f"{picture}.svg").is_file():
            problems.error(path, pos.line, pos.col, "picture.missing",
                           f"picture {picture!r} has no file assets/pictograms/{picture}.svg",
                           "copy the SVG from the pictogram package (see "
                           "assets/pictograms/README.md)")
