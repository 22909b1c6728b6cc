"""A Korean face cut from the pan-CJK font, for printing only.

Debian ships Noto Sans CJK as collections (``NotoSansCJK-*.ttc``, 19-20 MB each): one set of
65,535 glyphs serves Chinese, Japanese and Korean. Every PDF that prints Hangul embeds a subset
of it, and WeasyPrint 70 subsets with HarfBuzz's ``RETAIN_GIDS``, from the whole collection,
once per document. Measured on the ko-KR 8-10 tally sheet in one process: laying it out adds
1 MB, ``write_pdf`` adds ~51 MB, whatever the document's size (with the cut: ~10 MB). With two
Korean workers that is what took the whole build over its memory target; every edition paid it
too for the help box's ☎, which Noto Sans lacks (docs/architecture.md).

This module cuts, once per machine, the characters Korean print needs out of the installed
``Noto Sans CJK KR`` faces (Hangul syllables and jamo, Latin, punctuation, symbols: ~12,700
characters, ~14,900 glyphs with their layout alternates, ~2 MB a weight) and keeps them in the
user's cache (``$XDG_CACHE_HOME/lessonpack/fonts``). The printer registers them as
:data:`FAMILY` and :func:`prefer_cut` puts that family before ``Noto Sans CJK KR`` in the
document's ``font-family`` lists, so:

- Hangul prints from the cut face: same outlines, same metrics, same layout;
- a character it lacks (a Hanja) still falls back to the full pan-CJK face, as before;
- the site's HTML is untouched (browsers use the installed fonts).

The cut is derived from the installed font, never downloaded: its name table keeps the font's
copyright and SIL Open Font License (which allows modified versions under another name; the
reserved name is "Source") and names it :data:`FAMILY`. Its bytes depend only on the source
file (timestamps are kept), so the same input still prints the same PDF. When the source face
is missing or cannot be cut, nothing is registered and printing uses the pan-CJK face as it did.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n.glyphs import font_file

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

SOURCE_FAMILY = "Noto Sans CJK KR"
FAMILY = "lessonpack Noto Sans KR"
WEIGHTS = (400, 700)  # the templates print regular and bold
# The blocks the cut keeps: Hangul, and the Latin, punctuation and symbols a Korean run can
# hold; also what Noto Sans (first in the stack) lacks and every edition prints from this face,
# e.g. the help box's telephone sign U+260E.
RANGES = (
    (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x21FF),  # Letterlike Symbols, Number Forms, Arrows
    (0x2460, 0x27BF),  # Enclosed Alphanumerics .. Dingbats
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7A3),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
# Bump when the cut's options change (the cache key includes it, and RANGES).
CUT_VERSION = 1


@dataclass(frozen=True)
class CutFace:
    """One weight of the cut face, ready to register with WeasyPrint."""

    weight: int
    path: Path


def cache_dir() -> Path:
    """Where cut faces are kept: one per machine and user, shared by every project and build."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "lessonpack" / "fonts"


def source_face(weight: int) -> tuple[Path, int] | None:
    """The file and face index fontconfig serves ``Noto Sans CJK KR`` from at ``weight``."""
    found = font_file(SOURCE_FAMILY, bold=weight >= 700)
    return None if found is None else (Path(found[0]), found[1])


def _key(source: Path, index: int, weight: int) -> str:
    stat = source.stat()
    text = (f"{CUT_VERSION}\0{RANGES}\0{source}\0{index}\0{weight}\0{stat.st_size}"
            f"\0{stat.st_mtime_ns}")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cut(source: Path, index: int, weight: int, target: Path) -> None:
    """Write the Korean cut of ``source`` (face ``index``) to ``target``, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)  # an unwritable cache fails here, at once
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".cut-", suffix=".otf")
    try:
        with os.fdopen(handle, "wb") as stream:
            _cut_face(source, index, weight).save(stream)
        os.chmod(partial, 0o644)  # mkstemp made it private; a font is not a secret
        os.replace(partial, target)  # two processes cutting at once both write whole files
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _cut_face(source: Path, index: int, weight: int) -> TTFont:
    """The subset face, renamed :data:`FAMILY` (copyright and licence records kept)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index, lazy=True, recalcTimestamp=False)
    cmap = font.getBestCmap()
    wanted = [code for low, high in RANGES for code in range(low, high + 1) if code in cmap]
    options = subset.Options()
    options.layout_features = ["*"]   # shaping keeps every feature the full face has
    options.name_IDs = ["*"]          # copyright, licence, licence URL stay with the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    style = "Bold" if weight >= 700 else "Regular"
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{FAMILY} {style}; cut by lessonpack from {source.name}", 3, 3, 1, 0x409)
    names.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
    names.setName(f"{FAMILY.replace(' ', '')}-{style}", 6, 3, 1, 0x409)
    return font


def _targets(directory: Path) -> list[tuple[int, Path, int, Path]] | None:
    """(weight, source, face index, cut file) for each weight; None without the source face."""
    found = []
    for weight in WEIGHTS:
        source = source_face(weight)
        if source is None:
            return None
        path, index = source
        name = f"noto-sans-kr-cut-{weight}-{_key(path, index, weight)}.otf"
        found.append((weight, path, index, directory / name))
    return found


def pending(directory: Path | None = None) -> bool:
    """True when :func:`prepare` would cut now: the source is installed, a cut is missing and
    the cache can take it (a build announces the pause only when it will happen)."""
    directory = directory or cache_dir()
    try:
        targets = _targets(directory)
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return (targets is not None and os.access(directory, os.W_OK)
            and not all(target.is_file() for *_, target in targets))


def prepare(directory: Path | None = None) -> list[CutFace]:
    """The cut faces, made now if this machine has none yet (~9 s a weight, once); ``[]`` when
    the pan-CJK face is missing or cannot be cut (printing then uses it as before)."""
    directory = directory or cache_dir()
    faces = []
    try:
        targets = _targets(directory)
        for weight, source, index, target in targets or []:
            if not target.is_file():
                cut(source, index, weight, target)
                for stale in directory.glob(f"noto-sans-kr-cut-{weight}-*.otf"):
                    if stale != target:  # cut from an older font or by an older lessonpack
                        stale.unlink(missing_ok=True)
            faces.append(CutFace(weight, target))
    except Exception:  # noqa: BLE001 - any failure (unreadable font, full disk) → as before
        return []
    return faces


def font_face_rules(faces: list[CutFace]) -> str:
    """``@font-face`` rules registering ``faces`` as :data:`FAMILY`."""
    return "".join(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
                   f'src: url("{face.path.as_uri()}"); }}\n' for face in faces)


_QUOTED_SOURCE = re.compile(r"""(["'])""" + re.escape(SOURCE_FAMILY) + r"\1")


def prefer_cut(html: str) -> str:
    """``html`` with :data:`FAMILY` before every quoted ``Noto Sans CJK KR`` it names.

    The family only appears quoted in stylesheets and ``style`` attributes: the templates'
    text and attribute values have their quotes escaped. (An unquoted family name is valid
    CSS, but the default templates quote it; unquoted, it prints from the pan-CJK face.)"""
    return _QUOTED_SOURCE.sub(lambda m: f'"{FAMILY}", {m.group(0)}', html)
