"""The only stage that touches the output folder: atomic files and the manifest."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    """Write to a temporary file beside ``path``, then rename: readers never see half a file.

    A failed write (a full disk: ENOSPC) leaves the old file and no temporary one, and the
    error names ``path``: the bare OSError of ``write()`` names no file at all.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, exc.filename or str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not exc.filename:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


_RANDOM = "[a-z0-9_]{8}"  # what mkstemp puts between prefix and suffix


def remove_temporary_files(out_dir: Path, outputs: Iterable[str]) -> list[Path]:
    """Delete the temporary files a killed build left beside ``outputs`` (relative paths of
    files lessonpack writes): ``.<name>.<8 random>.tmp`` in an output's own folder, for that
    output's name only. Anything else under the output folder is never touched, whatever its
    name. Links are not followed."""
    by_folder: dict[Path, set[str]] = {}
    for relative in outputs:
        target = out_dir / relative
        by_folder.setdefault(target.parent, set()).add(target.name)
    removed = []
    for folder, names in sorted(by_folder.items()):
        if folder.is_symlink() or not folder.is_dir() or not inside_dir(out_dir, folder):
            continue
        pattern = re.compile(rf"^\.(?:{'|'.join(map(re.escape, sorted(names)))})\.{_RANDOM}\.tmp$")
        for entry in os.scandir(folder):
            if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                removed.append(Path(entry.path))
    return removed


def inside_dir(out_dir: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(out_dir.resolve())
    except (OSError, RuntimeError):
        return False


# --- one writer per output folder ---------------------------------------------------------------

LOCK_FILE = ".lessonpack.lock"


class OutputLocked(RuntimeError):
    """Another lessonpack process is writing to the output folder."""

    def __init__(self, out_dir: Path, holder: str) -> None:
        super().__init__(f"{out_dir} is in use by {holder or 'another lessonpack process'}")
        self.out_dir = out_dir
        self.holder = holder


@contextlib.contextmanager
def output_lock(out_dir: Path, command: str) -> Iterator[None]:
    """Hold the output folder for one writer (``build``, ``serve`` or ``merge``).

    An advisory ``flock`` on ``<out>/.lessonpack.lock``: the kernel releases it when the holder
    exits in any way, SIGKILL included, so a stale lock never blocks. The file's text says who
    holds it (pid, command, start time) for the refusal message; it is never a manifest row
    and never deleted (deleting it while held would let a third process in).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(out_dir / LOCK_FILE, flags, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise OutputLocked(out_dir, holder) from None
        stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"lessonpack {command} (pid {os.getpid()}, since {stamp})\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


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
    # vars(), not dataclasses.asdict (a deep copy): the manifest is rewritten every 2 s of a
    # build (3,570 rows: 33 ms instead of 70 ms); paths are unique, so they order the rows.
    for record in sorted(records.values(), key=lambda r: r.path):
        row = dict(vars(record))
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
