"""What each document is made of: a hash of its real inputs, so unchanged outputs are skipped.

A job's hash covers lessonpack itself, curriculum.yaml, the module's folder, the templates the
document's template actually includes (found in the Jinja AST) and the CSS, the locale's
catalogue, the country's and the international routes, and the fonts on the machine. Editing
one module, one template or one PO file therefore rebuilds only the documents that read it.
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import cached_property, lru_cache
from pathlib import Path

from jinja2 import Environment, TemplateError, meta

from .. import __version__
from ..content.locales import is_english, paper_for, po_path
from ..content.model import CHECK_MODULE
from ..content.pictures import pictogram_dir
from ..content.project import Project
from ..i18n.variants import words_path
from ..render.documents import DOC_TEMPLATES, Job


def hash_bytes(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()


def hash_files(paths: list[Path], root: Path) -> str:
    chunks: list[bytes] = []
    for path in sorted(paths):
        chunks.append(path.relative_to(root).as_posix().encode() if path.is_relative_to(root)
                      else path.as_posix().encode())
        chunks.append(path.read_bytes() if path.is_file() else b"<missing>")
    return hash_bytes(*chunks)


class InputHasher:
    """Computes and caches the input hash of each (job, format)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._modules: dict[str, str] = {}
        self._templates: dict[str, str] = {}
        self._locales: dict[str, str] = {}
        self._routes: dict[str, str] = {}

    @cached_property
    def engine(self) -> str:
        """lessonpack's version and its own source, so a code change rebuilds everything."""
        package = Path(__file__).resolve().parent.parent  # src/lessonpack, every stage
        files = [p for p in package.rglob("*") if p.suffix in (".py", ".css", ".html")]
        return hash_bytes(__version__.encode(), hash_files(files, package).encode())

    @cached_property
    def curriculum(self) -> str:
        return hash_files([self.project.curriculum_path], self.project.root)

    @cached_property
    def fonts(self) -> str:
        """The font files fontconfig offers (name, size, mtime) and the project's fonts/."""
        try:
            listing = subprocess.run(["fc-list", "--format", "%{file}\n"], check=True,
                                     capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        entries = []
        for name in sorted(set(listing.split())):
            try:
                stat = Path(name).stat()
            except OSError:
                continue
            entries.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        project_fonts = self.project.root / "fonts"
        own = [p for p in project_fonts.rglob("*") if p.is_file()] if project_fonts.is_dir() else []
        return hash_bytes("\n".join(entries).encode(),
                           hash_files(own, self.project.root).encode())

    def module(self, module_id: str) -> str:
        if module_id == CHECK_MODULE and module_id not in self._modules:
            # the checks' source, and what the answer key shows of the lessons (their ids,
            # order and titles), not their whole text: editing a lesson's story must not
            # print twelve knowledge-check documents again
            assert self.project.knowledge is not None
            lessons = [f"{m.module.id}\0{m.module.order}\0{m.module.title}\0" + "\0".join(
                f"{band}:{content.title}" for band, content in sorted(m.module.content.items()))
                for m in self.project.modules]
            self._modules[module_id] = hash_bytes(
                hash_files([self.project.knowledge.path], self.project.root).encode(),
                "\n".join(lessons).encode())
        if module_id not in self._modules:
            folder = self.project.module(module_id).path.parent
            files = [p for p in folder.rglob("*") if p.is_file()]
            self._modules[module_id] = hash_files(files, self.project.root)
        return self._modules[module_id]

    def template(self, doc: str) -> str:
        if doc not in self._templates:
            templates = self.project.templates_dir
            used = referenced_templates(templates, DOC_TEMPLATES[doc])
            css = sorted((templates / "css").glob("*.css"))
            # the pictograms templates draw (a changed SVG must rebuild what shows it)
            pictures = sorted(pictogram_dir(self.project.root).glob("*.svg"))
            self._templates[doc] = hash_files([templates / n for n in used] + css + pictures,
                                               self.project.root)
        return self._templates[doc]

    def locale(self, locale: str) -> str:
        if locale not in self._locales:
            path = po_path(self.project, locale)
            words = words_path(self.project.root, locale)  # an English variant's word list
            if is_english(locale):
                path = words
            self._locales[locale] = ("source" if not path.is_file()
                                     else hash_files([path], self.project.root))
        return self._locales[locale]

    def routes(self, country: str) -> str:
        if country not in self._routes:
            folder = self.project.routes_dir
            self._routes[country] = hash_files(
                [folder / f"{country}.yaml", folder / "international.yaml"], self.project.root)
        return self._routes[country]

    def job(self, job: Job, fmt: str, variant: str = "standard") -> str:
        edition = self.project.edition(job.edition)
        parts = [self.engine, self.curriculum, self.module(job.module), self.template(job.doc),
                 self.locale(edition.locale), self.routes(edition.country),
                 job.stem, fmt, paper_for(edition)]
        if fmt == "pdf" or job.doc == "slides":  # a deck's text is fitted with the fonts
            parts.append(self.fonts)
        if variant != "standard":
            parts.append(variant)
        if edition.school is not None and job.doc == "family-letter":
            parts.append(edition.school.model_dump_json())  # build options, not only the file
        return hash_bytes(*(p.encode() for p in parts))


def referenced_templates(folder: Path, name: str) -> list[str]:
    """``name`` and every template it extends or includes, recursively."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        path = folder / current
        if current in seen or not path.resolve().is_relative_to(folder.resolve()):
            continue  # "../../etc/passwd" is never read; rendering reports it
        seen.append(current)
        if not path.is_file():
            continue
        try:
            todo.extend(_references(path.read_text(encoding="utf-8")))
        except (TemplateError, UnicodeDecodeError):
            continue  # a broken template: rendering reports it at its line
    return sorted(seen)


@lru_cache(maxsize=256)  # by source text: parsed once per process while it is unchanged
def _references(source: str) -> tuple[str, ...]:
    """The templates a template's source extends or includes (by literal name)."""
    ast = Environment().parse(source)
    return tuple(n for n in meta.find_referenced_templates(ast) if n)
