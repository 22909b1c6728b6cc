"""What a teacher guide prints of a module's framework mapping (issue 16).

One row per framework of the edition's country the module maps to: its strands, the content
codes verified for the guide's band under those strands, and every page the mapping was
checked on (the framework's source, ``see_also``, then each printed code's own source).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Curriculum, Framework, FrameworkCode, Module


@dataclass(frozen=True)
class FrameworkRow:
    framework: Framework
    strands: list[str]
    codes: list[FrameworkCode]
    urls: list[str]


def framework_rows(curriculum: Curriculum, module: Module, country: str,
                   band: str) -> list[FrameworkRow]:
    rows = []
    for fid, strands in module.frameworks.items():
        framework = curriculum.frameworks.get(fid)
        if framework is None or framework.country != country:
            continue  # another country's framework (or an error `check` reports)
        codes = [c for c in framework.codes if band in c.bands and c.strand in strands]
        urls: list[str] = []
        for url in [framework.source, *framework.see_also, *(c.source for c in codes)]:
            if url not in urls:
                urls.append(url)
        rows.append(FrameworkRow(framework, strands, codes, urls))
    return rows
