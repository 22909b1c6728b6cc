"""`lessonpack serve`: preview HTML on 127.0.0.1, rebuild what a saved file affects, reload.

As MkDocs' livereload does it: a small stdlib HTTP server, a polling watcher (no inotify
dependency; 0.3 s is quick enough for an author saving a file) and a tiny long-poll script
injected into every HTML page it serves. A rebuild is the normal incremental build with
``--format html``, so only documents whose inputs changed are rendered again. A content or
template error never stops the server: it is printed in the terminal and shown on top of
every page (the last good documents stay readable underneath) until the next save fixes it.

Only files inside the build folder are served: a path with a ``..`` segment (also when
percent-encoded), a backslash or a NUL is refused, and whatever is left must resolve inside
the folder (symlinks included). A request whose ``Host`` is not ``127.0.0.1:<port>`` or
``localhost:<port>`` is refused, so a page on another site cannot read the preview through DNS
rebinding. A tab closed mid-answer is not an error (no ``BrokenPipeError`` traceback).

Until the first build is published, a page that does not exist yet says the packs are being
built and reloads itself. The error banner sits in the page's flow above the title (never on
top of it) and folds away; the fold is kept across reloads.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import escape

from ..problems import printable

POLL_PATH = "/__lessonpack/poll"
POLL_SECONDS = 20.0
WATCH_INTERVAL = 0.1  # a stat of ~150 files: cheap; each 0.1 s is felt in edit-to-reload
WATCHED = ("curriculum.yaml", "lessons", "routes", "templates", "locales", "assets")

RELOAD_SCRIPT = """<script>
(function () {
  var epoch = %d;
  var fold = document.getElementById("lessonpack-error-details");
  if (fold) {
    try {
      if (sessionStorage.getItem("lessonpack-fold") === "1") { fold.open = false; }
      fold.addEventListener("toggle", function () {
        sessionStorage.setItem("lessonpack-fold", fold.open ? "0" : "1");
      });
    } catch (e) { /* storage off: the banner simply opens again */ }
  }
  function poll() {
    fetch("%s?since=" + epoch, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.epoch > epoch) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
}());
</script>
"""


@dataclass
class State:
    """What the server tells pages: the build epoch and the last build's error text."""

    epoch: int = 0
    error: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, error: str) -> None:
        with self.changed:
            self.error = error
            self.epoch += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch > since, timeout=timeout)
            return self.epoch


def resolve_request_path(root: Path, url_path: str) -> Path | None:
    """The file (or folder) a URL path names inside ``root``, or None if it would leave it."""
    path = unquote(urlsplit(url_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    base = root.resolve()
    target = base.joinpath(*parts).resolve() if parts else base
    if not target.is_relative_to(base):
        return None
    return target


def snapshot(project_root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = project_root / name
        paths = [top] if top.is_file() else (p for p in top.rglob("*") if p.is_file()) \
            if top.is_dir() else []
        for path in paths:
            if any(part.startswith(".") for part in path.relative_to(project_root).parts):
                continue  # editor swap files, .lessonpack-cache
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def error_banner(text: str) -> str:
    """The build's problems, in the page's flow above its title (a fixed overlay hid the
    title, issue 20), folded with one click."""
    return ('<div role="alert" id="lessonpack-error" style="position:relative;z-index:99999;'
            'background:#fff;color:#000;border:4px solid #000;margin:0 0 1em;padding:0.4em 1em;'
            'font:14px/1.4 monospace;text-align:start" dir="ltr" lang="en">'
            '<details open id="lessonpack-error-details">'
            '<summary style="cursor:pointer;font-weight:700;min-height:24px">lessonpack: the '
            'last change has problems; these pages are from the last good build (fold / '
            'unfold)</summary><pre style="white-space:pre-wrap;overflow-wrap:anywhere;'
            'max-height:40vh;overflow:auto;margin:0.5em 0 0">'
            f"{escape(printable(text))}</pre></details></div>")


BUILDING_PAGE = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<meta http-equiv=\"refresh\" content=\"5\"><title>Building…</title></head>"
                 "<body><main><h1>Building the lesson packs…</h1><p role=\"status\">This page "
                 "reloads itself when the first build is ready.</p></main></body></html>")
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def allowed_hosts(port: int) -> set[str]:
    """The ``Host`` values the preview answers: its loopback names with its port."""
    names = {"127.0.0.1", "localhost"}
    hosts = {f"{name}:{port}" for name in names}
    return hosts | names if port == 80 else hosts


class PreviewServer(ThreadingHTTPServer):
    """A threading server that is silent about connections the browser closed."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's API
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # a closed tab or a reload mid-answer: nothing went wrong
        super().handle_error(request, client_address)


def make_handler(root: Path, state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lessonpack-preview"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the terminal shows builds, not every request

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
            self._respond(head=True)

        def do_GET(self) -> None:  # noqa: N802
            self._respond(head=False)

        def server_url(self) -> str:
            return f"http://127.0.0.1:{self.server.server_address[1]}/"

        def _send(self, status: int, body: bytes, content_type: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _page(self, html: str) -> bytes:
            if state.error:
                opening = _BODY.search(html)
                at = opening.end() if opening else 0
                html = html[:at] + error_banner(state.error) + html[at:]
            extra = RELOAD_SCRIPT % (state.epoch, POLL_PATH)
            index = html.lower().rfind("</body>")
            html = html[:index] + extra + html[index:] if index >= 0 else html + extra
            return html.encode("utf-8")

        def _host_allowed(self) -> bool:
            host = (self.headers.get("Host") or "").strip().lower()
            return host in allowed_hosts(self.server.server_address[1])

        def _respond(self, head: bool) -> None:
            if not self._host_allowed():
                self._send(HTTPStatus.FORBIDDEN, b"lessonpack preview: open it at "
                           + self.server_url().encode() + b"\n", "text/plain; charset=utf-8",
                           head)
                return
            split = urlsplit(self.path)
            if split.path == POLL_PATH:
                try:
                    since = int(parse_qs(split.query).get("since", ["0"])[0])
                except ValueError:
                    since = 0
                epoch = state.wait(since, POLL_SECONDS)
                body = json.dumps({"epoch": epoch, "error": bool(state.error)}).encode()
                self._send(HTTPStatus.OK, body, "application/json", head)
                return
            target = resolve_request_path(root, self.path)
            if target is not None and target.is_dir():
                if not split.path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", split.path + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                target = target / "index.html"
            if (target is None or not target.is_file()) and state.epoch == 0:
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, self._page(BUILDING_PAGE),
                           "text/html; charset=utf-8", head)
                return
            if target is None or not target.is_file():
                page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<title>Not found</title></head><body><h1>Not found</h1>"
                        "<p><a href=\"/\">The lesson packs</a></p></body></html>")
                self._send(HTTPStatus.NOT_FOUND, self._page(page), "text/html; charset=utf-8",
                           head)
                return
            data = target.read_bytes()
            if target.suffix == ".html":
                self._send(HTTPStatus.OK, self._page(data.decode("utf-8", "replace")),
                           "text/html; charset=utf-8", head)
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, data, kind, head)

    return Handler


class Preview:
    """Builds, watches and serves; ``run()`` blocks until interrupted."""

    def __init__(self, project_root: Path, out_dir: Path, editions: tuple[str, ...], port: int,
                 echo: Callable[[str], None]) -> None:
        self.root = project_root
        self.out_dir = out_dir
        self.editions = editions
        self.echo = echo
        self.state = State()
        out_dir.mkdir(parents=True, exist_ok=True)
        self.server = PreviewServer(("127.0.0.1", port), make_handler(out_dir, self.state))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def rebuild(self) -> None:
        """Check and build HTML; publish the outcome (never raises for content)."""
        from ..checks import check_project
        from ..plan.request import Request, RequestError
        from ..problems import Problems, format_problems
        from .builder import build

        started = time.perf_counter()
        error = ""
        try:
            checked = check_project(self.root)
            if checked.problems.blocks_build(False):
                error = format_problems(checked.problems)
            else:
                warnings = format_problems(checked.problems)
                if warnings:
                    self.echo(warnings)
                problems = Problems(self.root)
                summary = build(checked, Request(editions=self.editions, formats=("html",)),
                                self.out_dir, 1, problems)
                if len(problems):
                    error = format_problems(problems)
                self.echo(f"{summary.describe()} → {self.url}")
        except RequestError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a preview server must outlive any mistake
            error = f"{type(exc).__name__}: {exc}"
        if error:
            self.echo(error)
            self.echo(f"(the page shows these problems; fix and save to rebuild, "
                      f"{time.perf_counter() - started:.1f} s)")
        self.state.publish(error)

    def watch(self, stop: threading.Event) -> None:
        seen = snapshot(self.root)
        while not stop.wait(WATCH_INTERVAL):
            if snapshot(self.root) != seen:
                # let an editor finish writing (save = truncate + write, or rename)
                time.sleep(0.05)
                before, seen = seen, snapshot(self.root)
                changed = sorted(set(before) ^ set(seen)
                                 | {k for k in seen if seen[k] != before.get(k)})
                names = ", ".join(os.path.relpath(p, self.root) for p in changed[:3])
                self.echo(f"changed: {names or 'files'}; rebuilding")
                self.rebuild()

    def run(self) -> None:
        from ..content.readability import keep_grader_warm, stop_grader

        keep_grader_warm()  # an edit's reading level in milliseconds, not seconds
        stop = threading.Event()
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.echo(f"Serving {self.out_dir} on {self.url} (Ctrl+C stops)")
        try:
            self.rebuild()
            self.watch(stop)
        finally:
            stop.set()
            self.server.shutdown()
            self.server.server_close()
            stop_grader()
