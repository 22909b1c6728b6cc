"""site/index.html: every edition, band and module with links to its documents."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from markupsafe import Markup, escape

from .output import OutputRecord, write_atomically
from .project import Project

DOC_LABELS = {"teacher-guide": "Teacher guide", "handout": "Student handout",
              "family-letter": "Family letter"}


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


COUNTRY_NAMES = {"GB": "UK", "US": "US", "MY": "Malaysia", "PH": "Philippines", "KR": "Korea",
                 "TH": "Thailand", "AU": "Australia"}


def _crosswalk(project: Project) -> Markup:
    """Age bands against school levels in each country (approximate, by age)."""
    assert project.curriculum is not None
    bands = project.curriculum.bands
    countries = sorted({c for b in bands for c in b.crosswalk})
    if not countries:
        return Markup("")
    head = Markup("").join(Markup("<th scope=\"col\">{}</th>").format(
        COUNTRY_NAMES.get(c, c)) for c in countries)
    rows = Markup("").join(
        Markup("<tr><th scope=\"row\">{}</th>{}</tr>").format(
            b.label, Markup("").join(Markup("<td>{}</td>").format(b.crosswalk.get(c, "—"))
                                     for c in countries))
        for b in bands)
    return Markup("<h2>Age bands and school levels</h2><table><thead><tr><th scope=\"col\">"
                  "Band</th>{}</tr></thead><tbody>{}</tbody></table><p>School levels are "
                  "approximate: children's ages within a school year vary.</p>").format(head, rows)


def write_index(project: Project, out_dir: Path, records: dict[str, OutputRecord]) -> None:
    """A plain, offline index page (the full pack picker is built on top of the manifest)."""
    assert project.curriculum is not None
    titles = {m.module.id: m.module.title for m in project.modules}
    bands = {b.id: b.label for b in project.curriculum.bands}
    tree: dict[str, dict[str, dict[str, list[OutputRecord]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for record in records.values():
        if (out_dir / record.path).is_file():
            tree[record.edition][record.band][record.module].append(record)
    parts = [Markup("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>{}</title></head><body><main><h1>{}</h1>").format(
        project.curriculum.title, project.curriculum.title)]
    parts.append(_crosswalk(project))
    band_order = list(bands)
    module_order = [m.module.id for m in project.modules]
    for edition in sorted(tree):
        parts.append(Markup("<h2>{}</h2>").format(edition))
        for band in sorted(tree[edition], key=lambda b: band_order.index(b)
                           if b in band_order else 99):
            parts.append(Markup("<h3>{}</h3><ul>").format(bands.get(band, band)))
            for module in sorted(tree[edition][band], key=lambda m: module_order.index(m)
                                 if m in module_order else 99):
                links = []
                for rec in sorted(tree[edition][band][module], key=lambda r: (r.doc, r.format)):
                    label = f"{DOC_LABELS.get(rec.doc, rec.doc)} ({rec.format.upper()}"
                    label += f", {rec.pages} pages" if rec.pages else ""
                    label += f", {_size(rec.bytes)})"
                    links.append(Markup('<a href="{}">{}</a>').format(rec.path, label))
                parts.append(Markup("<li><strong>{}</strong>: {}</li>").format(
                    titles.get(module, module), Markup(" · ").join(links)))
            parts.append(Markup("</ul>"))
    parts.append(Markup("</main></body></html>\n"))
    write_atomically(out_dir / "index.html", str(escape("")).join(parts).encode("utf-8"))
