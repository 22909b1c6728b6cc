"""Merge a fresh POT into a translator's PO without losing or scrambling their work.

Rules (see ``merge_catalog``) follow GNU msgmerge where it is safe and deliberately avoid
what `pybabel update` gets wrong: no difflib guessing between unrelated messages, obsolete
entries kept and revived, previous msgids (``#|``) kept, custom header fields kept.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

from .moves import match_edited, match_moved
from .pofile import WRAPWIDTH, load_po, write_po_atomically
from .stats import CatalogStats, catalog_stats, drop_review, has_translation, stats_by_prefix

__all__ = [
    "CatalogError",
    "CatalogStats",
    "MergeReport",
    "catalog_stats",
    "load_po",
    "merge_catalog",
    "new_catalog",
    "nplurals",
    "stats_by_prefix",
    "write_po_atomically",
]

Key = tuple[str | None, str]

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
# Marker for plural forms that a plural -> singular change would otherwise throw away.
PLURAL_NOTE = "lessonpack: earlier plural translation"


class CatalogError(ValueError):
    """The catalogue or template is not safe to merge (e.g. duplicate messages)."""


@dataclass(frozen=True)
class MergeReport:
    """What a merge did, counted per active/obsolete entry."""

    kept: int = 0  # same msgctxt + English: translation untouched
    moved: int = 0  # same English, new msgctxt (a list item moved or re-keyed): untouched
    fuzzied: int = 0  # English changed: old translation kept, marked fuzzy, `#|` old text
    added: int = 0  # new messages, untranslated
    obsoleted: int = 0  # left the template: kept as `#~` with the translation
    revived: int = 0  # obsolete entries back in the template (fuzzy if English differs)
    discarded: int = 0  # obsolete entries with no translation and no comment: nothing to keep

    @property
    def changed(self) -> bool:
        return any((self.moved, self.fuzzied, self.added, self.obsoleted, self.revived,
                    self.discarded))

    def summary(self) -> str:
        parts = [
            f"{self.kept} kept",
            *([f"{self.moved} moved"] if self.moved else []),
            f"{self.fuzzied} need review (English changed)",
            f"{self.added} new",
            f"{self.obsoleted} obsolete",
            f"{self.revived} revived",
        ]
        if self.discarded:
            parts.append(f"{self.discarded} empty obsolete removed")
        return ", ".join(parts)


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def nplurals(po: polib.POFile) -> int:
    """Number of plural forms: the PO's Plural-Forms, else CLDR for its Language, else 2."""
    match = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    if match:
        return int(match.group(1))
    language = po.metadata.get("Language", "").strip()
    if language:
        try:
            return get_plural(language).num_plurals
        except (ValueError, LookupError, UnknownLocaleError):
            pass
    return 2  # gettext's own default (n != 1)


def _check_unique(entries: list[polib.POEntry], what: str) -> None:
    # msgfmt rejects duplicates, even between active and obsolete entries; merging them
    # would mean picking one translation over another, so refuse instead.
    seen: set[Key] = set()
    for entry in entries:
        key = key_of(entry)
        if key in seen:
            raise CatalogError(f"duplicate message in {what}: msgctxt={key[0]!r} msgid={key[1]!r}")
        seen.add(key)


def _same_english(old: polib.POEntry, new: polib.POEntry) -> bool:
    return old.msgid == new.msgid and (old.msgid_plural or "") == (new.msgid_plural or "")


def _newlines_match(entry: polib.POEntry) -> bool:
    """msgfmt's rule: a translation starts/ends with a newline iff its msgid does."""
    msgid = entry.msgid
    for text in [entry.msgstr, *entry.msgstr_plural.values()]:
        if text and (
            text.startswith("\n") != msgid.startswith("\n")
            or text.endswith("\n") != msgid.endswith("\n")
        ):
            return False
    return True


def _plural_shape(forms: dict[int, str], n: int) -> dict[int, str]:
    # Fill missing forms with "" so msgfmt sees every index; never drop extra forms.
    shaped = {i: forms.get(i, "") for i in range(n)}
    shaped.update({i: s for i, s in forms.items() if i >= n})
    return dict(sorted(shaped.items()))


def _from_template(tmpl: polib.POEntry, n: int) -> polib.POEntry:
    """A fresh untranslated entry shaped like the template entry."""
    entry = polib.POEntry(
        msgctxt=tmpl.msgctxt,
        msgid=tmpl.msgid,
        msgid_plural=tmpl.msgid_plural or "",
        comment=tmpl.comment,
        occurrences=list(tmpl.occurrences),
        flags=[f for f in tmpl.flags if f != "fuzzy"],
    )
    if tmpl.msgid_plural:
        entry.msgstr_plural = _plural_shape({}, n)
    return entry


def _refresh(old: polib.POEntry, tmpl: polib.POEntry, n: int) -> polib.POEntry:
    """Copy of ``old`` with the template's extracted comments, references and flags."""
    entry = copy.deepcopy(old)
    entry.obsolete = False
    entry.comment = tmpl.comment
    entry.occurrences = list(tmpl.occurrences)
    # Translator flags stay; flags the extractor adds (e.g. python-format) are added.
    entry.flags = list(old.flags) + [f for f in tmpl.flags if f not in old.flags and f != "fuzzy"]
    if entry.msgid_plural:
        entry.msgstr_plural = _plural_shape(entry.msgstr_plural, n)
    return entry


def _carry_over(old: polib.POEntry, tmpl: polib.POEntry, n: int) -> polib.POEntry:
    """New English, old translation: fuzzy, with the old English as ``#|`` previous."""
    entry = _refresh(old, tmpl, n)
    entry.msgctxt = tmpl.msgctxt
    entry.msgid = tmpl.msgid
    entry.msgid_plural = tmpl.msgid_plural or ""
    if not has_translation(old):
        # Nothing to review: just the new English, in the template's shape.
        entry.msgstr = ""
        entry.msgstr_plural = _plural_shape({}, n) if tmpl.msgid_plural else {}
        return entry
    if not (old.fuzzy and old.previous_msgid is not None):
        # Otherwise keep the oldest previous: the English the translator actually translated.
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    if tmpl.msgid_plural and not old.msgid_plural:
        # singular -> plural: the old text is at best form 0; the rest must be written.
        entry.msgstr_plural = _plural_shape({0: old.msgstr}, n)
        entry.msgstr = ""
    elif old.msgid_plural and not tmpl.msgid_plural:
        # plural -> singular: form 0 becomes the suggestion; other forms go to a comment
        # rather than vanish (an obsolete copy could clash with this entry's key).
        forms = old.msgstr_plural
        entry.msgstr = forms.get(0, "")
        entry.msgstr_plural = {}
        # PO-quoted so whitespace and newlines survive polib's comment parsing.
        extra = [f'msgstr[{i}] "{polib.escape(s)}"' for i, s in sorted(forms.items()) if i and s]
        if extra:
            note = "\n".join([f"{PLURAL_NOTE}:", *extra])
            entry.tcomment = f"{entry.tcomment}\n{note}" if entry.tcomment else note
    if has_translation(entry):
        entry.fuzzy = True
    drop_review(entry)  # the reviewed English is gone
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = copy.deepcopy(old)
    entry.obsolete = True
    # polib never writes these for obsolete entries; clearing keeps memory == disk.
    entry.comment = ""
    entry.occurrences = []
    return entry


def _worth_keeping(entry: polib.POEntry) -> bool:
    return has_translation(entry) or bool(entry.tcomment)


def merge_catalog(po: polib.POFile, pot: polib.POFile) -> MergeReport:
    """Update ``po`` IN PLACE from the template ``pot`` and report what changed.

    Everything is computed on copies first and committed at the end, so if this raises
    (``CatalogError`` on duplicate messages) ``po`` is unchanged. ``pot`` is never modified.

    Matching, in order:
    1. exact key (msgctxt, msgid): an active entry is kept; failing that an obsolete one is
       revived. If msgid_plural differs the entry is fuzzied as in 3.
    2. moved: the same English under a context that left the template, in the same list
       field (moves.py): the translation is kept untouched (active first, else revived).
    3. same msgctxt, changed English: only when exactly one unmatched template entry and
       exactly one unmatched *translated* PO entry (active first, else obsolete) share the
       msgctxt; the translation is kept, marked fuzzy, old English in ``#|``.
    4. edited list item: the most similar English (mutual best, at least moves.SIMILAR)
       under a context that left the template, in the same list field: fuzzy as in 3.
       Never across list fields, never for entries without msgctxt.
    5. otherwise template entries are added untranslated; PO entries left over become
       obsolete (``#~``), unless they hold neither a translation nor a translator comment.
    """
    n = nplurals(po)
    tmpl_entries = [e for e in pot if not e.obsolete]
    _check_unique(tmpl_entries, "template")
    _check_unique(list(po), "catalogue")

    active = [e for e in po if not e.obsolete]
    obsolete = [e for e in po if e.obsolete]
    active_by_key = {key_of(e): e for e in active}
    obsolete_by_key = {key_of(e): e for e in obsolete}
    used: set[int] = set()  # id() of consumed PO entries: polib's __eq__ ignores comments
    result: list[polib.POEntry | None] = [None] * len(tmpl_entries)
    counts: dict[str, int] = defaultdict(int)

    def take(i: int, old: polib.POEntry, tmpl: polib.POEntry, revived: bool) -> None:
        used.add(id(old))
        if _same_english(old, tmpl):
            result[i] = _refresh(old, tmpl, n)
            result[i].msgctxt = tmpl.msgctxt
            if revived and not _newlines_match(result[i]):
                # msgfmt never checked it while obsolete; don't ship it unreviewed.
                result[i].fuzzy = True
            moved = old.msgctxt != tmpl.msgctxt
            counts["revived" if revived else "moved" if moved else "kept"] += 1
        else:
            result[i] = _carry_over(old, tmpl, n)
            counts["revived" if revived else "fuzzied"] += 1

    for i, tmpl in enumerate(tmpl_entries):
        key = key_of(tmpl)
        if key in active_by_key:
            take(i, active_by_key[key], tmpl, revived=False)
        elif key in obsolete_by_key:
            take(i, obsolete_by_key[key], tmpl, revived=True)

    def done(i: int) -> bool:
        return result[i] is not None

    match_moved(tmpl_entries, done, active, obsolete, used, take)

    pending: dict[str, list[int]] = defaultdict(list)
    for i, tmpl in enumerate(tmpl_entries):
        if result[i] is None and tmpl.msgctxt is not None:
            pending[tmpl.msgctxt].append(i)
    for ctxt, indexes in pending.items():
        if len(indexes) != 1:
            continue  # ambiguous within this context: no guessing
        for pool, revived in ((active, False), (obsolete, True)):
            cands = [
                e for e in pool if e.msgctxt == ctxt and id(e) not in used and has_translation(e)
            ]
            if len(cands) == 1:
                take(indexes[0], cands[0], tmpl_entries[indexes[0]], revived)
            if cands:
                break  # several active candidates: ambiguous, do not fall back to obsolete

    match_edited(tmpl_entries, done, active, used, take)

    for i, tmpl in enumerate(tmpl_entries):
        if result[i] is None:
            result[i] = _from_template(tmpl, n)
            counts["added"] += 1

    # Old obsolete entries keep their order; newly obsolete ones follow in PO order.
    kept_obsolete: list[polib.POEntry] = []
    for entry, newly in [(e, False) for e in obsolete] + [(e, True) for e in active]:
        if id(entry) in used:
            continue
        if not _worth_keeping(entry):
            counts["discarded"] += 1
            continue
        kept_obsolete.append(_obsolete(entry))
        if newly:
            counts["obsoleted"] += 1

    # Commit: header fields all stay; only POT-Creation-Date follows the template.
    po[:] = [e for e in result if e is not None] + kept_obsolete
    if "POT-Creation-Date" in pot.metadata:
        po.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
    po.wrapwidth = WRAPWIDTH
    return MergeReport(**counts)


def new_catalog(
    locale: str, pot: polib.POFile, *, revision_date: str | None = None
) -> polib.POFile:
    """A fresh catalogue for ``i18n init LOCALE``: header from the template, CLDR plurals.

    ``revision_date`` defaults to the template's POT-Creation-Date, keeping output
    reproducible; Poedit/Weblate overwrite it on the first save.
    """
    try:
        plural = get_plural(locale.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError) as exc:
        raise CatalogError(f"unknown locale {locale!r}: {exc}") from exc
    created = pot.metadata.get("POT-Creation-Date", "")
    po = polib.POFile(wrapwidth=WRAPWIDTH)
    po.header = f"{locale} translation of {pot.metadata.get('Project-Id-Version', 'lessonpack')}."
    po.metadata = {
        "Project-Id-Version": pot.metadata.get("Project-Id-Version", "lessonpack"),
        "Report-Msgid-Bugs-To": pot.metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": created,
        "PO-Revision-Date": revision_date or created,
        "Language": locale.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};",
        "X-Review-Status": "draft",
    }
    merge_catalog(po, pot)
    return po
