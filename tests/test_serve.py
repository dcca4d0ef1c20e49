"""`teachforward serve`: the site is served, an edit rebuilds only what it changes, and the pages
open in a browser reload when the new site is in place (they wait on /__teachforward/reload)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 60) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(tree):
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    process = subprocess.Popen([sys.executable, "-m", "teachforward", "--root", str(tree.root), "serve",
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
    deadline = time.monotonic() + 180
    while not any("Serving on" in line for line in lines):
        assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", lines
    process.terminate()
    process.wait(timeout=30)


def test_an_edit_rebuilds_what_it_changes_and_open_pages_reload(tree, served):
    base, lines = served
    page = get(f"{base}/en/workshops/01-basics/notes.html")
    assert "zebrafish" in page and "/__teachforward/reload" in page
    assert "__teachforward" not in (tree.root / "site" / "en" / "workshops" / "01-basics" / "notes.html").read_text(
        encoding="utf-8"), "the reload script is added when serving, never written into the site"
    seen = get(f"{base}/__teachforward/reload?seen=")          # answers at once: the current build
    answer: list[str] = []
    waiting = threading.Thread(target=lambda: answer.append(get(f"{base}/__teachforward/reload?seen={seen}", 120)))
    waiting.start()
    time.sleep(1)
    assert waiting.is_alive(), "the page is told to reload although nothing changed"
    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    waiting.join(timeout=120)
    assert answer and answer[0] != seen, "the page was not told to reload after the rebuild"
    assert "seahorse" in get(f"{base}/en/workshops/01-basics/notes.html")
    # The line is printed before the pages are told to reload, but read from serve's output by a thread.
    deadline = time.monotonic() + 60
    while not any(line.startswith("Served the edit") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    served_first = next(line for line in lines if line.startswith("Served the edit"))
    rendered = int(re.search(r"\((\d+) page\(s\) rendered", served_first).group(1))
    assert 0 < rendered <= 4, served_first


def test_folders_and_other_files_are_served_as_they_are(served):
    base, _ = served
    assert "__teachforward" not in get(f"{base}/en/search/search_index.json")
    assert "/__teachforward/reload" in get(f"{base}/en/")
    with urllib.request.urlopen(f"{base}/en", timeout=30) as response:      # redirected to en/
        assert response.url.endswith("/en/")


def test_a_serve_session_gives_after_each_edit_the_site_a_clean_build_gives(tree, tmp_path, capsys, monkeypatch):
    """One serve session keeps what it loaded from one build to the next; after each edit of a
    sequence its site is byte for byte the site a clean build of the same sources gives, only
    the edited file was parsed again, and the unchanged site sources were not read again."""
    from teachforward.serve import Session
    from test_incremental import digest, run_build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    session = Session(tree.root, tree.root / "site")
    assert session.build() == 0, capsys.readouterr().out
    assert session.memo.last_parsed > 2
    edits = [
        ("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse"),
        ("docs/fr/index.md", "Bienvenue.", "Bienvenue à toutes et à tous."),
        ("workshops/en/01-basics/notes.md", "unique word seahorse", "unique word zebrafish"),   # back again
    ]
    for number, (path, old, new) in enumerate(edits):
        tree.replace(path, old, new)
        assert session.changed()
        assert session.build() == 0, capsys.readouterr().out
        assert not session.changed()
        # Only the edited file was parsed again; what it does not concern was kept whole (load_memo).
        assert session.memo.last_parsed == 1, path
        assert session.kept.loaded.last_reused >= len(list((tree.root / "docs" / "en").rglob("*.md"))), path
        # Each language's site sources were written with what its last build kept (even a build
        # in a fork sends it back): the files that did not change were neither read nor written.
        sources_memo = session.kept.sources
        assert set(sources_memo) == {"en", "fr"}
        assert sources_memo[path.split("/")[1]].trusted_files > 10, path
        served = digest(tree.root / "site")
        capsys.readouterr()
        fresh = tmp_path / str(number)      # the old site, removed by a thread, is not a source
        shutil.copytree(tree.root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
        run_build(fresh, capsys)
        assert served == digest(fresh / "site"), f"after editing {path}"


def error_lines(out: str) -> list[str]:
    return sorted(line for line in out.splitlines() if ": error: " in line and not line.startswith("::"))


def test_a_serve_session_follows_an_edit_into_every_language_and_keeps_the_last_good_site(tree, capsys, monkeypatch):
    """An English edit in a running session: the English page and its search index show it, the
    French translation of that file is marked outdated (page notice and status page). An edit
    that makes a file invalid is reported exactly as `teachforward check` reports it, and the
    last good site stays served; fixing it brings the site back."""
    from teachforward.cli import main
    from teachforward.serve import Session
    from test_english_moves_on import french_current
    from test_incremental import digest
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    french_current(tree, capsys)
    site = tree.root / "site"
    session = Session(tree.root, site)
    assert session.build() == 0, capsys.readouterr().out
    capsys.readouterr()
    french_notes = site / "fr" / "workshops" / "01-basics" / "notes.html"
    french_status = site / "fr" / "translation-status.html"
    # The fixture's French interface strings are few: the notices are in English.
    changed, outdated = "has changed since it was translated", "The English has changed since the translation, in"
    assert changed not in french_notes.read_text(encoding="utf-8")
    assert outdated not in french_status.read_text(encoding="utf-8")

    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    assert session.build() == 0, capsys.readouterr().out
    english = (site / "en" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert "seahorse" in english and "zebrafish" not in english
    search = site / "en" / "search"
    manifest = (search / "search_index.json").read_text(encoding="utf-8")
    assert "seahorse" in manifest and "zebrafish" not in manifest
    # The shards the worker fetches: the new word is found, and the pages not rendered again are kept.
    shards = "".join(path.read_text(encoding="utf-8") for path in sorted((search / "shards").glob("*.js")))
    assert "seahorse" in shards and "zebrafish" not in shards
    assert "Glossary" in shards, "the pages not rendered again are still in the search index"
    index = (search / "search_index.full.json").read_text(encoding="utf-8")
    assert "seahorse" in index and "zebrafish" not in index and "Glossary" in index
    assert changed in french_notes.read_text(encoding="utf-8")
    assert outdated in french_status.read_text(encoding="utf-8")
    good = digest(site)

    notes = tree.read("workshops/en/01-basics/notes.md")
    broken = notes.replace("unique word seahorse", 'unique word seahorse <script>alert("x")</script> '
                           "and [a link](../02-missing/notes.md)", 1)
    tree.write("workshops/en/01-basics/notes.md", broken)
    assert session.build() == 1
    served = capsys.readouterr().out
    assert main(["--root", str(tree.root), "check"]) == 1
    checked = capsys.readouterr().out
    assert len(error_lines(checked)) >= 2, checked
    assert error_lines(served) == error_lines(checked)
    assert digest(site) == good, "a failed build changed the site being served"

    tree.write("workshops/en/01-basics/notes.md", notes)
    assert session.build() == 0, capsys.readouterr().out
    assert digest(site) == good


def marks(folder: Path) -> dict[str, tuple]:
    """What tells that a file was written again: its size, time and inode, by name."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.iterdir() if p.is_file()}


def fresh_build(tree, tmp_path: Path, name: str, capsys) -> dict[str, str]:
    from test_incremental import digest, run_build
    fresh = tmp_path / name          # the old site, removed by a thread, is not a source
    shutil.copytree(tree.root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    run_build(fresh, capsys)
    return digest(fresh / "site")


def test_serve_publishes_an_edit_before_its_pdfs_and_decks_and_then_the_site_a_clean_build_gives(
        tree, tmp_path, capsys, monkeypatch):
    """After serve's first build, an edit's page is published (and the open pages told to
    reload) before its PDFs and decks are made again, with the files of the last build and
    without claiming the sources are built (the stamp); once they have caught up, the site is
    byte for byte a clean build's. A second edit saved during that catch-up stops it and is
    built at once, and then the site is a clean build's of both edits."""
    from teachforward.build import LAST_BUILD
    from teachforward.serve import Session
    from test_incremental import digest
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site, work = tree.root / "site", tree.root / "build"
    notes = site / "en" / "workshops" / "01-basics" / "notes.html"
    seen: list[dict] = []
    then: list = []          # what to do when the next site is published

    def published():
        seen.append({"page": notes.read_text(encoding="utf-8"), "pdfs": marks(work / "en" / "print"),
                     "decks": marks(work / "decks" / "en"), "claimed": (work / LAST_BUILD).exists(),
                     "downloads": {name: data for name, data in digest(site / "en" / "downloads").items()
                                   if name.endswith((".pdf", ".pptx", ".zip"))}})
        while then:
            then.pop()()

    session = Session(tree.root, site, published=published)
    assert session.build() == 0, capsys.readouterr().out
    assert len(seen) == 1 and "zebrafish" in seen[0]["page"]
    pdfs, decks, downloads = seen[0]["pdfs"], seen[0]["decks"], seen[0]["downloads"]

    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    assert session.build() == 0, capsys.readouterr().out
    # Published in turns: the English of the edit, the French (now outdated), then the PDFs and decks.
    assert len(seen) == 4, "the site was not published in its three turns"
    early, caught_up = seen[1], seen[-1]
    assert "seahorse" in early["page"] and "zebrafish" not in early["page"]
    for turn in seen[1:3]:
        assert (turn["pdfs"], turn["decks"]) == (pdfs, decks), "the edit was published after its PDFs or decks"
        assert turn["downloads"] == downloads, "the first sites of the edit did not offer the last build's files"
        assert "teach-forward-en.zip" in turn["downloads"]        # the offline pack, made again in the catch-up
        assert not turn["claimed"], "the stamp says the sources are built before their PDFs caught up"
    assert caught_up["pdfs"] != pdfs and caught_up["decks"] != decks, "the edit changes no PDF or deck"
    pack = "teach-forward-en.zip"
    assert caught_up["downloads"][pack] != downloads[pack], "the offline pack was not made again"
    assert caught_up["claimed"] is False     # LAST_BUILD is written just after the last publish
    assert (work / LAST_BUILD).exists()
    assert not session.changed()
    assert digest(site) == fresh_build(tree, tmp_path, "one", capsys)

    # Two edits in a row: the second is saved as soon as the first is published.
    then.append(lambda: tree.replace("docs/fr/index.md", "Bienvenue.", "Bienvenue à toutes et à tous."))
    tree.replace("workshops/en/01-basics/notes.md", "unique word seahorse", "unique word sea lion")
    before = len(seen)
    assert session.build() == 0, capsys.readouterr().out
    assert "sea lion" in seen[before]["page"]
    assert len(seen) == before + 1, "the catch-up of the first edit went on after the second was saved"
    assert not (work / LAST_BUILD).exists(), "the stamp claims a build whose PDFs had not caught up"
    assert session.changed()
    assert session.build() == 0, capsys.readouterr().out
    assert not session.changed() and (work / LAST_BUILD).exists()
    assert "Bienvenue à toutes et à tous." in (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert digest(site) == fresh_build(tree, tmp_path, "two", capsys)


def _serving_processes(root: Path) -> list[int]:
    """The processes of a `teachforward serve` of `root`: serve and the workers forked from it."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in command and str(root).encode() in command:
                found.append(int(entry))
    return found


def _in_the_catch_up(tree, lines: list[str]) -> tuple[int, list[int]]:
    """Edit, wait until serve is making the edit's decks and PDFs: (serve, its workers)."""
    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    deadline = time.monotonic() + 120
    while not any(line.startswith("Then the other languages") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)

    def parent(pid: int) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

    serve = next(pid for pid in _serving_processes(tree.root) if parent(pid) == os.getpid())
    workers = [pid for pid in _serving_processes(tree.root) if pid != serve]
    assert workers, "no worker ran during the catch-up"
    return serve, workers


def test_serve_stopped_by_a_signal_during_the_catch_up_ends_its_workers_too(tree, served):
    """`kill` (SIGTERM) while the decks and PDFs of an edit are being made: the workers end with
    serve instead of going on, orphaned, writing into build/."""
    base, lines = served
    serve, _ = _in_the_catch_up(tree, lines)
    os.kill(serve, signal.SIGTERM)
    for _ in range(600):       # until serve has ended (bounded: 60 s); its zombie has no command line
        if serve not in _serving_processes(tree.root):
            break
        time.sleep(0.1)
    assert _serving_processes(tree.root) == [], "workers were left running after serve ended"


def test_a_worker_killed_during_the_catch_up_fails_that_build_not_serve(tree, served):
    """The system may kill a worker (memory runs out): serve says so and builds the next save."""
    base, lines = served
    serve, workers = _in_the_catch_up(tree, lines)
    os.kill(workers[0], signal.SIGKILL)
    deadline = time.monotonic() + 120
    while not any(line.startswith("The build stopped") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(line.startswith("The build stopped") for line in lines), "".join(lines)
    assert serve in _serving_processes(tree.root), "serve ended with its worker"
    tree.replace("workshops/en/01-basics/notes.md", "unique word seahorse", "unique word sea lion")
    while sum(line.startswith("Built ") for line in lines) < 2 and time.monotonic() < deadline:   # then caught up
        time.sleep(0.1)
    assert "sea lion" in get(f"{base}/en/workshops/01-basics/notes.html"), "".join(lines)
