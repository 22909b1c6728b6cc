"""`lessonpack merge`: join the output folders of sharded builds into one site."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..output import MANIFEST, OutputRecord, read_manifest, safe_join, write_manifest
from ..plan.cache import BuildCache
from ..plan.request import Request
from ..plan.summary import BuildSummary
from .bundles import build_bundles
from .pages import write_site_pages

if TYPE_CHECKING:
    from ..checks import CheckedProject


class MergeConflict(ValueError):
    """Two parts hold different files at the same path."""


def merge_parts(out_dir: Path, parts: list[Path]) -> dict[str, OutputRecord]:
    """Copy every manifest-listed file of each part into ``out_dir`` and merge the manifests.

    Only files a part's manifest lists are copied (nothing else in a part can leak in); the
    same path in two parts must have the same sha256.
    """
    records = read_manifest(out_dir)
    incoming: dict[str, tuple[OutputRecord, Path]] = {}
    for part in parts:
        rows = read_manifest(part)
        if not rows:
            raise MergeConflict(f"{part}: no readable {MANIFEST}; is it a lessonpack build?")
        for path, record in rows.items():
            seen = incoming.get(path)
            if seen and seen[0].sha256 != record.sha256:
                raise MergeConflict(f"{path} differs between {seen[1]} and {part}")
            incoming[path] = (record, part)
    for path, (record, part) in sorted(incoming.items()):
        source = safe_join(part, path)
        target = safe_join(out_dir, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.merge.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
        records[path] = record
    write_manifest(out_dir, records)
    return records


def finish_merged_site(checked: CheckedProject, out_dir: Path,
                       records: dict[str, OutputRecord]) -> list[str]:
    """Make what no single shard could: each edition's zip (from the merged files) and the
    index and curriculum map listing everything. Returns the zips written.

    The shards' print packs are already among the merged files (packs are sharded like
    documents), so nothing is laid out again here.
    """
    project = checked.project
    cache = BuildCache(project.cache_dir, out_dir)
    summary = BuildSummary()
    # the shards' own zips covered only their part: never keep one in a merged site
    records = {k: v for k, v in records.items() if v.format != "zip"}
    try:
        build_bundles(checked, Request(), out_dir, records, cache, summary)
        write_site_pages(checked, out_dir, records)
    finally:
        write_manifest(out_dir, {k: v for k, v in records.items() if (out_dir / k).is_file()})
        cache.save()
    return summary.rebuilt
