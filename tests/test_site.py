"""The built site (issue 8): pack picker, curriculum map, print packs, zips, large print."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run
from pypdf import PdfReader


def manifest(root: Path, out: str = "site") -> list[dict]:
    return json.loads((root / out / "manifest.json").read_text(encoding="utf-8"))["outputs"]


def outline(reader: PdfReader) -> list:
    """The bookmark tree as nested (title, page, children) tuples."""
    def walk(items: list) -> list:
        tree: list = []
        for item in items:
            if isinstance(item, list):
                title, page, _ = tree[-1]
                tree[-1] = (title, page, walk(item))
            else:
                tree.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return tree
    return walk(reader.outline)


def test_manifest_lists_packs_and_zips(built_mini: Path) -> None:
    rows = manifest(built_mini)
    packs = [r for r in rows if r["doc"] == "print-pack"]
    zips = [r for r in rows if r["format"] == "zip"]
    assert sorted(r["path"] for r in packs) == [
        "en-GB/11-13/print-pack.pdf", "en-GB/8-10/print-pack.pdf",
        "en-US/11-13/print-pack.pdf", "en-US/8-10/print-pack.pdf"]
    assert all(r["format"] == "pdf" and r["module"] == "*" and r["pages"] > 3 for r in packs)
    assert sorted(r["path"] for r in zips) == ["en-GB.zip", "en-US.zip"]
    assert all(r["doc"] == "bundle" and r["band"] == "*" for r in zips)
    assert {r["variant"] for r in rows} == {"standard"}
    for row in packs + zips:
        data = (built_mini / "site" / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == row["bytes"]


def test_print_pack_contents_bookmarks_and_order(built_mini: Path) -> None:
    path = built_mini / "site/en-GB/8-10/print-pack.pdf"
    reader = PdfReader(path)
    row = next(r for r in manifest(built_mini) if r["path"] == "en-GB/8-10/print-pack.pdf")
    assert len(reader.pages) == row["pages"]
    assert reader.metadata.title == "Mini Pack — Print pack — Ages 8-10"
    tree = outline(reader)
    assert [t[0] for t in tree] == ["Print pack: Contents", "1. Kind chats",
                                    "Reporting routes for United Kingdom"]  # the appendix
    module = tree[1]
    assert [d[0] for d in module[2]] == ["Teacher guide", "Student handout", "Family letter"]
    starts = [d[1] for d in module[2]]
    assert starts == sorted(starts) and all(p % 2 == 1 for p in starts)  # right-hand pages
    assert "Learning objectives" in [s[0] for s in module[2][0][2]]  # h2 → third level
    contents = reader.pages[0].extract_text()
    assert "Contents" in contents and "Kind chats" in contents
    # the contents page gives each document's page range, matching the bookmarks
    assert f"{starts[0]}–" in contents and f"{starts[1]}–" in contents
    handout_page = reader.pages[starts[1] - 1].extract_text()
    # the handout's own first page, with its own page number (not the pack's)
    # (3 pages: the exit slip is a sheet of its own, issue 14)
    assert "What can Sam do?" in handout_page and "Page 1 / 3" in handout_page


def test_print_pack_is_tagged_pdf_ua(built_mini: Path) -> None:
    info = subprocess.run(["pdfinfo", str(built_mini / "site/en-US/11-13/print-pack.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    root = PdfReader(built_mini / "site/en-US/11-13/print-pack.pdf").trailer["/Root"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # PDF/UA-1 claimed
    assert root["/Lang"] == "en-US"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert root["/MarkInfo"]["/Marked"]


def test_zip_holds_the_edition_with_checksums(built_mini: Path) -> None:
    data = (built_mini / "site/en-GB.zip").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert all(n.startswith("lessonpack-en-GB/") for n in names)
    inner = {n.removeprefix("lessonpack-en-GB/"): archive.read(n) for n in names}
    assert {"index.html", "curriculum-map.html", "manifest.json", "SHA256SUMS",
            "en-GB/8-10/print-pack.pdf", "en-GB/8-10/sample/handout.pdf",
            "en-GB/8-10/sample/handout.html"} <= set(inner)
    assert not any(n.startswith("en-US") for n in inner)
    sums = dict(reversed(line.split("  ", 1)) for line in
                inner["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(inner) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(inner[name]).hexdigest() == digest, name
    rows = json.loads(inner["manifest.json"])["outputs"]
    assert {r["edition"] for r in rows} == {"en-GB"} and len(rows) == len(sums) - 4
    # the copy on disk is the one checked: same bytes as the site's own files
    assert inner["en-GB/8-10/sample/handout.pdf"] == \
        (built_mini / "site/en-GB/8-10/sample/handout.pdf").read_bytes()
    # the zip's own index lists only its edition and not the zip itself; the edition's page
    # is there too, where the documents' "All lesson packs" links lead
    assert 'data-edition="en-US"' not in inner["index.html"].decode()
    assert 'href="en-GB/index.html"' in inner["index.html"].decode()
    assert "en-GB.zip" not in inner["en-GB/index.html"].decode()
    assert 'href="../en-GB/8-10/print-pack.pdf"' in inner["en-GB/index.html"].decode()
    # every entry dated 1980-01-01: the same files give the same zip
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_second_build_skips_packs_and_zips(built_mini: Path) -> None:
    before = {p: (built_mini / "site" / p).stat().st_mtime_ns
              for p in ("en-GB.zip", "en-GB/8-10/print-pack.pdf", "index.html")}
    result = run("build", "--project", built_mini, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "built 0, skipped 42 (unchanged)" in result.output  # 36 documents, 4 packs, 2 zips
    for path, mtime in before.items():
        if path != "index.html":
            assert (built_mini / "site" / path).stat().st_mtime_ns == mtime, path


def test_index_lists_documents_status_and_dates(built_mini: Path) -> None:
    index = (built_mini / "site/index.html").read_text(encoding="utf-8")
    assert 'href="curriculum-map.html"' in index
    for edition in ("en-GB", "en-US"):
        assert f'href="{edition}/index.html"' in index
        html = (built_mini / f"site/{edition}/index.html").read_text(encoding="utf-8")
        assert f'href="../{edition}.zip"' in html
        for band in ("8-10", "11-13"):
            assert f'href="../{edition}/{band}/print-pack.pdf"' in html
            for doc in ("teacher-guide", "handout", "family-letter"):
                for fmt in ("html", "pdf"):
                    assert f'href="../{edition}/{band}/sample/{doc}.{fmt}"' in html
        assert "Source text (English)" in html
        assert '<time datetime="2026-11-01">' in html  # the routes' checked date
        assert re.search(r"\d+ pages?, \d+ KB", html)
        assert 'href="../curriculum-map.html"' in html
        # the print pack leads each band; the zip's checksum sits behind a disclosure
        band = html[html.index('id="band-8-10"'):]
        assert band.index("print-pack.pdf") < band.index("sample/teacher-guide")
        assert re.search(r"<details><summary>Checksum</summary>.*?SHA-256 <code>[0-9a-f]{64}",
                         html, re.DOTALL)
        for page in (index, html):
            assert "http://" not in page.replace("http://www.w3.org", "")
            assert "https://" not in page

def test_curriculum_map_has_objectives_per_band(built_mini: Path) -> None:
    html = (built_mini / "site/curriculum-map.html").read_text(encoding="utf-8")
    assert '<th scope="col">Ages 8-10</th>' in html
    assert '<th scope="col">Ages 11-13</th>' in html
    assert "I can say no to a chat." in html and "I can spot a fake profile." in html
    assert "Kind chats" in html  # the band-specific title


def test_crosswalk_and_translation_status(project: Path) -> None:
    """The age-band crosswalk table stays; a draft catalogue shows review status and %."""
    curriculum = project / "curriculum.yaml"
    text = curriculum.read_text().replace(
        "    min_font_pt: 12\n",
        "    min_font_pt: 12\n    crosswalk: {GB: Years 4-5, US: Grades 3-4}\n")
    # every crosswalk row says where it was checked (curriculum.crosswalk-source otherwise)
    text += ("crosswalk_sources:\n"
             "  GB: {source: https://example.org/key-stages, checked: 2026-11-01}\n"
             "  US: {source: https://example.org/grades, checked: 2026-11-01}\n")
    text = text.replace("  - {id: en-US, locale: en_US, country: US}",
                        "  - {id: en-US, locale: en_US, country: US}\n"
                        "  - {id: pl-GB, locale: pl, country: GB}")
    curriculum.write_text(text)
    po = project / "locales/pl/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Language: pl\\n"\n"X-Review-Status: draft\\n"\n\n'
                  'msgctxt "sample/content/8-10/title"\nmsgid "Kind chats"\n'
                  'msgstr "Miłe rozmowy"\n', encoding="utf-8")
    result = run("build", "--project", project, "--format", "html")
    assert result.exit_code == 0, result.output
    html = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Age bands and school levels" in html
    assert "<td>Years 4-5</td>" in html and "<td>Grades 3-4</td>" in html
    assert "https://example.org/key-stages" in html and "https://example.org/grades" in html
    assert re.search(r'<a href="pl-GB/index.html" lang="pl" hreflang="pl">.*?Polski', html)
    section = (project / "site/pl-GB/index.html").read_text(encoding="utf-8")
    assert '<html lang="pl" dir="ltr">' in section
    # the site's own labels have no Polish yet: English, marked as such (issue 13)
    assert '<span class="fallback" lang="en" dir="ltr">draft: not yet reviewed' in section
    plain = re.sub(r"</?span[^>]*>", "", section)
    assert re.search(r"\d+% translated · draft: not yet reviewed", plain)
    assert "Miłe rozmowy" in section
    # an HTML-only build makes neither packs nor zips
    assert not list((project / "site").glob("*.zip"))
    assert not list((project / "site").rglob("print-pack*.pdf"))


def word_boxes(pdf: Path, page: int = 1) -> list[tuple[str, float]]:
    """(word, height in points) for each word on a page, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(m[3], float(m[2]) - float(m[1])) for m in re.finditer(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', out)]


def median_word_height(pdf: Path, page: int = 1) -> float:
    heights = sorted(height for _, height in word_boxes(pdf, page))
    return heights[len(heights) // 2]


def word_height(pdf: Path, word: str, page: int = 1) -> float:
    heights = [height for text, height in word_boxes(pdf, page) if text == word]
    assert heights, f"{word!r} not on page {page} of {pdf}"
    return heights[0]


def test_large_print_variant(project: Path) -> None:
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "11-13",
                 "--variant", "large-print", "--jobs", "2")
    assert result.exit_code == 0, result.output
    rows = {r["path"]: r for r in manifest(project)}
    assert set(rows) == {f"en-GB/11-13/sample/{d}.large-print.pdf"
                         for d in ("teacher-guide", "handout", "family-letter")} | {
        "en-GB/11-13/print-pack.large-print.pdf"}
    assert {r["variant"] for r in rows.values()} == {"large-print"}
    # the summary's slowest list names the real files (which ones are slowest varies by machine)
    named = re.findall(r"[\w./-]+\.pdf", result.output.split("slowest:")[1])
    assert named and all(name.endswith(".large-print.pdf") for name in named), result.output
    large = project / "site/en-GB/11-13/sample/handout.large-print.pdf"
    run("build", "--project", project, "--edition", "en-GB", "--band", "11-13",
        "--doc", "handout", "--format", "pdf")
    standard = project / "site/en-GB/11-13/sample/handout.pdf"
    # 16 pt body against 11 pt: words are clearly taller on the page
    assert median_word_height(large) > 1.3 * median_word_height(standard)
    # and the running footer grows with it (12 pt against 8 pt)
    assert word_height(large, "Page") > 1.3 * word_height(standard, "Page")
    index = (project / "site/en-GB/index.html").read_text(encoding="utf-8")
    assert 'href="../en-GB/11-13/sample/handout.large-print.pdf"' in index
    assert 'href="../en-GB/11-13/print-pack.large-print.pdf"' in index
    html_variant = run("build", "--project", project, "--variant", "large-print",
                       "--format", "html")
    assert html_variant.exit_code == 2 and "PDFs only" in html_variant.output


def test_site_template_error_is_reported_documents_stay(project: Path) -> None:
    (project / "templates/site/index.html").write_text("{% for %}", encoding="utf-8")
    result = run("build", "--project", project, "--format", "html", "--edition", "en-GB")
    assert result.exit_code == 1
    assert "templates/site/index.html" in result.output and "template.error" in result.output
    assert "Traceback" not in result.output
    assert (project / "site/en-GB/8-10/sample/handout.html").is_file()


@pytest.fixture
def served_site(built_mini: Path, tmp_path: Path):  # noqa: ANN201 - (url, folder)
    """The built site on a plain static server (as a school's intranet would serve it)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    folder = tmp_path / "site"
    shutil.copytree(built_mini / "site", folder)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


def test_picker_in_browser_over_http(browser, served_site) -> None:  # noqa: ANN001
    url, folder = served_site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.click('a[href="en-US/index.html"]')
    page.wait_for_load_state()
    assert page.url == url + "en-US/index.html"
    assert page.is_visible("#picker")
    page.select_option("#pick-band", "11-13")
    page.select_option("#pick-module", "sample")
    assert page.is_hidden('section.band[data-band="8-10"]')
    visible = page.locator("section.band:visible")
    assert visible.count() == 1 and visible.get_attribute("data-band") == "11-13"
    assert "Showing" in page.inner_text("#picker-status")
    assert page.url.endswith("#11-13/sample")
    assert page.locator("li.module:visible a.pdf").count() == 4  # three documents and the deck
    # the print pack comes first in the band, before the documents
    first = page.locator("section.band:visible a").first
    assert first.get_attribute("href") == "../en-US/11-13/print-pack.pdf"
    # the choice survives a reload (kept in the address)
    page.reload()
    assert page.input_value("#pick-band") == "11-13"
    assert page.locator("li.module:visible").count() == 1
    handout = page.locator("li.module:visible li.doc-handout a.pdf")
    assert handout.get_attribute("href") == "../en-US/11-13/sample/handout.pdf"
    # open the PDF link: Chromium navigates to the PDF (its viewer shows it)
    with page.expect_response(lambda r: r.url.endswith("/handout.pdf")) as opened:
        handout.click()
    response = opened.value
    assert response.ok and response.url == url + "en-US/11-13/sample/handout.pdf"
    assert response.headers["content-type"] == "application/pdf"
    data = page.request.get(response.url).body()
    assert data == (folder / "en-US/11-13/sample/handout.pdf").read_bytes()
    context.close()


def test_picker_from_file_url_and_without_javascript(browser, built_mini: Path) -> None:  # noqa: ANN001
    index = (built_mini / "site/index.html").as_uri()
    page = browser.new_page()
    page.goto(index)
    page.click('a[href="en-GB/index.html"]')
    page.wait_for_load_state()
    page.select_option("#pick-band", "8-10")
    page.locator("li.module:visible li.doc-teacher-guide a.html").click()
    page.wait_for_load_state()
    assert page.url.endswith("en-GB/8-10/sample/teacher-guide.html")
    assert "Kind chats" in page.inner_text("h1")
    # a document leads to its PDF, its band's print pack and back to the packs
    nav = {a.get_attribute("href") for a in page.locator("nav.doc-nav a").all()}
    assert nav == {"teacher-guide.pdf", "../print-pack.pdf", "../../index.html#band-8-10"}
    page.click('nav.doc-nav a[href="../../index.html#band-8-10"]')
    page.wait_for_load_state()
    assert page.url.endswith("en-GB/index.html#band-8-10")
    assert page.input_value("#pick-band") == "8-10"
    for href in nav:  # every link leads to a file that exists
        assert (built_mini / "site/en-GB/8-10/sample" / href.split("#")[0]).is_file(), href
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(index)
    assert page.locator("ul.editions a:visible").count() == 2
    page.goto((built_mini / "site/en-GB/index.html").as_uri())
    assert page.is_hidden("#picker")  # no half-working form without JavaScript
    assert page.locator("a.pdf:visible").count() == 8  # every document and deck: plain links
    assert page.locator("section.band:visible").count() == 2
    context.close()


def test_no_packs_builds_documents_only(project: Path) -> None:
    result = run("build", "--project", project, "--no-packs", "--format", "pdf")
    assert result.exit_code == 0, result.output
    rows = json.loads((project / "site/manifest.json").read_text())["outputs"]
    assert rows and {r["doc"] for r in rows} == {"teacher-guide", "handout", "family-letter",
                                                 "slides"}
    assert not list((project / "site").rglob("print-pack*.pdf"))
    assert not list((project / "site").glob("*.zip"))


def test_zip_works_unpacked_from_file_url_without_javascript(browser, built_mini: Path,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    """A school unzips the edition onto a laptop: its chooser leads to the edition's page, a
    document, and back through the document's links, with JavaScript off."""
    with zipfile.ZipFile(built_mini / "site/en-GB.zip") as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "lessonpack-en-GB"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((root / "index.html").as_uri())
    page.click('a[href="en-GB/index.html"]')
    page.wait_for_load_state()
    assert page.locator("a.pdf:visible").count() == 8  # documents and decks
    page.locator('section[data-band="11-13"] li.doc-handout a.html').click()
    page.wait_for_load_state()
    assert page.url.endswith("lessonpack-en-GB/en-GB/11-13/sample/handout.html")
    for link in page.locator("nav.doc-nav a").all():
        href = link.get_attribute("href").split("#")[0]
        assert (root / "en-GB/11-13/sample" / href).resolve().is_file(), href
    page.click("nav.doc-nav a[href^='../../index.html']")
    page.wait_for_load_state()
    assert page.url.endswith("lessonpack-en-GB/en-GB/index.html#band-11-13")
    context.close()
