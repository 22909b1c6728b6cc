"""Hostile and broken inputs: every one is a clean, located problem, and nothing escapes.

Content, templates and translations come from many hands (volunteer translators, partner NGOs,
a stranger's pull request). A build must never run their code, read the builder's files, reach
the network or leave a half-written pack behind. Each case pins the exact message; the ones that
build also check that no file outside the project leaked into any output (HTML, PDF text, raw
and decompressed PDF streams, attachments) and that a loopback web server saw no request.
"""

from __future__ import annotations

import contextlib
import hashlib
import html.parser
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import Result
from conftest import REPO, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonpack.content.markup import BLOCK_TAGS, markdown_block, markdown_inline
from lessonpack.content.messages import text_key
from lessonpack.i18n import pofile as pofile_mod
from lessonpack.i18n.pofile import load_po, write_po_atomically
from lessonpack.render.filters import css_string, fill

MODULE = "lessons/01-sample/module.yaml"
SECRET = "LESSONPACK-SECRET-7f3a9c"  # lives only outside the project


# --- helpers -----------------------------------------------------------------------------------

def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(*args: str | Path) -> list[str]:
    """The problem lines of a command that must fail with exit 1 and no traceback."""
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return [line for line in result.stderr.splitlines()
            if re.match(r"^\S+:\d+:\d+: (error|warning) ", line) and not _freshness(line)]


def _freshness(line: str) -> bool:
    """Warnings these hand-made catalogues always get (no POT; few texts translated)."""
    return " warning i18n.pot-stale " in line or " warning i18n.untranslated " in line


def check(root: Path) -> list[str]:
    return problems_of("check", "--project", root)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding files with the secret marker."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (folder / "module.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    (folder / "style.css").write_text(f'body::before {{ content: "{SECRET}" }}\n',
                                      encoding="utf-8")
    return folder


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A real web server on 127.0.0.1 (random port) that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            seen.append(self.path)
            body = f'body::after {{ content: "{SECRET}" }}'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _pdf_streams(data: bytes) -> Iterator[bytes]:
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        raw = match.group(1)
        yield raw
        with contextlib.suppress(zlib.error):
            yield zlib.decompress(raw)


def assert_nothing_escaped(out: Path) -> None:
    """No output contains the marker: HTML, PDF text, raw and inflated PDF streams; no PDF
    carries an attachment."""
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                  check=True).stdout
            assert SECRET.encode() not in text, path
            assert all(SECRET.encode() not in chunk for chunk in _pdf_streams(data)), path
            listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True,
                                     text=True, check=True).stdout
            assert listing.strip() in ("", "0 embedded files"), listing


def manifest_rows(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def assert_manifest_true(out: Path) -> list[dict]:
    """Every manifest row names a real output whose sha256 and size match the file."""
    rows = manifest_rows(out)
    for row in rows:
        assert not row["path"].endswith(".tmp")
        data = (out / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["path"]
        assert len(data) == row["bytes"], row["path"]
    return rows


def add_catalogue(root: Path, entries: dict[tuple[str, str], str], raw: str = "") -> Path:
    """A Polish edition (pl-GB) with a catalogue holding ``entries`` (+ ``raw`` PO text)."""
    edit(root, "curriculum.yaml", "  - {id: en-US, locale: en_US, country: US}",
         "  - {id: en-US, locale: en_US, country: US}\n  - {id: pl-GB, locale: pl, country: GB}")
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "pl",
                   "X-Review-Status": "reviewed"}
    for (context, msgid), msgstr in entries.items():
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    path = root / "locales/pl/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(str(po) + raw, encoding="utf-8")
    return path


def build_html(root: Path, *extra: str) -> tuple[int, list[str], str]:
    result = run("build", "--project", root, "--format", "html", "--band", "8-10", *extra)
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = [line for line in result.stderr.splitlines()
             if re.match(r"^\S+:\d+:\d+: (error|warning) ", line) and not _freshness(line)]
    return result.exit_code, lines, result.output


def add_to_template(root: Path, rel: str, snippet: str) -> int:
    """Insert ``snippet`` on a new line inside ``{% block main %}``; its line number."""
    path = root / "templates" / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "{% block main %}" in line) + 1
    lines.insert(at, snippet + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


# --- YAML: loader limits -----------------------------------------------------------------------

def test_billion_laughs_fails_fast(project: Path) -> None:
    laughs = "".join(["a0: &a0 [lol, lol, lol]\n"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)])
    (project / MODULE).write_text(laughs, encoding="utf-8")
    started = time.perf_counter()
    assert check(project) == [
        f"{MODULE}:7:35: error yaml.aliases more than 50 aliases (*name) — write the values "
        "out; lesson files need no aliases"]
    assert time.perf_counter() - started < 10


def test_deeply_nested_yaml_is_refused_before_it_can_crash_the_parser(project: Path) -> None:
    # 200,000 nested "[" fit in 400 KB and used to crash libyaml's composer (segfault).
    (project / MODULE).write_text("id: " + "[" * 200_000 + "]" * 200_000 + "\n",
                                  encoding="utf-8")
    assert check(project) == [
        f"{MODULE}:1:44: error yaml.depth nesting deeper than 40 levels — flatten the structure"]


def test_huge_file_is_refused_by_size(project: Path) -> None:
    (project / MODULE).write_text("# padding\n" * 60_000, encoding="utf-8")
    assert check(project) == [
        f"{MODULE}:1:1: error yaml.size file is 600,000 bytes; the limit is 524,288 — split "
        "the content into smaller files"]


def test_duplicate_key_in_curriculum(project: Path) -> None:
    edit(project, "curriculum.yaml", "title: Mini Pack\n", "title: Mini Pack\ntitle: Other\n")
    assert check(project) == [
        "curriculum.yaml:2:1: error yaml.duplicate-key duplicate key 'title' (first at line 1) "
        "— keep one of them"]


def test_utf16_file(project: Path) -> None:
    path = project / MODULE
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert check(project) == [
        f"{MODULE}:1:1: error yaml.encoding file is UTF-16 — save it as UTF-8"]


def test_latin1_byte_reported_at_its_line_and_column(project: Path) -> None:
    path = project / MODULE
    path.write_bytes(path.read_bytes().replace(b"Sample module", b"Sample caf\xe9"))
    assert check(project) == [
        f"{MODULE}:3:18: error yaml.encoding not valid UTF-8 (byte 0xe9) — save the file as "
        "UTF-8"]


def test_utf8_bom_is_accepted(project: Path) -> None:
    path = project / MODULE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run("check", "--project", project)
    assert result.exit_code == 0, result.output


def test_tab_in_curriculum_reported_at_its_line(project: Path) -> None:
    edit(project, "curriculum.yaml", "    label: Ages 8-10", "\tlabel: Ages 8-10")
    assert check(project) == [
        "curriculum.yaml:4:1: error yaml.tab tab used for indentation — indent with spaces"]


def test_python_tag_is_refused_not_run(project: Path, tmp_path: Path) -> None:
    flag = tmp_path / "ran"
    edit(project, MODULE, "summary: A small module used by the tests.",
         f"summary: !!python/object/apply:os.system ['touch {flag}']")
    assert check(project) == [
        f"{MODULE}:4:10: error yaml.tag tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed — remove the !tag: only plain YAML values are allowed"]
    assert not flag.exists()


def test_check_json_lists_hostile_problems_for_machines(project: Path) -> None:
    (project / MODULE).write_text("id: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    result = run("check", "--project", project, "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert (problem["path"], problem["line"], problem["col"], problem["code"]) == (
        MODULE, 1, 44, "yaml.depth")


# --- content shape, ids and paths --------------------------------------------------------------

def test_empty_module(project: Path) -> None:
    (project / MODULE).write_text("", encoding="utf-8")
    assert check(project) == [
        f"{MODULE}:1:1: error schema.empty file is empty — see docs/content-model.md for what "
        "it must contain"]


def test_module_folder_without_module_yaml(project: Path) -> None:
    (project / "lessons/02-empty").mkdir()
    assert check(project) == [
        "lessons/02-empty:1:1: error module.missing-file module folder has no module.yaml "
        "— add module.yaml or remove the folder"]


def test_module_id_with_path_characters(project: Path) -> None:
    edit(project, MODULE, "id: sample", "id: ../../etc")
    lines = check(project)
    assert lines[0] == (f"{MODULE}:1:5: error schema.format 'id' has an invalid value "
                        "'../../etc' — it must match ^[a-z0-9][a-z0-9-]{0,62}$")


def test_edition_id_with_path_characters(project: Path) -> None:
    edit(project, "curriculum.yaml", "{id: en-US,", "{id: ../../tmp,")
    assert check(project) == [
        "curriculum.yaml:13:10: error schema.format 'editions.1.id' has an invalid value "
        "'../../tmp' — it must match ^[a-z]{2,3}-[A-Z]{2}$"]


def test_unknown_locale_in_an_edition(project: Path) -> None:
    edit(project, "curriculum.yaml", "{id: en-US, locale: en_US,", "{id: en-US, locale: en_XX,")
    assert check(project) == [
        "curriculum.yaml:13:5: error edition.locale edition 'en-US' uses locale 'en_XX', which "
        "Babel/CLDR does not know (no dates, plurals or direction for it) — use a CLDR locale "
        "such as 'fil', 'ms' or 'en_GB'"]


def test_symlinked_module_folder_outside_is_refused_unread(project: Path, outside: Path) -> None:
    (project / "lessons/02-evil").symlink_to(outside, target_is_directory=True)
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert SECRET not in result.output
    assert check(project) == [
        "lessons/02-evil:1:1: error path.outside lessons/02-evil is a link to a place outside "
        "the project — copy what it needs into the project; lessonpack reads nothing outside it"]


def test_symlinked_module_yaml_outside_is_refused_unread(project: Path, outside: Path) -> None:
    (project / "lessons/02-evil").mkdir()
    (project / "lessons/02-evil/module.yaml").symlink_to(outside / "module.yaml")
    result = run("check", "--project", project, "--format", "json")
    assert SECRET not in result.output
    assert [(p["path"], p["code"]) for p in json.loads(result.stdout)["problems"]] == [
        ("lessons/02-evil/module.yaml", "path.outside")]


def test_symlinked_template_and_asset_outside_stop_the_build(project: Path,
                                                             outside: Path) -> None:
    (project / "templates/partials/evil.html").symlink_to(outside / "secret.txt")
    (project / "assets").mkdir()
    (project / "assets/logo.png").symlink_to(outside / "secret.txt")
    lines = problems_of("build", "--project", project, "--format", "html")
    assert lines == [
        "assets/logo.png:1:1: error path.outside assets/logo.png is a link to a place outside "
        "the project — copy what it needs into the project; lessonpack reads nothing outside it",
        "templates/partials/evil.html:1:1: error path.outside templates/partials/evil.html is a "
        "link to a place outside the project — copy what it needs into the project; lessonpack "
        "reads nothing outside it"]
    assert not (project / "site").exists()


def test_template_loader_refuses_a_link_out_even_unchecked(project: Path,
                                                          outside: Path) -> None:
    from lessonpack.checks import check_project
    from lessonpack.render.documents import Job, Renderer, RenderError

    (project / "templates/partials/evil.html").symlink_to(outside / "secret.txt")
    add_to_template(project, "handout.html", '{% include "partials/evil.html" %}')
    checked = check_project(project)  # reports path.outside; render it regardless
    renderer = Renderer(checked.project)
    with pytest.raises(RenderError) as caught:
        renderer.render(Job("en-GB", "8-10", "sample", "handout"),
                        checked.translators["en_GB"], draft_percent=100)
    assert (caught.value.path, caught.value.line, caught.value.message) == (
        "templates/handout.html", 4,
        "template 'partials/evil.html' is a link to a file outside templates/")


def test_output_folder_with_a_link_out_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "en-GB").symlink_to(elsewhere, target_is_directory=True)
    lines = problems_of("build", "--project", project, "--out", out, "--format", "html",
                        "--edition", "en-GB", "--band", "8-10", "--doc", "handout")
    assert lines == [
        f"{out}/en-GB/8-10/sample/handout.html:1:1: error output.path "
        "en-GB/8-10/sample/handout.html: the output folder has a link leading out of it "
        f"— remove the link inside {out}"]
    assert list(elsewhere.iterdir()) == []


# --- templates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("snippet", "message"), [
    ("{{ ''.__class__.__mro__ }}",
     "en-GB/8-10/sample/handout: access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ cycler.__init__.__globals__ }}",
     "en-GB/8-10/sample/handout: access to attribute '__init__' of 'type' object is unsafe."),
    ('{% include "../../etc/passwd" %}',
     "en-GB/8-10/sample/handout: template '../../etc/passwd' not found in templates/"),
    ("{% if %}", "en-GB/8-10/sample/handout: Expected an expression, got 'end of statement "
     "block'"),
    ("{{ 1 / 0 }}", "en-GB/8-10/sample/handout: ZeroDivisionError: division by zero"),
    ("{{ 10 ** 100000000 }}",
     "en-GB/8-10/sample/handout: exponent 100000000 is too large (the limit is 64)"),
    ("{{ 'x' * 100000 * 100 }}",
     "en-GB/8-10/sample/handout: repeating a value 100 times makes it too long"),
    ("{{ content.__class__ }}",
     "en-GB/8-10/sample/handout: access to attribute '__class__' of 'BandContent' object is "
     "unsafe."),
])
def test_hostile_template_is_a_located_error(project: Path, snippet: str, message: str) -> None:
    line = add_to_template(project, "handout.html", snippet)
    code, lines, _ = build_html(project, "--edition", "en-GB", "--doc", "handout")
    assert code == 1
    assert lines == [f"templates/handout.html:{line}:1: error template.error {message} — fix "
                     "the template"]


def test_failed_document_keeps_the_older_output(project: Path) -> None:
    code, _, output = build_html(project, "--edition", "en-GB")
    assert code == 0, output
    out = project / "site"
    handout = out / "en-GB/8-10/sample/handout.html"
    before = handout.read_bytes()
    add_to_template(project, "handout.html", "{{ 1 / 0 }}")
    edit(project, "templates/base.html", "<main>", "<main data-v=2>")  # every doc is stale
    code, lines, _ = build_html(project, "--edition", "en-GB")
    assert code == 1 and len(lines) == 1
    assert handout.read_bytes() == before
    rows = {row["path"]: row for row in assert_manifest_true(out)}
    assert "en-GB/8-10/sample/handout.html" in rows
    assert b"data-v=2" in (out / "en-GB/8-10/sample/teacher-guide.html").read_bytes()


def test_author_title_cannot_break_out_of_the_style_element(project: Path) -> None:
    edit(project, MODULE, "    title: Kind chats",
         "    title: 'Kind </style><script>alert(1)</script> \"chats\"'")
    code, _, output = build_html(project, "--edition", "en-GB", "--doc", "handout")
    assert code == 0, output
    page = (project / "site/en-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert page.count("</style>") == 2  # the shared sheet's and the document's rules' only
    assert r'content: "Kind \3c /style\3e \3c script\3e alert(1)\3c /script\3e  \22 chats\22 ' \
        in page


# --- translations ------------------------------------------------------------------------------

KEY_MESSAGE = (f"sample/content/8-10/key_messages/{text_key('You can always stop a chat.')}",
               "You can always stop a chat.")
STORY = (f"sample/content/8-10/scenarios/{text_key('Sam and the game')}/story",
         "Sam plays a game. A player asks where he lives. Sam feels odd.")


@pytest.mark.parametrize(("key", "msgstr", "message"), [
    (KEY_MESSAGE, "Zawsze <script>alert(1)</script> możesz",
     "translation of 'You can always stop a chat.' contains HTML '<script>'"),
    (KEY_MESSAGE, "Zobacz <img src=/etc/passwd>",
     "translation of 'You can always stop a chat.' contains HTML '<img src=/etc/passwd>'"),
    (KEY_MESSAGE, '<a onclick="steal()">kliknij</a>',
     "translation of 'You can always stop a chat.' contains HTML '<a onclick=\"steal()\">'"),
    (STORY, "Sam gra. [Kliknij](javascript:alert(1)) **teraz**.",
     "translation of 'Sam plays a game. A player asks where h…' changes the Markdown structure "
     "(strong 0→1)"),
])
def test_translation_injecting_markup_is_refused(project: Path, key: tuple[str, str],
                                                 msgstr: str, message: str) -> None:
    po = add_catalogue(project, {key: msgstr})
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(
        f"locales/pl/LC_MESSAGES/messages.po:{_entry_line(po, key)}:1: error i18n.markup "
        f"{message} — ")
    code, _, output = build_html(project, "--edition", "pl-GB")
    assert code == 0, output  # contained: the English is printed instead
    page = (project / "site/pl-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert "<script" not in page and "onclick" not in page and "javascript:" not in page
    assert "/etc/passwd" not in page
    assert key[1] in page or "Sam plays a game." in page


def test_javascript_link_that_keeps_the_shape_is_printed_as_text(project: Path) -> None:
    add_catalogue(project, {KEY_MESSAGE: "Kliknij [tu](javascript:alert(1))"})
    code, _, output = build_html(project, "--edition", "pl-GB", "--doc", "handout")
    assert code == 0, output
    page = (project / "site/pl-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert "Kliknij [tu](javascript:alert(1))" in page
    assert 'href="javascript' not in page.lower()


def test_translation_is_not_a_format_string(project: Path) -> None:
    # {percent} matches the English placeholder; the rest must stay text, not be evaluated.
    add_catalogue(project, {
        ("template", "{percent}% translated"): "{percent}% {percent.real} {percent!r} { {x",
        KEY_MESSAGE: "Zawsze możesz przerwać czat."})
    code, _, output = build_html(project, "--edition", "pl-GB", "--doc", "handout")
    assert code == 0, output
    page = (project / "site/pl-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert "% {percent.real} {percent!r} { {x." in page


def _entry_line(po: Path, key: tuple[str, str]) -> int:
    """The line of the entry's msgctxt (where problems point)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgctxt "{key[0]}"') + 1


PO_HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
             '"Language: pl\\n"\n\n')


@pytest.mark.parametrize(("body", "expected"), [
    ('msgctxt "template"\nmsgid "Remember"\nmsgstr "Pamiętaj\n',
     ':8:1: error i18n.syntax string has no closing quote — end the line with " (write \\" '
     "for a quote inside the text); open it in Poedit or run `msgfmt --check`; English is "
     "printed meanwhile"),
    ('msgctxt "template"\nmsgid "Story"\nmsgstr "A"\n\n'
     'msgctxt "template"\nmsgid "Story"\nmsgstr "B"\n',
     ":10:1: error i18n.duplicate message 'Story' (context 'template') is translated twice; "
     "the first is at line 6 — keep one of them (msgfmt refuses the file)"),
    ('msgctxt "template"\nmsgid "Story"\nmsgstr "A"\n<<<<<<< HEAD\n',
     ":9:1: error i18n.syntax not a PO line: '<<<<<<< HEAD' — expected msgctxt, msgid, "
     "msgstr or a quoted string; open it in Poedit or run `msgfmt --check`; English is "
     "printed meanwhile"),
])
def test_malformed_catalogue(project: Path, body: str, expected: str) -> None:
    add_catalogue(project, {})
    path = project / "locales/pl/LC_MESSAGES/messages.po"
    path.write_text(PO_HEADER + body, encoding="utf-8")
    assert check(project) == ["locales/pl/LC_MESSAGES/messages.po" + expected]


def test_catalogue_in_the_wrong_encoding(project: Path) -> None:
    add_catalogue(project, {})
    path = project / "locales/pl/LC_MESSAGES/messages.po"
    path.write_bytes((PO_HEADER + 'msgctxt "template"\nmsgid "Story"\nmsgstr "Opowie\xb6\xe6"\n')
                     .encode("latin-1"))
    assert check(project) == [
        "locales/pl/LC_MESSAGES/messages.po:8:1: error i18n.encoding not valid UTF-8 (byte "
        "0xb6) — save the file as UTF-8, the charset its header declares; English is printed "
        "meanwhile"]


def test_failed_po_write_leaves_the_original(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "messages.po"
    target.write_text(PO_HEADER + 'msgid "Story"\nmsgstr "Historia"\n', encoding="utf-8")
    original = target.read_bytes()
    po = load_po(target)
    po[0].msgstr = "Opowieść"

    def unreadable(path: Path) -> polib.POFile:
        raise OSError("read-back failed")

    monkeypatch.setattr(pofile_mod, "load_po", unreadable)
    with pytest.raises(OSError, match="read-back failed"):
        write_po_atomically(po, target)
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messages.po"]


# --- PDF: the fetcher --------------------------------------------------------------------------

def test_pdf_fetches_nothing_outside_the_project(project: Path, outside: Path,
                                                 loopback: tuple[str, list[str]]) -> None:
    server, seen = loopback
    secret = outside / "secret.txt"
    hostile = [
        f'<img src="{secret}" alt="">',
        '<link rel="stylesheet" href="file:///etc/hostname">',
        f'<img src="{server}/pixel.png" alt="">',
        f'<link rel="attachment" href="file://{secret}">',
        f'<style>@import url("{server}/import.css");</style>',
        '<img src="../../outside/secret.txt" alt="">',
        f'<object data="{outside / "style.css"}"></object>',
        '<p style="font-family: \'No Such Font Anywhere\'">Missing font still prints.</p>',
    ]
    first = add_to_template(project, "handout.html", "\n".join(hostile))
    assert first == 4
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "handout", "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = sorted(line for line in result.stderr.splitlines() if " error " in line)
    hint = ("use data: URLs or files in templates/ or assets/; lessonpack fetches nothing "
            "else")
    doc = "en-GB/8-10/sample/handout.pdf"
    expected = [
        # the <img>, the attachment and the "../../" path are one URL: named once, first place
        (4, 11, f"file://{secret}"),
        (5, 30, "file:///etc/hostname"),
        (6, 11, f"{server}/pixel.png"),
        (8, 21, f"{server}/import.css"),
        (10, 15, f"file://{outside / 'style.css'}"),
    ]
    assert errors == sorted(
        f"templates/handout.html:{line}:{col}: error pdf.refused {doc}: refused to fetch "
        f"{url} — {hint}" for line, col, url in expected)
    assert seen == []
    assert not (project / "site" / doc).exists()  # a refused reference fails the document
    assert_nothing_escaped(project / "site")


def test_missing_font_falls_back_to_an_installed_one(project: Path) -> None:
    # Decision: an unknown font-family is the machine's concern, not the content's: WeasyPrint
    # falls back through fontconfig and the PDF still has every word (check --glyphs is where
    # coverage is judged).
    edit(project, "templates/css/10-base.css", "", "body { font-family: 'No Such Font'; }\n")
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "handout", "--format", "pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = project / "site/en-GB/8-10/sample/handout.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "You can always stop a chat." in text


# --- atomic output -----------------------------------------------------------------------------

def test_sigkill_mid_build_leaves_a_true_manifest(built_mini: Path, tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(built_mini, root, symlinks=True)
    out = root / "site"
    assert_manifest_true(out)
    before = {row["path"]: row["sha256"] for row in manifest_rows(out)}
    # every en-GB document is stale (a template changed); en-US is not part of this build
    edit(root, "templates/base.html", "<main>", "<main data-v=2>")
    pdfs = sorted(out.glob("en-GB/*/*/*.pdf"))
    inodes = {p: p.stat().st_ino for p in pdfs}
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "lessonpack", "build", "--project", str(root),
                             "--edition", "en-GB", "--jobs", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if any(p.stat().st_ino != inodes[p] for p in pdfs):
                break  # the first PDF has been replaced
            time.sleep(0.02)
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    rows = assert_manifest_true(out)
    # rows outside the build are untouched and still listed
    assert {r["path"]: r["sha256"] for r in rows if r["path"].startswith("en-US/")} == {
        p: h for p, h in before.items() if p.startswith("en-US/")}
    # a leftover temporary file is never an output and is gone after the next build
    stray = out / "en-GB/8-10/sample/.handout.pdf.abcd1234.tmp"
    stray.write_bytes(b"%PDF-half")
    assert not any(r["path"].endswith(".tmp") for r in manifest_rows(out))
    result = run("build", "--project", root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert not list(out.rglob("*.tmp"))
    rows = assert_manifest_true(out)
    assert set(before) <= {r["path"] for r in rows}
    assert b"data-v=2" in (out / "en-GB/8-10/sample/handout.html").read_bytes()


# --- the sanitiser, property-based --------------------------------------------------------------

class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


_HOSTILE_PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>a</a>",
    '<a onclick="x()" href="https://ok.example">ok</a>', "<style>*{}</style>",
    '<p style="color:red">p</p>', "<iframe src=//e.example>", "<object data=x>",
    '<link rel=stylesheet href="http://e.example/x.css">', '<meta http-equiv="refresh">',
    "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](java\tscript:x)",
    "[a](/etc/passwd)", "[a](//evil.example/x)", "[a](data:text/html,x)", "![i](/etc/passwd)",
    "[ok](https://ok.example)", "[m](mailto:a@b.example)", "[t](tel:911)", "<https://x.example>",
    "**b**", "*e*", "`c`", "\n\n- item\n", "\n> quote\n", "&#106;avascript:", "\"", "'", "<", ">",
    "&", "=", "on", "href", "src", "\n", " ",
])
_MARKDOWN = st.lists(st.one_of(_HOSTILE_PIECES, st.text(max_size=12)), max_size=12).map("".join)


def _assert_safe(output: str) -> None:
    parser = _Tags()
    parser.feed(output)
    for tag, attrs in parser.tags:
        assert tag in BLOCK_TAGS, tag
        for name, value in attrs:
            assert name in ("href", "rel"), (tag, name)
            if name == "href":
                assert value and re.match(r"^(https?|mailto|tel):", value, re.IGNORECASE), value
    # text is escaped (&lt;), so every literal "<" opens a real tag
    lowered = output.lower()
    assert "<script" not in lowered and "<style" not in lowered and "<iframe" not in lowered
    assert not re.search(r"<[^>]*\s(on\w+|style|src)\s*=", lowered)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWN)
def test_property_sanitised_markdown_has_only_safe_tags_and_links(text: str) -> None:
    _assert_safe(markdown_block(text))
    _assert_safe(markdown_inline(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_property_css_string_never_ends_the_string_or_the_style(text: str) -> None:
    literal = str(css_string(text))
    inner = literal[1:-1]
    assert literal[0] == literal[-1] == '"'
    assert not re.search(r'[<>&"\x00-\x1f]', inner)
    assert not re.search(r"(?<!\\)(\\\\)*\\$", inner)  # never ends on a lone backslash


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_property_fill_never_evaluates_a_translation(text: str) -> None:
    values = {"percent": 7, "url": "https://example.org"}
    filled = fill(text, values)
    assert "<class" not in filled or "<class" in text
    assert fill("{percent}% {url}", values) == "7% https://example.org"


# --- round two (issue 21): characters, values, files --------------------------------------------

def test_nul_byte_in_a_module_is_an_error_at_its_place(project: Path) -> None:
    path = project / MODULE
    path.write_bytes(path.read_bytes().replace(b"summary: A small", b"summary: A \x00small"))
    assert check(project) == [
        f"{MODULE}:4:12: error text.control control character U+0000 NULL — delete it: it "
        "prints nothing, and a terminal or browser may act on it"]


def test_terminal_escape_in_a_module_is_named_never_echoed(project: Path) -> None:
    edit(project, MODULE, "title: Sample module", "title: Sample \x1b]0;pwned\x07\x1b[2J module")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert check(project) == [
        f"{MODULE}:3:15: error text.control control character U+001B ESCAPE — delete it: it "
        "prints nothing, and a terminal or browser may act on it"]


def test_escaped_bidi_override_in_yaml_is_refused(project: Path) -> None:
    edit(project, MODULE, "    title: Kind chats", '    title: "Kind \\u202eschat"')
    assert check(project) == [
        f"{MODULE}:8:12: error text.invisible invisible character U+202E RIGHT-TO-LEFT "
        "OVERRIDE (character 6 of the text) — delete it: it hides or reorders what the reader "
        "sees"]


def test_zero_width_space_in_a_phone_number(project: Path) -> None:
    edit(project, "routes/GB.yaml", 'phone: "0800 1111"', 'phone: "0800\u200b 1111"')
    assert check(project) == [
        "routes/GB.yaml:16:17: error text.invisible invisible character U+200B ZERO WIDTH SPACE "
        "— delete it: it hides or reorders what the reader sees"]


def test_joiner_allowed_in_text_is_refused_in_a_phone_number(project: Path) -> None:
    edit(project, "routes/GB.yaml", 'phone: "0800 1111"', 'phone: "0800\u200d1111"')
    assert check(project) == [
        "routes/GB.yaml:16:17: error text.invisible 'phone' holds an invisible character "
        "U+200D ZERO WIDTH JOINER — delete it: it hides or reorders what the reader sees; "
        "type the phone again from its source"]


def test_look_alike_letter_in_a_route_url_is_named(project: Path) -> None:
    edit(project, "routes/GB.yaml", 'phone: "0800 1111"',
         'phone: "0800 1111"\n    url: https://www.childl\u0456ne.org.uk/')
    assert check(project) == [
        "routes/GB.yaml:17:28: error routes.host host name 'www.childlіne.org.uk' mixes "
        "CYRILLIC and LATIN letters: U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I "
        "looks like a Latin letter — type the address again from its source; a look-alike "
        "letter leads to a different site that anyone can register"]


def test_http_route_url_is_refused(project: Path) -> None:
    edit(project, "routes/GB.yaml", 'phone: "0800 1111"',
         'phone: "0800 1111"\n    url: http://www.childline.org.uk/')
    assert check(project) == [
        "routes/GB.yaml:17:10: error routes.url 'url' 'http://www.childline.org.uk/' is not an "
        "https:// address — use the site's https:// address (check that it opens); a printed "
        "link and its QR code must not be open to tampering"]


def test_checked_date_in_the_future_is_an_error(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("LESSONPACK_TODAY", "2026-12-01")
    edit(project, "routes/GB.yaml", "checked: 2026-11-01", "checked: 2027-01-01")
    assert check(project) == [
        "routes/GB.yaml:11:14: error routes.future route 'gb-999' says it was checked "
        "2027-01-01, after the build date 2026-12-01 — write the day you checked it against "
        "its source"]


def test_impossible_date_is_an_error_not_a_crash(project: Path) -> None:
    edit(project, "routes/GB.yaml", "checked: 2026-11-01", "checked: 2026-02-30")
    assert check(project) == [
        "routes/GB.yaml:11:14: error yaml.date '2026-02-30' is not a real date: day is out of "
        "range for month — write a real date as YYYY-MM-DD"]


def test_binary_title_is_refused_not_dropped(project: Path) -> None:
    edit(project, MODULE, "    title: Kind chats", "    title: !!binary S2luZCBjaGF0cw==")
    assert check(project) == [
        f"{MODULE}:8:12: error yaml.tag tag 'tag:yaml.org,2002:binary' is not allowed — "
        "remove the !tag: only plain YAML values are allowed"]


def test_non_text_key_is_reported_at_its_own_line(project: Path) -> None:
    edit(project, "curriculum.yaml", "    label: Ages 8-10", "    label: Ages 8-10\n    NO: x")
    assert check(project) == [
        "curriculum.yaml:5:5: error yaml.key key 'NO' is not text (YAML reads it as bool) — "
        "quote it: 'NO':"]


def test_huge_number_is_refused_before_conversion(project: Path) -> None:
    edit(project, MODULE, "order: 1", "order: " + "9" * 150)
    assert check(project) == [
        f"{MODULE}:2:8: error yaml.number a number with 150 digits (the limit is 18) — write "
        "a smaller number, or quote it if it is text"]


def test_5000_digit_number_and_3000_character_url_blame_the_source(project: Path) -> None:
    edit(project, MODULE, "order: 1", "order: " + "9" * 5000)
    edit(project, "routes/GB.yaml", "source: https://example.org/childline",
         "source: https://example.org/" + "a" * 3000)
    assert check(project) == [
        f"{MODULE}:2:8: error yaml.number a number with 5,000 digits (the limit is 18) — write "
        "a smaller number, or quote it if it is text",
        "routes/GB.yaml:19:13: error text.long-word a word of 3,020 characters without a space "
        "(the limit is 200) — break it up with spaces; a word this long cannot be laid out on "
        "a page"]


def test_ten_thousand_letter_word_is_refused_before_layout(project: Path) -> None:
    edit(project, MODULE, "      Keep the tone calm.", "      Keep the " + "calm" * 2500 + ".")
    started = time.perf_counter()
    lines = problems_of("build", "--project", project, "--format", "pdf", "--edition", "en-GB",
                        "--band", "8-10", "--doc", "teacher-guide", "--jobs", "1")
    assert lines == [
        f"{MODULE}:22:16: error text.long-word a word of 10,001 characters without a space "
        "(the limit is 200) — break it up with spaces; a word this long cannot be laid out on "
        "a page"]
    assert time.perf_counter() - started < 60


def _check_in_subprocess(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command in its own process: a hang fails the test instead of stalling it."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "lessonpack", *args, "--project", str(root)],
                          env=env, capture_output=True, text=True, timeout=120)


def test_fifo_instead_of_routes_or_css_is_an_error_not_a_hang(project: Path) -> None:
    os.mkfifo(project / "routes/FR.yaml")
    os.mkfifo(project / "templates/css/30-extra.css")
    done = _check_in_subprocess(project, "build", "--format", "html")
    assert done.returncode == 1, done.stderr
    hint = "replace it with a regular file; lessonpack never reads from pipes or devices"
    assert done.stderr.splitlines()[:2] == [
        f"routes/FR.yaml:1:1: error path.special routes/FR.yaml is a named pipe (FIFO), not a "
        f"regular file — {hint}",
        "templates/css/30-extra.css:1:1: error path.special templates/css/30-extra.css is a "
        f"named pipe (FIFO), not a regular file — {hint}"]
    assert not (project / "site").exists()


def test_fifo_catalogue_is_an_error_not_a_hang(project: Path) -> None:
    (project / "locales/pl/LC_MESSAGES").mkdir(parents=True)
    os.mkfifo(project / "locales/pl/LC_MESSAGES/messages.po")
    done = _check_in_subprocess(project, "check")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0] == (
        "locales/pl/LC_MESSAGES/messages.po:1:1: error path.special locales/pl/LC_MESSAGES/"
        "messages.po is a named pipe (FIFO), not a regular file — replace it with a regular "
        "file; lessonpack never reads from pipes or devices")


def test_symlink_loops_in_lessons_and_templates(project: Path) -> None:
    (project / "lessons/02-loop").symlink_to("02-loop")
    (project / "templates/partials/a.html").symlink_to("b.html")
    (project / "templates/partials/b.html").symlink_to("a.html")
    hint = "remove the link or point it at a real file in the project"
    assert check(project) == [
        f"lessons/02-loop:1:1: error path.loop lessons/02-loop is a link that leads back to "
        f"itself (a loop) — {hint}",
        f"templates/partials/a.html:1:1: error path.loop templates/partials/a.html is a link "
        f"that leads back to itself (a loop) — {hint}",
        f"templates/partials/b.html:1:1: error path.loop templates/partials/b.html is a link "
        f"that leads back to itself (a loop) — {hint}"]


def test_control_character_in_a_template_never_reaches_the_html(project: Path) -> None:
    add_to_template(project, "handout.html", "<p>bell\x07 nul\x00 esc\x1b[31m</p>")
    code, _, output = build_html(project, "--edition", "en-GB", "--doc", "handout")
    assert code == 0, output
    page = (project / "site/en-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert not re.search("[\x00\x07\x1b]", page)
    assert "bell\ufffd nul\ufffd esc\ufffd[31m" in page


# --- round two: catalogues --------------------------------------------------------------------

PO = "locales/pl/LC_MESSAGES/messages.po"


def _update(root: Path) -> Result:
    result = run("i18n", "update", "--project", root)
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def test_update_refuses_a_string_without_its_closing_quote(project: Path) -> None:
    path = add_catalogue(project, {("template", "Remember"): "Pamiętaj"})
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "Pamiętaj"',
                                                             'msgstr "Pamiętaj'),
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('msgstr "Pamiętaj') + 1
    before = path.read_bytes()
    result = _update(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"{PO}:{line}:1: error i18n.syntax string has no closing quote — end the line with \" "
        "(write \\\" for a quote inside the text); open it in Poedit or run `msgfmt --check`",
        f"Not updated: {PO} (left as it was); fix the above and run `lessonpack i18n update` "
        "again."]
    assert path.read_bytes() == before  # the last letter is not lost
    assert any("i18n.syntax" in problem for problem in check(project))  # still reported


def test_charset_header_that_lies_about_utf8(project: Path) -> None:
    path = add_catalogue(project, {KEY_MESSAGE: "คุณหยุดแชทได้เสมอ"})
    path.write_text(path.read_text(encoding="utf-8").replace("charset=UTF-8",
                                                             "charset=ISO-8859-1"),
                    encoding="utf-8")
    before = path.read_bytes()
    line = next(n for n, text in enumerate(before.decode().splitlines(), 1) if "charset=" in text)
    expected = (f"{PO}:{line}:1: error i18n.charset the header declares charset=ISO-8859-1, "
                "but the file is UTF-8 — set charset=UTF-8 in the Content-Type header (the text "
                "itself is right)")
    assert check(project) == [f"{expected}; English is printed meanwhile"]
    result = _update(project)
    assert result.exit_code == 1 and expected in result.stderr.splitlines()
    assert path.read_bytes() == before


def test_obsolete_duplicate_of_an_active_entry(project: Path) -> None:
    path = add_catalogue(project, {KEY_MESSAGE: "Zawsze możesz przerwać czat."},
                         raw=f'\n#~ msgctxt "{KEY_MESSAGE[0]}"\n#~ msgid "{KEY_MESSAGE[1]}"\n'
                             '#~ msgstr "Stare"\n')
    lines = path.read_text(encoding="utf-8").splitlines()
    obsolete = lines.index(f'#~ msgctxt "{KEY_MESSAGE[0]}"') + 1
    active = lines.index(f'msgctxt "{KEY_MESSAGE[0]}"') + 1
    expected = (f"{PO}:{obsolete}:1: error i18n.obsolete-duplicate obsolete (#~) message 'You "
                f"can always stop a chat.' (context '{KEY_MESSAGE[0]}') is also active at line "
                f"{active} — delete the #~ entry, after copying any wording you want to keep "
                "into the active one (msgfmt refuses the file)")
    assert check(project) == [expected]
    before = path.read_bytes()
    result = _update(project)
    assert result.exit_code == 1 and expected in result.stderr.splitlines()
    assert path.read_bytes() == before


@pytest.mark.parametrize(("msgstr", "message"), [
    ("Zawsze\u200b możesz", "holds an invisible character U+200B ZERO WIDTH SPACE (character 7)"
     " — delete it: it hides or reorders what the reader sees"),
    ("Zawsze \u2066możesz\u2069", "holds an invisible character U+2066 LEFT-TO-RIGHT ISOLATE "
     "(character 8) — delete it: it hides or reorders what the reader sees"),
    ("Zawsze \x1b[2Jmożesz", "holds a control character U+001B ESCAPE (character 8) — delete "
     "it: it prints nothing, and a terminal or browser may act on it"),
    ("Zawsze " + "ż" * 300, "has a word of 300 characters without a space (the limit is 200) "
     "— break it up with spaces; a word this long cannot be laid out on a page"),
])
def test_translation_with_hidden_characters_prints_the_english(project: Path, msgstr: str,
                                                                message: str) -> None:
    po = add_catalogue(project, {KEY_MESSAGE: msgstr})
    code = "text.long-word" if "word" in message else (
        "text.control" if "control" in message else "text.invisible")
    assert check(project) == [
        f"{PO}:{_entry_line(po, KEY_MESSAGE)}:1: error {code} translation of 'You can always "
        f"stop a chat.' {message}; English is printed meanwhile"]
    code, _, output = build_html(project, "--edition", "pl-GB", "--doc", "handout")
    assert code == 0, output
    page = (project / "site/pl-GB/8-10/sample/handout.html").read_text(encoding="utf-8")
    assert KEY_MESSAGE[1] in page and msgstr not in page


def test_escape_sequence_in_a_broken_po_line_is_echoed_escaped(project: Path) -> None:
    add_catalogue(project, {})
    (project / PO).write_text(PO_HEADER + "\x1b[2J\x1b]0;owned\x07\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    # (the fixture has no up-to-date POT: its warnings are not what this test is about)
    assert [line for line in result.stderr.splitlines() if " error " in line] == [
        f"{PO}:6:1: error i18n.syntax not a PO line: '\\x1b[2J\\x1b]0;owned\\x07' — expected "
        "msgctxt, msgid, msgstr or a quoted string; open it in Poedit or run `msgfmt --check`; "
        "English is printed meanwhile"]


def test_preview_banner_escapes_control_characters() -> None:
    from lessonpack.build.serve import error_banner

    banner = error_banner("lessons/x.yaml:1:1: bad \x1b[2J\x00 <b>")
    assert not re.search("[\x00\x1b]", banner)
    assert "bad \\x1b[2J\\x00 &lt;b&gt;" in banner


# --- round two: the output folder ---------------------------------------------------------------

def _lessonpack(*args: str | Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen([sys.executable, "-m", "lessonpack", *map(str, args)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def _wait_for_lock(out: Path, holder: subprocess.Popen, command: str) -> str:
    deadline = time.monotonic() + 120
    lock = out / ".lessonpack.lock"
    while time.monotonic() < deadline and holder.poll() is None:
        if lock.is_file() and f"lessonpack {command} (pid {holder.pid}," in lock.read_text():
            return lock.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{command} never took the lock: {holder.poll()}")


def test_second_writer_is_refused_and_a_killed_holder_never_blocks(project: Path) -> None:
    out = project / "site"
    server = _lessonpack("serve", "--project", project, "--port", "0", "--edition", "en-GB")
    try:
        holder = _wait_for_lock(out, server, "serve")
        result = run("build", "--project", project, "--format", "html", "--edition", "en-GB")
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1] == (
            f"error output.locked {out} is in use by {holder} — wait for it to finish, or "
            "write to another --out (two writers at once would leave manifest rows that do not "
            "match their files)")
        # merge locks the parts it reads too: no shard may change under it
        merged = run("merge", "--project", project, "--out", project.parent / "m", out)
        assert merged.exit_code == 1
        assert merged.stderr.splitlines()[-1].startswith(f"error output.locked {out} is in use")
        assert not (project.parent / "m").exists()
    finally:
        server.send_signal(signal.SIGKILL)  # no clean-up runs: the kernel drops the lock
        server.wait(30)
    result = run("build", "--project", project, "--format", "html", "--edition", "en-GB")
    assert result.exit_code == 0, result.output
    assert_manifest_true(out)


def test_build_deletes_only_its_own_temporary_files(project: Path) -> None:
    out = project / "site"
    assert build_html(project, "--edition", "en-GB")[0] == 0
    mine = out / "en-GB/8-10/sample/.handout.html.abcd1234.tmp"
    theirs = [out / "notes/.draft.abcd1234.tmp", out / "en-GB/8-10/sample/.notes.txt.abcd1234.tmp",
              out / "en-GB/.handout.html.abcd1234.tmp"]
    for path in [mine, *theirs]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("someone's work")
    assert build_html(project, "--edition", "en-GB")[0] == 0
    assert not mine.exists()
    assert all(path.read_text() == "someone's work" for path in theirs)


@pytest.mark.parametrize("where", ["lessons/site", "templates", "."])
def test_out_inside_the_sources_is_a_usage_error(project: Path, where: str) -> None:
    result = run("build", "--project", project, "--out", project / where, "--format", "html")
    assert result.exit_code == 2
    what = "the project or a folder holding it" if where == "." else \
        "inside the project's sources"
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for --out: {project / where} is {what}; choose a folder outside "
        "lessons/, routes/, templates/, locales/, assets/, fonts/ (the default is site/)")
    assert check_clean(project)


def check_clean(root: Path) -> bool:
    return run("check", "--project", root).exit_code == 0


@pytest.fixture
def shards(project: Path) -> list[Path]:
    parts = []
    for index in (1, 2):
        out = project.parent / f"part{index}"
        result = run("build", "--project", project, "--format", "html", "--shard",
                     f"{index}/2", "--out", out)
        assert result.exit_code == 0, result.output
        parts.append(out)
    return parts


def test_merge_refuses_a_file_that_does_not_match_its_row(project: Path,
                                                          shards: list[Path]) -> None:
    row = manifest_rows(shards[0])[0]
    (shards[0] / row["path"]).write_bytes(b"<p>tampered</p>")
    merged = project.parent / "merged"
    result = run("merge", "--project", project, "--out", merged, *shards)
    assert result.exit_code == 1
    sha = hashlib.sha256(b"<p>tampered</p>").hexdigest()
    assert result.stderr.splitlines()[-1] == (
        f"error merge.part {shards[0]}/{row['path']}: the file does not match its manifest.json "
        f"row (sha256 {sha[:12]}…, 15 bytes; the row says {row['sha256'][:12]}…, "
        f"{row['bytes']:,} bytes); rebuild that shard — nothing was merged")
    assert not merged.exists()


def test_merge_refuses_a_manifest_path_outside_the_shard(project: Path,
                                                         shards: list[Path]) -> None:
    data = json.loads((shards[0] / "manifest.json").read_text())
    outside = (shards[0] / "../../outside.html").resolve()
    outside.write_bytes(b"<p>not the shard's</p>")  # the row is true to this file
    data["outputs"].append({**data["outputs"][0], "path": "../../outside.html", "bytes": 22,
                            "sha256": hashlib.sha256(outside.read_bytes()).hexdigest()})
    (shards[0] / "manifest.json").write_text(json.dumps(data))
    merged = project.parent / "merged"
    result = run("merge", "--project", project, "--out", merged, *shards)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error merge.part {shards[0]}/manifest.json: the row '../../outside.html' points "
        "outside the shard folder; rebuild that shard — nothing was merged")
    assert not merged.exists()


def test_merge_of_an_incomplete_set_makes_no_zip_unless_told(project: Path,
                                                             shards: list[Path]) -> None:
    merged = project.parent / "merged"
    result = run("merge", "--project", project, "--out", merged, shards[0])
    assert result.exit_code == 1
    first = {e: sorted(r["path"] for r in manifest_rows(shards[1]) if r["edition"] == e)
             for e in ("en-GB", "en-US")}
    lines = result.stderr.splitlines()
    assert lines[-1] == "Aborted: the parts are an incomplete set; nothing was merged."
    for edition, paths in first.items():
        (line,) = [text for text in lines if text.startswith(f"error merge.incomplete {edition}")]
        example = re.search(r"e\.g\. (\S+) —", line).group(1)
        assert example in paths
        assert line == (f"error merge.incomplete {edition}: {len(paths)} document(s) missing, "
                        f"e.g. {example} — merge every shard (--shard I/N for I = 1..N), or "
                        "pass --allow-partial to merge without its zip")
    assert not merged.exists()
    partial = run("merge", "--project", project, "--out", merged, "--allow-partial", shards[0])
    assert partial.exit_code == 0, partial.output
    assert "warning merge.incomplete en-GB" in partial.stderr
    assert not list(merged.glob("*.zip"))
    assert_manifest_true(merged)
    whole = run("merge", "--project", project, "--out", merged, *shards)
    assert whole.exit_code == 0, whole.output
    assert sorted(p.name for p in merged.glob("*.zip")) == ["en-GB.zip", "en-US.zip"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_is_reported_with_the_path(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "full"
    out.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(out)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        done = _check_in_subprocess(project, "build", "--format", "html", "--out", str(out))
    finally:
        subprocess.run(["umount", str(out)], check=True)
    assert done.returncode == 1, done.stderr
    last = done.stderr.splitlines()[-1]
    assert re.fullmatch(rf"error: cannot access {re.escape(str(out))}/\S+: No space left on "
                        "device", last), last


def test_escape_sequence_in_a_folder_name_is_echoed_escaped(project: Path) -> None:
    folder = project / "lessons/02-\x1b[2Jred"
    folder.mkdir()
    shutil.copy(project / MODULE, folder / "module.yaml")
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "lessons/02-\\x1b[2Jred/module.yaml:1:5: error module.folder module id 'sample' does " \
        "not match its folder '02-\\x1b[2Jred'" in result.stderr
