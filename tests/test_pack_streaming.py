"""Print packs are made while the build is still printing (issue 18), not in a phase of their own.

A pack starts as soon as the last of its documents is written; its contents page goes to the
front of the print queue. The packs are the same bytes whichever way the work was interleaved,
and a pack whose document failed is reported, never waited for.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project, run
from test_packs import KINDS, rows


@pytest.fixture(scope="module")
def one_worker_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project, en-GB, PDFs and packs, printed in this process (--jobs 1): requests
    are taken one at a time, so the order of the writes is exactly the scheduler's."""
    root = make_project(tmp_path_factory.mktemp("stream") / "proj")
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf",
                 "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root


def written_at(root: Path, relative: str) -> int:
    return (root / "site" / relative).stat().st_mtime_ns


def test_a_pack_is_written_before_the_next_band_is_printed(one_worker_build: Path) -> None:
    manifest = rows(one_worker_build)
    bands = sorted({r["band"] for r in manifest.values()}, key=lambda b: int(b.split("-")[0]))
    assert len(bands) >= 2
    for band, later in itertools.pairwise(bands):
        pack = written_at(one_worker_build, f"en-GB/{band}/print-pack.pdf")
        own = [written_at(one_worker_build, p) for p, r in manifest.items()
               if r["band"] == band and r["doc"] in KINDS]
        next_band = [written_at(one_worker_build, p) for p, r in manifest.items()
                     if r["band"] == later and r["doc"] != "print-pack"]
        # after its own documents, before any document of the next band (the band's decks,
        # after its documents in the job list, may be printed before or after it)
        assert max(own) < pack < min(next_band), band


def test_interleaving_does_not_change_a_pack(one_worker_build: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf",
                 "--jobs", "2")
    assert result.exit_code == 0, result.output
    packs = [p for p, r in rows(root).items() if r["doc"] == "print-pack"]
    assert packs
    for pack in packs:
        assert (root / "site" / pack).read_bytes() == \
            (one_worker_build / "site" / pack).read_bytes(), pack


def test_a_pack_whose_document_failed_is_reported_not_awaited(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    letter = root / "templates/family-letter.html"
    text = letter.read_text()
    assert '<p class="salutation">' in text
    letter.write_text(text.replace('<p class="salutation">',
                                   '<p class="salutation">{{ no_such_thing.attribute }}'))
    # a real process with a time limit: a pack waiting for a document that never comes would
    # hang the build
    done = subprocess.run([sys.executable, "-m", "lessonpack", "build", "--project", str(root),
                           "--edition", "en-GB", "--format", "pdf", "--jobs", "2"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "error template.error" in done.stderr and "family-letter" in done.stderr
    assert "error pack.missing en-GB/8-10/print-pack.pdf: not assembled" in done.stderr
    assert not list((root / "site").rglob("print-pack.pdf"))
    # the other documents were printed and are listed
    manifest = rows(root)
    assert any(p.endswith("/handout.pdf") for p in manifest)
    assert not any("family-letter" in p for p in manifest)


def test_a_heavy_pack_is_assembled_after_the_workers_exit(one_worker_build: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack whose documents weigh more than HEAVY_BYTES (Korean: ~8 MB, +113 MB to
    assemble) waits for the workers to exit; the same bytes come out."""
    from lessonpack.printing import packs

    monkeypatch.setattr(packs, "HEAVY_BYTES", 0)  # every pack is heavy
    root = make_project(tmp_path / "proj")
    result = run("build", "--project", root, "--edition", "en-GB", "--format", "pdf",
                 "--jobs", "2")
    assert result.exit_code == 0, result.output
    manifest = rows(root)
    last_document = max(written_at(root, p) for p, r in manifest.items()
                        if r["doc"] != "print-pack")
    pack_rows = [p for p, r in manifest.items() if r["doc"] == "print-pack"]
    assert pack_rows
    for pack in pack_rows:
        assert written_at(root, pack) > last_document, pack
        assert (root / "site" / pack).read_bytes() == \
            (one_worker_build / "site" / pack).read_bytes(), pack
    # a pack among the slowest shows its own work, not the time it was held back
    seconds = [float(s) for s in re.findall(r"print-pack\.pdf ([\d.]+) s", result.stderr)]
    assert all(s < 5 for s in seconds), result.stderr
