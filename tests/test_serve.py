"""`lessonpack serve` (issue 8): 127.0.0.1 only, no way out of the build folder, rebuild on save,
reload the open page, show content errors in the page instead of dying."""

from __future__ import annotations

import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from lessonpack.build.serve import Preview, resolve_request_path


def raw_get(port: int, target: str, host: str = "") -> tuple[int, bytes]:
    """Send the request line exactly as given (no client-side normalisation)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.0\r\nHost: {host or f'127.0.0.1:{port}'}\r\n\r\n"
                     .encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.fixture
def static_preview(tmp_path: Path):  # noqa: ANN201 - (port, secret)
    """A Preview serving a folder, without building or watching."""
    out = tmp_path / "project" / "site"
    (out / "en-GB").mkdir(parents=True)
    (out / "index.html").write_text("<!DOCTYPE html><html><body><p>index</p></body></html>")
    (out / "en-GB" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    (out / "link").symlink_to(tmp_path)  # a symlink out of the folder
    preview = Preview(tmp_path / "project", out, (), 0, lambda text: None)
    preview.state.publish("")  # as after a first build
    thread = threading.Thread(target=preview.server.serve_forever, daemon=True)
    thread.start()
    yield preview.server.server_address[1], secret, preview
    preview.server.shutdown()
    preview.server.server_close()


def test_listens_on_loopback_only(static_preview) -> None:  # noqa: ANN001
    port, _, preview = static_preview
    assert preview.server.server_address[0] == "127.0.0.1"
    assert preview.url == f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
    "/..%2fsecret.txt", "/en-GB/../../secret.txt", "/en-GB/%2e%2e/%2e%2e/secret.txt",
    "/link/secret.txt", "//secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
    "/%00/../secret.txt", "http://127.0.0.1/../secret.txt",
])
def test_no_path_traversal(static_preview, target: str) -> None:  # noqa: ANN001
    port, secret, _ = static_preview
    status, data = raw_get(port, target)
    assert status == 404
    assert b"TOP-SECRET" not in data


def test_absolute_paths_stay_inside(static_preview) -> None:  # noqa: ANN001
    port, secret, _ = static_preview
    status, data = raw_get(port, str(secret))  # "/tmp/.../secret.txt" names site/tmp/...
    assert status == 404 and b"TOP-SECRET" not in data
    status, data = raw_get(port, "/etc/passwd")
    assert status == 404 and b"root:" not in data


def test_serves_files_and_injects_reload_script(static_preview) -> None:  # noqa: ANN001
    port, _, _ = static_preview
    status, data = raw_get(port, "/")
    assert status == 200 and b"<p>index</p>" in data and b"/__lessonpack/poll" in data
    status, data = raw_get(port, "/en-GB/a.pdf")
    assert status == 200 and data.endswith(b"%PDF-1.7 test") and b"application/pdf" in data
    status, data = raw_get(port, "/en-GB")
    assert status == 301 and b"Location: /en-GB/" in data


def test_refuses_requests_for_another_host(static_preview) -> None:  # noqa: ANN001
    """DNS rebinding: a page on evil.example whose name now points to 127.0.0.1 sends
    ``Host: evil.example:<port>``; the preview answers only its own loopback names."""
    port, _, _ = static_preview
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}",
                 "127.0.0.1", f"localhost.evil.example:{port}", f"[::1]:{port}"):
        for target in ("/", "/en-GB/a.pdf", "/__lessonpack/poll?since=99"):
            status, data = raw_get(port, target, host=host)
            assert status == 403, (host, target)
            assert b"<p>index</p>" not in data and b"%PDF" not in data
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, data = raw_get(port, "/", host=host)
        assert status == 200 and b"<p>index</p>" in data, host


def test_closed_connection_is_silent(static_preview, capfd) -> None:  # noqa: ANN001
    """A tab closed while a file is sent: no BrokenPipeError/ConnectionResetError traceback."""
    port, _, preview = static_preview
    (preview.out_dir / "big.pdf").write_bytes(b"%PDF" + b"x" * 8_000_000)
    capfd.readouterr()
    for _ in range(3):
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn.sendall(f"GET /big.pdf HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        conn.recv(100)  # the answer has started
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # reset: the server's next write fails
    time.sleep(1.0)
    status, _ = raw_get(port, "/")  # and the server still answers
    assert status == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err


def test_first_page_says_it_is_building_and_reloads(browser, tmp_path: Path) -> None:  # noqa: ANN001
    """Before the first build is published a page that is not there yet is a "building"
    page (503) that reloads itself once the build is ready; then missing pages are 404."""
    out = tmp_path / "project" / "site"
    out.mkdir(parents=True)
    preview = Preview(tmp_path / "project", out, (), 0, lambda text: None)
    threading.Thread(target=preview.server.serve_forever, daemon=True).start()
    try:
        port = preview.server.server_address[1]
        status, data = raw_get(port, "/")
        assert status == 503 and b"Building the lesson packs" in data
        assert b"/__lessonpack/poll" in data  # it reloads itself
        page = browser.new_page()
        page.goto(preview.url)
        assert "Building" in page.inner_text("h1")
        (out / "index.html").write_text("<!DOCTYPE html><html><body><h1>Packs</h1></body></html>")
        preview.state.publish("")  # the first build is done
        page.wait_for_function("document.querySelector('h1').innerText === 'Packs'",
                               timeout=20_000)
        page.close()
        status, data = raw_get(port, "/missing.html")
        assert status == 404 and b"Building" not in data
    finally:
        preview.server.shutdown()
        preview.server.server_close()


def test_resolve_request_path(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    assert resolve_request_path(root, "/a/b.html") == root.resolve() / "a/b.html"
    assert resolve_request_path(root, "/a/./b.html?x=1#y") == root.resolve() / "a/b.html"
    for bad in ("/../x", "/%2e%2e/x", "/a/%2E%2E/%2E%2E/x", "/a\\..\\x", "/a%00b"):
        assert resolve_request_path(root, bad) is None, bad


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve_process(project: Path):  # noqa: ANN201 - (url, project, output lines)
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lessonpack", "serve", "--project", str(project),
         "--edition", "en-GB", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                     daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any("built" in line for line in lines):
            break
        if proc.poll() is not None:
            pytest.fail("serve exited:\n" + "".join(lines))
        time.sleep(0.2)
    else:
        pytest.fail("no first build:\n" + "".join(lines))
    yield url, project, lines
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_preview_rebuilds_reloads_and_survives_errors(browser, serve_process) -> None:  # noqa: ANN001
    url, project, lines = serve_process
    page = browser.new_page()
    page.goto(url + "en-GB/8-10/sample/handout.html")
    assert "Sam plays a game." in page.inner_text("main")
    module = project / "lessons/01-sample/module.yaml"
    good = module.read_text()
    # 1. an edit: the open page reloads by itself and shows the new text
    module.write_text(good.replace("Sam plays a game.", "Sam plays a game called Starfall."))
    page.wait_for_function("document.body.innerText.includes('Starfall')", timeout=60_000)
    assert "Starfall" in (project / "site/en-GB/8-10/sample/handout.html").read_text()
    # only what the module feeds was rebuilt: en-GB × 2 bands × 4 documents, HTML only
    assert any(line.startswith("built 8, skipped 0") for line in lines)
    # 2. a content error: shown in the page and the terminal; the server keeps running
    module.write_text(good.replace("order: 1", "order: one"))
    page.wait_for_selector("#lessonpack-error", timeout=60_000)
    banner = page.inner_text("#lessonpack-error")
    assert "schema.type" in banner and "module.yaml:2:8" in banner
    # the banner never covers the page title, and folds away (and stays folded on reload)
    title = page.locator("h1").bounding_box()
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('h1') !== null",
                           [title["x"] + 5, title["y"] + title["height"] / 2])
    assert on_top
    page.click("#lessonpack-error summary")
    assert page.is_hidden("#lessonpack-error pre")
    assert page.locator("#lessonpack-error").bounding_box()["height"] < 80
    page.reload()
    assert page.is_hidden("#lessonpack-error pre")
    assert "Starfall" in page.inner_text("main")  # the last good build stays readable
    assert any("schema.type" in line for line in lines)
    # 3. fixed: the banner goes, the page is current again
    module.write_text(good.replace("Sam plays a game.", "Sam plays a game called Moonfall."))
    page.wait_for_function("document.body.innerText.includes('Moonfall')", timeout=60_000)
    assert page.query_selector("#lessonpack-error") is None
    with urllib.request.urlopen(url + "index.html", timeout=10) as response:
        assert response.status == 200
    assert not any(re.search(r"Traceback", line) for line in lines)
    page.close()
