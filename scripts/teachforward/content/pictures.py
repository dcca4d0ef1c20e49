"""Is a picture file whole? Each format's structure is read through (PNG chunks and their
checksums and image data, JPEG segments, GIF blocks, the WebP container, SVG as XML), so that
`teachforward check` finds a damaged picture before a page or a slide shows it broken.
Only the standard library: the check does not need the renderers' picture libraries."""
from __future__ import annotations

import struct
import xml.parsers.expat
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Samples per pixel for each PNG colour type.
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def damage(data: bytes, kind: str) -> str | None:
    """What is wrong with a picture's bytes (of the given kind: png, jpg, gif, webp, svg), or None."""
    reader = {"png": _png, "jpg": _jpeg, "gif": _gif, "webp": _webp, "svg": _svg}[kind]
    try:
        return reader(data)
    except (struct.error, IndexError, zlib.error) as error:
        return f"it ends or breaks off in the middle ({error})"


def _png(data: bytes) -> str | None:
    if not data.startswith(PNG_SIGNATURE):
        return "it does not start like a PNG file"
    position, width, height, depth, colour, interlace = 8, 0, 0, 0, 0, 0
    compressed = bytearray()
    seen_end = False
    first = True
    while position < len(data):
        if position + 8 > len(data):
            return "it ends in the middle of a chunk"
        length, name = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        stored = data[position + 8 + length:position + 12 + length]
        if len(body) < length or len(stored) < 4:
            return f"it ends in the middle of its {name.decode('latin-1')} chunk"
        if zlib.crc32(name + body) != struct.unpack(">I", stored)[0]:
            return f"the checksum of its {name.decode('latin-1')} chunk is wrong"
        if first and name != b"IHDR":
            return "it has no header (IHDR) chunk"
        first = False
        if name == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if width == 0 or height == 0:
                return "it says it is 0 pixels wide or high"
            if colour not in PNG_CHANNELS:
                return f"it uses an unknown colour type ({colour})"
        elif name == b"IDAT":
            compressed += body
        elif name == b"IEND":
            seen_end = True
            break
        position += 12 + length
    if not seen_end:
        return "it has no end (IEND chunk): the file is cut short"
    if not compressed:
        return "it holds no image data (IDAT chunk)"
    pixels = zlib.decompress(bytes(compressed))
    if interlace == 0:
        row = (width * PNG_CHANNELS[colour] * depth + 7) // 8 + 1
        if len(pixels) < row * height:
            return f"its image data is short: {len(pixels)} bytes where {row * height} are needed"
    return None


def _jpeg(data: bytes) -> str | None:
    if not data.startswith(b"\xff\xd8"):
        return "it does not start like a JPEG file"
    position, has_frame = 2, False
    while position < len(data):
        if data[position] != 0xFF:
            return "its structure is damaged (a segment marker is missing)"
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if length < 2 or position + 2 + length > len(data):
            return "it ends in the middle of a segment"
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            if width == 0 or height == 0:
                return "it says it is 0 pixels wide or high"
            has_frame = True
        if marker == 0xDA:            # start of the image data, which runs to the end marker
            if not has_frame:
                return "it has no frame header"
            return None if data.rstrip(b"\x00").endswith(b"\xff\xd9") else "it is cut short (no end marker)"
        position += 2 + length
    return "it holds no image data"


def _gif(data: bytes) -> str | None:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return "it does not start like a GIF file"
    width, height = struct.unpack("<HH", data[6:10])
    if width == 0 or height == 0:
        return "it says it is 0 pixels wide or high"
    return None if data.rstrip(b"\x00").endswith(b"\x3b") else "it is cut short (no end marker)"


def _webp(data: bytes) -> str | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return "it does not start like a WebP file"
    size = struct.unpack("<I", data[4:8])[0]
    if size + 8 > len(data):
        return f"it is cut short: {len(data)} bytes where {size + 8} are announced"
    if data[12:16] not in (b"VP8 ", b"VP8L", b"VP8X"):
        return "it holds no image data"
    return None


def _svg(data: bytes) -> str | None:
    """Well-formed XML whose outermost element is an SVG drawing with a size."""
    root: dict[str, object] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        if not root:
            root.update(name=name, attributes=attributes)

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start

    def refuse(*_: object) -> None:
        raise ValueError("it declares its own entities (<!ENTITY>), which are not allowed")

    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        return f"it is not well-formed XML (line {error.lineno}: {xml.parsers.expat.errors.messages[error.code]})"
    except ValueError as error:
        return str(error)
    if root.get("name") != f"{SVG_NAMESPACE} svg":
        return 'its outermost element is not <svg xmlns="http://www.w3.org/2000/svg">'
    attributes = root.get("attributes")
    assert isinstance(attributes, dict)
    if "viewBox" not in attributes and not ("width" in attributes and "height" in attributes):
        return "it has neither a viewBox nor a width and height, so it has no size"
    return None
