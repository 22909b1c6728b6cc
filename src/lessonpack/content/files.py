"""Open a source file only if it is a regular file: never block on a FIFO, read a device or
follow a link loop. Every reader of project files (YAML, templates, CSS, catalogues, assets)
goes through :func:`read_regular`."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder (``strerror`` says which)."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in an author's words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_regular(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``; :class:`NotRegularFile` unless it is a regular file.

    Opened non-blocking (a FIFO with no writer would otherwise block forever), then checked
    with fstat on the open descriptor (no race between the check and the read).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(0, f"is {kind_of(info.st_mode)}, not a regular file",
                                 str(path))
        if max_bytes is not None and info.st_size > max_bytes:
            raise NotRegularFile(0, f"is {info.st_size:,} bytes; the limit is {max_bytes:,}",
                                 str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def read_regular_text(path: Path | str, encoding: str = "utf-8") -> str:
    return read_regular(path).decode(encoding)


def is_regular(path: Path) -> bool:
    """Whether ``path`` (links followed) is a regular file; never blocks, never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
