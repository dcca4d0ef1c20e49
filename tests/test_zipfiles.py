"""The zip writer behind offline packs and decks: valid zips, the same bytes every time."""
from __future__ import annotations

import io
import stat
import zipfile

from teachforward.zipfiles import compress, write_zip, zip_bytes

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
