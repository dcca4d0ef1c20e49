"""The offline pack: each language's whole site as one zip that works from file://.

A facilitator without a connection unzips site/<lang>/downloads/teach-forward-<lang>.zip and
opens teach-forward-<lang>/index.html: every page, handout and slide deck of the language, with
search. The pack is the language's site itself, zipped: every site is built to work from
file:// as well as from a web server (site/sources.py):

- `use_directory_urls: false`, so links point at files (`notes.html`, not `notes/`);
- Material's `offline` plugin, which copies the search index into a script;
- `extra.polyfills` pointing at the iframe-worker shim kept in the theme
  (theme/assets/javascripts/iframe-worker-shim.js): browsers refuse Web Workers under file://,
  and without our copy the plugin would load the shim from unpkg.com;
- under file:// the language selector and the link to the pack itself are hidden
  (theme/assets/javascripts/teachforward.js): the pack holds one language and not itself.

The zip is deterministic: entries sorted, every timestamp taken from SOURCE_DATE_EPOCH.

Each pack is made from the previous one: an entry whose file has the same bytes as last time
(build/<lang>/pack/<name>.entries.json records each file's digest, and the size and time of the
zip it describes) is copied from the previous zip as it was compressed; only the files that
changed are compressed again. After an edit that is a few pages and the search index. The record
also keeps each file's size, time and inode as they were zipped: a file that still has them
holds the same bytes (MkDocs and fsutil change a file's time whenever they write it), so it is
not even read again.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from teachforward import zipfiles
from teachforward.fsutil import atomic_file, read_json, write_atomic
from teachforward.zipfiles import Entry, compress, write_zip

SHIM = "assets/javascripts/iframe-worker-shim.js"   # under the theme's custom_dir, copied into every site
# Of no use offline: the source maps of Material's scripts, the page a web server shows for
# an address it does not have, and the whole search index the search's shards were cut from
# (site/search_shards.py).
LEFT_OUT = (".map", "/404.html", "/search/search_index.full.json")
PACKED = (".pptx", ".zip", ".png", ".jpg", ".jpeg", ".gz", ".woff", ".woff2")   # compressed already: stored


def pack_name(lang: str) -> str:
    return f"teach-forward-{lang}"


def write_offline_pack(site_dir: Path, lang: str, target: Path) -> Path:
    """Zip one language's built site into target; returns target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    zip_tree(site_dir, target, prefix=pack_name(lang))
    return target


def zip_tree(folder: Path, target: Path, prefix: str) -> None:
    """Zip every file under folder as prefix/<relative path>, the same bytes on every build."""
    files = sorted((relative, path, mark) for relative, path, mark in _files_under(folder)
                   if not ("/" + relative).endswith(LEFT_OUT))
    record = _record_path(target)
    digests: dict[str, str] = {}
    marks: dict[str, list[int]] = {}
    with _PreviousPack(target, record) as previous:
        def entries() -> Iterator[Entry]:
            for relative, path, mark in files:
                name = f"{prefix}/{relative}"
                marks[name] = mark
                kept = previous.unchanged(name, mark)
                if kept is not None:
                    digests[name] = previous.digests[name]
                    yield kept
                    continue
                data = path.read_bytes()
                digests[name] = hashlib.sha256(data).hexdigest()
                yield previous.entry(name, digests[name]) or compress(name, data, store=path.suffix.lower() in PACKED)

        with atomic_file(target) as handle:
            write_zip(handle, entries(), _zip_timestamp(), unix=True)
    info = target.stat()
    # Without indentation: a record of thousands of files is written after every edit.
    write_atomic(record, json.dumps({"zip": [info.st_size, info.st_mtime_ns], "made_by": _made_by(),
                                     "entries": digests, "marks": marks}, separators=(",", ":"), sort_keys=True))


def _files_under(folder: Path) -> Iterator[tuple[str, Path, list[int]]]:
    """Every file under folder: its path relative to folder (with /), its path, and its size, time and inode."""
    pending = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as listing:
            for item in listing:
                if item.is_dir(follow_symlinks=False):
                    pending.append((Path(item.path), f"{prefix}{item.name}/"))
                elif item.is_file():
                    info = item.stat()
                    yield f"{prefix}{item.name}", Path(item.path), [info.st_size, info.st_mtime_ns, info.st_ino]


def _made_by() -> str:
    """What an entry's compressed bytes depend on besides the file: zlib and the code that calls it."""
    digest = hashlib.sha256(zlib.ZLIB_RUNTIME_VERSION.encode())
    for module in (__file__, zipfiles.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _record_path(target: Path) -> Path:
    return target.with_name(target.name.removesuffix(".zip") + ".entries.json")


class _PreviousPack:
    """The entries of the zip last written to target, by name, when its record describes it."""

    def __init__(self, target: Path, record: Path):
        self.target = target
        self.digests: dict[str, str] = {}
        # The previous zip, open: each entry copied is read on its own (the whole pack read in
        # one go was 80 MB of a 100-workshop site's build).
        self.zip: BinaryIO | None = None
        self.infos: dict[str, zipfile.ZipInfo] = {}
        self.marks: dict[str, list[int]] = {}
        data = read_json(record)
        try:
            info = target.stat()
        except OSError:
            return
        if data.get("zip") != [info.st_size, info.st_mtime_ns] or data.get("made_by") != _made_by():
            return
        try:
            self.zip = target.open("rb")
            with zipfile.ZipFile(self.zip) as archive:
                self.infos = {item.filename: item for item in archive.infolist()}
        except (OSError, zipfile.BadZipFile):
            self.close()
            self.infos = {}
            return
        self.digests = data.get("entries") or {}
        self.marks = data.get("marks") or {}

    def __enter__(self) -> _PreviousPack:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
            self.zip = None

    def unchanged(self, name: str, mark: list[int]) -> Entry | None:
        """The previous zip's entry for name, if its file has the size, time and inode it had then."""
        if self.marks.get(name) != mark or name not in self.digests:
            return None
        return self.entry(name, self.digests[name])

    def entry(self, name: str, digest: str) -> Entry | None:
        """The previous zip's entry for name, as stored there, if its file had these bytes."""
        item = self.infos.get(name)
        if item is None or self.zip is None or self.digests.get(name) != digest:
            return None
        descriptor = self.zip.fileno()
        name_length, extra_length = struct.unpack("<HH", os.pread(descriptor, 4, item.header_offset + 26))
        start = item.header_offset + 30 + name_length + extra_length
        return Entry(name, item.CRC, item.file_size, item.compress_type, os.pread(descriptor, item.compress_size, start))


def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    epoch = max(epoch, 315532800)   # zip dates start in 1980
    epoch -= epoch % 2              # and count in steps of two seconds
    return time.gmtime(epoch)[:6]
