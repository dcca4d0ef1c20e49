"""Serve the built site on 127.0.0.1 and rebuild it whenever a source file changes."""
from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from teachforward.build import build

WATCHED = ("workshops", "docs", "slides_src", "mkdocs.yml", "scripts/teachforward")


def snapshot(root: Path) -> dict[str, float]:
    stamps = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                stamps[str(file)] = file.stat().st_mtime
    return stamps


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one line per page is noise while editing
        pass


def serve(root: Path, out: Path, port: int) -> int:
    build(root, out)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop). Edits to the sources rebuild the site.")
    seen = snapshot(root)
    try:
        while True:
            time.sleep(1)
            now = snapshot(root)
            if now != seen:
                seen = now
                print("Sources changed: rebuilding...")
                build(root, out)
    finally:
        server.shutdown()
