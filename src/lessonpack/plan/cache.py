"""Which outputs are current: input hash + the file as it was written.

The cache lives in ``<project>/.lessonpack-cache/`` with one file per output folder. A cache that
is unreadable, from another cache format or another lessonpack version is ignored (everything is
rebuilt), never trusted. An output is current only if its input hash is unchanged *and* the file
on disk still has the size and modification time it had when lessonpack wrote it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..output import write_atomically

FORMAT = 1


@dataclass(frozen=True)
class Entry:
    inputs: str
    size: int
    mtime_ns: int


class BuildCache:
    def __init__(self, cache_dir: Path, out_dir: Path) -> None:
        key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir / f"build-{key}.json"
        self.entries: dict[str, Entry] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["format"] == FORMAT and data["version"] == __version__:
                self.entries = {str(path): Entry(str(row[0]), int(row[1]), int(row[2]))
                                for path, row in data["entries"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            self.entries = {}

    def is_current(self, relative: str, inputs: str, target: Path) -> bool:
        entry = self.entries.get(relative)
        if entry is None or entry.inputs != inputs:
            return False
        try:
            stat = target.stat()
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def record(self, relative: str, inputs: str, target: Path) -> None:
        stat = target.stat()
        self.entries[relative] = Entry(inputs, stat.st_size, stat.st_mtime_ns)

    def save(self) -> None:
        data = {"format": FORMAT, "version": __version__,
                "entries": {k: [e.inputs, e.size, e.mtime_ns]
                            for k, e in sorted(self.entries.items())}}
        # a read-only project builds fully every time; it never fails for this
        with contextlib.suppress(OSError):
            write_atomically(self.path, json.dumps(data).encode("utf-8"))

