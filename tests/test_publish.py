"""site/publish.py: serve brings a published language up to its new build file by file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from teachforward.site.publish import _update_tree


def _tree(top: Path) -> dict[str, bytes]:
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_update_in_place_copies_what_changed_removes_what_went_and_leaves_the_rest(tmp_path):
    built, published, pack = tmp_path / "build", tmp_path / "site", tmp_path / "pack.zip"
    _write(built / "index.html", b"home")
    _write(built / "w1" / "notes.html", b"notes one")
    _write(built / "w2" / "notes.html", b"notes two")
    _write(built / "assets" / "app.js.map", b"map")
    _write(pack, b"zip one")
    linked = {"downloads/pack.zip": pack}
    _update_tree(built, published, linked)          # an empty target: everything is copied
    expected = {"downloads/pack.zip": b"zip one", "index.html": b"home", "w1/notes.html": b"notes one",
                "w2/notes.html": b"notes two"}
    assert _tree(published) == expected
    assert os.stat(published / "downloads" / "pack.zip").st_ino == pack.stat().st_ino     # linked, not copied
    kept = (published / "index.html").stat()

    _write(built / "w1" / "notes.html", b"notes ONE")             # the same size: told by its time
    os.utime(built / "w1" / "notes.html", ns=(1, kept.st_mtime_ns + 1_000_000))
    shutil.rmtree(built / "w2")                                    # a page removed
    _write(published / "w1" / ".notes.html.publishing", b"half")  # a stopped update's leftover
    _write(tmp_path / "pack.new", b"zip two")
    os.replace(tmp_path / "pack.new", pack)                        # the pack written anew (another inode)
    _update_tree(built, published, linked)

    assert _tree(published) == {"downloads/pack.zip": b"zip two", "index.html": b"home", "w1/notes.html": b"notes ONE"}
    assert not (published / "w2").exists()
    after = (published / "index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)     # left alone
    assert os.stat(published / "w1" / "notes.html").st_ino != os.stat(built / "w1" / "notes.html").st_ino
