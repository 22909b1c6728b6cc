"""Print packs (one PDF per edition × band) and zips (one per edition) for offline schools.

**Print pack order — per module.** A pack holds, for each module in order, its teacher guide,
student handout and family letter. A teacher prepares one lesson at a time: the letter goes home
before the lesson, the guide is read the day before, the handouts are copied for the class. Each
document starts on a right-hand page (``break-before: recto``), so the pack prints double-sided
without two documents sharing a sheet, and the contents page gives every document's page range
("pages 5-6") to copy 30 handouts or one guide from the printer's page-range box. PDF bookmarks
follow the same tree: module → document → section.

**Zip per edition** (``site/<edition>.zip``): everything of the edition on disk (HTML, PDFs,
print packs, large print) under ``lessonpack-<edition>/``, with the edition's own
``index.html``, ``curriculum-map.html``, ``manifest.json`` and ``SHA256SUMS``
(``sha256sum -c SHA256SUMS`` checks a copy carried on a USB stick). Entries are sorted and
dated 1980-01-01, so the same files make the same zip.

Both are incremental: a pack's input hash covers its documents' input hashes and the pack
template; a zip's covers its SHA256SUMS (every file's content). Unchanged → skipped.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from .inputs import _hash_bytes, _hash_files, _referenced_templates
from .model import DOC_KINDS
from .output import OutputRecord, safe_join, write_atomically
from .printing import PdfRequest, PrintPool
from .render import Job, Renderer, RenderError

if TYPE_CHECKING:
    from .buildcache import BuildCache
    from .builder import BuildSummary
    from .checks import CheckedProject
    from .inputs import InputHasher
    from .planner import Request
    from .problems import Problems

PACK_TEMPLATE = "print-pack.html"
PACK_DOC = "print-pack"
BUNDLE_DOC = "bundle"
PACKS_PER_WORKER = 1
"""A pack worker is replaced after each pack: WeasyPrint's caches grow with every ~100-page
layout. Measured printing 12 packs on 2 workers (whole process tree, PSS): 836-841 MB when
workers are kept, 464-514 MB with a fresh worker per pack, in the same time (98-112 s)."""
ALL = "*"  # band/module of a record that spans several (never a valid id)
DOC_LABELS = {"teacher-guide": "Teacher guide", "handout": "Student handout",
              "family-letter": "Family letter"}
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_IDREF = re.compile(r'\b(id|for|aria-labelledby|aria-describedby|headers)="([^"]*)"')
_HREF = re.compile(r'\bhref="#([^"]+)"')


def _suffix(variant: str) -> str:
    return "" if variant == "standard" else f".{variant}"


def pack_path(edition: str, band: str, variant: str = "standard") -> str:
    return f"{edition}/{band}/{PACK_DOC}{_suffix(variant)}.pdf"


def bundle_path(edition: str) -> str:
    return f"{edition}.zip"


def _wants_pdf(request: Request) -> bool:
    return not request.formats or "pdf" in request.formats


def plan_packs(checked: CheckedProject, request: Request) -> list[tuple[str, str]]:
    """(edition, band) pairs whose pack this build makes: only a build of every module and
    every document kind with PDFs (a quick ``--module``/``--doc`` build does not print packs);
    packs are split between shards by their path, like documents."""
    from .planner import _pick

    if not request.packs:
        return []
    project = checked.project
    assert project.curriculum is not None
    if request.modules or request.docs or not _wants_pdf(request):
        return []
    editions = _pick(request.editions, [e.id for e in project.curriculum.editions],
                     "edition", "--edition")
    bands = _pick(request.bands, [b.id for b in project.curriculum.bands], "band", "--band")
    pairs = [(e, b) for e in editions for b in bands
             if any(b in m.module.content for m in project.modules)]
    index, count = request.shard
    if count > 1:
        pairs = [p for p in pairs if _shard(pack_path(*p, request.variant), count) == index]
    return pairs


def _shard(path: str, count: int) -> int:
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def _prefix_ids(html: str, prefix: str) -> str:
    """Ids are unique per document; in a pack each document's ids get its own prefix."""
    def ids(match: re.Match[str]) -> str:
        values = " ".join(f"{prefix}{v}" for v in match.group(2).split())
        return f'{match.group(1)}="{values}"'

    html = _IDREF.sub(ids, html)
    return _HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"', html)


def render_pack(renderer: Renderer, checked: CheckedProject, edition_id: str, band_id: str,
                variant: str) -> str:
    """The pack's HTML: a contents page, then each module's three documents."""
    from .builder import draft_percent

    project = checked.project
    edition = project.edition(edition_id)
    translator = checked.translators[edition.locale]
    modules = []
    first: Job | None = None
    for number, source in enumerate(project.modules, start=1):
        if band_id not in source.module.content:
            continue
        localised = renderer.localised_module(source.module.id, translator)
        docs = []
        for kind in DOC_KINDS:
            job = Job(edition_id, band_id, source.module.id, kind)
            first = first or job
            html = renderer.render(job, translator,
                                   draft_percent=draft_percent(checked, job, translator),
                                   variant=variant)
            found = _BODY.search(html)
            anchor = f"m{number}-{kind}"
            body = _prefix_ids(found.group(1) if found else html, f"{anchor}-")
            docs.append({"kind": kind, "label": translator.gettext(DOC_LABELS[kind]),
                         "id": anchor, "body": Markup(body)})
        modules.append({"id": source.module.id, "number": len(modules) + 1,
                        "title": localised.content[band_id].title or localised.title,
                        "docs": docs})
    assert first is not None
    context = renderer.context(first, translator)
    context.update(modules=modules, variant=variant, doc=PACK_DOC)
    try:
        return renderer.env.get_template(PACK_TEMPLATE).render(context)
    except Exception as exc:
        from jinja2 import TemplateError

        from .render import _rel_template, _template_location

        if not isinstance(exc, TemplateError):
            raise
        name, line = _template_location(exc, PACK_TEMPLATE)
        raise RenderError(_rel_template(project, name), line, str(exc)) from exc


def build_packs(checked: CheckedProject, request: Request, out_dir: Path,
                records: dict[str, OutputRecord], cache: BuildCache, hasher: InputHasher,
                workers: int, problems: Problems, summary: BuildSummary) -> bool:
    """Print the stale packs; True if any was written."""
    project = checked.project
    pairs = plan_packs(checked, request)
    if not pairs:
        return False
    templates = project.templates_dir
    template_hash = _hash_files(
        [templates / n for n in _referenced_templates(templates, PACK_TEMPLATE)], project.root)
    renderer = Renderer(project)
    todo: dict[str, tuple[str, str, str]] = {}
    for edition_id, band_id in pairs:
        relative = pack_path(edition_id, band_id, request.variant)
        parts = [template_hash, relative]
        for source in project.modules:
            if band_id in source.module.content:
                parts += [hasher.job(Job(edition_id, band_id, source.module.id, kind), "pdf",
                                     request.variant) for kind in DOC_KINDS]
        inputs = _hash_bytes(*(p.encode() for p in parts))
        if relative in records and cache.is_current(relative, inputs, out_dir / relative):
            summary.skipped += 1
            continue
        todo[relative] = (edition_id, band_id, inputs)
    if not todo:
        return False

    def requests():  # noqa: ANN202 - a generator of PdfRequest
        for relative, (edition_id, band_id, _) in todo.items():
            try:
                html = render_pack(renderer, checked, edition_id, band_id, request.variant)
            except RenderError as exc:
                problems.error(project.root / exc.path, exc.line, 1, "template.error",
                               f"{relative}: {exc.message}", "fix the template")
                summary.failed += 1
                continue
            yield PdfRequest(relative, html, project.edition(edition_id).locale)

    written = False
    asset_dirs = (templates, project.root / "assets")
    with PrintPool(templates, asset_dirs, min(workers, len(todo)), PACKS_PER_WORKER) as pool:
        for result in pool.print_all(requests()):
            edition_id, band_id, inputs = todo[result.stem]
            if result.error or result.refused:
                reason = result.error or f"refused to fetch {', '.join(result.refused)}"
                problems.error(templates / PACK_TEMPLATE, 1, 1, "pdf.error",
                               f"{result.stem}: {reason}",
                               "templates and content may use only the project's own assets")
                summary.failed += 1
                continue
            target = safe_join(out_dir, result.stem)
            write_atomically(target, result.pdf)
            edition = project.edition(edition_id)
            records[result.stem] = OutputRecord.for_data(
                result.stem, result.pdf, result.pages, edition=edition_id,
                locale=edition.locale, country=edition.country, band=band_id, module=ALL,
                doc=PACK_DOC, format="pdf", variant=request.variant)
            cache.record(result.stem, inputs, target)
            summary.built += 1
            summary.rebuilt.append(result.stem)
            summary.slowest.append((result.seconds, result.stem))
            written = True
    return written


# --- zips ----------------------------------------------------------------------------------------

_EPOCH = (1980, 1, 1, 0, 0, 0)
_STORED = (".pdf", ".zip", ".png", ".jpg")


def plan_bundles(checked: CheckedProject, request: Request) -> list[str]:
    """Editions whose zip this build refreshes: a build of whole editions (``--edition`` and
    ``--variant`` only; no band, module, doc or format filter, not sharded)."""
    from .planner import _pick

    if not request.packs:
        return []
    project = checked.project
    assert project.curriculum is not None
    if (request.shard != (1, 1) or request.bands or request.modules or request.docs
            or request.formats):
        return []
    return _pick(request.editions, [e.id for e in project.curriculum.editions], "edition",
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
    from .site_pages import render_index, render_map

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
        inputs = _hash_bytes(files[-1][1])  # SHA256SUMS: the content of every file
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
