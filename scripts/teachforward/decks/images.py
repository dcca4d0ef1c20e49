"""Pictures for slides: the notes' SVG drawings become PNG (PowerPoint's safest format), once,
cached by the drawing's content."""
from __future__ import annotations

import io
import os
import struct
from pathlib import Path

PNG_WIDTH = 1920             # pixels: sharp on a full-width 16:9 slide
RENDERER_VERSION = "1"


class PictureError(Exception):
    pass


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PictureError("not a PNG file")
    return struct.unpack(">II", data[16:24])


class Pictures:
    """PNG files for slide pictures, kept in `cache_dir` under the hash of their source."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir

    def png(self, source: Path, digest: str) -> tuple[Path, int, int]:
        """(PNG file, width, height) for the picture file `source` whose sha256 is `digest`."""
        suffix = source.suffix.lower()
        if suffix in (".png", ".jpg", ".jpeg", ".gif"):
            from PIL import Image as PILImage
            with PILImage.open(source) as image:
                return source, image.width, image.height
        target = self.cache_dir / f"{digest[:32]}-{RENDERER_VERSION}.png"
        if not target.is_file():
            data = self._convert(source, suffix)
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        width, height = png_size(target.read_bytes()[:32])
        return target, width, height

    def _convert(self, source: Path, suffix: str) -> bytes:
        if suffix == ".svg":
            try:
                import cairosvg
            except (ImportError, OSError) as error:   # OSError: the cairo library is missing
                raise PictureError(f"SVG pictures need cairosvg and the cairo library ({error})") from None
            try:
                return cairosvg.svg2png(bytestring=source.read_bytes(), url=str(source), output_width=PNG_WIDTH,
                                        unsafe=False)
            except Exception as error:   # cairosvg raises many kinds on a broken drawing
                raise PictureError(f"the drawing could not be read ({type(error).__name__}: {error})") from None
        if suffix == ".webp":
            from PIL import Image as PILImage
            buffer = io.BytesIO()
            with PILImage.open(source) as image:
                image.save(buffer, format="PNG")
            return buffer.getvalue()
        raise PictureError(f"{suffix} pictures are not supported")
