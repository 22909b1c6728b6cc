"""The only stage that touches the output folder: atomic files and the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

ALL = "*"
"""The band or module of a manifest row that spans several (a pack, a zip); never a valid id."""


class OutputPathError(ValueError):
    """An output path would escape the output folder."""


def safe_join(out_dir: Path, relative: str) -> Path:
    """``out_dir / relative``, refusing anything that resolves outside ``out_dir``."""
    target = (out_dir / relative).resolve()
    if not target.is_relative_to(out_dir.resolve()):
        raise OutputPathError(f"output path {relative!r} escapes {out_dir}")
    return target


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # mkstemp names made above


def remove_temporary_files(out_dir: Path) -> list[Path]:
    """Delete temporary files a killed build left (``.<name>.<random>.tmp``); they are never
    outputs, and nothing else in lessonpack writes such names. Links are not followed."""
    removed = []
    if out_dir.is_dir():
        for folder, _dirs, files in os.walk(out_dir):
            for name in files:
                if _TEMPORARY.match(name):
                    path = Path(folder, name)
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed


@dataclass(frozen=True, order=True)
class OutputRecord:
    """One manifest row."""

    path: str
    edition: str
    locale: str
    country: str
    band: str
    module: str
    doc: str
    format: str
    sha256: str
    bytes: int
    pages: int | None = None
    variant: str = "standard"
    """``standard`` or ``large-print`` (PDFs with a 16 pt body; see docs/architecture.md)."""

    @classmethod
    def for_data(cls, path: str, data: bytes, pages: int | None, **fields: str) -> OutputRecord:
        return cls(path=path, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
                   pages=pages, **fields)


MANIFEST = "manifest.json"


def read_manifest(out_dir: Path) -> dict[str, OutputRecord]:
    """The existing manifest's rows by path; an unreadable manifest counts as empty."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        rows = [OutputRecord(**row) for row in data["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {row.path: row for row in rows}


def write_manifest(out_dir: Path, records: dict[str, OutputRecord]) -> None:
    rows = []
    for record in sorted(records.values()):
        row = asdict(record)
        if row["pages"] is None:
            del row["pages"]
        rows.append(row)
    data = (json.dumps({"outputs": rows}, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        if (out_dir / MANIFEST).read_bytes() == data:
            return  # unchanged: a no-op build leaves the file (and its time) alone
    except OSError:
        pass
    write_atomically(out_dir / MANIFEST, data)
