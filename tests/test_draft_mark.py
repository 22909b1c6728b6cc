"""A draft translation says so on every page (issue 14): a photocopied page 2 is marked too.

Real builds of the mini project: a French edition whose catalogue is a draft, and en-GB (the
source language, never marked). Every page of every printed document and of the print pack is
read back with pdftotext.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from conftest import make_project, run
from test_i18n_workflow import add_edition

MARK = "FR Draft translation"


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fr-GB (every text drafted as "FR <English>") and en-GB, PDFs and packs."""
    root = make_project(tmp_path_factory.mktemp("draft") / "proj")
    add_edition(root, "- {id: fr-GB, locale: fr, country: GB}")
    assert run("i18n", "init", "fr", "--project", root).exit_code == 0
    po_path = root / "locales/fr/LC_MESSAGES/messages.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
    po.save()
    for edition in ("fr-GB", "en-GB"):
        result = run("build", "--project", root, "--edition", edition, "--format", "pdf",
                     "--band", "11-13", "--jobs", "2")
        assert result.exit_code == 0, result.output
    return root / "site"


@pytest.mark.parametrize("doc", ["teacher-guide", "handout", "family-letter"])
def test_every_page_of_a_draft_document_is_marked(draft_build: Path, doc: str) -> None:
    texts = page_texts(draft_build / f"fr-GB/11-13/sample/{doc}.pdf")
    assert len(texts) >= (1 if doc == "family-letter" else 2)  # the point: page 2 too
    for number, text in enumerate(texts, start=1):
        assert MARK in text, f"{doc} page {number} has no draft mark"
    # in the edition's language: the English words never stand alone
    assert all(t.count("Draft translation") == t.count(MARK) for t in texts)


def test_every_page_of_a_draft_pack_is_marked(draft_build: Path) -> None:
    texts = page_texts(draft_build / "fr-GB/11-13/print-pack.pdf")
    assert len(texts) > 5
    missing = [n for n, t in enumerate(texts, start=1) if MARK not in t]
    assert missing == []


def test_a_source_edition_is_not_marked(draft_build: Path) -> None:
    paths = sorted((draft_build / "en-GB/11-13").rglob("*.pdf"))
    assert len(paths) >= 4
    for path in paths:
        assert not any("Draft translation" in t for t in page_texts(path)), path
