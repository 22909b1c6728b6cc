"""Re-key catalogues written with positional contexts (before issue 13) to identity contexts.

Until issue 13 a list item's msgctxt was its index (``routes/MY/routes/2/when``); now it is
its id or a key derived from its text (``routes/MY/my-talian-kasih/when``, see
content/messages.py). The walker yields both names for every text of the *current* source
tree, so an old catalogue is re-keyed by renaming each entry whose msgctxt is an old name to
the new name of the same place. Nothing else changes: msgid, msgstr, flags and comments stay
byte for byte. ``i18n update`` runs this before merging, so it is one-time in effect and a
no-op afterwards (identity contexts are never positional ones).

Only active entries are renamed by place alone (they were merged against this tree's POT);
an obsolete entry is renamed only if its English is still the text at that place, and no
entry is renamed onto a (msgctxt, msgid) that already exists.
"""

from __future__ import annotations

import polib

from ..content.project import Project
from .extract import source_messages


def legacy_contexts(project: Project) -> dict[str, tuple[str, str]]:
    """old positional msgctxt → (identity msgctxt, current English) for every source text."""
    return {m.legacy: (m.context, m.text) for _rel, _lines, m in source_messages(project)
            if m.legacy and m.legacy != m.context}


def rekey_catalog(po: polib.POFile, mapping: dict[str, tuple[str, str]]) -> int:
    """Rename positional msgctxts in ``po`` in place; the number of entries renamed."""
    keys = {(e.msgctxt, e.msgid) for e in po}
    renamed = 0
    for entry in sorted(po, key=lambda e: e.obsolete):  # active entries first
        if entry.previous_msgctxt in mapping:
            entry.previous_msgctxt = mapping[entry.previous_msgctxt][0]
        target = mapping.get(entry.msgctxt or "")
        if target is None:
            continue
        context, english = target
        if entry.obsolete and entry.msgid != english:
            continue
        if (context, entry.msgid) in keys:
            continue  # would duplicate a message msgfmt must see once; leave it as it is
        keys.discard((entry.msgctxt, entry.msgid))
        keys.add((context, entry.msgid))
        entry.msgctxt = context
        renamed += 1
    return renamed
