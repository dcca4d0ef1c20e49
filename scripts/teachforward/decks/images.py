"""Pictures for slides: the notes' SVG drawings become PNG (what every PowerPoint shows), once,
cached by the drawing's content.

SVG is drawn with librsvg, GNOME's SVG library (Debian: librsvg2-2, part of the base system
here; macOS: brew install librsvg), called through its C interface. It shapes text with Pango
and HarfBuzz, so Arabic or Hebrew labels come out joined and right-to-left, which pure-Python
converters such as cairosvg do not do. Pango finds fonts through fontconfig, which is given the
project's own configuration (decks/fonts.py): the drawings never see a font of the host.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
import math
import os
import struct
from functools import lru_cache
from pathlib import Path

from teachforward.decks import fonts
from teachforward.fsutil import write_atomic

# A drawing becomes a PNG as wide as the widest it can be shown on a slide (in the largest
# picture box of the design, at its proportions), at 132 pixels per inch: about what a
# 1920-pixel projector shows of a 13.3-inch slide. Smaller is blurred, larger only slower.
PIXELS_PER_INCH = 132
WIDEST, NARROWEST = 1600, 480
RENDERER_VERSION = "5"          # 5: drawn with the project's fonts only


class PictureError(Exception):
    pass


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PictureError("not a PNG file")
    return struct.unpack(">II", data[16:24])


class Pictures:
    """PNG files for slide pictures, kept in `cache_dir` under the hash of their source."""

    def __init__(self, cache_dir: Path, boxes: tuple[tuple[float, float], ...] = ()):
        """boxes: (width, height) in inches of the design's picture placeholders."""
        self.cache_dir = cache_dir
        self.boxes = tuple(sorted(boxes))

    def width_for(self, width: float, height: float) -> int:
        """The PNG width, in pixels, for a drawing of these proportions."""
        if not self.boxes:
            return WIDEST
        inches = max(min(box_width, box_height * width / height) for box_width, box_height in self.boxes)
        return max(NARROWEST, min(WIDEST, math.ceil(inches * PIXELS_PER_INCH)))

    def png(self, source: Path, digest: str) -> tuple[Path, int, int]:
        """(PNG file, width, height) for the picture file `source` whose sha256 is `digest`."""
        suffix = source.suffix.lower()
        if suffix in (".png", ".jpg", ".jpeg", ".gif"):
            from PIL import Image as PILImage
            try:
                with PILImage.open(source) as image:
                    return source, image.width, image.height
            except OSError as error:
                raise PictureError(f"the file cannot be read as a picture ({error})") from None
        sizes = hashlib.sha256(repr(self.boxes).encode()).hexdigest()[:8]
        target = self.cache_dir / f"{digest[:32]}-{RENDERER_VERSION}-{sizes}.png"
        if not target.is_file():
            data = self._convert(source, suffix)
            write_atomic(target, data)
        with target.open("rb") as handle:
            width, height = png_size(handle.read(32))
        return target, width, height

    def _convert(self, source: Path, suffix: str) -> bytes:
        if suffix == ".svg":
            if _librsvg() is None:
                raise PictureError("SVG pictures need the librsvg library (Debian: apt-get install librsvg2-2; "
                                   "macOS: brew install librsvg)")
            return _render_librsvg(source, self.width_for)
        if suffix == ".webp":
            from PIL import Image as PILImage
            buffer = io.BytesIO()
            with PILImage.open(source) as image:
                image.save(buffer, format="PNG")
            return buffer.getvalue()
        raise PictureError(f"{suffix} pictures are not supported")


# --- librsvg through ctypes ---------------------------------------------------------------------

class _GError(ctypes.Structure):
    _fields_ = [("domain", ctypes.c_uint32), ("code", ctypes.c_int), ("message", ctypes.c_char_p)]


class _Rectangle(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double), ("width", ctypes.c_double), ("height", ctypes.c_double)]


@lru_cache(maxsize=1)
def _librsvg():
    """(librsvg, cairo, gobject) or None when they cannot be loaded."""
    # Before anything in this process asks fontconfig for a font: it reads FONTCONFIG_FILE once.
    os.environ["FONTCONFIG_FILE"] = str(fonts.FONTCONFIG_FILE)
    try:
        fontconfig = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
        rsvg = ctypes.CDLL(ctypes.util.find_library("rsvg-2") or "librsvg-2.so.2")
        cairo = ctypes.CDLL(ctypes.util.find_library("cairo") or "libcairo.so.2")
        gobject = ctypes.CDLL(ctypes.util.find_library("gobject-2.0") or "libgobject-2.0.so.0")
        for symbol in ("rsvg_handle_render_document",                 # librsvg 2.46 or newer
                       "rsvg_handle_get_intrinsic_size_in_pixels"):   # 2.52 or newer
            getattr(rsvg, symbol)
    except (OSError, AttributeError):
        return None
    p, error_p = ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(_GError))
    rsvg.rsvg_handle_new_from_file.restype = p
    rsvg.rsvg_handle_new_from_file.argtypes = [ctypes.c_char_p, error_p]
    rsvg.rsvg_handle_get_intrinsic_size_in_pixels.restype = ctypes.c_int
    rsvg.rsvg_handle_get_intrinsic_size_in_pixels.argtypes = [p, ctypes.POINTER(ctypes.c_double),
                                                             ctypes.POINTER(ctypes.c_double)]
    rsvg.rsvg_handle_render_document.restype = ctypes.c_int
    rsvg.rsvg_handle_render_document.argtypes = [p, p, ctypes.POINTER(_Rectangle), error_p]
    cairo.cairo_image_surface_create.restype = p
    cairo.cairo_image_surface_create.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    cairo.cairo_create.restype = p
    cairo.cairo_create.argtypes = [p]
    cairo.cairo_surface_status.argtypes = [p]
    cairo.cairo_surface_flush.argtypes = [p]
    cairo.cairo_destroy.argtypes = [p]
    cairo.cairo_surface_destroy.argtypes = [p]
    cairo.cairo_surface_write_to_png_stream.argtypes = [p, p, p]
    gobject.g_object_unref.argtypes = [p]
    _use_project_fonts(fontconfig)
    return rsvg, cairo, gobject


def _use_project_fonts(fontconfig) -> None:
    """Make the project's fontconfig file the current configuration, even if fontconfig was
    set up earlier in this process with the host's; refuse to draw if it cannot be."""
    fontconfig.FcConfigCreate.restype = ctypes.c_void_p
    fontconfig.FcConfigParseAndLoad.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    fontconfig.FcConfigBuildFonts.argtypes = [ctypes.c_void_p]
    fontconfig.FcConfigSetCurrent.argtypes = [ctypes.c_void_p]
    try:
        for name in (*fonts.LATIN.values(), *fonts.ARABIC.values()):
            fonts.path(name)
    except fonts.FontsMissing as error:
        raise PictureError(str(error)) from None
    config = fontconfig.FcConfigCreate()
    if not (config and fontconfig.FcConfigParseAndLoad(config, os.fsencode(fonts.FONTCONFIG_FILE), 1)
            and fontconfig.FcConfigBuildFonts(config) and fontconfig.FcConfigSetCurrent(config)):
        raise PictureError(f"fontconfig cannot read {fonts.FONTCONFIG_FILE}")


_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_uint)


def _render_librsvg(source: Path, width_for) -> bytes:
    rsvg, cairo, gobject = _librsvg()
    error = ctypes.POINTER(_GError)()
    handle = rsvg.rsvg_handle_new_from_file(os.fsencode(source.resolve()), ctypes.byref(error))
    if not handle:
        message = error.contents.message.decode("utf-8", "replace") if error else "unknown error"
        raise PictureError(f"the drawing could not be read ({message})")
    surface = context = None
    try:
        w, h = ctypes.c_double(), ctypes.c_double()
        if not rsvg.rsvg_handle_get_intrinsic_size_in_pixels(handle, ctypes.byref(w), ctypes.byref(h)) \
                or w.value <= 0 or h.value <= 0:
            raise PictureError("the drawing has no width and height (add width and height to its <svg> element)")
        width = width_for(w.value, h.value)
        height = max(1, round(h.value * width / w.value))
        surface = cairo.cairo_image_surface_create(0, width, height)      # 0: ARGB32
        context = cairo.cairo_create(surface)
        viewport = _Rectangle(0, 0, width, height)
        if not rsvg.rsvg_handle_render_document(handle, context, ctypes.byref(viewport), ctypes.byref(error)):
            message = error.contents.message.decode("utf-8", "replace") if error else "unknown error"
            raise PictureError(f"the drawing could not be drawn ({message})")
        cairo.cairo_surface_flush(surface)
        chunks: list[bytes] = []

        def write(_closure, buffer, length):
            chunks.append(ctypes.string_at(buffer, length))
            return 0                                                        # CAIRO_STATUS_SUCCESS

        callback = _WRITE(write)
        status = cairo.cairo_surface_write_to_png_stream(surface, ctypes.cast(callback, ctypes.c_void_p), None)
        if status:
            raise PictureError(f"cairo could not write the PNG (status {status})")
        return b"".join(chunks)
    finally:
        if context:
            cairo.cairo_destroy(context)
        if surface:
            cairo.cairo_surface_destroy(surface)
        gobject.g_object_unref(handle)
