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
    assert {p.parent.parent.name for p in CATALOGUES} >= {"ms", "fil", "ko", "th", "ceb"}


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


KEY_TERMS = ("trusted adult", "sextortion", "grooming", "help box",
             # added for issue 22 (translation review): safety-critical terms that drifted
             "it is never too late to tell", "image-removal tool", "takedown tool",
             "protective interrupting", "leading questions", "snitching")


def _glossary(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load((path.parent.parent / "glossary.yaml").read_text(encoding="utf-8"))


def _alternatives(text: str) -> list[str]:
    """A glossary field's alternatives ("a / b"), lower-cased, without bracketed glosses."""
    text = re.sub(r"\s*\(.*?\)", "", str(text))
    return [a.strip().lower() for a in text.split(" / ") if a.strip()]


def _english_has(phrase: str, english: str) -> bool:
    """Whole-word, case-insensitive match that ignores the catalogue's line-wrapping."""
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.search(rf"(?<![\w-]){words}(?![\w-])", english, re.IGNORECASE) is not None


def _translations(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_glossary_terms_are_used_consistently(path: Path) -> None:
    """Where the English uses a key term, the translation uses the glossary's rendering
    (9 times in 10 at least: grammar sometimes needs another form). A glossary rendering may
    list alternatives ("a / b"); any one of them counts. Every key term must be in the glossary."""
    locale = path.parent.parent.name
    glossary = _glossary(path)
    entries = [e for e in _translations(path)
               if not e.msgctxt.startswith("routes/")]  # route names are proper names
    for term in KEY_TERMS:
        found = [g for g in glossary if term.lower() in _alternatives(g["en"])]
        assert found, f"{locale}: glossary has no entry for {term!r}"
        renderings = _alternatives(found[0][locale])
        uses = [e for e in entries if _english_has(term, e.msgid)]
        consistent = sum(any(r in e.msgstr.lower() for r in renderings) for e in uses)
        assert uses and consistent >= 0.9 * len(uses), f"{locale} {term}: {consistent}/{len(uses)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_no_forbidden_renderings(path: Path) -> None:
    """No translation uses a rendering its glossary lists as `forbidden` for a term.

    Scope (a deliberate choice): a forbidden form is checked in every translation whose English
    contains the term (any " / " alternative of `en`, or one of the entry's `match` phrases),
    whole words, case-insensitive, across line breaks. It is not checked everywhere, because
    some forbidden forms are right elsewhere (Thai หนู is the right pronoun on a 5-7 sheet;
    "delete" is right in "don't delete the chat"). An entry with `contexts` (msgctxt patterns)
    is checked in every translation in those contexts instead, whatever its English: that is
    how band-independent template strings are kept free of a young-child pronoun. Route
    texts are checked too: they print in the help box."""
    from fnmatch import fnmatchcase

    locale = path.parent.parent.name
    translations = _translations(path)
    problems = []
    for term in _glossary(path):
        forbidden = [f.lower() for f in term.get("forbidden", [])]
        if not forbidden:
            continue
        if term.get("contexts"):
            applies = [e for e in translations
                       if any(fnmatchcase(e.msgctxt, c) for c in term["contexts"])]
        else:
            phrases = _alternatives(term["en"]) + [m.lower() for m in term.get("match", [])]
            applies = [e for e in translations if any(_english_has(p, e.msgid) for p in phrases)]
        for entry in applies:
            for bad in forbidden:
                if bad in entry.msgstr.lower():
                    problems.append(f"{path.name}:{entry.linenum} {entry.msgctxt}: "
                                    f"{bad!r} is forbidden for {term['en']!r} "
                                    f"(glossary says {term[locale]!r})")
    assert not problems, f"{locale}: forbidden renderings:\n" + "\n".join(problems)
