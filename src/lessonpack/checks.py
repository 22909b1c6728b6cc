"""`lessonpack check`: every validation stage over a project, problems collected, never raised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content.crossref import check_cross_references
from .content.files import is_regular
from .content.frameworks import check_frameworks
from .content.helpcheck import check_help
from .content.knowledge import check_knowledge
from .content.locales import is_english, po_path
from .content.materials import check_materials
from .content.project import Project, load_project
from .content.readability import one_grading_process
from .content.routechecks import check_route_fields
from .content.routes_report import check_route_dates
from .content.rules import check_content_rules
from .content.terms import check_terms
from .content.todos import check_todos
from .i18n.freshness import check_freshness
from .i18n.glyphs import check_glyphs
from .i18n.translations import Translator, english, load_translator
from .i18n.variants import load_variant
from .problems import Problems


@dataclass
class CheckedProject:
    project: Project
    problems: Problems
    translators: dict[str, Translator]


def check_project(root: Path) -> CheckedProject:
    """Load, validate and cross-check everything; load every edition's catalogue."""
    problems = Problems(root)
    project = load_project(root, problems)
    check_cross_references(project, problems)
    check_route_dates(project, problems)
    check_route_fields(project, problems)
    # handouts, knowledge checks and help boxes share one grading process, ended here
    with one_grading_process():
        check_content_rules(project, problems)
        check_knowledge(project, problems)
        check_terms(project, problems)
        check_help(project, problems)
    check_materials(project, problems)
    check_frameworks(project, problems)
    check_todos(project, problems)
    translators: dict[str, Translator] = {}
    if project.curriculum is not None:
        for edition in project.curriculum.editions:
            locale = edition.locale
            if locale in translators:
                continue
            path = po_path(project, locale)
            if is_english(locale) or not path.is_file():
                # an English edition prints its variant's words (locales/en_US/words.yaml)
                translators[locale] = english(locale, load_variant(project.root, locale,
                                                                   problems))
            else:
                translators[locale] = load_translator(path, locale, problems, project.cache_dir)
    # Catalogues no edition uses yet (a translation in progress) are checked all the same.
    for path in sorted(project.locales_dir.glob("*/LC_MESSAGES/messages.po")):
        locale = path.parent.parent.name
        if locale not in translators and is_regular(path):  # else: path.special, unread
            translators[locale] = load_translator(path, locale, problems, project.cache_dir)
    check_glyphs(project, translators, problems)
    check_freshness(project, translators, problems)
    return CheckedProject(project, problems, translators)
