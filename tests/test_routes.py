"""Reporting routes on paper: the right country's numbers, QR codes that scan to the printed URL,
unconfirmed routes only for teachers, stale entries flagged, required kinds enforced.

The first part builds the REAL repository (every edition, one module and band) and reads the
PDFs back with poppler; expected numbers and URLs are read from routes/*.yaml, not hard-coded.
The error cases use the mini fixture project.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
import zxingcpp
from conftest import REPO, run
from PIL import Image

from lessonpack.render.filters import phone_link
from lessonpack.render.qr import SIZE_MM, qr_data_uri, qr_svg

MODULE, BAND = "getting-help", "11-13"
DOCS = ("handout", "family-letter", "teacher-guide")
CURRICULUM = yaml.safe_load((REPO / "curriculum.yaml").read_text(encoding="utf-8"))
EDITIONS = {e["id"]: e for e in CURRICULUM["editions"]}
# Route names and labels are translated in the other editions: name-based checks use English.
ENGLISH = {k: e for k, e in EDITIONS.items() if e["locale"].startswith("en")}
ROUTE_FILES = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
               for path in sorted((REPO / "routes").glob("*.yaml"))}
COUNTRIES = [cc for cc in ROUTE_FILES if cc != "international"]


# --- helpers -------------------------------------------------------------------------------------

def routes_of(country: str) -> list[dict]:
    return ROUTE_FILES[country]["routes"]


def first_confirmed(country: str, kind: str) -> dict:
    """What a handout prints for ``kind``: the first confirmed, not-adults-only route."""
    return next(r for r in routes_of(country) if r["kind"] == kind
                and r["status"] == "confirmed" and not r.get("adults_only"))


def numbers_of(routes: list[dict]) -> set[str]:
    return {r[key] for r in routes for key in ("phone", "sms", "whatsapp") if r.get(key)}


def has_number(text: str, number: str) -> bool:
    """``number`` as a whole number: 999 is not inside 15999, Cyber999 or 1-800-999."""
    return re.search(rf"(?<![\w-]){re.escape(number)}(?![\w-])", text) is not None


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path, page: int | None = None, raw: bool = False) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    mode = ["-raw"] if raw else []  # content order: Thai marks stay with their letters
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *mode, *pages, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    """Text as a reader compares it: NFKC (Thai SARA AM), no whitespace or bidi controls."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def printed_urls(text: str) -> set[str]:
    return {m.rstrip(".,;)") for m in re.findall(r"https?://\S+", text)}


def decoded_qr_codes(pdf: Path, page: int, tmp: Path) -> list[zxingcpp.Barcode]:
    prefix = tmp / f"{pdf.parent.name}-{pdf.stem}-p{page}"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True)
    with Image.open(prefix.with_suffix(".png")) as image:
        return zxingcpp.read_barcodes(image.convert("L"),
                                      formats=zxingcpp.BarcodeFormat.QRCode)


# --- the real repository, built once ------------------------------------------------------------

@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the real repo: one module, one band, all three documents."""
    out = tmp_path_factory.mktemp("repo-site")
    args = ["build", "--project", REPO, "--module", MODULE, "--band", BAND, "--out", out,
            "--jobs", "2"]
    for edition in EDITIONS:
        args += ["--edition", edition]
    for doc in DOCS:
        args += ["--doc", doc]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return out


def doc_path(site: Path, edition: str, doc: str, fmt: str = "pdf") -> Path:
    return site / edition / BAND / MODULE / f"{doc}.{fmt}"


def test_every_country_has_what_a_handout_needs() -> None:
    """Guards the tests below: each edition's country has both required kinds, and the other
    countries have numbers of their own to look for."""
    assert set(EDITIONS) >= {"en-GB", "en-US", "en-AU", "en-PH", "en-MY", "fil-PH", "ceb-PH",
                             "ms-MY", "ko-KR", "th-TH"}
    for edition in EDITIONS.values():
        country = edition["country"]
        assert first_confirmed(country, "emergency").get("phone")
        assert first_confirmed(country, "child-helpline").get("phone")


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_handout_prints_its_own_countrys_numbers_and_no_others(repo_site: Path,
                                                               edition: str) -> None:
    country = EDITIONS[edition]["country"]
    text = pdf_text(doc_path(repo_site, edition, "handout"))
    emergency = first_confirmed(country, "emergency")["phone"]
    helpline = first_confirmed(country, "child-helpline")["phone"]
    assert has_number(text, emergency), f"{edition}: emergency {emergency} missing"
    assert has_number(text, helpline), f"{edition}: child helpline {helpline} missing"

    # 911 is both the US and the PH emergency number: only numbers this country does not use
    # itself can prove that another country's routes leaked in.
    own = numbers_of(routes_of(country)) | numbers_of(routes_of("international"))
    foreign = {r["phone"] for cc in COUNTRIES if cc != country for r in routes_of(cc)
               if r["kind"] in ("emergency", "child-helpline") and r.get("phone")} - own
    assert len(foreign) >= 5
    leaked = sorted(n for n in foreign if has_number(text, n))
    assert leaked == [], f"{edition} handout prints other countries' numbers: {leaked}"


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_unconfirmed_numbers_never_reach_children_or_families(repo_site: Path,
                                                             edition: str) -> None:
    country = EDITIONS[edition]["country"]
    confirmed = numbers_of([r for r in routes_of(country) + routes_of("international")
                            if r["status"] == "confirmed"])
    unconfirmed = numbers_of([r for r in routes_of(country) if r["status"] == "unconfirmed"])
    for doc in ("handout", "family-letter"):
        text = pdf_text(doc_path(repo_site, edition, doc))
        for number in unconfirmed - confirmed:
            assert not has_number(text, number), f"{edition} {doc} prints {number}"


@pytest.mark.parametrize("edition", list(ENGLISH))
def test_unconfirmed_routes_reach_only_the_teacher_guide(repo_site: Path, edition: str) -> None:
    country = EDITIONS[edition]["country"]
    unconfirmed = [r for r in routes_of(country) + routes_of("international")
                   if r["status"] == "unconfirmed"]
    for doc in ("handout", "family-letter"):
        text = flat(pdf_text(doc_path(repo_site, edition, doc)))
        for route in unconfirmed:
            assert flat(route["name"]) not in text, f"{route['id']} printed on the {doc}"
    guide = flat(pdf_text(doc_path(repo_site, edition, "teacher-guide")))
    for route in unconfirmed:
        assert flat(route["name"]) in guide
    assert guide.count("UNCONFIRMED — check before printing") == len(unconfirmed)
    # and every route of the country is listed for the teacher, with its checked date
    for route in routes_of(country):
        assert flat(route["name"]) in guide


def test_some_edition_has_unconfirmed_routes() -> None:
    """Keeps the test above from passing vacuously."""
    assert any(r["status"] == "unconfirmed" for e in EDITIONS.values()
               for r in routes_of(e["country"]))


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_qr_codes_decode_to_the_urls_printed_on_their_page(repo_site: Path, edition: str,
                                                         tmp_path: Path) -> None:
    country = EDITIONS[edition]["country"]
    known = {r["url"] for r in routes_of(country) + routes_of("international") if r.get("url")}
    pdf = doc_path(repo_site, edition, "handout")
    seen: set[str] = set()
    for page in range(1, page_count(pdf) + 1):
        urls = printed_urls(pdf_text(pdf, page))
        assert urls <= known, f"page {page}: unexpected or broken URL(s) {urls - known}"
        codes = decoded_qr_codes(pdf, page, tmp_path)
        assert {c.text for c in codes} == urls, f"{edition} handout page {page}"
        assert len(codes) == len(urls)  # one code per printed URL
        for code in codes:
            assert code.ec_level == "M"
            # about 20 mm including the 4-module quiet zone: the symbol is 200 dpi pixels wide
            symbol_px = abs(code.position.top_right.x - code.position.top_left.x)
            modules = _modules(code.text)
            total_mm = symbol_px * 25.4 / 200 * modules / (modules - 8)
            assert 18 <= total_mm <= 22, f"{code.text}: {total_mm:.1f} mm"
        seen |= urls
    assert "https://takeitdown.ncmec.org" in seen  # every handout has at least this one


def test_handouts_with_qr_codes_build_to_the_same_bytes(repo_site: Path, tmp_path: Path) -> None:
    result = run("build", "--project", REPO, "--module", MODULE, "--band", BAND, "--edition",
                 "en-GB", "--doc", "handout", "--out", tmp_path, "--jobs", "1")
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "html"):
        again = doc_path(tmp_path, "en-GB", "handout", fmt).read_bytes()
        assert again == doc_path(repo_site, "en-GB", "handout", fmt).read_bytes()


def _modules(url: str) -> int:
    """Width of the code in modules, quiet zone included, from the SVG's viewBox."""
    return int(re.search(r'viewBox="0 0 (\d+) \d+"', qr_svg(url)).group(1))


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_html_links_phones_as_dialled_and_labels_qr_codes(repo_site: Path,
                                                          edition: str) -> None:
    country = EDITIONS[edition]["country"]
    html = doc_path(repo_site, edition, "handout", "html").read_text(encoding="utf-8")
    for kind in ("emergency", "child-helpline"):
        phone = first_confirmed(country, kind)["phone"]
        dialled = re.sub(r"\D", "", phone)
        assert (f'<a class="tel" href="tel:{dialled}"><span class="nowrap" dir="ltr">'
                f'{phone}</span></a>' in html)
    assert "tel:+" not in html  # short codes (911, 163, 1383) are never internationalised
    for url in printed_urls(pdf_text(doc_path(repo_site, edition, "handout"))):
        if edition in ENGLISH:
            assert f'alt="QR code for {url}"' in html
        else:  # translated alt text, still naming the URL
            assert re.search(rf'alt="[^"]*{re.escape(url)}[^"]*"', html)
        assert f'src="{qr_data_uri(url)}"' in html


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_teacher_guide_dates_follow_the_locale(repo_site: Path, edition: str) -> None:
    from babel.dates import format_date

    locale = EDITIONS[edition]["locale"]
    guide = squash(pdf_text(doc_path(repo_site, edition, "teacher-guide"), raw=True))
    for route in routes_of(EDITIONS[edition]["country"]):
        assert squash(format_date(route["checked"], "long", locale=locale)) in guide


# --- units ---------------------------------------------------------------------------------------

def test_qr_svg_is_deterministic_sized_and_keeps_its_quiet_zone() -> None:
    url = "https://www.iwf.org.uk/what-we-do/why-we-exist/report-remove"
    first = qr_svg(url)
    qr_svg.cache_clear()
    qr_data_uri.cache_clear()
    assert qr_svg(url) == first
    assert qr_data_uri(url).startswith("data:image/svg+xml;base64,")
    assert f'width="{SIZE_MM}mm" height="{SIZE_MM}mm"' in first
    assert 'viewBox="0 0 41 41"' in first  # version 4 (33 modules) + 2 × 4 quiet zone
    assert 'fill="#fff"' in first  # the quiet zone is drawn white, not transparent


@pytest.mark.parametrize(("phone", "href"), [
    ("911", "tel:911"), ("1383", "tel:1383"), ("0800 1111", "tel:08001111"),
    ("1-800-422-4453", "tel:18004224453"), ("019-261 5999", "tel:0192615999"),
    ("+63 2 8123 4567", "tel:+63281234567"), ("#163", "tel:%23163"),
])
def test_phone_links_use_the_digits_as_dialled(phone: str, href: str) -> None:
    assert str(phone_link(phone)) == (
        f'<a class="tel" href="{href}"><span class="nowrap" dir="ltr">{phone}</span></a>')


def test_phone_spelled_with_letters_is_not_linked() -> None:
    assert str(phone_link("1-800-CALL-FBI")) == (
        '<span class="nowrap" dir="ltr">1-800-CALL-FBI</span>')
    assert str(phone_link("988", "sms")) == (
        '<a class="sms" href="sms:988"><span class="nowrap" dir="ltr">988</span></a>')


# --- staleness (mini project) --------------------------------------------------------------------

GB = "routes/GB.yaml"
STALE_CHILDLINE = (
    f"{GB}:20:14: warning routes.stale route 'gb-childline' was checked 2025-10-01, 422 days "
    "before 2026-11-27 (more than 12 months) — check it against its source again and update "
    "`checked:` (and anything that changed)")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def stale_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """gb-childline last checked 2025-10-01; the build date is 2026-11-27."""
    edit(project, GB, "source: https://example.org/childline\n    checked: 2026-11-01",
         "source: https://example.org/childline\n    checked: 2025-10-01")
    monkeypatch.setenv("LESSONPACK_TODAY", "2026-11-27")
    return project


def test_stale_entry_warns_in_check(stale_project: Path) -> None:
    result = run("check", "--project", stale_project)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [STALE_CHILDLINE]


def test_stale_entry_fails_check_strict(stale_project: Path) -> None:
    result = run("check", "--project", stale_project, "--strict")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        STALE_CHILDLINE.replace(": warning routes.stale", ": error routes.stale")]


def test_stale_entry_fails_build_strict_before_writing(stale_project: Path) -> None:
    result = run("build", "--project", stale_project, "--strict", "--format", "html")
    assert result.exit_code == 1
    assert "error routes.stale route 'gb-childline'" in result.output
    assert not (stale_project / "site").exists()
    result = run("build", "--project", stale_project, "--format", "html", "--doc", "handout",
                 "--edition", "en-GB", "--band", "8-10")
    assert result.exit_code == 0, result.output  # a warning only, without --strict
    assert STALE_CHILDLINE in result.stderr


def test_routes_lists_ages_and_warns(stale_project: Path) -> None:
    result = run("routes", "--project", stale_project)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Reporting routes as of 2026-11-27 (stale after 365 days)"
    assert lines[1].split() == ["country", "id", "kind", "status", "checked", "age", "(days)"]
    rows = {line.split()[1]: line.split() for line in lines[2:]}
    assert list(rows) == ["gb-999", "gb-childline", "gb-unchecked", "us-911", "us-childhelp"]
    assert rows["gb-childline"] == ["GB", "gb-childline", "child-helpline", "confirmed",
                                    "2025-10-01", "422", "STALE"]
    assert rows["gb-unchecked"] == ["GB", "gb-unchecked", "victim-support", "unconfirmed",
                                    "2026-11-01", "26"]
    assert result.stderr.strip().splitlines() == [STALE_CHILDLINE]


def test_routes_strict_fails_on_stale(stale_project: Path) -> None:
    assert run("routes", "--project", stale_project, "--strict").exit_code == 1
    assert run("routes", "--project", stale_project, "--strict", "--country", "US").exit_code == 0


def test_routes_json_for_one_country(stale_project: Path) -> None:
    result = run("routes", "--project", stale_project, "--country", "gb", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["build_date"] == "2026-11-27" and data["stale_after_days"] == 365
    assert [(r["id"], r["age_days"], r["stale"]) for r in data["routes"]] == [
        ("gb-999", 26, False), ("gb-childline", 422, True), ("gb-unchecked", 26, False)]
    assert data["routes"][0] == {"country": "GB", "id": "gb-999", "kind": "emergency",
                                 "status": "confirmed", "checked": "2026-11-01",
                                 "age_days": 26, "stale": False,
                                 "source": "https://example.org/gb-999", "verification": ""}
    assert [(p["path"], p["line"], p["code"], p["severity"]) for p in data["problems"]] == [
        (GB, 20, "routes.stale", "warning")]


@pytest.mark.parametrize("edition", ["th-TH", "ko-KR"])
def test_local_name_is_not_repeated_when_the_name_already_says_it(repo_site: Path,
                                                                  edition: str) -> None:
    """Thai translates "Childline Thailand (Saidek 1387)" with the Thai name inside it: the
    local name in brackets would then print twice."""
    country = edition.split("-")[1]
    routes = yaml.safe_load((REPO / f"routes/{country}.yaml").read_text())["routes"]
    html = doc_path(repo_site, edition, "handout", "html").read_text()
    for route in routes:
        local = route.get("local_name")
        if local and route["status"] == "confirmed":
            assert html.count(f"({local})") <= 1 and f"{local}) ({local})" not in html


def test_verification_notes_are_for_editors_only(project: Path) -> None:
    """A route's ``note`` is printed for teachers and translated; ``verification`` (how it was
    checked, numbers not to use) is never printed and never sent to translators."""
    gb = project / "routes/GB.yaml"
    gb.write_text(gb.read_text().replace(
        "    status: confirmed\n",
        "    status: confirmed\n    note: Free from any phone.\n"
        "    verification: EDITORS ONLY - one page prints 0800 999 999, a typo.\n", 1))
    assert run("i18n", "extract", "--project", project).exit_code == 0
    pot = (project / "locales/messages.pot").read_text()
    assert '"Free from any phone."' in pot and "EDITORS ONLY" not in pot
    result = run("build", "--project", project, "--edition", "en-GB", "--band", "8-10",
                 "--format", "html")
    assert result.exit_code == 0, result.output
    site = project / "site/en-GB/8-10/sample"
    assert "Free from any phone." in (site / "teacher-guide.html").read_text()
    for doc in ("teacher-guide", "handout", "family-letter"):
        text = (site / f"{doc}.html").read_text()
        assert "EDITORS ONLY" not in text and "0800 999 999" not in text
    data = json.loads(run("routes", "--project", project, "--country", "GB",
                          "--format", "json").stdout)
    assert data["routes"][0]["verification"].startswith("EDITORS ONLY")


WORKING_NOTE = re.compile(r"do not print|disputed|UNCONFIRMED|stored|reference said|typo",
                          re.IGNORECASE)


def test_shipped_route_notes_speak_to_teachers() -> None:
    """Working notes of the verification belong in ``verification``, not in the printed note."""
    for path in sorted((REPO / "routes").glob("*.yaml")):
        for route in yaml.safe_load(path.read_text())["routes"]:
            note = route.get("note") or ""
            assert not WORKING_NOTE.search(note), f"{path.name} {route['id']}: {note}"


def test_far_future_build_date_makes_every_route_stale(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONPACK_TODAY", "2035-01-01")
    result = run("check", "--project", project)
    assert result.exit_code == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5 and all(" warning routes.stale " in line for line in lines)
    assert run("check", "--project", project, "--strict").exit_code == 1


@pytest.mark.parametrize(("today", "stale"), [("2027-11-01", False), ("2027-11-02", True)])
def test_stale_means_more_than_365_days(project: Path, monkeypatch: pytest.MonkeyPatch,
                                        today: str, stale: bool) -> None:
    assert dt.date.fromisoformat(today) - dt.date(2026, 11, 1) == dt.timedelta(365 + stale)
    monkeypatch.setenv("LESSONPACK_TODAY", today)
    result = run("check", "--project", project, "--strict")
    assert result.exit_code == (1 if stale else 0), result.output
    assert ("routes.stale" in result.output) == stale


def test_route_file_no_edition_uses_is_listed_but_not_checked(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "routes/NZ.yaml").write_text(
        "country: NZ\nname: New Zealand\nroutes:\n  - id: nz-111\n    name: Emergency 111\n"
        "    kind: emergency\n    phone: \"111\"\n    audience: Everyone\n"
        "    when: Call if someone is in danger right now.\n"
        "    source: https://example.org/nz-111\n    checked: 2020-01-01\n"
        "    status: confirmed\n", encoding="utf-8")
    monkeypatch.setenv("LESSONPACK_TODAY", "2026-11-27")
    assert run("check", "--project", project, "--strict").exit_code == 0
    result = run("routes", "--project", project, "--country", "NZ")
    assert result.exit_code == 0
    assert "routes/NZ.yaml:11:14: warning routes.stale route 'nz-111'" in result.stderr


def test_bad_build_date_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONPACK_TODAY", "27/11/2026")
    for command in ("check", "routes"):
        result = run(command, "--project", project)
        assert result.exit_code == 2
        assert "LESSONPACK_TODAY='27/11/2026' is not a date; use YYYY-MM-DD" in result.output


def test_routes_unknown_country_is_a_usage_error(project: Path) -> None:
    result = run("routes", "--project", project, "--country", "PH")
    assert result.exit_code == 2
    assert "--country 'PH': no routes/PH.yaml; expected one of: GB, US" in result.output


# --- required kinds (mini project) ---------------------------------------------------------------

CHILDLINE = """  - id: gb-childline
    name: Childline
    kind: child-helpline
    phone: "0800 1111"
    audience: Under 19s
    when: Talk to someone about anything that worries you.
    source: https://example.org/childline
    checked: 2026-11-01
    status: confirmed
"""
MISSING_HELPLINE = (
    "curriculum.yaml:12:5: error routes.missing-kind edition 'en-GB' uses country GB, but "
    "routes/GB.yaml has no confirmed child-helpline route — add one to routes/GB.yaml with "
    "`kind: child-helpline` and `status: confirmed` (adults-only routes do not count), or "
    "remove the edition")


def check_errors(root: Path) -> list[str]:
    result = run("check", "--project", root)
    assert result.exit_code == 1, result.output
    return result.stderr.strip().splitlines()


def test_country_without_child_helpline_fails_check(project: Path) -> None:
    edit(project, GB, CHILDLINE, "")
    assert check_errors(project) == [MISSING_HELPLINE]


def test_unconfirmed_or_adults_only_helpline_does_not_count(project: Path) -> None:
    edit(project, GB, CHILDLINE, CHILDLINE.replace("status: confirmed", "status: unconfirmed"))
    assert check_errors(project) == [MISSING_HELPLINE]
    edit(project, GB, "status: unconfirmed\n  - id: gb-unchecked",
         "status: confirmed\n    adults_only: true\n  - id: gb-unchecked")
    assert check_errors(project) == [MISSING_HELPLINE]


def test_country_without_confirmed_emergency_fails_for_its_edition(project: Path) -> None:
    edit(project, "routes/US.yaml", "source: https://example.org/us-911\n    checked: 2026-11-01\n"
         "    status: confirmed", "source: https://example.org/us-911\n    checked: 2026-11-01\n"
         "    status: unconfirmed")
    assert check_errors(project) == [
        "curriculum.yaml:13:5: error routes.missing-kind edition 'en-US' uses country US, but "
        "routes/US.yaml has no confirmed emergency route — add one to routes/US.yaml with "
        "`kind: emergency` and `status: confirmed` (adults-only routes do not count), or "
        "remove the edition"]
