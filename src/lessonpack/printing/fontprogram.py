"""Merge subsets of one font program by glyph id: the bytes of a font that holds them all.

WeasyPrint subsets every font with HarfBuzz's ``RETAIN_GIDS`` (and the PDF font's
``/CIDToGIDMap /Identity``), so glyph *n* is the same glyph in every document's subset of one
font; unused glyphs are empty (TrueType: no data; CFF: ``endchar``). A print pack can then carry
one program per font: for each glyph id the outline of a subset that uses it.

Both kinds of outlines are merged as bytes, never decoded (fontTools took 3.8 s for one CJK font
of 63,109 glyphs; this takes ~0.1 s):

- **TrueType** (``glyf``/``loca``): glyphs and ``hmtx`` metrics by id; ``maxp`` limits are the
  largest of the subsets', ``loca`` is long, ``post`` carries no names (format 3).
- **CFF** (``CFF ``): every subset must share the base's charset, FDSelect, Font DICTs and
  Private DICTs (true of HarfBuzz's retain-gids subsets of one font; otherwise ``None``: the
  caller keeps the subsets apart). The CharStrings INDEX is rebuilt; every DICT offset is
  written as a 5-byte integer so the layout is computed once. Vertical tables are dropped
  (a PDF's ``Identity-H`` text never reads them).

Anything unexpected returns ``None`` rather than a font that might draw a wrong glyph.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from .cff import cff_parts, index_item, pack_index, read_index, write_cff

DROPPED = {b"hdmx", b"LTSH", b"VDMX", b"vhea", b"vmtx", b"VORG", b"DSIG"}
"""Tables whose contents depend on the glyph count and that a PDF viewer does not read."""


class Unmergeable(Exception):
    """The subsets are not retain-gids subsets of one font program."""


@dataclass(frozen=True)
class Subset:
    """One embedded font program and the glyph ids its PDF fonts use (their ``/W`` keys)."""

    data: bytes
    used: frozenset[int]


def merge_programs(subsets: Sequence[Subset]) -> bytes | None:
    """One program with every subset's glyphs, or ``None`` when they cannot be merged."""
    try:
        fonts = [_tables(s.data) for s in subsets]
        if all(b"glyf" in f for f in fonts):
            return _merge_truetype(fonts, [s.used for s in subsets])
        if all(b"CFF " in f for f in fonts):
            return _merge_cff(fonts, [s.used for s in subsets])
    except (Unmergeable, struct.error, IndexError, KeyError, ValueError):
        return None
    return None


# sfnt ------------------------------------------------------------------------------------

def _tables(data: bytes) -> dict[bytes, bytes]:
    version, count = struct.unpack_from(">4sH", data, 0)
    if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise Unmergeable("not an sfnt")
    tables = {b"": version}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * index)
        tables[tag] = data[offset:offset + length]
    return tables


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}L", padded)) & 0xFFFFFFFF


def _write_sfnt(tables: dict[bytes, bytes]) -> bytes:
    version = tables[b""]
    tags = sorted(t for t in tables if t and t not in DROPPED)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">4sHHHH", version, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    head = bytearray(tables[b"head"])
    head[8:12] = b"\0\0\0\0"
    tables = {**tables, b"head": bytes(head)}
    directory, body = [], []
    offset = 12 + 16 * count
    for tag in tags:
        data = tables[tag]
        directory.append(struct.pack(">4sLLL", tag, _checksum(data), offset, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        offset += len(body[-1])
    font = bytearray(header + b"".join(directory) + b"".join(body))
    head_at = 12 + 16 * count + sum(len(b) for t, b in zip(tags, body, strict=True)
                                    if t < b"head")
    struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _num_glyphs(font: dict[bytes, bytes]) -> int:
    return struct.unpack_from(">H", font[b"maxp"], 4)[0]


def _metrics(font: dict[bytes, bytes], gid: int) -> bytes:
    """The glyph's (advance, left side bearing) as 4 bytes of ``hmtx``."""
    long_count = struct.unpack_from(">H", font[b"hhea"], 34)[0]
    hmtx = font[b"hmtx"]
    if gid < long_count:
        return hmtx[4 * gid:4 * gid + 4]
    lsb_at = 4 * long_count + 2 * (gid - long_count)
    return hmtx[4 * (long_count - 1):4 * long_count - 2] + hmtx[lsb_at:lsb_at + 2]


def _merged_metrics(fonts: list[dict[bytes, bytes]], base: int, count: int,
                    source: dict[int, int]) -> bytes:
    """``hmtx`` with one long metric per glyph: the base subset's, except for the glyphs
    another subset supplies (``source``: glyph id → subset)."""
    font = fonts[base]
    long_count = struct.unpack_from(">H", font[b"hhea"], 34)[0]
    out = bytearray(4 * count)
    out[:4 * long_count] = font[b"hmtx"][:4 * long_count]
    for gid in range(long_count, min(count, _num_glyphs(font))):
        out[4 * gid:4 * gid + 4] = _metrics(font, gid)
    for gid, index in source.items():
        if gid < _num_glyphs(fonts[index]):
            out[4 * gid:4 * gid + 4] = _metrics(fonts[index], gid)
    return bytes(out)


def _common_tables(fonts: list[dict[bytes, bytes]], base: int, count: int,
                   hmtx: bytes) -> dict[bytes, bytes]:
    tables = dict(fonts[base])
    hhea = bytearray(tables[b"hhea"])
    struct.pack_into(">H", hhea, 34, count)
    widest = max(struct.unpack_from(">H", f[b"hhea"], 10)[0] for f in fonts)
    struct.pack_into(">H", hhea, 10, widest)
    tables[b"hhea"] = bytes(hhea)
    tables[b"hmtx"] = hmtx
    maxp = bytearray(tables[b"maxp"])
    struct.pack_into(">H", maxp, 4, count)
    if len(maxp) >= 32:  # version 1.0: the limits are the largest any subset needs
        for at in range(6, 32, 2):
            struct.pack_into(">H", maxp, at,
                             max(struct.unpack_from(">H", f[b"maxp"], at)[0] for f in fonts))
    tables[b"maxp"] = bytes(maxp)
    head = bytearray(tables[b"head"])
    boxes = [struct.unpack_from(">4h", f[b"head"], 36) for f in fonts]
    struct.pack_into(">4h", head, 36, min(b[0] for b in boxes), min(b[1] for b in boxes),
                     max(b[2] for b in boxes), max(b[3] for b in boxes))
    tables[b"head"] = bytes(head)
    if b"post" in tables:  # glyph names are per glyph count: none at all
        tables[b"post"] = b"\x00\x03\x00\x00" + tables[b"post"][4:32]
    return tables


# TrueType --------------------------------------------------------------------------------

def _glyphs(font: dict[bytes, bytes]) -> list[bytes]:
    count = _num_glyphs(font)
    long_loca = struct.unpack_from(">h", font[b"head"], 50)[0] == 1
    loca = font[b"loca"]
    if long_loca:
        offsets = struct.unpack_from(f">{count + 1}L", loca, 0)
    else:
        offsets = [2 * o for o in struct.unpack_from(f">{count + 1}H", loca, 0)]
    glyf = font[b"glyf"]
    return [glyf[offsets[i]:offsets[i + 1]] for i in range(count)]


def _merge_truetype(fonts: list[dict[bytes, bytes]], used: list[frozenset[int]]) -> bytes:
    glyphs = [_glyphs(f) for f in fonts]
    count = max(len(g) for g in glyphs)
    base = max(range(len(fonts)), key=lambda i: (len(glyphs[i]), -i))
    merged: list[bytes] = []
    source: dict[int, int] = {}
    for gid in range(count):
        data, origin = b"", None
        for index, font_glyphs in enumerate(glyphs):
            if gid < len(font_glyphs) and font_glyphs[gid]:
                if not data:
                    data, origin = font_glyphs[gid], index
                elif font_glyphs[gid] != data:
                    raise Unmergeable(f"glyph {gid} differs")
        if origin is None:  # an empty glyph (a space): metrics from a subset that uses it
            origin = next((i for i, u in enumerate(used) if gid in u),
                          base if gid < len(glyphs[base]) else 0)
        merged.append(data + b"\0" * (-len(data) % 4))
        if origin != base:
            source[gid] = origin
    offsets = [0]
    for data in merged:
        offsets.append(offsets[-1] + len(data))
    tables = _common_tables(fonts, base, count, _merged_metrics(fonts, base, count, source))
    tables[b"glyf"] = b"".join(merged)
    tables[b"loca"] = struct.pack(f">{count + 1}L", *offsets)
    head = bytearray(tables[b"head"])
    struct.pack_into(">h", head, 50, 1)
    tables[b"head"] = bytes(head)
    return _write_sfnt(tables)


# CFF ---------------------------------------------------------------------------------------

def _font_dicts(parts: dict) -> list[list[tuple[int, bytes]]]:
    """The Font DICTs without their Private offsets (compared as the Private DICTs' bytes)."""
    return [[(op, raw) for op, raw, _ in entries if op != 18] for entries in parts["fonts"]]


def _merge_cff(fonts: list[dict[bytes, bytes]], used: list[frozenset[int]]) -> bytes:
    cffs = [f[b"CFF "] for f in fonts]
    parts = [cff_parts(c) for c in cffs]
    base = parts[0]
    for other in parts[1:]:
        for key in ("head", "strings", "count", "privates", "charset", "fdselect"):
            if other[key] != base[key]:
                raise Unmergeable(f"CFF {key} differs")
        if _font_dicts(other) != _font_dicts(base):
            raise Unmergeable("CFF Font DICTs differ")
    count = base["count"]
    items = [cffs[0][s:e] for s, e in read_index(cffs[0], base["charstrings"])[0]]
    source: dict[int, int] = {}
    for index in range(1, len(parts)):
        for gid in sorted(used[index]):
            glyph = index_item(cffs[index], parts[index]["charstrings"], gid)
            if gid in used[0] or gid in source:
                if items[gid] != glyph:
                    raise Unmergeable(f"glyph {gid} differs")
                continue
            items[gid], source[gid] = glyph, index
    cff = write_cff(base, pack_index(items))
    tables = _common_tables(fonts, 0, count, _merged_metrics(fonts, 0, count, source))
    tables[b"CFF "] = cff
    return _write_sfnt(tables)
