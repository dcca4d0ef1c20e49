"""Zip files with the same bytes on every build, from entries compressed beforehand.

An entry is compressed once and may be written into many zips: the slide template's layouts go
into every deck (decks/xml_tweaks.py), and a language's offline pack copies the entries of its
previous pack whose files did not change (site/offline.py).
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


@dataclass(frozen=True)
class Entry:
    name: str
    crc: int
    size: int          # uncompressed
    method: int
    data: bytes        # as stored in the zip


def compress(name: str, blob: bytes, store: bool = False, level: int = 6) -> Entry:
    crc = zlib.crc32(blob)
    if store:
        return Entry(name, crc, len(blob), STORED, blob)
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Entry(name, crc, len(blob), DEFLATED, packer.compress(blob) + packer.flush())


def zip_bytes(entries: list[Entry], date_time: tuple[int, ...], unix: bool = False) -> bytes:
    out = io.BytesIO()
    write_zip(out, entries, date_time, unix)
    return out.getvalue()


def write_zip(handle: BinaryIO, entries: Iterable[Entry], date_time: tuple[int, ...], unix: bool = False) -> None:
    """Write the zip of these entries, in this order, to a binary file. `unix`: made on Unix with
    -rw-r--r-- files (what unzip restores); else no system-specific attributes at all."""
    dos_time = (date_time[3] << 11) | (date_time[4] << 5) | (date_time[5] // 2)
    dos_date = ((date_time[0] - 1980) << 9) | (date_time[1] << 5) | date_time[2]
    made_by, attributes = ((3 << 8) | 20, 0o100644 << 16) if unix else (20, 0)   # a regular file, rw-r--r--
    directory, offset, count = bytearray(), 0, 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0x800 if not entry.name.isascii() else 0
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, entry.method, dos_time, dos_date,
                             entry.crc, len(entry.data), entry.size, len(name), 0) + name
        handle.write(header)
        handle.write(entry.data)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, made_by, 20, flags, entry.method, dos_time,
                                 dos_date, entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0,
                                 attributes, offset) + name
        offset += len(header) + len(entry.data)
        count += 1
        if offset >= 0xFFFFFFFF or count >= 0xFFFF:
            raise ValueError("the zip would need the ZIP64 format, which this writer does not make")
    handle.write(directory)
    handle.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), offset, 0))
