"""Compact Font Format tables read and written as bytes: INDEXes, DICTs, charset, FDSelect.

Just enough of CFF (Adobe TN 5176) for :mod:`.fontprogram` to rebuild a CharStrings INDEX and
lay the table out again: :func:`cff_parts` splits a table into the parts a merge compares and
keeps, :func:`write_cff` writes them back with every DICT offset as a 5-byte integer (so no
size depends on an offset and the layout is computed once). Anything it does not handle
(several fonts in one table, a custom Encoding, local subroutines, an FDSelect format other
than 0 or 3) raises :class:`CffError`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence


class CffError(ValueError):
    """A CFF table this module does not read."""


def read_index(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    """An INDEX's items as (start, end) in ``data``, and where the INDEX ends."""
    count = struct.unpack_from(">H", data, at)[0]
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    first = at + 3
    if size in (1, 2, 4):
        offsets = struct.unpack_from(f">{count + 1}{' BH L'[size]}", data, first)
    else:  # 3 bytes: each offset widened to 4 first (one unpack instead of 63,000 calls)
        raw = data[first:first + 3 * (count + 1)]
        wide = bytearray(4 * (count + 1))
        for byte in range(3):
            wide[byte + 1::4] = raw[byte::3]
        offsets = struct.unpack(f">{count + 1}L", wide)
    base = first + (count + 1) * size - 1
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], \
        base + offsets[count]


def index_item(data: bytes, at: int, item: int) -> bytes:
    """One item of an INDEX without reading the others' offsets."""
    count = struct.unpack_from(">H", data, at)[0]
    if item >= count:
        raise CffError("glyph id beyond the CharStrings")
    size = data[at + 2]
    first = at + 3
    base = first + (count + 1) * size - 1

    def offset(i: int) -> int:
        return int.from_bytes(data[first + i * size:first + (i + 1) * size], "big")

    return data[base + offset(item):base + offset(item + 1)]


def pack_index(items: Sequence[bytes]) -> bytes:
    if not items:
        return b"\0\0"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    return struct.pack(f">HB{len(offsets)}L", len(items), 4, *offsets) + b"".join(items)


def _dict(data: bytes) -> list[tuple[int, bytes, list[float]]]:
    """A DICT as (operator, operand bytes, operand values); escaped operators are 1200+n."""
    entries, at, start, values = [], 0, 0, []
    while at < len(data):
        b0 = data[at]
        if b0 <= 21:
            op = 1200 + data[at + 1] if b0 == 12 else b0
            entries.append((op, data[start:at], values))
            at += 2 if b0 == 12 else 1
            start, values = at, []
        elif b0 == 28:
            values.append(struct.unpack_from(">h", data, at + 1)[0])
            at += 3
        elif b0 == 29:
            values.append(struct.unpack_from(">l", data, at + 1)[0])
            at += 5
        elif b0 == 30:
            at += 1
            while not (data[at] & 0x0F == 0x0F or data[at] >> 4 == 0x0F):
                at += 1
            at += 1
            values.append(0.0)  # reals are never offsets: kept as bytes
        elif b0 <= 246:
            values.append(b0 - 139)
            at += 1
        elif b0 <= 250:
            values.append((b0 - 247) * 256 + data[at + 1] + 108)
            at += 2
        elif b0 <= 254:
            values.append(-(b0 - 251) * 256 - data[at + 1] - 108)
            at += 2
        else:
            raise CffError("reserved DICT byte")
    return entries


def _int5(value: int) -> bytes:
    return b"\x1d" + struct.pack(">l", value)


def _op(op: int) -> bytes:
    return bytes([12, op - 1200]) if op >= 1200 else bytes([op])


def cff_parts(cff: bytes) -> dict:
    header_size = cff[2]
    _, names_end = read_index(cff, header_size)
    tops, strings_at = read_index(cff, names_end)
    _, at = read_index(cff, strings_at)
    _, gsubrs_end = read_index(cff, at)
    if len(tops) != 1:
        raise CffError("one font per CFF expected")
    top = _dict(cff[tops[0][0]:tops[0][1]])
    ops = {op: values for op, _, values in top}
    if 16 in ops and ops[16][0] > 1:
        raise CffError("custom Encoding")
    charstrings = ops[17][0]
    count = struct.unpack_from(">H", cff, charstrings)[0]
    fonts: list[list[tuple[int, bytes, list[float]]]] = []
    privates: list[bytes] = []
    if 1236 in ops:  # CID-keyed: FDArray of Font DICTs, each with its Private DICT
        for start, end in read_index(cff, ops[1236][0])[0]:
            fonts.append(_dict(cff[start:end]))
    else:
        fonts.append([(18, b"", ops[18])])
    for font_dict in fonts:
        size, offset = next(values for op, _, values in font_dict if op == 18)
        private = cff[offset:offset + size]
        if any(op == 19 for op, _, _ in _dict(private)):
            raise CffError("local subroutines")
        privates.append(private)
    return {"head": cff[:names_end], "strings": cff[strings_at:gsubrs_end], "top": top,
            "ops": ops, "count": count, "fonts": fonts, "privates": privates,
            "charset": _charset(cff, ops.get(15, [0])[0], count),
            "fdselect": _fdselect(cff, ops[1237][0], count) if 1237 in ops else b"",
            "charstrings": charstrings}


def _charset(cff: bytes, at: int, count: int) -> bytes:
    if at <= 2:
        return b""
    kind, end, covered = cff[at], at + 1, 1
    if kind == 0:
        return cff[at:at + 1 + 2 * (count - 1)]
    while covered < count:
        left = cff[end + 2] if kind == 1 else struct.unpack_from(">H", cff, end + 2)[0]
        end += 3 if kind == 1 else 4
        covered += left + 1
    return cff[at:end]


def _fdselect(cff: bytes, at: int, count: int) -> bytes:
    kind = cff[at]
    if kind == 0:
        return cff[at:at + 1 + count]
    if kind == 3:
        ranges = struct.unpack_from(">H", cff, at + 1)[0]
        return cff[at:at + 3 + 3 * ranges + 2]
    raise CffError("FDSelect format")


def write_cff(parts: dict, charstrings: bytes) -> bytes:
    """header, names, Top DICT, strings, global subrs, charset, FDSelect, CharStrings,
    FDArray, Private DICTs — every offset a 5-byte integer, so sizes never depend on them."""
    offset_ops = {15, 17, 18, 1236, 1237}

    def dict_bytes(entries: list, offsets: dict[int, bytes]) -> bytes:
        return b"".join(offsets.get(op, raw) + _op(op)
                        for op, raw, _ in entries)

    ops = parts["ops"]
    placeholder = {op: _int5(0) * (2 if op == 18 else 1) for op in offset_ops if op in ops}
    if 15 in ops and ops[15][0] <= 2:
        placeholder.pop(15)
    top_size = len(pack_index([dict_bytes(parts["top"], placeholder)]))
    at = len(parts["head"]) + top_size + len(parts["strings"])
    offsets: dict[int, bytes] = {}
    if 15 in placeholder:
        offsets[15] = _int5(at)
        at += len(parts["charset"])
    if 1237 in ops:
        offsets[1237] = _int5(at)
        at += len(parts["fdselect"])
    offsets[17] = _int5(at)
    at += len(charstrings)
    privates = parts["privates"]
    if 1236 in ops:
        fd_size = len(pack_index([dict_bytes(f, {18: _int5(0) * 2}) for f in parts["fonts"]]))
        offsets[1236] = _int5(at)
        at += fd_size
        font_dicts = []
        for font_dict, private in zip(parts["fonts"], privates, strict=True):
            font_dicts.append(dict_bytes(font_dict, {18: _int5(len(private)) + _int5(at)}))
            at += len(private)
        tail = pack_index(font_dicts) + b"".join(privates)
    else:
        offsets[18] = _int5(len(privates[0])) + _int5(at)
        tail = privates[0]
    top = pack_index([dict_bytes(parts["top"], offsets)])
    assert len(top) == top_size
    return b"".join([parts["head"], top, parts["strings"], parts["charset"], parts["fdselect"],
                     charstrings, tail])
