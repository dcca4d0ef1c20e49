"""The offline pack is made from the previous one: the entries of unchanged files are copied as
they were compressed, and the zip is byte for byte the one made from nothing."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from teachforward.site import offline


def site(folder, pages: int = 5):
    for number in range(pages):
        (folder / "workshops").mkdir(parents=True, exist_ok=True)
        (folder / "workshops" / f"page{number}.html").write_text(f"<p>page {number} " + "words " * 500, encoding="utf-8")
    (folder / "deck.pptx").write_bytes(b"PK stored as it is" * 100)
    (folder / "main.js.map").write_text("left out", encoding="utf-8")
    return folder


def counting(monkeypatch) -> list[str]:
    compressed: list[str] = []
    real = offline.compress

    def compress(name, data, store=False):
        compressed.append(name)
        return real(name, data, store=store)

    monkeypatch.setattr(offline, "compress", compress)
    return compressed


def test_only_changed_files_are_compressed_again_and_the_zip_is_the_one_made_from_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = site(tmp_path / "site")
    target = tmp_path / "pack" / "teach-forward-en.zip"
    compressed = counting(monkeypatch)
    offline.zip_tree(folder, target, "p")
    assert len(compressed) == 6
    (folder / "workshops" / "page2.html").write_text("<p>changed</p>", encoding="utf-8")
    (folder / "workshops" / "page5.html").write_text("<p>new</p>", encoding="utf-8")
    compressed.clear()
    offline.zip_tree(folder, target, "p")
    assert compressed == ["p/workshops/page2.html", "p/workshops/page5.html"]
    fresh = tmp_path / "fresh.zip"
    offline.zip_tree(folder, fresh, "p")
    assert target.read_bytes() == fresh.read_bytes()
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert "p/main.js.map" not in archive.namelist()
        assert archive.read("p/workshops/page1.html").startswith(b"<p>page 1 ")


def test_a_pack_its_record_does_not_describe_is_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = site(tmp_path / "site")
    target = tmp_path / "teach-forward-en.zip"
    offline.zip_tree(folder, target, "p")
    target.write_bytes(target.read_bytes())      # rewritten behind its record's back: not the zip it describes
    compressed = counting(monkeypatch)
    offline.zip_tree(folder, target, "p")
    assert len(compressed) == 6


def test_a_file_that_keeps_its_size_time_and_inode_is_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = site(tmp_path / "site")
    target = tmp_path / "pack" / "teach-forward-en.zip"
    offline.zip_tree(folder, target, "p")
    page = folder / "workshops" / "page2.html"
    size, moved = page.stat().st_size, page.stat().st_mtime_ns + 1_000_000
    with open(page, "r+b") as handle:        # the same size and inode, other bytes, a later time
        handle.write(b"<p>other</p>".ljust(size, b" "))
    os.utime(page, ns=(moved, moved))
    unchanged_but_touched = folder / "workshops" / "page3.html"
    os.utime(unchanged_but_touched, ns=(moved, moved))
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    compressed = counting(monkeypatch)
    offline.zip_tree(folder, target, "p")
    assert sorted(name for name in read if name.endswith((".html", ".pptx"))) == ["page2.html", "page3.html"]
    assert compressed == ["p/workshops/page2.html"]         # page3's bytes are those zipped last time
    monkeypatch.setattr(Path, "read_bytes", real)
    fresh = tmp_path / "fresh.zip"
    offline.zip_tree(folder, fresh, "p")
    assert target.read_bytes() == fresh.read_bytes()
    with zipfile.ZipFile(target) as archive:
        assert archive.read("p/workshops/page2.html").startswith(b"<p>other</p>")
