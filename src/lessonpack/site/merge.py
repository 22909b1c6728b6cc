"""`lessonpack merge`: join the output folders of sharded builds into one site.

Nothing is copied until every part has been checked: each manifest row must name a file inside
its part whose sha256 and size match the row, and together the parts must hold every document
of the editions they cover (or the caller says a partial merge is wanted; incomplete editions
then get no zip).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.files import read_regular
from ..content.model import DOC_KINDS, PRINT_DOC_KINDS
from ..output import (
    MANIFEST,
    OutputPathError,
    OutputRecord,
    read_manifest,
    safe_join,
    write_atomically,
    write_manifest,
)
from ..plan.cache import BuildCache
from ..plan.request import Request, job_formats, plan_jobs
from ..plan.summary import BuildSummary
from .bundles import build_bundles
from .pages import write_site_pages

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..content.project import Project


class MergeConflict(ValueError):
    """The parts cannot be merged as they are (nothing was copied)."""


def _sha256(path: Path) -> tuple[str, int]:
    data = read_regular(path)
    return hashlib.sha256(data).hexdigest(), len(data)


def _empty_build(part: Path) -> bool:
    """A shard that had nothing to build (a small project split many ways) writes an empty
    manifest; it is a part like any other."""
    try:
        return json.loads(read_regular(part / MANIFEST))["outputs"] == []
    except (OSError, ValueError, KeyError, TypeError):
        return False


def read_parts(out_dir: Path, parts: list[Path]) -> dict[str, tuple[OutputRecord, Path]]:
    """Every manifest row of every part with the file it names, all verified: the path stays
    inside its part, the file is a regular file whose sha256 and size match the row, and the
    same path in two parts has the same sha256. Raises :class:`MergeConflict` otherwise."""
    incoming: dict[str, tuple[OutputRecord, Path]] = {}
    for part in parts:
        rows = read_manifest(part)
        if not rows and not _empty_build(part):
            raise MergeConflict(f"{part}: no readable {MANIFEST}; is it a lessonpack build?")
        for path, record in sorted(rows.items()):
            try:
                source = safe_join(part, path)
                safe_join(out_dir, path)
            except OutputPathError:
                raise MergeConflict(f"{part}/{MANIFEST}: the row {path!r} points outside the "
                                    "shard folder; rebuild that shard") from None
            try:
                sha, size = _sha256(source)
            except OSError as exc:
                raise MergeConflict(f"{part}/{path}: listed in its {MANIFEST} but cannot be "
                                    f"read ({exc.strerror}); rebuild that shard") from None
            if (sha, size) != (record.sha256, record.bytes):
                raise MergeConflict(
                    f"{part}/{path}: the file does not match its {MANIFEST} row (sha256 "
                    f"{sha[:12]}…, {size:,} bytes; the row says {record.sha256[:12]}…, "
                    f"{record.bytes:,} bytes); rebuild that shard")
            seen = incoming.get(path)
            if seen and seen[0].sha256 != record.sha256:
                raise MergeConflict(f"{path} differs between {seen[1]} and {part}")
            incoming[path] = (record, part)
    if not incoming:
        raise MergeConflict(f"{', '.join(map(str, parts))}: no part holds any output; build "
                            "the shards (--shard I/N for I = 1..N) before merging them")
    return incoming


def missing_documents(project: Project, rows: dict[str, OutputRecord]) -> dict[str, list[str]]:
    """Edition → the documents a full build of it has and ``rows`` lack, for the formats and
    variants the rows show (a shard built with ``--format html`` expects no PDFs)."""
    docs = [r for r in rows.values() if r.doc in DOC_KINDS]
    formats = sorted({r.format for r in docs})
    variants = sorted({r.variant for r in docs if r.format == "pdf"})
    editions = {r.edition for r in docs}
    jobs, _ = plan_jobs(project, Request())
    missing: dict[str, list[str]] = {}
    for job in jobs:
        if job.edition not in editions:
            continue
        for fmt in job_formats(job, formats):  # pptx: decks only
            for variant in variants if fmt == "pdf" else ["standard"]:
                if variant != "standard" and job.doc not in PRINT_DOC_KINDS:
                    continue  # large print is for printed documents, not decks
                suffix = "" if variant == "standard" else f".{variant}"
                path = f"{job.stem}{suffix}.{fmt}"
                if path not in rows:
                    missing.setdefault(job.edition, []).append(path)
    return missing


def merge_parts(out_dir: Path, incoming: dict[str, tuple[OutputRecord, Path]]
                ) -> dict[str, OutputRecord]:
    """Copy the verified files of :func:`read_parts` into ``out_dir`` and merge the manifests.
    Each file is checked against its row again as it is copied (a part changed meanwhile is
    refused, and what was copied so far stays listed truthfully)."""
    records = read_manifest(out_dir)
    try:
        for path, (record, part) in sorted(incoming.items()):
            data = read_regular(safe_join(part, path))
            if hashlib.sha256(data).hexdigest() != record.sha256:
                raise MergeConflict(f"{part}/{path}: changed while it was being merged; "
                                    "rebuild that shard")
            write_atomically(safe_join(out_dir, path), data)
            records[path] = record
    finally:
        write_manifest(out_dir, records)
    return records


def merge_site(checked: CheckedProject, out_dir: Path, parts: list[Path], allow_partial: bool,
               echo: Callable[[str], None],
               hold: Callable[[Path], AbstractContextManager[None]]
               ) -> tuple[dict[str, OutputRecord], list[str]]:
    """`lessonpack merge`: verify the parts, refuse an incomplete set (unless
    ``allow_partial``: incomplete editions then get no zip), copy, finish the site.

    ``hold(folder)`` takes a folder's output lock: every part's first (no shard build may
    write while it is read), the merged folder's only once the parts have passed, so a refused
    merge leaves no trace. Returns the merged rows and the zips written; raises
    :class:`MergeConflict` if refused.
    """
    project = checked.project
    assert project.curriculum is not None
    with contextlib.ExitStack() as held:
        for part in dict.fromkeys(parts):
            if part != out_dir:
                held.enter_context(hold(part))
        try:
            incoming = read_parts(out_dir, parts)
        except MergeConflict as exc:
            raise MergeConflict(f"error merge.part {exc} — nothing was merged") from None
        missing = missing_documents(project, {**read_manifest(out_dir),
                                              **{k: v[0] for k, v in incoming.items()}})
        for edition, paths in sorted(missing.items()):
            echo(f"{'warning' if allow_partial else 'error'} merge.incomplete {edition}: "
                 f"{len(paths)} document(s) missing, e.g. {paths[0]} — merge every shard "
                 "(--shard I/N for I = 1..N)" + ("; it gets no zip" if allow_partial
                                                  else ", or pass --allow-partial to merge "
                                                  "without its zip"))
        if missing and not allow_partial:
            raise MergeConflict("Aborted: the parts are an incomplete set; nothing was merged.")
        held.enter_context(hold(out_dir))
        try:
            records = merge_parts(out_dir, incoming)
        except MergeConflict as exc:
            raise MergeConflict(f"error merge.part {exc} — the files merged so far are listed "
                                "in the manifest") from None
        complete = tuple(e.id for e in project.curriculum.editions if e.id not in missing)
        zips = finish_merged_site(checked, out_dir, records, complete if missing else None)
    return records, zips


def finish_merged_site(checked: CheckedProject, out_dir: Path,
                       records: dict[str, OutputRecord],
                       zip_editions: tuple[str, ...] | None = None) -> list[str]:
    """Make what no single shard could: each edition's zip (from the merged files) and the
    index and curriculum map listing everything. Returns the zips written. ``zip_editions``
    limits the zips to complete editions (None: every edition).

    The shards' print packs are already among the merged files (packs are sharded like
    documents), so nothing is laid out again here.
    """
    project = checked.project
    cache = BuildCache(project.cache_dir, out_dir)
    summary = BuildSummary()
    # the shards' own zips covered only their part: never keep one in a merged site
    records = {k: v for k, v in records.items() if v.format != "zip"}
    try:
        if zip_editions is None or zip_editions:
            build_bundles(checked, Request(editions=zip_editions or ()), out_dir, records,
                          cache, summary)
        write_site_pages(checked, out_dir, records)
    finally:
        write_manifest(out_dir, {k: v for k, v in records.items() if (out_dir / k).is_file()})
        cache.save()
    return summary.rebuilt
