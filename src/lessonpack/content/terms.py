"""Country terms: the roles, words and laws a text names with a ``{placeholder}``.

A lesson or template says ``{safeguarding_contact}``; each country's ``routes/CC.yaml`` says
what that is there (GB: the designated safeguarding lead; PH: the school's Child Protection
Committee), with the source and the day it was checked, like a route. Every such term has a
neutral default (:data:`BUILTIN`, or a ``terms:`` entry in ``routes/international.yaml``), so
a country that has not sourced a term yet prints neutral words, never another country's
role. Checks here:

* ``terms.unknown``: a country names a role the defaults do not have (a typo); terms and laws
  (``kind: term``/``law``) need no default: they are listed in the teacher guide, not filled in;
* ``terms.unsourced``: a country's term without ``source`` or ``checked``;
* ``content.term``: a module text uses a ``{placeholder}`` that is no term.
"""

from __future__ import annotations

import re

from ..problems import Problems
from .messages import iter_messages
from .model import Term
from .project import Project
from .yamlsafe import LocDict, LocList

DEFAULTS = "international"
BUILTIN = {"safeguarding_contact": "the staff member your school names for child protection"}
"""Terms the shipped templates use, with neutral wording (no claim about any country): a
project without them in ``routes/international.yaml`` still prints sense. Translated as
template texts (i18n/extract.py lists them with the engine's own strings)."""
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def default_terms(project: Project) -> dict[str, Term]:
    """Every term a text may name: the built-in neutral ones, then international.yaml's."""
    terms = {name: Term(id=name, kind="role", text=text) for name, text in BUILTIN.items()}
    source = project.routes.get(DEFAULTS)
    terms.update({t.id: t for t in source.routes.terms} if source else {})
    return terms


def country_terms(project: Project, country: str) -> dict[str, Term]:
    """Every term for ``country``: its own, else the neutral default."""
    terms = default_terms(project)
    own = project.routes.get(country)
    if own is not None and country != DEFAULTS:
        terms.update({t.id: t for t in own.routes.terms})
    return terms


def listed_terms(project: Project, country: str) -> list[Term]:
    """The country's own sourced terms and laws, in file order (the teacher guide's list)."""
    own = project.routes.get(country)
    if own is None or country == DEFAULTS:
        return []
    return [t for t in own.routes.terms if t.source is not None]


def fill_terms(text: str, values: dict[str, str]) -> str:
    """``{term}`` placeholders replaced by ``values``; anything else left as written."""
    if "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)


def check_terms(project: Project, problems: Problems) -> None:
    """Country terms are known and sourced; module texts use known term placeholders."""
    known = default_terms(project)
    names = ", ".join(f"{{{name}}}" for name in sorted(known)) or "none"
    for country, source in sorted(project.routes.items()):
        items = source.raw.get("terms")
        if not isinstance(items, LocList):
            continue
        for index, term in enumerate(source.routes.terms):
            item = items[index]
            pos = item.pos_of("id") if isinstance(item, LocDict) else items.pos_of(index)
            if country != DEFAULTS and term.kind == "role" and term.id not in known:
                problems.error(source.path, pos.line, pos.col, "terms.unknown",
                               f"term '{term.id}' is not defined in routes/international.yaml "
                               f"(terms there: {names})",
                               "fix the id, or add the term with neutral wording to "
                               "routes/international.yaml")
            if country != DEFAULTS and (term.source is None or term.checked is None):
                problems.error(source.path, pos.line, pos.col, "terms.unsourced",
                               f"term '{term.id}' of {country} has no source or checked date",
                               "add `source:` (where you checked it) and `checked:` "
                               "(YYYY-MM-DD), or leave the term out to print the neutral "
                               "default")
    for module in project.modules:
        for message in iter_messages(module.raw, module.module.id):
            for match in PLACEHOLDER.finditer(message.text):
                if match[1] not in known:
                    problems.error(module.path, message.pos.line, message.pos.col,
                                   "content.term",
                                   f"unknown term placeholder {{{match[1]}}} (known: {names})",
                                   "use one of the known terms, or add it to the `terms:` of "
                                   "routes/international.yaml and the countries' route files")
