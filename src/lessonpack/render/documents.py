"""Render one document to HTML: localised content + Jinja2 templates in a sandbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..content.activities import print_order, sheet_for
from ..content.files import is_regular
from ..content.locales import html_lang, language_name, paper_for, text_direction
from ..content.messages import route_prefix, translate_tree
from ..content.model import (
    CHECK_MODULE,
    KIND_LABELS,
    BandContent,
    Curriculum,
    Edition,
    Module,
    Route,
    RouteFile,
    Term,
)
from ..content.project import Project
from ..content.terms import BUILTIN, DEFAULTS, fill_terms
from ..i18n.fallback_marks import (
    mark_plain,
    md_block,
    md_inline,
    resolve_marks,
    strip_marks,
    template_text,
)
from ..i18n.linebreak import keep_words, needs_keep_words
from ..i18n.translations import Translator
from .filters import css_string, fill, long_date, nowrap, phone_link
from .frameworks import framework_rows
from .helproutes import HelpRoutes, child_texts, select_routes
from .knowledge import check_context
from .pictures import picture_maker
from .qr import qr_data_uri
from .review import document_reviewed
from .slides import Deck, build_deck
from .unit import exit_step_index, material_rows

DOC_TEMPLATES = {
    "teacher-guide": "teacher-guide.html",
    "handout": "handout.html",
    "family-letter": "family-letter.html",
    "slides": "slides.html",
    "knowledge-check": "knowledge-check.html",
    "knowledge-check-key": "knowledge-check-key.html",
    "knowledge-check-tally": "knowledge-check-tally.html",
    "resources": "resources.html",
}


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters are not allowed in HTML (NUL, ESC, BEL …). Sources and translations
holding one are refused by the check; a template could still hold one, so the rendered page
shows U+FFFD in its place instead of passing it to the browser and the PDF."""

class RenderError(Exception):
    """A template failed: carries the template file and line for the author."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


class _ProjectLoader(FileSystemLoader):
    """``FileSystemLoader`` refuses ``..``; this also refuses a template that is a link to a
    file outside the templates folder (checked before the file is read)."""

    def get_source(self, environment, template):  # noqa: ANN001, ANN201 - Jinja's API
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_symlink() or candidate.is_file():
                if not candidate.resolve().is_relative_to(Path(folder).resolve()):
                    raise TemplateNotFound(
                        template, f"template '{template}' is a link to a file outside templates/")
                break
        return super().get_source(environment, template)


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept for the life of the process, shared by every Renderer.

    Each build (and each site page) makes a new environment; compiling the templates again
    took 0.4 s of each preview rebuild (issue 20). Jinja keys a bucket by the template's name
    and file and checks the source's checksum, so an edited template is compiled again; all
    environments here have the same settings, so the code is the same for all of them."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self._store) > 512:  # a bound, not a policy: ~a dozen templates per project
            self._store.clear()
        self._store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, plus limits on the operators that build huge values (``9**9**9``,
    ``'x' * 10**10``): a template may be a stranger's pull request."""

    intercepted_binops = frozenset({"**", "*"})
    MAX_EXPONENT = 64
    MAX_LENGTH = 1_000_000

    def call_binop(self, context, operator, left, right):  # noqa: ANN001, ANN201 - Jinja's API
        if operator == "**" and isinstance(right, int) and abs(right) > self.MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is too large (the limit is "
                                f"{self.MAX_EXPONENT})")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                        and len(seq) * times > self.MAX_LENGTH:
                    raise SecurityError(f"repeating a value {times} times makes it too long")
        return super().call_binop(context, operator, left, right)


@dataclass(frozen=True)
class Job:
    """One document to build: (edition, band, module, doc)."""

    edition: str
    band: str
    module: str
    doc: str

    @property
    def stem(self) -> str:
        return f"{self.edition}/{self.band}/{self.module}/{self.doc}"


class Renderer:
    """Builds HTML for jobs; caches localised modules and routes per locale."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._modules: dict[tuple[str, str], Module] = {}
        self._routes: dict[tuple[str, str], RouteFile] = {}
        self._curricula: dict[str, Curriculum] = {}

    @cached_property
    def env(self) -> ImmutableSandboxedEnvironment:
        env = _Sandbox(
            loader=_ProjectLoader(str(self.project.templates_dir)),
            autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, finalize=mark_plain, bytecode_cache=_COMPILED)
        env.filters.update(md=md_block, mdi=md_inline, css_string=css_string,
                           nowrap=nowrap, phone_link=phone_link, qr=qr_data_uri,
                           long_date=long_date, print_order=print_order)
        return env

    @cached_property
    def stylesheet(self) -> Markup:
        """Screen + print CSS, inlined so each HTML file works alone (offline, USB stick)."""
        css_dir = self.project.templates_dir / "css"
        inside = self.project.root.resolve()
        parts = [p.read_text(encoding="utf-8") for p in sorted(css_dir.glob("*.css"))
                 if is_regular(p) and p.resolve().is_relative_to(inside)]
        # links out, FIFOs and devices: refused by the check, never opened
        return Markup("\n".join(parts).replace("</", "<\\/"))

    def localised_curriculum(self, translator: Translator) -> Curriculum:
        if translator.locale not in self._curricula:
            assert self.project.curriculum_raw is not None
            data = translate_tree(self.project.curriculum_raw, "curriculum", translator.lookup)
            self._curricula[translator.locale] = Curriculum.model_validate(data)
        return self._curricula[translator.locale]

    def localised_text(self, translator: Translator, country: str):  # noqa: ANN201
        """``lookup(context, text)``: the translation (an English edition's in its variant's
        words: i18n/translations.py), with the country's terms filled in (content/terms.py)."""
        values = self.term_values(country, translator)

        def lookup(context: str, text: str) -> str:
            found = translator.lookup(context, text)
            done = fill_terms(found, values)
            if done != found and found in translator.fallbacks:
                translator.fallbacks.add(done)  # English printed: still marked as English
            return done
        return lookup

    def localised_module(self, module_id: str, translator: Translator,
                         country: str = DEFAULTS) -> Module:
        key = (module_id, translator.locale, country)
        if key not in self._modules:
            source = self.project.module(module_id)
            data = translate_tree(source.raw, module_id, self.localised_text(translator, country))
            self._modules[key] = Module.model_validate(data)
        return self._modules[key]

    def localised_file(self, country: str, translator: Translator) -> RouteFile | None:
        source = self.project.routes.get(country)
        if source is None:
            return None
        key = (country, translator.locale)
        if key not in self._routes:
            data = translate_tree(source.raw, route_prefix(country), translator.lookup)
            self._routes[key] = RouteFile.model_validate(data)
        return self._routes[key]

    def localised_routes(self, country: str, translator: Translator) -> list[Route]:
        found = self.localised_file(country, translator)
        return list(found.routes) if found else []

    def localised_terms(self, country: str, translator: Translator) -> dict[str, Term]:
        """Every term for ``country`` in the translator's language: its own, else the default."""
        terms = {name: Term(id=name, kind="role", text=translator.gettext(text))
                 for name, text in BUILTIN.items()}
        for code in (DEFAULTS, country):
            found = self.localised_file(code, translator)
            terms.update({t.id: t for t in found.terms} if found else {})
        return terms

    def term_values(self, country: str, translator: Translator) -> dict[str, str]:
        return {name: t.text for name, t in self.localised_terms(country, translator).items()}

    def help_routes(self, edition: Edition, translator: Translator, doc: str,
                    band: str = "", module: str = "") -> HelpRoutes:
        """The routes ``doc`` prints: band-aware (child box) and module-aware (``help:``)."""
        for_children = doc in ("handout", "slides")
        band_model = next((b for b in self.project.curriculum.bands if b.id == band), None) \
            if self.project.curriculum and band else None
        wanted = self.project.module(module).module.help if module else None
        return select_routes(self.localised_routes(edition.country, translator),
                             self.localised_routes("international", translator),
                             for_children=for_children,
                             child_box=for_children and band_model is not None
                             and band_model.help_box == "child", wanted=wanted)

    def context(self, job: Job, translator: Translator) -> dict[str, Any]:
        project = self.project
        assert project.curriculum is not None
        edition = project.edition(job.edition)
        module = self.localised_module(job.module, translator, edition.country)
        content: BandContent = module.content[job.band]
        country = project.routes.get(edition.country)
        curriculum = self.localised_curriculum(translator)
        band = next(b for b in curriculum.bands if b.id == job.band)

        terms = self.term_values(edition.country, translator)

        def gettext(text: str, **values: Any) -> str:
            translated = translator.gettext(text)
            return template_text(translator, text, translated,
                                 fill(translated, {**terms, **values}))

        return {
            "kind_labels": {kind: gettext(text) for kind, text in KIND_LABELS.items()},
            "_": gettext,
            "doc": job.doc,
            "curriculum": curriculum,
            "edition": edition,
            "lang": html_lang(edition.locale),
            "dir": text_direction(edition.locale),
            "language": language_name(edition.locale),
            "paper": paper_for(edition),
            "country_name": translator.lookup(f"{route_prefix(edition.country)}/name",
                                              country.routes.name) if country else "",
            "band": band,
            "module": module,
            "content": content,
            "title": content.title or module.title,
            # adults' handouts list the routes a family letter lists (adult-only ones too)
            "help": self.help_routes(edition, translator, "family-letter"
                                     if band.audience == "adults" else job.doc,
                                     job.band, job.module),
            "picture": picture_maker(project.root, gettext),
            "sheet": sheet_for(band.reading_grade_max),
            "child_texts": child_texts(translator.gettext, str, job.band),
            # the country's frameworks, name and note translated (strands as the source names them)
            "frameworks": framework_rows(curriculum, module, edition.country, job.band),
            "country_terms": [t for t in self.localised_terms(edition.country, translator).values()
                              if t.source is not None],
            "translation": translator,
            "stylesheet": self.stylesheet,
            "variant": "standard",
            "sequence": project.sequence(job.band),
            "exit_step": exit_step_index(project.module(job.module).module.content[job.band]),
            "material_rows": material_rows(content),
            "sequence_titles": [
                {"current": other == job.module,
                 "title": (lambda m: m.content[job.band].title or m.title)(
                     self.localised_module(other, translator))}
                for other in project.sequence(job.band)],
        }

    def deck(self, job: Job, translator: Translator) -> Deck:
        """The fitted slide model of a ``slides`` job (``slides.py``)."""
        context = self.context(job, translator)
        content: BandContent = context["content"]
        english = self.project.module(job.module).module.content[job.band]
        def gettext(text: str, **values: Any) -> str:  # the deck marks fallback per run itself
            return strip_marks(context["_"](text, **values))

        return build_deck(content, context["title"], context["module"].summary, job.band,
                          context["help"], gettext, [s.title for s in english.steps],
                          frozenset(translator.fallbacks))

    def render(self, job: Job, translator: Translator, **extra: Any) -> str:
        """The document's HTML, or :class:`RenderError` naming the template and line."""
        try:
            template = self.env.get_template(DOC_TEMPLATES[job.doc])
            context = check_context(self, job, translator) if job.module == CHECK_MODULE \
                else self.context(job, translator)
            if job.doc == "slides" and "deck" not in extra:
                extra["deck"] = self.deck(job, translator)
            country = self.project.edition(job.edition).country
            extra.setdefault("document_reviewed", document_reviewed(
                self.project, job.module, job.band, country, translator))
            html = _CONTROLS.sub("\ufffd", template.render({**context, **extra}))
            html = resolve_marks(html, context["dir"] == "rtl")
            return keep_words(html) if needs_keep_words(translator.locale) else html
        except TemplateNotFound as exc:
            name, line = template_location(exc, DOC_TEMPLATES[job.doc], use_name=False)
            message = exc.message if exc.message and exc.message != exc.name \
                else f"template '{exc.name}' not found in templates/"
            raise RenderError(rel_template(self.project, name), line, message) from exc
        except TemplateError as exc:
            name, line = template_location(exc, DOC_TEMPLATES[job.doc])
            raise RenderError(rel_template(self.project, name), line, str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - templates are content: {{ 1/0 }} is no crash
            name, line = template_location(exc, DOC_TEMPLATES[job.doc])
            raise RenderError(rel_template(self.project, name), line,
                              f"{type(exc).__name__}: {exc}") from exc


def template_location(exc: Exception, default: str, use_name: bool = True) -> tuple[str, int]:
    """Where a template failed: syntax errors carry it; runtime errors leave it in the traceback
    (Jinja rewrites template frames to the template's file and line). A missing template's
    ``name`` is the one asked for, not the one asking (``use_name=False``)."""
    name = getattr(exc, "filename", None) or (getattr(exc, "name", None) if use_name else None)
    line = getattr(exc, "lineno", None)
    if name and line:
        return name, line
    tb = exc.__traceback__
    found = (default, 1)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".j2")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def rel_template(project: Project, name: str) -> str:
    path = Path(name)
    if not path.is_absolute():
        path = project.templates_dir / name
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return path.as_posix()
