"""How much of one document's own text is translated (the number on its draft mark)."""

from __future__ import annotations

from ..checks import CheckedProject
from ..i18n.translations import Translator
from .documents import Job
from .review import document_messages


def draft_percent(checked: CheckedProject, job: Job, translator: Translator) -> int:
    """Share of this document's module and route texts that have a translation."""
    if translator.is_source:
        return 100
    project = checked.project
    country = project.edition(job.edition).country
    messages = document_messages(project, job.module, job.band, country)
    if not messages:
        return 100
    done = sum((m.context, m.text) in translator.entries for m in messages)
    return int(100 * done / len(messages))
