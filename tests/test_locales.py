"""The shipped catalogues: valid for GNU gettext, complete, and their PDFs' text reads back."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from conftest import REPO, run

CATALOGUES = sorted(REPO.glob("locales/*/LC_MESSAGES/messages.po"))


def test_there_are_catalogues() -> None:
    assert {p.parent.parent.name for p in CATALOGUES} >= {"ms", "fil", "ko", "th"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_msgfmt_accepts_catalogue(path: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_machine_drafts_say_so(path: Path) -> None:
    meta = polib.pofile(str(path)).metadata
    assert meta["X-Review-Status"] in ("draft", "reviewed")
    if meta["X-Review-Status"] == "draft":
        assert "native speaker" in meta.get("X-Translation-Method", "")


def _squash(text: str) -> str:
    """Compare text as a reader sees it: NFKC, no whitespace, no bidi controls."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("locales-site")
    result = run("build", "--project", REPO, "--edition", "ko-KR", "--edition", "th-TH",
                 "--module", "spotting-grooming", "--band", "11-13", "--doc", "handout",
                 "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("edition", "locale"), [("ko-KR", "ko"), ("th-TH", "th")])
def test_pdf_text_extracts_as_translated(built: Path, edition: str, locale: str) -> None:
    pdf = built / edition / "11-13/spotting-grooming/handout.pdf"
    text = _squash(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                                  check=True, capture_output=True, text=True).stdout)
    po = polib.pofile(str(REPO / f"locales/{locale}/LC_MESSAGES/messages.po"))
    key_messages = [e.msgstr for e in po
                    if e.msgctxt.startswith("spotting-grooming/content/11-13/key_messages/")]
    assert len(key_messages) >= 3
    for message in key_messages:
        plain = re.sub(r"[*_`]", "", message)
        assert _squash(plain) in text, message


KEY_TERMS = ("trusted adult", "sextortion", "grooming", "help box")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_glossary_terms_are_used_consistently(path: Path) -> None:
    """Where the English uses a key term, the translation uses the glossary's rendering
    (9 times in 10 at least: grammar sometimes needs another form)."""
    import yaml

    locale = path.parent.parent.name
    glossary = {e["en"]: e[locale] for e in yaml.safe_load(
        (path.parent.parent / "glossary.yaml").read_text(encoding="utf-8"))}
    entries = [e for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete
               and not e.msgctxt.startswith("routes/")]  # route names are proper names
    for term in KEY_TERMS:
        rendering = re.sub(r"\s*\(.*?\)", "", glossary[term]).strip().lower()
        uses = [e for e in entries if re.search(rf"\b{term}\b", e.msgid, re.IGNORECASE)]
        consistent = sum(rendering in e.msgstr.lower() for e in uses)
        assert uses and consistent >= 0.9 * len(uses), f"{locale} {term}: {consistent}/{len(uses)}"
