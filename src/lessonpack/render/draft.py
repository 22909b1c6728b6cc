"""How much of one document's own text is translated (the number on its draft mark)."""

from __future__ import annotations

from ..checks import CheckedProject
from ..content.messages import iter_messages, route_prefix
from ..i18n.translations import Translator
from .documents import Job


def draft_percent(checked: CheckedProject, job: Job, translator: Translator) -> int:
    """Share of this document's module and route texts that have a translation."""
    if translator.is_source:
        return 100
    project = checked.project
    source = project.module(job.module)
    country = project.edition(job.edition).country
    messages = list(iter_messages(source.raw["content"][job.band],
                                  f"{job.module}/content/{job.band}"))
    for code in (country, "international"):
        if code in project.routes:
            messages += iter_messages(project.routes[code].raw, route_prefix(code))
    if not messages:
        return 100
    done = sum((m.context, m.text) in translator.entries for m in messages)
    return int(100 * done / len(messages))
