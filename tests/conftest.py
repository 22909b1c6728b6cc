"""Shared fixtures: a small real project (fixture content + the repo's real templates)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lessonpack.cli import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(dest: Path, name: str = "mini") -> Path:
    """Copy fixture content and the repo's templates into ``dest``."""
    shutil.copytree(FIXTURES / name, dest)
    shutil.copytree(REPO / "templates", dest / "templates")
    return dest


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_repo(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds of the real repository must not leave cache files in it."""
    import os

    os.environ["LESSONPACK_CACHE_DIR"] = str(tmp_path_factory.mktemp("lessonpack-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def run(*args: str | Path) -> Result:
    """Run the CLI in-process; a traceback would show up as an exception here."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project built once (HTML and PDF, both editions) for read-back tests."""
    root = make_project(tmp_path_factory.mktemp("built") / "proj")
    result = run("build", "--project", root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    return root


# --- browser and checkers (issue 8): Debian's Chromium via Playwright, axe-core and vnu from
# tests/.node (installed by ./setup.sh --test) ---------------------------------------------------

NODE_DIR = Path(__file__).resolve().parent / ".node" / "node_modules"
AXE_JS = NODE_DIR / "axe-core" / "axe.min.js"
VNU_JAR = NODE_DIR / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def serious_axe_violations(page) -> list[tuple]:  # noqa: ANN001 - a playwright Page
    """Run axe-core on the open page: (rule id, impact, the first nodes' HTML) of every
    serious or critical violation."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["html"][:120] for n in v["nodes"][:3]])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - playwright's Browser
    """Headless Chromium from Debian (``playwright install`` cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
