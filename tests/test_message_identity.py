"""Messages are named by identity: list edits and route reordering keep every translation.

Unit level (content/messages.py keys), merge level (a property test over random list edits),
and end to end through `lessonpack i18n update` on a real project.
"""

from __future__ import annotations

import random
from pathlib import Path

import polib
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st
from test_i18n_workflow import add_edition

from lessonpack.content.messages import item_keys, iter_messages, list_slot, route_prefix, text_key
from lessonpack.content.yamlsafe import load_yaml
from lessonpack.i18n.merge import MergeReport, merge_catalog
from lessonpack.i18n.pofile import load_po, write_po_atomically

REPO = Path(__file__).resolve().parents[1]
PO = "locales/fr/LC_MESSAGES/messages.po"
MODULE = "lessons/01-sample/module.yaml"


# --- keys ----------------------------------------------------------------------------------------

def test_route_texts_are_named_by_route_id() -> None:
    raw = load_yaml(REPO / "routes/MY.yaml")
    contexts = {m.context: m.text for m in iter_messages(raw, route_prefix("MY"))}
    assert contexts["routes/MY/my-talian-kasih/when"].startswith("Call or WhatsApp")
    assert contexts["routes/MY/name"] == "Malaysia"
    legacy = {m.legacy: m.context for m in iter_messages(raw, route_prefix("MY"))}
    assert legacy["routes/MY/routes/1/when"] == "routes/MY/my-talian-kasih/when"


def test_every_shipped_route_has_an_id() -> None:
    for path in sorted((REPO / "routes").glob("*.yaml")):
        for route in load_yaml(path)["routes"]:
            assert route.get("id"), f"{path.name}: a route without id"


def test_keys_survive_insert_delete_and_move() -> None:
    items = ["alpha text", "beta text", "gamma text", "delta text"]
    keys = dict(zip(items, item_keys(items), strict=True))
    for edited in (["new first", *items], items[1:], [items[2], items[0], items[3], items[1]],
                   items[:2] + ["inserted"] + items[2:]):
        for item, key in zip(edited, item_keys(edited), strict=True):
            if item in keys:
                assert key == keys[item]


def test_identical_items_stay_distinct_and_deterministic() -> None:
    keys = item_keys(["same", "other", "same", "same"])
    assert keys == [text_key("same"), text_key("other"), f"{text_key('same')}-2",
                    f"{text_key('same')}-3"]
    assert keys == item_keys(["same", "other", "same", "same"])


def test_records_are_keyed_by_first_text_or_explicit_id() -> None:
    steps = [{"title": "Warm-up", "minutes": 5, "text": "A"},
             {"title": "Talk", "minutes": 5, "text": "B"}]
    assert item_keys(steps) == [text_key("Warm-up"), text_key("Talk")]
    edited = [{"title": "Warm-up", "minutes": 5, "text": "A changed"}, steps[1]]
    assert item_keys(edited)[0] == text_key("Warm-up")  # a changed text keeps the key
    twins = [{"title": "Talk", "text": "A"}, {"title": "Talk", "text": "B"}]
    swapped = [twins[1], twins[0]]
    # Shared titles: keyed by everything, so swapping them swaps their keys too.
    assert item_keys(swapped) == item_keys(twins)[::-1]
    assert len(set(item_keys(twins))) == 2
    assert item_keys([{"id": "kept", "title": "x"}]) == ["kept"]


def test_list_slot_wildcards_derived_keys_only() -> None:
    key = text_key("x")
    assert list_slot(f"m/content/5-7/key_messages/{key}") == "m/content/5-7/key_messages/*"
    assert list_slot(f"m/s/{key}-2/questions/{key}/answer") == "m/s/*/questions/*/answer"
    assert list_slot("routes/MY/my-talian-kasih/when") is None
    assert list_slot("template") is None


# --- merge: a property test over random list edits -----------------------------------------------

WORDS = ["apple", "river", "stone", "cloud", "green", "happy", "table", "window", "garden",
         "silver", "orange", "pencil", "rocket", "forest", "candle", "bridge", "yellow", "mirror"]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10))) + "."


def _catalogue(items: list[str], translations: dict[str, str] | None) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    for message in iter_messages({"list": items}, "m"):
        po.append(polib.POEntry(msgctxt=message.context, msgid=message.text,
                                msgstr="" if translations is None else translations[message.text]))
    return po


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 8),
       st.lists(st.sampled_from(["insert", "delete", "move", "edit", "duplicate"]), max_size=6))
def test_no_fuzzy_entry_ever_carries_another_texts_translation(seed: int, size: int,
                                                               edits: list[str]) -> None:
    rng = random.Random(seed)
    # lineage: the current list as (origin index or None, text); origin names the old item.
    old = [_sentence(rng) for _ in range(size)]
    old_set = set(old)
    translated = {text: f"FR<{text}>" for text in old}
    items: list[tuple[int | None, str]] = list(enumerate(old))
    for edit in edits:
        where = rng.randrange(len(items) + 1)
        if edit == "insert":
            items.insert(where, (None, _sentence(rng)))
        elif edit == "duplicate" and items:
            items.insert(where, items[rng.randrange(len(items))])
        elif edit in ("delete", "move", "edit") and items:
            index = rng.randrange(len(items))
            origin, text = items.pop(index)
            if edit == "move":
                items.insert(rng.randrange(len(items) + 1), (origin, text))
            elif edit == "edit":
                words = text[:-1].split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                items.insert(index, (origin, " ".join(words) + " again."))
    po = _catalogue(old, translated)
    pot = _catalogue([text for _origin, text in items], None)
    merge_catalog(po, pot)
    active = [e for e in po if not e.obsolete]
    assert [e.msgid for e in active] == [text for _origin, text in items]
    origins_of = {text: {o for o, t in items if t == text} for _o, text in items}
    for entry in active:
        if entry.msgid in old_set:
            # Unchanged English keeps its exact translation, never fuzzy.
            assert entry.msgstr == translated[entry.msgid] and not entry.fuzzy
        elif entry.fuzzy:
            # An edited text's suggestion is its own earlier translation.
            assert entry.previous_msgid is not None
            assert entry.msgstr == translated[entry.previous_msgid]
            assert old.index(entry.previous_msgid) in origins_of[entry.msgid]
        else:
            assert entry.msgstr == ""
    # Nothing translated is lost: every old translation is active or obsolete.
    assert {e.msgstr for e in po} >= set(translated.values())


def test_moved_text_keeps_translation_and_edited_text_is_fuzzy() -> None:
    po = _catalogue(["one two three four five.", "six seven eight nine ten."],
                    {"one two three four five.": "UN", "six seven eight nine ten.": "SIX"})
    pot = _catalogue(["new entirely different words here.", "six seven eight nine ten.",
                      "one two three four five six."], None)
    report = merge_catalog(po, pot)
    assert report == MergeReport(kept=1, fuzzied=1, added=1)
    by_id = {e.msgid: e for e in po}
    assert not by_id["six seven eight nine ten."].fuzzy
    edited = by_id["one two three four five six."]
    assert edited.fuzzy and edited.msgstr == "UN"
    assert edited.previous_msgid == "one two three four five."
    assert by_id["new entirely different words here."].msgstr == ""


def test_record_with_changed_title_keeps_its_texts() -> None:
    old = {"steps": [{"title": "Warm up now", "text": "Ask who plays games."},
                     {"title": "Stories", "text": "Read the stories."}]}
    new = {"steps": [{"title": "Stories", "text": "Read the stories."},
                     {"title": "Warm-up now", "text": "Ask who plays games."}]}
    po, pot = polib.POFile(), polib.POFile()
    for m in iter_messages(old, "m"):
        po.append(polib.POEntry(msgctxt=m.context, msgid=m.text, msgstr=f"FR {m.text}"))
    for m in iter_messages(new, "m"):
        pot.append(polib.POEntry(msgctxt=m.context, msgid=m.text))
    report = merge_catalog(po, pot)
    assert report == MergeReport(kept=2, moved=1, fuzzied=1)
    by_id = {e.msgid: e for e in po if not e.obsolete}
    assert by_id["Ask who plays games."].msgstr == "FR Ask who plays games."
    assert not by_id["Ask who plays games."].fuzzy
    assert by_id["Warm-up now"].fuzzy and by_id["Warm-up now"].msgstr == "FR Warm up now"


# --- end to end ----------------------------------------------------------------------------------

def _fr(project: Path) -> Path:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    assert run("i18n", "extract", "--project", project).exit_code == 0
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    path = project / PO
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
    po.save()
    return path


def test_reordering_routes_and_editing_lists_keeps_every_translation(project: Path) -> None:
    path = _fr(project)
    before = {e.msgid: e.msgstr for e in polib.pofile(str(path))}
    routes = project / "routes/GB.yaml"
    text = routes.read_text()
    head, rest = text.split("  - id: gb-999\n")
    first, second = rest.split("  - id: gb-childline\n")
    routes.write_text(f"{head}  - id: gb-childline\n{second.rstrip()}\n  - id: gb-999\n{first}")
    module = project / MODULE
    text = module.read_text()
    text = text.replace("        - At home\n", "", 1)  # delete the first prompt
    text = text.replace("      - title: Sam and the game", "      - title: Sam and his game", 1)
    stop, late = "      - You can always stop a chat.\n", "      - It is never too late to tell.\n"
    # insert one, move one
    text = text.replace(stop + late, "      - A new first message.\n" + late + stop, 1)
    module.write_text(text)
    result = run("i18n", "update", "--project", project)
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(path))
    active = [e for e in po if not e.obsolete]
    assert [(e.msgid, e.msgstr, e.previous_msgid) for e in active if e.fuzzy] == [
        ("Sam and his game", "FR Sam and the game", "Sam and the game")]
    for entry in active:
        if entry.msgid in before:
            assert entry.msgstr == before[entry.msgid] and not entry.fuzzy, entry.msgctxt
        elif entry.msgid != "Sam and his game":
            assert entry.msgid == "A new first message." and entry.msgstr == ""
    gone = [e for e in po if e.obsolete]
    assert [e.msgid for e in gone] == ["At home"]
    when = next(e for e in active if e.msgctxt == "routes/GB/gb-childline/when")
    assert when.msgstr == "FR Talk to someone about anything that worries you."


# --- the one-time re-keying of positional catalogues ---------------------------------------------

def test_update_rekeys_a_positional_catalogue_losing_nothing(project: Path) -> None:
    from lessonpack.content.project import load_project
    from lessonpack.i18n.rekey import legacy_contexts
    from lessonpack.problems import Problems

    path = _fr(project)
    assert run("i18n", "update", "--project", project).exit_code == 0
    identity = path.read_bytes()
    po = load_po(path)
    po.metadata["X-Reviewed-By"] = "kept"
    back = {new: old for old, (new, _text) in
            legacy_contexts(load_project(project, Problems(project))).items()}
    renamed = 0
    for entry in po:  # what a pre-issue-13 catalogue looked like: positional contexts
        if entry.msgctxt in back:
            entry.msgctxt = back[entry.msgctxt]
            renamed += 1
    write_po_atomically(po, path)
    assert renamed > 20 and "routes/GB/routes/1/when" in path.read_text()
    result = run("i18n", "update", "--project", project)
    assert f"{renamed} re-keyed to identity contexts" in result.stderr
    assert "0 need review" in result.stderr and "0 new" in result.stderr
    migrated = load_po(path)
    assert migrated.metadata.pop("X-Reviewed-By") == "kept"
    write_po_atomically(migrated, path)
    assert path.read_bytes() == identity  # every entry back at its place, byte for byte
    before = path.read_bytes()
    assert run("i18n", "update", "--project", project).exit_code == 0
    assert path.read_bytes() == before  # a no-op once re-keyed


def test_wrapped_msgctxt_is_read_whole_for_duplicates(tmp_path: Path) -> None:
    from lessonpack.i18n.pofile import syntax_problems as _po_syntax

    long_a = "spotting-grooming/content/5-7/scenarios/8af1b5ba/questions/6697ab6c/question"
    long_b = long_a.replace("8af1b5ba", "0c1d2e3f")
    entry = 'msgctxt ""\n"{}"\nmsgid "Is this a fun surprise?"\nmsgstr "Oui"\n\n'
    path = tmp_path / "messages.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    + entry.format(long_a) + entry.format(long_b), encoding="utf-8")
    assert _po_syntax(path) == []  # two contexts, GNU-wrapped: no duplicate
    path.write_text(path.read_text() + entry.format(long_b), encoding="utf-8")
    (problem,) = _po_syntax(path)
    assert problem[1] == "i18n.duplicate" and long_b in problem[2]


def test_explicit_id_keeps_a_reworded_steps_translations(project: Path) -> None:
    module = project / MODULE
    module.write_text(module.read_text().replace(
        "      - title: Warm-up\n", "      - id: warm-up\n        title: Warm-up\n", 1))
    path = _fr(project)
    module.write_text(module.read_text().replace("title: Warm-up\n",
                                                 "title: A new warm-up game\n", 1))
    assert run("i18n", "update", "--project", project).exit_code == 0
    po = polib.pofile(str(path))
    text = next(e for e in po if e.msgctxt == "sample/content/8-10/steps/warm-up/text")
    assert text.msgstr == "FR Ask who chats in games." and not text.fuzzy
    title = next(e for e in po if e.msgctxt == "sample/content/8-10/steps/warm-up/title")
    assert title.fuzzy and title.msgstr == "FR Warm-up" and title.previous_msgid == "Warm-up"


def test_duplicate_explicit_id_is_an_error_at_its_line(project: Path) -> None:
    module = project / MODULE
    text = module.read_text().replace("      - title: Warm-up\n",
                                      "      - id: same\n        title: Warm-up\n", 1)
    text = text.replace("      - title: Stories\n", "      - id: same\n        title: Stories\n", 1)
    module.write_text(text)
    line = text.splitlines().index("      - id: same", text.splitlines().index(
        "      - id: same") + 1) + 1
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"{MODULE}:{line}:9: error module.duplicate-id id 'same'" in result.output
