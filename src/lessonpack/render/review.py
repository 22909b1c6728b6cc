"""A document's own messages, and whether every one of them has been reviewed.

The draft mark on a translated document says "not yet reviewed by a native speaker" unless the
catalogue's header says the whole catalogue is reviewed, or every text this document prints —
its module band's texts, its country's and the international routes, and the template texts —
carries a reviewer's `# reviewed` mark (i18n/stats.py).
"""

from __future__ import annotations

from ..content.messages import Message, iter_messages, route_prefix
from ..content.model import CHECK_MODULE
from ..content.project import Project
from ..i18n.translations import Translator


def document_messages(project: Project, module: str, band: str, country: str
                      ) -> list[Message]:
    """The module band's and the routes' texts a document of this module, band and country
    prints (template texts aside)."""
    if module == CHECK_MODULE:  # a knowledge check prints its band's questions and title
        assert project.knowledge is not None
        raw = project.knowledge.raw
        messages = list(iter_messages(raw["checks"][band], f"{module}/checks/{band}"))
        messages += [m for m in iter_messages(raw, module) if m.context == f"{module}/title"]
        return messages
    source = project.module(module)
    messages = list(iter_messages(source.raw["content"][band], f"{module}/content/{band}"))
    for code in (country, "international"):
        if code in project.routes:
            messages += iter_messages(project.routes[code].raw, route_prefix(code))
    return messages


def document_reviewed(project: Project, module: str, band: str, country: str,
                      translator: Translator) -> bool:
    """True if the catalogue is reviewed as a whole or every text printed here is reviewed."""
    if translator.is_source or translator.review_status == "reviewed":
        return True
    if not translator.reviewed:
        return False
    keys = {(m.context, m.text) for m in document_messages(project, module, band, country)}
    keys |= {key for key in translator.entries if key[0] == "template"}
    return keys <= translator.reviewed
