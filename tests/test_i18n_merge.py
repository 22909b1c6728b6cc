"""Merging a new POT into translator PO files must never lose or scramble their work."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lessonpack.i18n import pofile as pofile_mod
from lessonpack.i18n.merge import (
    PLURAL_NOTE,
    CatalogError,
    CatalogStats,
    MergeReport,
    catalog_stats,
    load_po,
    merge_catalog,
    new_catalog,
    nplurals,
    stats_by_prefix,
    write_po_atomically,
)

FIXTURES = Path(__file__).parent / "fixtures" / "po"
MSGFMT = shutil.which("msgfmt") or "/usr/bin/msgfmt"
needs_msgfmt = pytest.mark.skipif(not Path(MSGFMT).exists(), reason="GNU msgfmt not installed")


def msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MSGFMT, "--check-format", "-o", os.devnull, str(path)], capture_output=True, text=True
    )


def msgfmt_ok(path: Path) -> bool:
    return msgfmt(path).returncode == 0


def msgfmt_check(path: Path) -> None:
    proc = msgfmt(path)
    assert proc.returncode == 0, proc.stderr


def find(po: polib.POFile, ctxt: str, obsolete: bool = False) -> polib.POEntry:
    found = [e for e in po if e.msgctxt == ctxt and e.obsolete == obsolete]
    assert len(found) == 1, (ctxt, found)
    return found[0]


@pytest.fixture
def pl() -> polib.POFile:
    return load_po(FIXTURES / "pl.po")


@pytest.fixture
def pot() -> polib.POFile:
    return load_po(FIXTURES / "lessons.pot")


@pytest.fixture
def merged(pl: polib.POFile, pot: polib.POFile) -> tuple[polib.POFile, MergeReport]:
    report = merge_catalog(pl, pot)
    return pl, report


# --- the hand-written fixture -------------------------------------------------------------


def test_fixture_reads_as_written(pl: polib.POFile) -> None:
    assert nplurals(pl) == 3
    assert find(pl, "chatting-safely/11-13/objectives/1").previous_msgid == (
        "Never share your password."
    )
    assert find(pl, "passwords/14-16/tips/1", obsolete=True).previous_msgid == (
        "Use two-factor login."
    )


def test_plain_polib_drops_obsolete_previous_msgid() -> None:
    """Why load_po exists: polib's parser skips `#~|` lines."""
    raw = polib.pofile(str(FIXTURES / "pl.po"))
    assert find(raw, "passwords/14-16/tips/1", obsolete=True).previous_msgid is None


def test_report_counts(merged: tuple[polib.POFile, MergeReport]) -> None:
    _, report = merged
    assert report == MergeReport(kept=3, fuzzied=4, added=1, obsoleted=1, revived=2, discarded=1)
    assert report.summary() == (
        "3 kept, 4 need review (English changed), 1 new, 1 obsolete, 2 revived, "
        "1 empty obsolete removed"
    )
    with pytest.raises(AttributeError):
        report.kept = 0  # type: ignore[misc]


def test_unchanged_entry_keeps_translation_and_translator_comment(merged) -> None:
    po, _ = merged
    title = find(po, "chatting-safely/11-13/title")
    assert title.msgstr == "Bezpieczne czatowanie"
    assert title.tcomment == "Checked with the Warsaw pilot class."
    assert not title.fuzzy and title.previous_msgid is None
    # extracted comment and references come from the POT
    assert title.comment == "Lesson title (max 40 characters)"


def test_references_updated_from_pot(merged) -> None:
    po, _ = merged
    objective = find(po, "chatting-safely/11-13/objectives/0")
    assert objective.occurrences == [("lessons/chatting-safely.yaml", "10")]
    [print_page] = [e for e in po if e.msgid.startswith("Print this page")]
    assert print_page.occurrences == [("templates/handout.html", "33")]
    assert print_page.msgstr.startswith("Wydrukuj tę stronę") and not print_page.fuzzy


def test_changed_english_is_fuzzy_with_old_english_as_previous(merged, tmp_path: Path) -> None:
    po, _ = merged
    entry = find(po, "chatting-safely/11-13/objectives/0")
    assert entry.msgid == "Know who you are really talking to."
    assert entry.msgstr == "Wiedz, z kim rozmawiasz."
    assert entry.fuzzy
    assert entry.previous_msgid == "Know who you are talking to."
    out = tmp_path / "pl.po"
    write_po_atomically(po, out)
    assert '#| msgid "Know who you are talking to."' in out.read_text(encoding="utf-8")


def test_already_fuzzy_keeps_oldest_previous(merged) -> None:
    po, _ = merged
    entry = find(po, "chatting-safely/11-13/objectives/1")
    assert entry.msgid == "Never share your passwords with anyone."
    assert entry.previous_msgid == "Never share your password."  # what was translated
    assert entry.tcomment == 'Marta: check "hasło" vs "hasła".'
    assert entry.fuzzy and entry.msgstr == "Nigdy nie podawaj nikomu swojego hasła."


def test_plural_entry_kept_with_all_forms(merged) -> None:
    po, _ = merged
    [entry] = [e for e in po if e.msgid == "{n} activity"]
    assert entry.msgid_plural == "{n} activities"
    assert entry.msgstr_plural == {0: "{n} ćwiczenie", 1: "{n} ćwiczenia", 2: "{n} ćwiczeń"}
    assert not entry.fuzzy


def test_singular_to_plural_puts_old_text_in_form_zero_only(merged) -> None:
    po, _ = merged
    entry = find(po, "passwords/14-16/minutes")
    assert entry.msgid_plural == "{n} minutes"
    assert entry.msgstr == ""
    assert entry.msgstr_plural == {0: "Jedna minuta", 1: "", 2: ""}  # nplurals from PO
    assert entry.fuzzy and entry.previous_msgid == "One minute"
    assert entry.previous_msgid_plural is None


def test_plural_to_singular_keeps_every_form(merged) -> None:
    po, _ = merged
    entry = find(po, "chatting-safely/11-13/duration")
    assert not entry.msgid_plural and entry.msgstr_plural == {}
    assert entry.msgstr == "{n} lekcja" and entry.fuzzy
    assert entry.previous_msgid == "{n} lesson"
    assert entry.previous_msgid_plural == "{n} lessons"
    assert PLURAL_NOTE in entry.tcomment
    assert 'msgstr[1] "{n} lekcje"' in entry.tcomment
    assert 'msgstr[2] "{n} lekcji"' in entry.tcomment


def test_removed_entry_kept_as_obsolete_in_stable_order(merged) -> None:
    po, _ = merged
    obsolete = [e for e in po if e.obsolete]
    # existing obsolete entries first (file order), then newly obsolete ones
    assert [e.msgctxt for e in obsolete] == ["old-module/intro", "passwords/14-16/summary"]
    assert obsolete[1].msgstr == "Długie hasła to silne hasła."
    assert all(not e.obsolete for e in po[: len(po) - len(obsolete)])


def test_obsolete_entries_revived(merged) -> None:
    po, _ = merged
    exact = find(po, "passwords/14-16/tips/0")
    assert exact.msgstr == "Użyj frazy zamiast hasła." and not exact.fuzzy
    changed = find(po, "passwords/14-16/tips/1")
    assert changed.msgid == "Turn on two-step login."
    assert changed.msgstr == "Włącz logowanie dwuetapowe." and changed.fuzzy
    assert changed.previous_msgid == "Use two-factor login."  # oldest previous survives
    assert changed.tcomment == 'Keep "dwuetapowe", not "dwuskładnikowe".'
    assert changed.occurrences == [("lessons/passwords.yaml", "13")]


def test_untranslated_entry_leaving_template_is_dropped(merged) -> None:
    po, _ = merged
    assert not [e for e in po if e.msgid == "Ask an adult."]


def test_new_entry_added_untranslated(merged) -> None:
    po, _ = merged
    entry = find(po, "chatting-safely/11-13/objectives/2")
    assert entry.msgstr == "" and not entry.fuzzy and entry.previous_msgid is None


def test_header_fields_and_comment_survive(pl: polib.POFile, pot: polib.POFile) -> None:
    before = dict(pl.metadata)
    header = pl.header
    merge_catalog(pl, pot)
    assert pl.header == header
    assert pl.metadata["POT-Creation-Date"] == "2024-09-15 08:30+0000"
    before["POT-Creation-Date"] = "2024-09-15 08:30+0000"
    assert pl.metadata == before  # nothing else taken from the POT
    assert pl.metadata["X-Review-Status"] == "reviewed"
    assert pl.metadata["X-Reviewed-By"] == "Marta Nowak <marta@ngo.example>"
    assert pl.metadata["Language-Team"] == "Polish <pl@ngo.example>"
    assert pl.metadata["Project-Id-Version"] == "lessonpack 0.1"


def test_written_header_survives_on_disk(merged, tmp_path: Path) -> None:
    po, _ = merged
    out = tmp_path / "pl.po"
    write_po_atomically(po, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Polish translation of lessonpack online-safety lessons.\n")
    for line in ('"X-Review-Status: reviewed\\n"', '"X-Generator: Poedit 3.4.2\\n"'):
        assert line in text
    plural_forms = load_po(FIXTURES / "pl.po").metadata["Plural-Forms"]
    assert load_po(out).metadata["Plural-Forms"] == plural_forms


def test_order_follows_pot(merged, pot: polib.POFile) -> None:
    po, _ = merged
    active = [(e.msgctxt, e.msgid) for e in po if not e.obsolete]
    assert active == [(e.msgctxt, e.msgid) for e in pot]


def test_pot_is_not_modified(pl: polib.POFile, pot: polib.POFile) -> None:
    before = str(pot)
    merge_catalog(pl, pot)
    assert str(pot) == before


@needs_msgfmt
def test_merged_file_passes_msgfmt(merged, tmp_path: Path) -> None:
    po, _ = merged
    out = tmp_path / "pl.po"
    write_po_atomically(po, out)
    msgfmt_check(out)


def test_idempotent_byte_for_byte(pot: polib.POFile, tmp_path: Path) -> None:
    target = tmp_path / "pl.po"
    shutil.copy(FIXTURES / "pl.po", target)
    snapshots = []
    for _ in range(3):
        po = load_po(target)
        merge_catalog(po, pot)
        write_po_atomically(po, target)
        snapshots.append(target.read_bytes())
    assert snapshots[0] == snapshots[1] == snapshots[2]
    again = load_po(target)
    assert merge_catalog(again, pot) == MergeReport(kept=10)


# --- matching rules -----------------------------------------------------------------------


def catalogue(*entries: polib.POEntry, plural_forms: str = "nplurals=2; plural=(n != 1);"):
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": plural_forms}
    po.extend(entries)
    return po


def test_unchanged_fuzzy_entry_keeps_flags_and_previous() -> None:
    old = polib.POEntry(
        msgctxt="m/0",
        msgid="New text",
        msgstr="Stary tekst",
        flags=["fuzzy", "no-wrap"],
        previous_msgid="Old text",
        tcomment="translator note",
    )
    po = catalogue(old)
    pot = catalogue(polib.POEntry(msgctxt="m/0", msgid="New text", flags=["python-format"]))
    assert merge_catalog(po, pot) == MergeReport(kept=1)
    [entry] = po
    assert entry.flags == ["fuzzy", "no-wrap", "python-format"]
    assert entry.previous_msgid == "Old text" and entry.tcomment == "translator note"
    assert entry.msgstr == "Stary tekst"


def test_revived_entry_msgfmt_would_reject_is_fuzzy() -> None:
    # Obsolete entries are never checked by msgfmt; reviving one must not break the build.
    po = catalogue(polib.POEntry(msgctxt="m/0", msgid="Line\n", msgstr="Linia", obsolete=True))
    merge_catalog(po, catalogue(polib.POEntry(msgctxt="m/0", msgid="Line\n")))
    assert po[0].fuzzy and po[0].msgstr == "Linia"


def test_no_guessing_when_context_is_ambiguous() -> None:
    po = catalogue(polib.POEntry(msgctxt="template", msgid="Back", msgstr="Wstecz"))
    pot = catalogue(
        polib.POEntry(msgctxt="template", msgid="Next"),
        polib.POEntry(msgctxt="template", msgid="Previous"),
    )
    report = merge_catalog(po, pot)
    assert report == MergeReport(added=2, obsoleted=1)
    assert [e.msgstr for e in po if not e.obsolete] == ["", ""]
    assert find(po, "template", obsolete=True).msgstr == "Wstecz"


def test_never_matches_across_contexts() -> None:
    po = catalogue(polib.POEntry(msgctxt="a/intro", msgid="Hello", msgstr="Cześć"))
    pot = catalogue(polib.POEntry(msgctxt="b/intro", msgid="Hello!"))
    assert merge_catalog(po, pot) == MergeReport(added=1, obsoleted=1)
    assert find(po, "b/intro").msgstr == ""


def test_no_context_means_exact_match_only() -> None:
    po = catalogue(polib.POEntry(msgid="Hello", msgstr="Cześć"))
    pot = catalogue(polib.POEntry(msgid="Hello!"))
    assert merge_catalog(po, pot) == MergeReport(added=1, obsoleted=1)


def test_reverted_english_revives_exact_obsolete_translation() -> None:
    po = catalogue(
        polib.POEntry(msgctxt="m/0", msgid="B", msgstr="b-pl"),
        polib.POEntry(msgctxt="m/0", msgid="A", msgstr="a-pl", obsolete=True),
    )
    pot = catalogue(polib.POEntry(msgctxt="m/0", msgid="A"))
    assert merge_catalog(po, pot) == MergeReport(revived=1, obsoleted=1)
    assert find(po, "m/0").msgstr == "a-pl" and not find(po, "m/0").fuzzy
    assert find(po, "m/0", obsolete=True).msgstr == "b-pl"


def test_duplicates_refused_and_catalogue_untouched() -> None:
    po = catalogue(
        polib.POEntry(msgctxt="m/0", msgid="A", msgstr="x"),
        polib.POEntry(msgctxt="m/0", msgid="A", msgstr="y", obsolete=True),
    )
    before = str(po)
    with pytest.raises(CatalogError, match="duplicate"):
        merge_catalog(po, catalogue(polib.POEntry(msgctxt="m/1", msgid="B")))
    assert str(po) == before
    dup_pot = catalogue(polib.POEntry(msgid="B"), polib.POEntry(msgid="B"))
    with pytest.raises(CatalogError):
        merge_catalog(catalogue(), dup_pot)


def test_plural_forms_count_from_header() -> None:
    russian = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);"
    po = catalogue(plural_forms=russian)
    merge_catalog(po, catalogue(polib.POEntry(msgid="{n} file", msgid_plural="{n} files")))
    assert po[0].msgstr_plural == {0: "", 1: "", 2: ""}


def test_nplurals_fallbacks() -> None:
    po = polib.POFile()
    assert nplurals(po) == 2
    po.metadata["Language"] = "ar"
    assert nplurals(po) == 6


# --- stats --------------------------------------------------------------------------------


def test_fuzzy_is_not_translated(merged) -> None:
    po, _ = merged
    stats = catalog_stats(po)
    assert stats == CatalogStats(translated=4, fuzzy=5, untranslated=1, obsolete=2)
    assert stats.total == 10 and stats.percent_translated == 40.0
    assert "4/10 translated" in stats.summary()


def test_partial_plural_is_untranslated() -> None:
    po = catalogue(
        polib.POEntry(msgid="{n} file", msgid_plural="{n} files", msgstr_plural={0: "x", 1: ""}),
        polib.POEntry(msgid="Fuzzy but empty", flags=["fuzzy"]),
    )
    assert catalog_stats(po) == CatalogStats(untranslated=2)


def test_stats_by_prefix(merged) -> None:
    po, _ = merged
    by_module = stats_by_prefix(po)
    assert list(by_module) == ["chatting-safely", "old-module", "passwords", "template"]
    assert by_module["template"] == CatalogStats(translated=2)
    assert by_module["chatting-safely"] == CatalogStats(translated=1, fuzzy=3, untranslated=1)
    assert sum(by_module.values(), CatalogStats()) == catalog_stats(po)
    assert "passwords/14-16" in stats_by_prefix(po, depth=2)


# --- new catalogue ------------------------------------------------------------------------


@needs_msgfmt
def test_new_catalog_polish(pot: polib.POFile, tmp_path: Path) -> None:
    po = new_catalog("pl", pot)
    assert po.metadata["Language"] == "pl"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3; plural=")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["X-Review-Status"] == "draft"
    assert po.metadata["POT-Creation-Date"] == "2024-09-15 08:30+0000"
    assert catalog_stats(po) == CatalogStats(untranslated=len(pot))
    [plural] = [e for e in po if e.msgid == "{n} activity"]
    assert plural.msgstr_plural == {0: "", 1: "", 2: ""}
    out = tmp_path / "pl.po"
    write_po_atomically(po, out)
    msgfmt_check(out)


def test_new_catalog_locales(pot: polib.POFile) -> None:
    assert new_catalog("pt-BR", pot).metadata["Language"] == "pt_BR"
    assert new_catalog("ar", pot).metadata["Plural-Forms"].startswith("nplurals=6;")
    with pytest.raises(CatalogError):
        new_catalog("xx-nope", pot)


# --- atomic write -------------------------------------------------------------------------


def test_atomic_write_leaves_original_when_replace_fails(merged, tmp_path, monkeypatch) -> None:
    po, _ = merged
    target = tmp_path / "pl.po"
    shutil.copy(FIXTURES / "pl.po", target)
    original = target.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(pofile_mod.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_po_atomically(po, target)
    assert target.read_bytes() == original
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["pl.po", "pl.po.bak"]  # no temp file; backup equals the original
    assert (tmp_path / "pl.po.bak").read_bytes() == original


def test_atomic_write_leaves_original_when_fsync_fails(merged, tmp_path, monkeypatch) -> None:
    po, _ = merged
    target = tmp_path / "pl.po"
    shutil.copy(FIXTURES / "pl.po", target)
    original = target.read_bytes()

    def broken_fsync(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(pofile_mod.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        write_po_atomically(po, target)
    assert target.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["pl.po"]


def test_atomic_write_success_removes_backup_keeps_mode(merged, tmp_path: Path) -> None:
    po, _ = merged
    target = tmp_path / "pl.po"
    shutil.copy(FIXTURES / "pl.po", target)
    target.chmod(0o664)
    write_po_atomically(po, target)
    assert [p.name for p in tmp_path.iterdir()] == ["pl.po"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert load_po(target).metadata["POT-Creation-Date"] == "2024-09-15 08:30+0000"
    fresh = tmp_path / "new.po"
    write_po_atomically(po, fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert fresh.read_bytes() == target.read_bytes()


# --- properties ---------------------------------------------------------------------------

# Includes what PO escaping must survive: quotes, backslashes, tabs, newlines, non-ASCII.
TEXT = st.text(alphabet=st.sampled_from(list('abc xyzĄęłżŚ"\\\t\n{}-.,')), min_size=1, max_size=40)
CONTEXTS = st.one_of(
    st.none(), st.sampled_from(["template", "m1/11-13/objectives/0", "m1/11-13/title", "m2/x/0"])
)


@st.composite
def old_entries(draw) -> list[polib.POEntry]:
    specs = draw(
        st.lists(st.tuples(CONTEXTS, TEXT), max_size=8, unique_by=lambda t: t), label="keys"
    )
    entries = []
    for ctxt, msgid in specs:
        plural = draw(st.booleans())
        entry = polib.POEntry(msgctxt=ctxt, msgid=msgid, obsolete=draw(st.booleans()))
        if plural:
            entry.msgid_plural = msgid + " (pl)"
            forms = draw(st.lists(st.one_of(st.just(""), TEXT), min_size=3, max_size=3))
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = draw(st.one_of(st.just(""), TEXT))
        if draw(st.booleans()):
            entry.flags.append("fuzzy")
            if draw(st.booleans()):
                entry.previous_msgid = draw(TEXT)
        if draw(st.booleans()):
            entry.tcomment = draw(st.sampled_from(["check this", "", "ask Marta"]))
        entries.append(entry)
    return entries


@st.composite
def edited_template(draw, olds: list[polib.POEntry]) -> list[polib.POEntry]:
    """Random edits of the English: keep, reword, toggle plural, move context, drop, add."""
    tmpl: list[polib.POEntry] = []
    for old in olds:
        edit = draw(st.sampled_from(["keep", "reword", "plural", "ctxt", "drop"]))
        if edit == "drop":
            continue
        entry = polib.POEntry(msgctxt=old.msgctxt, msgid=old.msgid, msgid_plural=old.msgid_plural)
        if edit == "reword":
            entry.msgid = draw(TEXT)
        elif edit == "plural":
            entry.msgid_plural = "" if old.msgid_plural else old.msgid + "s"
        elif edit == "ctxt":
            entry.msgctxt = draw(CONTEXTS)
        tmpl.append(entry)
    tmpl += [
        polib.POEntry(msgctxt=c, msgid=m) for c, m in draw(st.lists(st.tuples(CONTEXTS, TEXT)))
    ]
    unique: dict[tuple, polib.POEntry] = {}
    for entry in draw(st.permutations(tmpl)):
        unique.setdefault((entry.msgctxt, entry.msgid), entry)
    for entry in unique.values():
        entry.msgstr_plural = {0: "", 1: ""} if entry.msgid_plural else {}
    return list(unique.values())


@st.composite
def scenarios(draw) -> tuple[polib.POFile, polib.POFile]:
    olds = draw(old_entries())
    po = catalogue(*olds, plural_forms="nplurals=3; plural=(n==1 ? 0 : n<5 ? 1 : 2);")
    pot = catalogue(*draw(edited_template(olds)))
    return po, pot


def texts(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr, *entry.msgstr_plural.values()]


PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(scenarios())
def test_property_no_translation_lost(scenario) -> None:
    po, pot = scenario
    olds = [(e.msgctxt, t) for e in po for t in texts(e) if t]
    merge_catalog(po, pot)
    for ctxt, text in olds:
        assert any(
            text in texts(e) or (not e.obsolete and f'"{polib.escape(text)}"' in e.tcomment)
            for e in po
            if e.obsolete or e.msgctxt == ctxt
        ), (ctxt, text)


@PROPS
@given(scenarios())
def test_property_never_unfuzzies_and_follows_pot(scenario) -> None:
    po, pot = scenario
    reviewed = {
        (e.msgctxt, e.msgid, e.msgid_plural or "", tuple(texts(e))) for e in po if not e.fuzzy
    }
    merge_catalog(po, pot)
    for e in po:
        if not e.obsolete and not e.fuzzy and any(texts(e)):
            strip = tuple(texts(e))
            assert any(
                r[:3] == (e.msgctxt, e.msgid, e.msgid_plural or "")
                and [t for t in r[3] if t] == [t for t in strip if t]
                for r in reviewed
            )
    assert [(e.msgctxt, e.msgid) for e in po if not e.obsolete] == [
        (e.msgctxt, e.msgid) for e in pot
    ]
    keys = [(e.msgctxt, e.msgid) for e in po]
    assert len(keys) == len(set(keys))


@PROPS
@given(scenarios())
def test_property_idempotent_in_memory_and_on_disk(scenario) -> None:
    po, pot = scenario
    merge_catalog(po, pot)
    once = str(po)
    assert merge_catalog(po, pot) == MergeReport(kept=len(pot))
    assert str(po) == once
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xx.po"
        write_po_atomically(po, path)
        first = path.read_bytes()
        reread = load_po(path)
        merge_catalog(reread, pot)
        write_po_atomically(reread, path)
        assert path.read_bytes() == first


@needs_msgfmt
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(scenarios())
def test_property_output_passes_msgfmt(scenario) -> None:
    """A catalogue msgfmt accepts is still accepted after any merge."""
    po, pot = scenario
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xx.po"
        write_po_atomically(po, path)
        assume(msgfmt_ok(path))  # random input may break e.g. msgfmt's newline rules
        merge_catalog(po, pot)
        write_po_atomically(po, path)
        msgfmt_check(path)
