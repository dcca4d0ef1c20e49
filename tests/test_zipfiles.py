"""The zip writer behind offline packs and decks: valid zips, the same bytes every time, and
entries reused from the previous zip only when their bytes are the same."""
from __future__ import annotations

import io
import stat
import zipfile

from teachforward.zipfiles import compress, read_entries, reuse_or_compress, write_zip, zip_bytes

DATE = (2023, 11, 14, 22, 13, 20)


def test_any_zip_reader_reads_back_what_was_written(tmp_path):
    files = {"pack/index.html": b"<p>home</p>" * 200, "pack/d\u00e9j\u00e0.txt": "d\u00e9j\u00e0".encode(),
             "pack/deck.pptx": bytes(range(256)) * 10, "pack/empty.txt": b""}
    entries = [compress(name, data, store=name.endswith(".pptx")) for name, data in files.items()]
    path = tmp_path / "pack.zip"
    with open(path, "wb") as handle:
        write_zip(handle, entries, DATE, unix=True)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == list(files)
        for info in archive.infolist():
            assert archive.read(info) == files[info.filename]
            assert info.date_time == DATE
            assert stat.S_ISREG(info.external_attr >> 16) and info.external_attr >> 16 & 0o777 == 0o644
        assert archive.getinfo("pack/deck.pptx").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("pack/index.html").compress_type == zipfile.ZIP_DEFLATED
        assert archive.getinfo("pack/index.html").compress_size < len(files["pack/index.html"]) / 10


def test_same_entries_same_bytes():
    one = zip_bytes([compress("a.xml", b"<a/>" * 50), compress("b.png", b"\x89PNG", store=True)], DATE)
    two = zip_bytes([compress("a.xml", b"<a/>" * 50), compress("b.png", b"\x89PNG", store=True)], DATE)
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert archive.infolist()[0].create_system == 0 and archive.infolist()[0].external_attr == 0


def test_unchanged_entries_are_taken_from_the_earlier_zip_and_changed_ones_are_not(tmp_path):
    path = tmp_path / "old.zip"
    path.write_bytes(zip_bytes([compress("same.html", b"same " * 100), compress("edited.html", b"before " * 100)], DATE))
    earlier = read_entries(path)
    same = reuse_or_compress("same.html", b"same " * 100, earlier)
    edited = reuse_or_compress("edited.html", b"after " * 100, earlier)
    assert same is earlier["same.html"]
    assert edited is not earlier["edited.html"]
    with zipfile.ZipFile(io.BytesIO(zip_bytes([same, edited], DATE))) as archive:
        assert archive.read("edited.html") == b"after " * 100 and archive.read("same.html") == b"same " * 100
    # Stored now but compressed before (or the other way round): compressed again, not reused.
    assert reuse_or_compress("same.html", b"same " * 100, earlier, store=True).method == zipfile.ZIP_STORED


def test_a_missing_or_broken_earlier_zip_is_no_zip(tmp_path):
    assert read_entries(tmp_path / "none.zip") == {}
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    assert read_entries(tmp_path / "broken.zip") == {}
