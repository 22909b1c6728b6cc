"""One zip per edition for offline schools (``site/<edition>.zip``).

Everything of the edition on disk (HTML, PDFs, print packs, large print) under
``lessonpack-<edition>/``, with its own ``index.html`` (a chooser of this one edition) and
``<edition>/index.html`` (the edition's page), ``curriculum-map.html``,
``manifest.json`` and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` checks a copy carried on a USB
stick). Entries are sorted and dated 1980-01-01, so the same files make the same zip.
Incremental: a zip's input hash is its SHA256SUMS (every file's content); unchanged → skipped.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..output import ALL, OutputRecord, safe_join, write_atomically
from ..plan.inputs import hash_bytes
from ..plan.request import pick
from .pages import edition_page_path, render_edition, render_index, render_map, site_model

if TYPE_CHECKING:
    from ..checks import CheckedProject
    from ..plan.cache import BuildCache
    from ..plan.request import Request
    from ..plan.summary import BuildSummary

BUNDLE_DOC = "bundle"


def bundle_path(edition: str) -> str:
    """Where an edition's zip goes, relative to the site folder."""
    return f"{edition}.zip"


_EPOCH = (1980, 1, 1, 0, 0, 0)
_STORED = (".pdf", ".zip", ".png", ".jpg")


def plan_bundles(checked: CheckedProject, request: Request) -> list[str]:
    """Editions whose zip this build refreshes: a build of whole editions (``--edition`` and
    ``--variant`` only; no band, module, doc or format filter, not sharded)."""
    if not request.packs:
        return []
    project = checked.project
    assert project.curriculum is not None
    if (request.shard != (1, 1) or request.bands or request.modules or request.docs
            or request.formats):
        return []
    return pick(request.editions, [e.id for e in project.curriculum.editions], "edition",
                 "--edition")


def _zip(folder: str, files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = (zipfile.ZIP_STORED if name.endswith(_STORED)
                                  else zipfile.ZIP_DEFLATED)
            archive.writestr(info, data)
    return buffer.getvalue()


def bundle_files(checked: CheckedProject, edition_id: str, out_dir: Path,
                 records: dict[str, OutputRecord]) -> list[tuple[str, bytes]]:
    """(path in the zip, bytes) for everything the edition's zip holds, SHA256SUMS last."""
    rows = {k: r for k, r in records.items()
            if r.edition == edition_id and r.format != "zip" and (out_dir / k).is_file()}
    files = [(path, (out_dir / path).read_bytes()) for path in sorted(rows)]
    manifest = {"outputs": [{k: v for k, v in asdict(r).items() if v is not None}
                            for r in sorted(rows.values())]}
    files.append(("manifest.json",
                  (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode()))
    files.append(("index.html",
                  render_index(checked, rows, out_dir, only_edition=edition_id).encode()))
    files.append(("curriculum-map.html", render_map(checked.project).encode()))
    # the edition's own page, where its documents' "All lesson packs" links lead
    files += [(edition_page_path(row.id), render_edition(checked, row).encode())
              for row in site_model(checked, rows, out_dir, only_edition=edition_id)]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files))
    files.append(("SHA256SUMS", sums.encode()))
    return files


def build_bundles(checked: CheckedProject, request: Request, out_dir: Path,
                  records: dict[str, OutputRecord], cache: BuildCache,
                  summary: BuildSummary) -> bool:
    """Write each stale edition zip; True if any was written."""
    project = checked.project
    written = False
    for edition_id in plan_bundles(checked, request):
        if not any(r.edition == edition_id and r.format != "zip" for r in records.values()):
            continue
        relative = bundle_path(edition_id)
        files = bundle_files(checked, edition_id, out_dir, records)
        inputs = hash_bytes(files[-1][1])  # SHA256SUMS: the content of every file
        target = safe_join(out_dir, relative)
        if relative in records and cache.is_current(relative, inputs, target):
            summary.skipped += 1
            continue
        data = _zip(f"lessonpack-{edition_id}", files)
        write_atomically(target, data)
        edition = project.edition(edition_id)
        records[relative] = OutputRecord.for_data(
            relative, data, None, edition=edition_id, locale=edition.locale,
            country=edition.country, band=ALL, module=ALL, doc=BUNDLE_DOC, format="zip")
        cache.record(relative, inputs, target)
        summary.built += 1
        summary.rebuilt.append(relative)
        written = True
    return written
