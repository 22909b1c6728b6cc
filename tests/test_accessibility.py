"""Accessible HTML (issue 8): axe-core in Chromium and the W3C Nu HTML checker on every kind of
page the site has — the three documents, the pack picker and the curriculum map — and alt text
on every image of the PDFs' source."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import AXE_JS, VNU_JAR, run

PAGES = ("index.html", "en-GB/index.html", "curriculum-map.html",
         "en-GB/8-10/sample/teacher-guide.html",
         "en-GB/8-10/sample/handout.html", "en-GB/8-10/sample/family-letter.html",
         "en-US/11-13/sample/handout.html", "en-GB/8-10/sample/slides.html",
         "en-US/11-13/sample/slides.html")


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, built_mini: Path,  # noqa: ANN001
                                                    page_path: str) -> None:
    page = browser.new_page()
    try:
        page.goto((built_mini / "site" / page_path).as_uri())
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    bad = [(v["id"], v["impact"], v["help"], [n["html"][:120] for n in v["nodes"][:3]])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []
    assert result["testEngine"]["name"] == "axe-core"


def test_nu_html_checker_finds_no_errors(built_mini: Path) -> None:
    files = [str(built_mini / "site" / p) for p in PAGES]
    done = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *files], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    errors = [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"])
              for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    assert errors == []
    assert done.returncode == 0


def test_qr_codes_have_alt_text_and_pass_axe(browser, project: Path) -> None:  # noqa: ANN001
    routes = project / "routes/GB.yaml"
    routes.write_text(routes.read_text().replace(
        '    phone: "0800 1111"\n', '    phone: "0800 1111"\n    url: https://example.org/help\n'))
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--doc", "handout", "--format", "html")
    assert result.exit_code == 0, result.output
    path = project / "site/en-GB/8-10/sample/handout.html"
    images = re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8"))
    codes = [i for i in images if 'class="qr"' in i]
    assert codes and all(re.search(r'\balt="QR code for https://example.org/help"', i)
                         for i in codes)
    assert all(re.search(r'\balt="[^"]+"', i) for i in images)  # pictograms have alt text too
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


def test_documents_declare_language_and_title(built_mini: Path) -> None:
    html = (built_mini / "site/en-US/11-13/sample/handout.html").read_text(encoding="utf-8")
    assert '<html lang="en-US" dir="ltr">' in html
    assert re.search(r"<title>[^<]+</title>", html)
