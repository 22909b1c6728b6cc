"""Read and write PO files with polib, safely, laid out as GNU gettext lays them out.

Three polib quirks are handled here:
* polib's parser skips ``#~|`` lines, so an obsolete entry's previous msgid is lost on
  reading; ``load_po`` reads them back.
* polib writes straight over the target; ``write_po_atomically`` never leaves a half-written
  or unreadable catalogue behind.
* polib wraps long strings differently from GNU gettext (which Poedit, Weblate's msgmerge
  add-on and msgcat use), so a save in one tool rewrapped ~5 000 lines that `update` then
  rewrapped back. ``render_po`` passes polib's text through GNU ``msgcat --width=79`` when it
  is installed (setup.sh installs gettext), so `msgcat` then `update` changes nothing.
  Without msgcat the polib layout is written (same content, other line breaks).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import polib

WRAPWIDTH = 79  # what msgmerge/Poedit use; one width everywhere keeps diffs quiet

# A line can only start with "#~|" outside quoted strings, so this never touches text.
_OBSOLETE_PREVIOUS = re.compile(r"^#~\|", re.MULTILINE)


def load_po(path: Path | str) -> polib.POFile:
    """Parse a PO/POT file, keeping ``#~|`` previous msgids of obsolete entries."""
    path = Path(path)
    encoding = polib.detect_encoding(str(path))
    text = path.read_text(encoding=encoding)
    if _OBSOLETE_PREVIOUS.search(text):
        # "#| msgid" followed by "#~ msgid" parses into an obsolete entry with a previous
        # msgid. polib's in-memory parser uses str.splitlines(), which also splits on
        # U+2028 and friends inside strings, so parse a rewritten temporary file instead.
        text = _OBSOLETE_PREVIOUS.sub("#|", text)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / path.name
            copy.write_text(text, encoding=encoding)
            po = polib.pofile(str(copy), encoding=encoding, wrapwidth=WRAPWIDTH)
        po.fpath = str(path)
    else:
        po = polib.pofile(str(path), encoding=encoding, wrapwidth=WRAPWIDTH)
    return po


def render_po(po: polib.POFile) -> bytes:
    """The exact bytes ``write_po_atomically`` writes: GNU gettext's layout if available."""
    po.wrapwidth = WRAPWIDTH
    return gnu_layout(str(po).encode(po.encoding or "utf-8"))


def gnu_layout(data: bytes) -> bytes:
    """``data`` (a whole PO file) as GNU msgcat writes it; unchanged if msgcat is missing or
    refuses it (the caller's own checks then report the problem)."""
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        return data
    try:
        done = subprocess.run([msgcat, f"--width={WRAPWIDTH}", "-", "-o", "-"], input=data,
                              capture_output=True, timeout=120, check=False,
                              env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return data
    return done.stdout if done.returncode == 0 and done.stdout else data


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable; not possible (or needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_po_atomically(po: polib.POFile, path: Path) -> None:
    """Write ``po`` to ``path`` so that a failure at any point leaves the old file intact.

    Writes a temp file in the same folder, fsyncs it, checks that it parses back to the
    same text, keeps ``<name>.po.bak`` while the rename happens, ``os.replace``s, then
    removes the backup. On failure the temp file is removed and the exception re-raised;
    a backup already made is left in place (it equals the untouched original).
    """
    path = Path(path)
    data = render_po(po)
    backup = path.with_name(path.name + ".bak")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if render_po(load_po(tmp)) != data:
            # Refuse to install anything polib would not read back identically.
            raise OSError(f"{path}: written catalogue does not read back identically")
        if path.exists():
            shutil.copymode(path, tmp)
            shutil.copy2(path, backup)
        else:
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a new catalogue from others
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    backup.unlink(missing_ok=True)
