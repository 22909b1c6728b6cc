"""Find where a list item's text went when its key changed: moved, or edited.

Contexts name list items by a key derived from their text (content/messages.py), so an edited
text, or a record whose first text changed, arrives under a new context. ``update`` then looks
for its old entry among the entries whose context *left* the template, in the same list field
(the context with every derived key replaced by ``*``, see ``list_slot``):

* the same English there: the text moved; its translation is kept as it is, not fuzzy;
* otherwise the most similar English there, if at least :data:`SIMILAR` alike (difflib ratio)
  and each is the other's best: the text was edited; fuzzy, with the old English as ``#|``.

A text rewritten beyond that, or one with no old entry in its own list, starts untranslated:
a fuzzy suggestion must always be this text's own earlier translation, never another's.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections import defaultdict
from collections.abc import Callable, Sequence

import polib

from ..content.messages import list_slot
from .stats import has_translation

SIMILAR = 0.7

Take = Callable[[int, polib.POEntry, polib.POEntry, bool], None]


def _english(entry: polib.POEntry) -> tuple[str, str]:
    return entry.msgid, entry.msgid_plural or ""


def _candidates(pool: Sequence[polib.POEntry], used: set[int], template_ctxts: set[str]
                ) -> dict[str, list[polib.POEntry]]:
    by_slot: dict[str, list[polib.POEntry]] = defaultdict(list)
    for entry in pool:
        if id(entry) in used or not has_translation(entry) or entry.msgctxt in template_ctxts:
            continue
        slot = list_slot(entry.msgctxt or "")
        if slot is not None:
            by_slot[slot].append(entry)
    return by_slot


def _pending(tmpl_entries: Sequence[polib.POEntry], done: Callable[[int], bool]
             ) -> dict[str, list[int]]:
    by_slot: dict[str, list[int]] = defaultdict(list)
    for i, tmpl in enumerate(tmpl_entries):
        slot = list_slot(tmpl.msgctxt or "")
        if slot is not None and not done(i):
            by_slot[slot].append(i)
    return by_slot


def match_moved(tmpl_entries: Sequence[polib.POEntry], done: Callable[[int], bool],
                active: Sequence[polib.POEntry], obsolete: Sequence[polib.POEntry],
                used: set[int], take: Take) -> None:
    """Exact English in the same list field: active entries first, then obsolete ones; among
    several, the one whose context shares the longest prefix (same parent list first)."""
    template_ctxts = {t.msgctxt or "" for t in tmpl_entries}
    for revived, pool in ((False, active), (True, obsolete)):
        cands = _candidates(pool, used, template_ctxts)
        for slot, indexes in _pending(tmpl_entries, done).items():
            for i in indexes:
                tmpl = tmpl_entries[i]
                same = [e for e in cands.get(slot, ()) if id(e) not in used
                        and _english(e) == _english(tmpl)]
                if not same:
                    continue
                ctxt = tmpl.msgctxt or ""
                best = min(same, key=lambda e: (
                    -len(os.path.commonprefix([e.msgctxt or "", ctxt])), e.msgctxt or ""))
                take(i, best, tmpl, revived)
    # A new copy of a text already in the list (an author repeated an item) shares the
    # translation of its twin, which is the same English in the same list field.
    twins: dict[tuple[str, tuple[str, str]], polib.POEntry] = {}
    for entry in active:
        slot = list_slot(entry.msgctxt or "")
        if slot is not None and has_translation(entry):
            twins.setdefault((slot, _english(entry)), entry)
    for slot, indexes in _pending(tmpl_entries, done).items():
        for i in indexes:
            twin = twins.get((slot, _english(tmpl_entries[i])))
            if twin is not None:
                take(i, copy.deepcopy(twin), tmpl_entries[i], False)


def match_edited(tmpl_entries: Sequence[polib.POEntry], done: Callable[[int], bool],
                 active: Sequence[polib.POEntry], used: set[int], take: Take) -> None:
    """Similar English in the same list field, mutual best pairs at or above SIMILAR."""
    template_ctxts = {t.msgctxt or "" for t in tmpl_entries}
    cands = _candidates(active, used, template_ctxts)
    for slot, indexes in _pending(tmpl_entries, done).items():
        olds = cands.get(slot, [])
        if not olds:
            continue
        pairs = []
        for i in indexes:
            new = tmpl_entries[i].msgid
            for j, old in enumerate(olds):
                matcher = difflib.SequenceMatcher(None, old.msgid, new, autojunk=False)
                if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                    continue
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((ratio, i, j))
        best_new: dict[int, float] = defaultdict(float)
        best_old: dict[int, float] = defaultdict(float)
        for ratio, i, j in pairs:
            best_new[i] = max(best_new[i], ratio)
            best_old[j] = max(best_old[j], ratio)
        for ratio, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            # Each must be the other's single best: a tie is ambiguous, so no guess.
            if ratio < best_new[i] or ratio < best_old[j] or done(i) or id(olds[j]) in used:
                continue
            ties = sum(1 for r, a, b in pairs if (a == i or b == j) and r == ratio)
            if ties > 1:
                continue
            take(i, olds[j], tmpl_entries[i], False)
