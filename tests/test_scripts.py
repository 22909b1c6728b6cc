"""Scripts and directions: Korean breaks only between words, right-to-left mirrors the layout
while numbers and URLs stay readable. Real PDFs, read back with poppler."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import run
from test_i18n_workflow import add_edition, catalogue, translate

from lessonpack.i18n.fallback_marks import CLOSE, OPEN, resolve_marks, template_text
from lessonpack.i18n.linebreak import WORD_JOINER, for_print, keep_words
from lessonpack.i18n.translations import Translator

KOREAN = ("온라인에서 누군가가 비밀을 지키라고 하거나 사진을 보내 달라고 하면 대화를 멈추고 "
          "신뢰할 수 있는 어른에게 바로 이야기하세요 그것은 절대로 여러분의 잘못이 아니에요 "
          "언제라도 말하기에 늦은 때는 없어요 도움을 받을 수 있는 곳이 항상 있어요")
ARABIC_TITLE = "تذكّر"
ARABIC_MESSAGE = "يمكنك دائمًا إيقاف أي محادثة وإخبار شخص بالغ تثق به."


def pdf_words(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    # poppler wraps right-to-left runs in embedding controls; they are not part of the words
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text).split()


def test_keep_words_wraps_hangul_words_only_in_the_body() -> None:
    html = ("<html><head><title>안녕 하세요</title><style>.a{}</style></head>"
            "<body><p>신뢰할 수 있는 <strong>어른</strong> Call 1388</p></body></html>")
    assert keep_words(html) == (
        "<html><head><title>안녕 하세요</title><style>.a{}</style></head><body><p>"
        '<span class="kw">신뢰할</span> <span class="kw">수</span> <span class="kw">있는</span> '
        '<strong><span class="kw">어른</span></strong> Call 1388</p></body></html>')


@pytest.fixture
def korean(project: Path) -> Path:
    add_edition(project, "- {id: ko-GB, locale: ko, country: GB}")
    translate(catalogue(project, "ko"), {"You can always stop a chat.": KOREAN})
    result = run("build", "--project", project, "--edition", "ko-GB", "--band", "8-10",
                 "--doc", "handout")
    assert result.exit_code == 0, result.output
    return project


def test_korean_lines_break_only_between_words(korean: Path) -> None:
    words = pdf_words(korean / "site/ko-GB/8-10/sample/handout.pdf")
    # Every word of the long sentence comes back whole: no line ever split one.
    for word in KOREAN.split():
        assert word in words, word
    html = (korean / "site/ko-GB/8-10/sample/handout.html").read_text()
    assert '<span class="kw">신뢰할</span>' in html
    # the print copy's word joiners are invisible and never reach the PDF's text
    text = subprocess.run(["pdftotext", "-enc", "UTF-8",
                           str(korean / "site/ko-GB/8-10/sample/handout.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert WORD_JOINER not in text and "신뢰할" in text


def test_print_copy_joins_the_letters_of_kept_words() -> None:
    html = '<p><span class="kw">신뢰할</span> <span class="kw">&amp;어른</span> Call</p>'
    assert for_print(html, "ko") == (
        "<p>신\u2060뢰\u2060할 &amp;\u2060어\u2060른 Call</p>")
    assert for_print(html, "en") == html
    # glued to the end of an inline element, a word keeps its span
    glued = '<p><strong>그루밍</strong><span class="kw">("그</span></p>'
    assert for_print(glued, "ko") == glued


@pytest.fixture
def arabic(project: Path) -> Path:
    add_edition(project, "- {id: ar-GB, locale: ar, country: GB}")
    translate(catalogue(project, "ar"), {"Remember": ARABIC_TITLE,
                                          "You can always stop a chat.": ARABIC_MESSAGE})
    result = run("build", "--project", project, "--edition", "ar-GB", "--edition", "en-GB",
                 "--band", "8-10", "--doc", "handout")
    assert result.exit_code == 0, result.output
    return project


def _x_range(pdf: Path, word: str, skip: str = "Ages") -> tuple[float, float]:
    """Horizontal extent of the first line containing ``word`` (poppler's bbox output)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    for line in re.findall(r"<line (.*?)</line>", out, re.DOTALL):
        if word in line and skip not in line:  # skip the running header
            xs = [float(x) for x in re.findall(r'x(?:Min|Max)="([\d.]+)"', line)]
            return min(xs), max(xs)
    raise AssertionError(f"{word!r} not found")


def test_rtl_mirrors_the_layout_and_keeps_numbers_readable(arabic: Path) -> None:
    html = (arabic / "site/ar-GB/8-10/sample/handout.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html
    rtl = arabic / "site/ar-GB/8-10/sample/handout.pdf"
    ltr = arabic / "site/en-GB/8-10/sample/handout.pdf"
    width = 595.28
    left, right = _x_range(rtl, "chats")  # the h1 (module title, untranslated here)
    assert right > width - 70 and left > width / 2  # the heading sits on the right
    left, right = _x_range(ltr, "chats")
    assert left < 70 and right < width / 2  # and on the left in English
    words = pdf_words(rtl)
    assert "0800" in words and "1111" in words  # phone digits in order, not reversed
    assert "يمكنك" in words  # Arabic text extracts as text
    assert words.index("0800") + 1 == words.index("1111")


def test_english_fallback_is_marked_and_reads_left_to_right(arabic: Path) -> None:
    html = (arabic / "site/ar-GB/8-10/sample/handout.html").read_text()
    # untranslated Markdown: English, left-to-right inside the right-to-left page
    assert ('<li><span class="fallback" lang="en" dir="ltr">It is never too late to tell.'
            '</span></li>') in html
    assert '<div class="fallback" lang="en" dir="ltr"><p>Sam plays a game.' in html
    # the translated message is not marked; untranslated plain text (the <title>) is isolated
    assert f"<li>{ARABIC_MESSAGE}</li>" in html
    assert "<title>\u2066Kind chats\u2069 — " in html
    # on paper the full stop stays at the end of the English sentence (it went to the far
    # left, ".It is never too late to tell", without the marks)
    words = pdf_words(arabic / "site/ar-GB/8-10/sample/handout.pdf")
    assert "tell." in words and ".It" not in words
    assert "do?" in words and "?What" not in words
    # an English edition has nothing to fall back from: no marks at all
    english = (arabic / "site/en-GB/8-10/sample/handout.html").read_text()
    assert 'class="fallback"' not in english and "\u2066" not in english


def test_template_text_is_judged_by_what_printed() -> None:
    translator = Translator(locale="ar", entries={("template", "Page"): "صفحة"},
                            review_status="draft")
    translator.lookup("sample/title", "Page")  # missing in another place: a fallback there
    assert "Page" in translator.fallbacks
    assert template_text(translator, "Page", "صفحة", "صفحة 2") == "صفحة 2"
    assert template_text(translator, "Page", "Page", "Page 2") == f"{OPEN}Page 2{CLOSE}"


@pytest.mark.parametrize("rtl", [False, True])
def test_fallback_brackets_become_spans_in_text_and_vanish_elsewhere(rtl: bool) -> None:
    lri, pdi = ("\u2066", "\u2069") if rtl else ("", "")
    page = (f'<html><head><title>{OPEN}Kind chats{CLOSE} — x</title>'
            f'<style>@top {{ content: "{OPEN}Page{CLOSE}" }}</style></head><body>'
            f'<nav aria-label="{OPEN}Lesson pack{CLOSE}"><!-- {OPEN}c{CLOSE} --></nav>'
            f'<select><option>{OPEN}All modules{CLOSE}</option></select>'
            f'<h1>{OPEN}Kind chats{CLOSE}</h1><p>{OPEN}Call {OPEN}Childline{CLOSE}{CLOSE}</p>'
            '<p class="fallback-note" role="note">Dotted: English.</p></body></html>')
    html = resolve_marks(page, rtl)
    assert OPEN not in html and CLOSE not in html
    span = '<span class="fallback" lang="en" dir="ltr">'
    assert f"<h1>{span}{lri}Kind chats{pdi}</span></h1>" in html
    assert f"<p>{span}{lri}Call {span}{lri}Childline{pdi}</span>{pdi}</span></p>" in html
    assert f"<title>{lri}Kind chats{pdi} — x</title>" in html  # no markup in a title
    assert f'content: "{lri}Page{pdi}"' in html and f'aria-label="{lri}Lesson pack{pdi}"' in html
    assert f"<option>{lri}All modules{pdi}</option>" in html
    assert 'class="fallback-note"' in html  # the page has fallback: the note stays
    # a page with nothing in English loses the note
    clean = resolve_marks('<body><h1>Titre</h1><p class="fallback-note">x</p>\n</body>', rtl)
    assert clean == "<body><h1>Titre</h1></body>"


def test_english_fallback_in_a_left_to_right_edition_gets_lang_only(project: Path) -> None:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    translate(catalogue(project, "fr"), {"You can always stop a chat.":
                                         "Tu peux toujours arrêter une discussion."})
    result = run("build", "--project", project, "--edition", "fr-GB", "--band", "8-10",
                 "--doc", "handout", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (project / "site/fr-GB/8-10/sample/handout.html").read_text()
    assert "<li>Tu peux toujours arrêter une discussion.</li>" in html
    assert ('<li><span class="fallback" lang="en" dir="ltr">It is never too late to tell.'
            '</span></li>') in html
    assert "\u2066" not in html  # isolates only where the page runs right to left
    # plain text in every HTML context (issue 13): the untranslated title is English in the
    # heading, a plain <title> and no marks left anywhere; the note says what the line means
    assert '<h1><span class="fallback" lang="en" dir="ltr">Kind chats</span></h1>' in html
    assert "<title>Kind chats — " in html and "\ufdd0" not in html and "\ufdd1" not in html
    assert "Text with a dotted underline is still in English" in html


def test_english_fallback_is_tagged_and_explained_on_paper(project: Path) -> None:
    """On paper and in the PDF's tags: the note prints, and the English parts carry /Lang en."""
    import pikepdf

    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    translate(catalogue(project, "fr"), {"You can always stop a chat.":
                                         "Tu peux toujours arrêter une discussion."})
    result = run("build", "--project", project, "--edition", "fr-GB", "--band", "8-10",
                 "--doc", "handout", "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = project / "site/fr-GB/8-10/sample/handout.pdf"
    assert "Text with a dotted underline is still in English" in " ".join(pdf_words(pdf))
    with pikepdf.open(pdf) as document:
        langs = set()
        todo = [document.Root.StructTreeRoot]
        while todo:
            element = todo.pop()
            if isinstance(element, pikepdf.Dictionary):
                if "/Lang" in element:
                    langs.add(str(element.Lang))
                kids = element.get("/K")
                todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        assert str(document.Root.Lang) == "fr" and "en" in langs


THAI = "ทำได้เสมอ หยุดคุยได้มากกว่าหนึ่งครั้ง บอกผู้ใหญ่ที่ไว้ใจ"


def test_print_pack_gets_the_print_copy_too(project: Path) -> None:
    """Packs are printed like documents: Thai SARA AM decomposed, so "ทำ" reads back from the
    PDF as "ทำ" (printed as it is, it extracts as "ทา": the glyph keeps the text it met first)."""
    add_edition(project, "- {id: th-GB, locale: th, country: GB}")
    translate(catalogue(project, "th"), {"You can always stop a chat.": THAI})
    result = run("build", "--project", project, "--edition", "th-GB", "--band", "8-10",
                 "--format", "pdf")
    assert result.exit_code == 0, result.output
    for pdf in ("sample/handout.pdf", "print-pack.pdf"):
        text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8",
                               str(project / "site/th-GB/8-10" / pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        squashed = "".join(unicodedata.normalize("NFKC", text).split())
        assert "".join(unicodedata.normalize("NFKC", THAI).split()) in squashed, pdf
