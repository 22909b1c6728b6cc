"""Only what changed is rebuilt; a bad cache is never trusted; shards are disjoint and complete."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import make_project, run

from lessonpack.plan.cache import BuildCache


def manifest_paths(root: Path, out: str = "site") -> set[str]:
    rows = json.loads((root / out / "manifest.json").read_text())["outputs"]
    return {r["path"] for r in rows}


def rebuilt(root: Path, *extra: str) -> list[str]:
    """Paths the build wrote, from its summary line ('built N, skipped M ...')."""
    result = run("build", "--project", root, "--format", "html", *extra)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("built "))
    return line


def counts(line: str) -> tuple[int, int]:
    words = line.replace(",", "").split()
    return int(words[1]), int(words[3])


@pytest.fixture
def two_modules(tmp_path: Path) -> Path:
    """The mini project with a second module and a French-language edition with a catalogue."""
    root = make_project(tmp_path / "proj")
    second = root / "lessons/02-second"
    shutil.copytree(root / "lessons/01-sample", second)
    text = (second / "module.yaml").read_text()
    (second / "module.yaml").write_text(text.replace("id: sample", "id: second")
                                        .replace("order: 1", "order: 2"))
    cur = root / "curriculum.yaml"
    cur.write_text(cur.read_text().replace(
        "  - {id: en-US, locale: en_US, country: US}",
        "  - {id: en-US, locale: en_US, country: US}\n  - {id: fr-GB, locale: fr, country: GB}"))
    assert run("i18n", "extract", "--project", root).exit_code == 0
    assert run("i18n", "init", "fr", "--project", root).exit_code == 0
    return root


# 3 editions × 2 modules × 2 bands × 4 docs (slides included), HTML only
ALL = 48
EDITIONS = ("en-GB", "en-US", "fr-GB")


def test_noop_rebuild_skips_everything(two_modules: Path) -> None:
    assert counts(rebuilt(two_modules)) == (ALL, 0)
    assert counts(rebuilt(two_modules)) == (0, ALL)


def test_editing_one_module_rebuilds_only_its_documents(two_modules: Path) -> None:
    rebuilt(two_modules)
    path = two_modules / "lessons/02-second/module.yaml"
    path.write_text(path.read_text().replace("Sam feels odd.", "Sam feels uneasy."))
    # 3 editions × 2 bands × 4 docs (its decks too) of module 'second'
    assert counts(rebuilt(two_modules)) == (24, ALL - 24)


def test_editing_one_template_rebuilds_only_documents_using_it(two_modules: Path) -> None:
    rebuilt(two_modules)
    path = two_modules / "templates/family-letter.html"
    path.write_text(path.read_text().replace("Dear family,", "Dear families,"))
    assert counts(rebuilt(two_modules)) == (12, ALL - 12)  # every family letter, nothing else
    partial = two_modules / "templates/partials/safeguarding.html"
    partial.write_text(partial.read_text() + "\n")
    assert counts(rebuilt(two_modules)) == (12, ALL - 12)  # only teacher guides include it


def test_editing_one_catalogue_rebuilds_only_its_editions(two_modules: Path) -> None:
    rebuilt(two_modules)
    po = two_modules / "locales/fr/LC_MESSAGES/messages.po"
    po.write_text(po.read_text().replace('msgid "Remember"\nmsgstr ""',
                                         'msgid "Remember"\nmsgstr "À retenir"'))
    assert counts(rebuilt(two_modules)) == (16, ALL - 16)  # fr-GB only
    html = (two_modules / "site/fr-GB/8-10/sample/handout.html").read_text()
    assert "À retenir" in html


def test_deleted_or_edited_output_is_rebuilt(two_modules: Path) -> None:
    rebuilt(two_modules)
    (two_modules / "site/en-GB/8-10/sample/handout.html").unlink()
    edited = two_modules / "site/en-US/8-10/sample/handout.html"
    edited.write_text("tampered")
    assert counts(rebuilt(two_modules)) == (2, ALL - 2)
    assert "tampered" not in edited.read_text()


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"format": 999, "entries": {}}',
                                     b'{"format": 1, "version": "0.0.0", "entries": {}}',
                                     b'{"format": 1, "version": "0.1.0", "entries": [1, 2]}'])
def test_corrupt_or_foreign_cache_is_ignored(two_modules: Path, garbage: bytes) -> None:
    rebuilt(two_modules)
    cache = BuildCache(Path(os.environ["LESSONPACK_CACHE_DIR"]), two_modules / "site").path
    assert cache.is_file()
    cache.write_bytes(garbage)
    assert counts(rebuilt(two_modules)) == (ALL, 0)


def test_shards_are_disjoint_and_cover_everything(two_modules: Path) -> None:
    parts = []
    for index in (1, 2, 3):
        out = f"shard{index}"
        result = run("build", "--project", two_modules, "--format", "html", "--shard",
                     f"{index}/3", "--out", two_modules / out)
        assert result.exit_code == 0, result.output
        parts.append(manifest_paths(two_modules, out))
    assert all(parts)
    assert sum(len(p) for p in parts) == ALL
    assert set().union(*parts) == {p for p in _full(two_modules)}


def _full(root: Path) -> set[str]:
    result = run("build", "--project", root, "--format", "html", "--out", root / "full")
    assert result.exit_code == 0
    return manifest_paths(root, "full")


@pytest.mark.parametrize("value", ["0/2", "3/2", "x", "1/0"])
def test_bad_shard_is_a_usage_error(project: Path, value: str) -> None:
    result = run("build", "--project", project, "--shard", value)
    assert result.exit_code == 2


def html_links(site: Path) -> set[str]:
    """Every document's HTML link on the editions' pages (``<edition>/index.html``), from the
    site folder."""
    return {h.removeprefix("../") for page in site.glob("*/index.html")
            for h in re.findall(r'class="html" href="([^"]+)"', page.read_text())}


def test_merge_joins_shards_into_one_manifest(two_modules: Path) -> None:
    parts = []
    for index in (1, 2):
        out = two_modules / f"part{index}"
        assert run("build", "--project", two_modules, "--format", "html", "--shard",
                   f"{index}/2", "--out", out).exit_code == 0
        parts.append(out)
    (parts[0] / "stray.txt").write_text("not in any manifest")
    # neither shard alone lists every document in its index
    for part in parts:
        assert len(html_links(part)) < ALL
    result = run("merge", "--project", two_modules, "--out", two_modules / "merged", *parts)
    assert result.exit_code == 0, result.output
    merged = two_modules / "merged"
    documents = manifest_paths(two_modules, "merged") - {f"{e}.zip" for e in EDITIONS}
    assert documents == _full(two_modules)
    assert not (merged / "stray.txt").exists()
    # what no shard could make: the index lists every document, each edition has its zip
    links = html_links(merged)
    assert links == documents and len(links) == ALL
    assert (merged / "curriculum-map.html").is_file()
    for edition in EDITIONS:
        with zipfile.ZipFile(merged / f"{edition}.zip") as archive:
            names = {n.split("/", 1)[1] for n in archive.namelist()}
        assert {d for d in documents if d.startswith(f"{edition}/")} <= names
    # part 1 now holds another (true to its own row) file at a path of part 2
    rows = json.loads((parts[0] / "manifest.json").read_text())
    other = dict(json.loads((parts[1] / "manifest.json").read_text())["outputs"][0])
    (parts[0] / other["path"]).parent.mkdir(parents=True, exist_ok=True)
    (parts[0] / other["path"]).write_bytes(b"<p>other</p>")
    other.update(sha256=hashlib.sha256(b"<p>other</p>").hexdigest(), bytes=12)
    rows["outputs"].append(other)
    (parts[0] / "manifest.json").write_text(json.dumps(rows))
    conflict = run("merge", "--project", two_modules, "--out", two_modules / "merged2", *parts)
    assert conflict.exit_code == 1 and "differs between" in conflict.output
    assert not (two_modules / "merged2").exists()  # refused before anything was copied
