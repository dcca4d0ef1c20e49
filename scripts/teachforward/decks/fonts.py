"""The project's own fonts (fonts/ at the top of the repository: Noto Sans and Noto Sans
Arabic, SIL Open Font Licence): what slide text is measured with and slide pictures are drawn
with, so that no font installed on the host changes a deck."""
from __future__ import annotations

from pathlib import Path

DIRECTORY = Path(__file__).resolve().parents[3] / "fonts"
FONTCONFIG_FILE = DIRECTORY / "fonts.conf"        # lists DIRECTORY and nothing else
LATIN = {(False, False): "NotoSans-Regular.ttf", (True, False): "NotoSans-Bold.ttf",
         (False, True): "NotoSans-Italic.ttf", (True, True): "NotoSans-BoldItalic.ttf"}
ARABIC = {False: "NotoSansArabic-Regular.ttf", True: "NotoSansArabic-Bold.ttf"}
# The names the slide template gives its theme fonts (slides_src/theme.yaml says the same).
LATIN_FAMILY = "Noto Sans"
ARABIC_FAMILY = "Noto Sans Arabic"


class FontsMissing(Exception):
    pass


def path(name: str) -> Path:
    found = DIRECTORY / name
    if not found.is_file():
        raise FontsMissing(f"the font file {found} is missing (restore the fonts/ folder from the repository)")
    return found
