"""Turn a build request into jobs: exactly the (edition, band, module, doc) subset asked for."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import DOC_KINDS, FORMATS
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
    modules = pick(request.modules, [m.module.id for m in project.modules], "module",
                    "--module")
    docs = pick(request.docs, list(DOC_KINDS), "document kind", "--doc")
    formats = pick(request.formats, list(FORMATS), "format", "--format")
    if request.variant != "standard":
        if "html" in request.formats:
            raise RequestError(f"--variant {request.variant} makes PDFs only (a browser "
                               "zooms HTML); drop --format html")
        formats = ["pdf"]
    jobs = []
    for edition in editions:
        for band in bands:
            for module_id in modules:
                if band not in project.module(module_id).module.content:
                    continue
                jobs.extend(Job(edition, band, module_id, doc) for doc in docs)
    index, count = request.shard
    if count > 1:
        jobs = [job for job in jobs if shard_of(job, count) == index]
    return jobs, formats


def shard_of(job: Job, count: int) -> int:
    """1-based shard for ``job``: a hash of its path, so it never depends on list order."""
    digest = hashlib.sha256(job.stem.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1
