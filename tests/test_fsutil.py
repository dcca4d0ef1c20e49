"""fsutil: files are never half-written, and a file that would get the same bytes is left alone."""
from __future__ import annotations

from teachforward.fsutil import write_changed


def test_write_changed_leaves_a_file_with_the_same_bytes_alone_and_writes_new_bytes(tmp_path):
    path = tmp_path / "folder" / "shard.js"
    assert write_changed(path, b"one") is True          # the folder is made too
    before = path.stat()
    assert write_changed(path, b"one") is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert write_changed(path, b"two") is True
    assert path.read_bytes() == b"two"
    assert write_changed(path, b"tw0") is True and path.read_bytes() == b"tw0"     # same size, other bytes
    assert [p.name for p in path.parent.iterdir()] == ["shard.js"]      # no temporary file left


def test_write_changed_in_place_keeps_the_file_and_writes_only_new_bytes(tmp_path):
    path = tmp_path / "site" / "search" / "w1.js"
    assert write_changed(path, b"one", in_place=True) is True
    inode = path.stat().st_ino
    assert write_changed(path, b"one", in_place=True) is False
    assert write_changed(path, b"two!", in_place=True) is True
    assert path.read_bytes() == b"two!" and path.stat().st_ino == inode     # the same file, rewritten
    assert [p.name for p in path.parent.iterdir()] == ["w1.js"]
