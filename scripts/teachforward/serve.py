"""Serve the built site on 127.0.0.1, rebuild what changed whenever a source file changes, and
reload the pages open in the browser once the new site is in place.

Pages are served with a small script added (never written into site/): it waits on
/__teachforward/reload for the next successful build and then reloads the page.
"""
from __future__ import annotations

import functools
import signal
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from teachforward.build import build
from teachforward.watching import SourceSnapshots, watch_sources

RELOAD_PATH = "/__teachforward/reload"
LOOK_EVERY_S = 0.1     # with the files' times read (SourceSnapshots), how often: a save is seen within this
RELOAD_SCRIPT = b"""<script>(function () {
  function wait(seen) {
    fetch("%s?seen=" + seen).then(function (r) { return r.text(); }).then(function (now) {
      if (seen !== "" && now !== seen) { location.reload(); } else { wait(now); }
    }, function () { setTimeout(function () { wait(seen); }, 2000); });
  }
  wait("");
})();</script>""" % RELOAD_PATH.encode()


class Builds:
    """How many builds have succeeded, for the pages waiting to reload."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def succeeded(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_for_change(self, seen: str, timeout: float = 25.0) -> int:
        with self.changed:
            if seen == str(self.count):
                self.changed.wait(timeout)
            return self.count


class _Handler(SimpleHTTPRequestHandler):
    builds: Builds

    def log_message(self, format, *args):  # one line per page is noise while editing
        pass

    def do_GET(self):
        if self.path.startswith(RELOAD_PATH):
            seen = self.path.partition("seen=")[2]
            self._reply(str(self.builds.wait_for_change(seen)).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().do_GET()       # the standard redirect to the folder's URL with a slash
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes()
            at = body.rfind(b"</body>")
            body = body[:at] + RELOAD_SCRIPT + body[at:] if at >= 0 else body + RELOAD_SCRIPT
            self._reply(body, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _reply(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Session:
    """The builds of one serve: what they loaded stays in memory from one to the next, so that
    an edit costs what it changes (the files not changed are not parsed again). After the first
    build, an edit's pages are published before its decks and PDFs are made; a new edit stops
    that catch-up and is built at once (build.build). `published` is called whenever a new
    site is in place. `watch` tells what changed (watching.py); by default the files' times are
    read again at each question."""

    def __init__(self, root: Path, out: Path, published=lambda: None, watch=None):
        from teachforward.pipeline import Kept
        self.root, self.out, self.published = root, out, published
        self.watch = watch or SourceSnapshots(root)
        self.kept = Kept()
        self.memo = self.kept.parsed

    def build(self) -> int:
        changed = self.watch.take()
        self.kept.loaded.saw(changed)      # the workshop folders outside these are not listed again
        return build(self.root, self.out, kept=self.kept, published=self.published, stop=self.changed,
                     first=self._languages(changed), marks=self.watch.marks)

    def _languages(self, changed: set[str]) -> set[str]:
        """The languages whose own sources changed (workshops/<code>/..., docs/<code>/...)."""
        languages = set()
        for path in changed:
            parts = Path(path).relative_to(self.root).parts if Path(path).is_relative_to(self.root) else ()
            if len(parts) > 2 and parts[0] in ("workshops", "docs"):
                languages.add(parts[1])
        return languages

    def changed(self) -> bool:
        return self.watch.pending()


def _rebuild(session: Session, out: Path) -> None:
    """A worker that ended without its result (killed by the system when memory runs out, or a
    bug) fails that build, not serve: what was published stays, and the next save builds again."""
    from teachforward.pipeline import WorkerError
    try:
        session.build()
    except WorkerError as error:
        print(f"The build stopped: {error}.\n{out} shows what was last published; save again to rebuild.",
              flush=True)


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)


def serve(root: Path, out: Path, port: int) -> int:
    # Stopped by a signal (`kill`, a test, the bench), unwind as for Ctrl-C: the build's workers
    # are ended with it (pipeline._Runner.close) instead of going on, orphaned, in build/.
    signal.signal(signal.SIGTERM, _terminated)
    builds = Builds()
    watch = watch_sources(root)
    session = Session(root, out, published=builds.succeeded, watch=watch)
    session.build()
    handler = functools.partial(type("Handler", (_Handler,), {"builds": builds}), directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop). Edits to the sources rebuild what they "
          "change, and open pages reload.")
    try:
        while True:
            if watch.wait(LOOK_EVERY_S):
                print("Sources changed: rebuilding...")
                _rebuild(session, out)
    finally:
        server.shutdown()
        watch.close()
