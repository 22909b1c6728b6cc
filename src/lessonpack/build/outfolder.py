"""The output folder of `build`, `serve` and `merge`: where it may be, and one writer at a time."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from ..problems import ContentError


def out_folder(root: Path, out_dir: Path | None) -> Path:
    """The output folder (default ``site/``); a usage error if it is the project itself or
    inside its sources: outputs there would be read back as sources (``--out lessons/x`` made
    the next check fail on the build's own files) or be deleted with them."""
    from ..content.project import SOURCE_FOLDERS

    out = (out_dir if out_dir is not None else root / "site").resolve()
    sources = [root / name for name in SOURCE_FOLDERS]
    where = ("the project or a folder holding it" if root.is_relative_to(out)
             else "inside the project's sources" if any(out.is_relative_to(s) for s in sources)
             else "")
    if where:
        raise click.BadParameter(
            f"{out_dir} is {where}; choose a folder outside "
            f"{', '.join(f'{n}/' for n in SOURCE_FOLDERS)} (the default is site/)",
            param_hint="--out")
    return out


@contextlib.contextmanager
def holding(out: Path, command: str) -> Iterator[None]:
    """The output folder's lock for ``command``; exit 1 naming the holder if another
    lessonpack process has it (see output.output_lock)."""
    from ..output import OutputLocked, output_lock

    try:
        with output_lock(out, command):
            yield
    except OutputLocked as exc:
        raise ContentError(
            f"error output.locked {out} is in use by {exc.holder} — wait for it to finish, or "
            "write to another --out (two writers at once would leave manifest rows that do "
            "not match their files)") from None
