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

from ..content.files import read_regular

WRAPWIDTH = 79  # what msgmerge/Poedit use; one width everywhere keeps diffs quiet

# A line can only start with "#~|" outside quoted strings, so this never touches text.
_OBSOLETE_PREVIOUS = re.compile(r"^#~\|", re.MULTILINE)


def load_po(path: Path | str) -> polib.POFile:
    """Parse a PO/POT file, keeping ``#~|`` previous msgids of obsolete entries."""
    path = Path(path)
    raw = read_regular(path)  # before polib opens it: a FIFO must not block
    encoding = polib.detect_encoding(str(path))
    text = raw.decode(encoding)
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


# --- what polib would silently misread (shared by `check` and `i18n update`) ------------------

_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
_PO_LINE = re.compile(rf"^\s*(?:{_PO_KEYWORD}\s+)?{_PO_STRING}\s*$")
_PO_OPENS = re.compile(rf'^\s*{_PO_KEYWORD}?\s*"')
_PO_SYNTAX_HINT = "open it in Poedit or run `msgfmt --check`; English is printed meanwhile"
_UTF8 = ("utf-8", "utf8")

FATAL = frozenset({"i18n.encoding", "i18n.charset", "i18n.syntax", "i18n.duplicate",
                   "i18n.parse"})
"""Problems after which no entry can be trusted (the whole catalogue falls back to English);
an obsolete duplicate only blocks `i18n update`."""

SyntaxProblem = tuple[int, str, str, str]
"""(line, code, message, hint)"""


def syntax_problems(path: Path) -> list[SyntaxProblem]:
    """What polib would silently misread: bytes that are not the declared charset (or a
    charset header that lies about them), strings without their closing quote (polib drops the
    last character and carries on), lines that are no PO at all, the same message twice
    (polib keeps the last; msgfmt refuses), and an obsolete entry that repeats an active one
    (msgfmt refuses; merging would have to pick one translation)."""
    raw = read_regular(path)
    encoding = polib.detect_encoding(str(path))
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        line = raw[:start].count(b"\n") + 1
        byte = f" (byte 0x{raw[start]:02x})" if start < len(raw) else ""
        return [(line, "i18n.encoding", f"not valid {encoding}{byte}",
                 f"save the file as {encoding}, the charset its header declares; English is "
                 "printed meanwhile")]
    lying = _charset_lie(raw, encoding)
    if lying is not None:
        return [lying]
    found: list[SyntaxProblem] = []
    seen: dict[tuple[str, str], int] = {}
    active, old = _KeyReader(), _KeyReader()
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#~") and not stripped.startswith("#~|"):
            old.feed(number, stripped[2:].strip())
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if not _PO_LINE.match(line):
            if _PO_OPENS.match(line):
                message = "string has no closing quote"
                hint = 'end the line with " (write \\" for a quote inside the text)'
            else:
                message = f"not a PO line: {_short(stripped)!r}"
                hint = "expected msgctxt, msgid, msgstr or a quoted string"
            found.append((number, "i18n.syntax", message, f"{hint}; {_PO_SYNTAX_HINT}"))
            continue
        done = active.feed(number, stripped)
        if done is None:
            continue
        key, first = done
        if key[1] and key in seen:
            found.append((first, "i18n.duplicate",
                          f"message '{_short(key[1])}' (context '{key[0]}') is translated "
                          f"twice; the first is at line {seen[key]}",
                          "keep one of them (msgfmt refuses the file)"))
        seen.setdefault(key, first)
    obsolete = old.keys
    for key, number in obsolete:
        if key[1] and key in seen:
            found.append((number, "i18n.obsolete-duplicate",
                          f"obsolete (#~) message '{_short(key[1])}' (context '{key[0]}') is "
                          f"also active at line {seen[key]}",
                          "delete the #~ entry, after copying any wording you want to keep into "
                          "the active one (msgfmt refuses the file)"))
    return found


class _KeyReader:
    """Reads the (msgctxt, msgid) key of each entry from its lines, joining the continuation
    lines GNU gettext wraps long contexts and texts onto (``msgid ""`` then ``"…"`` lines)."""

    def __init__(self) -> None:
        self.keys: list[tuple[tuple[str, str], int]] = []
        self._context, self._msgid, self._field, self._line = "", "", "", 0

    def feed(self, number: int, stripped: str) -> tuple[tuple[str, str], int] | None:
        """One line (without a ``#~`` prefix); the entry's key and first line once its
        msgid is complete (at its msgstr or msgid_plural), else None."""
        if stripped.startswith("msgctxt"):
            self._context, self._field, self._line = _po_unquote(stripped), "msgctxt", number
        elif stripped.startswith("msgid "):
            self._msgid, self._field = _po_unquote(stripped), "msgid"
            self._line = self._line or number
        elif stripped.startswith('"'):
            if self._field == "msgctxt":
                self._context += stripped[1:-1]
            elif self._field == "msgid":
                self._msgid += stripped[1:-1]
        elif self._field == "msgid":  # msgstr or msgid_plural: the key is complete
            done = ((self._context, self._msgid), self._line)
            self.keys.append(done)
            self._context, self._msgid, self._field, self._line = "", "", "", 0
            return done
        else:
            self._field = ""
        return None


def _charset_lie(raw: bytes, declared: str) -> SyntaxProblem | None:
    """A header that declares a one-byte charset over UTF-8 text: every non-ASCII letter would
    be read as two or three wrong ones (Thai as mojibake), then written back that way."""
    if declared.lower().replace("_", "-") in _UTF8 or raw.isascii():
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None  # really in the declared charset
    at = raw.find(b"charset=")
    line = raw[:at].count(b"\n") + 1 if at >= 0 else 1
    return (line, "i18n.charset",
            f"the header declares charset={declared}, but the file is UTF-8",
            "set charset=UTF-8 in the Content-Type header (the text itself is right); English "
            "is printed meanwhile")


def _po_unquote(line: str) -> str:
    return line.split(None, 1)[1][1:-1] if " " in line else ""


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
