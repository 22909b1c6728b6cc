"""Turn a build request into jobs: exactly the (edition, band, module, doc) subset asked for."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import (
    CHECK_DOC_KINDS,
    CHECK_MODULE,
    DOC_FORMATS,
    DOC_KINDS,
    FORMATS,
    PRINT_DOC_KINDS,
    LetterSender,
)
from ..content.project import Project
from ..render.documents import Job


class RequestError(ValueError):
    """A filter names something that does not exist (a usage error: exit 2)."""


@dataclass(frozen=True)
class Request:
    editions: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    shard: tuple[int, int] = (1, 1)
    variant: str = "standard"
    packs: bool = True
    """Also make the combined print packs and per-edition zips (when the build covers them)."""
    school: tuple[tuple[str, str], ...] = ()
    """Build options for the family letters' sender, e.g. (("name", "Rizal Elementary"),);
    each replaces the same field of every built edition's ``school``."""


def apply_school(project: Project, request: Request) -> None:
    """Give every edition the letter sender fields set by the build options (``--school``...)."""
    if not request.school or project.curriculum is None:
        return
    editions = []
    for edition in project.curriculum.editions:
        fields = {**(edition.school.model_dump() if edition.school else {}), **dict(request.school)}
        editions.append(edition.model_copy(update={"school": LetterSender(**fields)}))
    project.curriculum = project.curriculum.model_copy(update={"editions": editions})


def pick(asked: Sequence[str], known: Sequence[str], what: str, option: str) -> list[str]:
    for item in asked:
        if item not in known:
            raise RequestError(f"{option} {item!r}: no such {what}; "
                               f"expected one of: {', '.join(known)}")
    return [k for k in known if k in asked] if asked else list(known)


def plan_jobs(project: Project, request: Request) -> tuple[list[Job], list[str]]:
    """(jobs in a stable order, formats). Bands a module does not serve are skipped."""
    assert project.curriculum is not None
    editions = pick(request.editions, [e.id for e in project.curriculum.editions],
                     "edition", "--edition")
    bands = pick(request.bands, [b.id for b in project.curriculum.bands], "band", "--band")
    checked_bands = project.check_bands()
    modules = pick(request.modules, [m.module.id for m in project.modules]
                   + ([CHECK_MODULE] if checked_bands else []), "module", "--module")
    docs = pick(request.docs, list(DOC_KINDS), "document kind", "--doc")
    formats = pick(request.formats, list(FORMATS), "format", "--format")
    if request.variant != "standard":
        if set(request.formats) & {"html", "pptx", "csv"}:
            raise RequestError(f"--variant {request.variant} makes PDFs only (a browser "
                               "zooms HTML); drop --format html/pptx/csv")
        if request.docs and not set(request.docs) & set(PRINT_DOC_KINDS):
            others = ", ".join(d for d in request.docs if d not in PRINT_DOC_KINDS)
            raise RequestError(f"--variant {request.variant} is for the lessons' printed "
                               f"documents ({', '.join(PRINT_DOC_KINDS)}); slides are projected "
                               f"and a knowledge check is copied as it is: drop --doc {others}")
        formats = ["pdf"]
        docs = [d for d in docs if d in PRINT_DOC_KINDS]
    jobs = []
    for edition in editions:
        for band in bands:
            for module_id in modules:
                if module_id == CHECK_MODULE:  # one knowledge check per edition and band
                    if band in checked_bands:
                        jobs.extend(Job(edition, band, module_id, doc) for doc in docs
                                    if doc in CHECK_DOC_KINDS)
                    continue
                if band not in project.module(module_id).module.content:
                    continue
                made = project.band(band).makes  # an adults band: no family letter
                content = project.module(module_id).module.content[band]
                jobs.extend(Job(edition, band, module_id, doc) for doc in docs
                            if made(doc) and doc not in CHECK_DOC_KINDS
                            and (doc != "resources" or content.resources))  # only if it has some
    index, count = request.shard
    if count > 1:
        jobs = [job for job in jobs if shard_of(job, count) == index]
    return jobs, formats


def job_formats(job: Job, formats: Sequence[str]) -> list[str]:
    """The requested formats this job's document kind is made in (pptx: slides only)."""
    made = DOC_FORMATS.get(job.doc, ("html", "pdf"))
    return [f for f in formats if f in made]


def shard_of(job: Job, count: int) -> int:
    """1-based shard for ``job``: a hash of its path, so it never depends on list order.
    Printed documents hash by their edition and band instead: a print pack is assembled from
    its documents' PDFs, so they are printed in the shard that makes the pack."""
    key = pack_key(job.edition, job.band) if job.doc in PRINT_DOC_KINDS else job.stem
    return shard_of_key(key, count)


def pack_key(edition: str, band: str) -> str:
    """What a print pack and its documents are sharded by."""
    return f"{edition}/{band}"


def shard_of_key(key: str, count: int) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1
