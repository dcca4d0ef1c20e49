"""How much text fits in a box: an estimate of line breaks from the font size and the box size,
used to cut a long section or exercise between its items over several slides (never to shrink
text below the sizes the planner allows).

Widths are the advances of the project's own fonts (decks/fonts.py: Noto Sans, and Noto Sans
Arabic for Arabic script), read with fontTools; the slides are set in those fonts, and the
estimate depends on no installed font, so every machine splits the same way. Arabic letters are
measured in their isolated forms, which are wider than the joined ones: an upper bound.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

from teachforward.decks import fonts
from teachforward.decks.text import Para

SAFETY = 1.05                # widths are rounded up by this much
LINE_SAFETY = 1.03           # single spacing is the font's own line height (ascender to descender), and a little
FILL = 0.97                  # use at most this much of a box's height
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_WIDE = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"     # CJK and full-width forms
TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")


@lru_cache(maxsize=8)
def _advances(file_name: str) -> tuple[dict[int, int], float]:
    """{code point: advance} and the font's units per em, for one of the project's fonts."""
    font = TTFont(fonts.path(file_name), lazy=True)
    widths = font["hmtx"].metrics
    advances = {code: widths[glyph][0] for code, glyph in font.getBestCmap().items()}
    return advances, float(font["head"].unitsPerEm)


@lru_cache(maxsize=8192)
def _char_width(char: str, bold: bool) -> float:
    """Advance of one character in thousandths of an em."""
    code = ord(char)
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    for file_name in ((fonts.ARABIC[bold], fonts.LATIN[bold, False]) if ARABIC.match(char)
                      else (fonts.LATIN[bold, False], fonts.ARABIC[bold])):
        advances, units = _advances(file_name)
        if code in advances:
            return advances[code] * 1000 / units
    base = unicodedata.normalize("NFD", char)[0]
    if base != char:
        return _char_width(base, bold)
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000.0
    return 640.0                                  # a character neither font has: shown from a fallback font


@lru_cache(maxsize=65536)
def _em(text: str, bold: bool) -> float:
    return sum(_char_width(c, bold) for c in text) * SAFETY / 1000


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of `text` in points at `size` points."""
    return _em(text, bold) * size


@lru_cache(maxsize=16384)
def count_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines that `text` takes when wrapped at word boundaries in `width` points."""
    if width <= 0:
        return 10 ** 6
    lines, used = 1, 0.0
    for token in TOKEN.findall(text):
        word = token.rstrip()
        advance = text_width(token, size, bold)
        visible = text_width(word, size, bold)
        if used and used + visible > width:
            lines += 1
            used = 0.0
            if not word:
                continue
        if visible > width:                       # a word longer than the line breaks anywhere
            for char in token:
                step = text_width(char, size, bold)
                if used + step > width and used:
                    lines += 1
                    used = 0.0
                used += step
            continue
        used += advance
    return lines


@lru_cache(maxsize=4)
def _font_line_height(file_name: str) -> float:
    """The font's single line spacing in ems: what PowerPoint and LibreOffice give a line."""
    font = TTFont(fonts.path(file_name), lazy=True)
    hhea = font["hhea"]
    return (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm * LINE_SAFETY


def line_height(text: str, size: float) -> float:
    """A line of `text`: Arabic script takes the Arabic font's line height (much taller: room
    for the marks above and below the letters)."""
    return size * _font_line_height(fonts.ARABIC[False] if ARABIC.search(text) else fonts.LATIN[False, False])


@dataclass(frozen=True)
class Level:
    size: float              # points
    margin: float            # left margin (marL), points
    indent: float            # first-line indent, points (negative: hanging bullet)
    space_before: float      # points
    line_spacing: float = 1.0


@dataclass(frozen=True)
class Box:
    """The inside of a placeholder, in points, with the text styles of its levels."""
    width: float
    height: float
    levels: tuple[Level, ...]
    bold: bool = False
    align: str = "l"         # the layout's alignment: l, ctr, r, just

    def level(self, number: int) -> Level:
        return self.levels[min(number, len(self.levels) - 1)]


HEADING_SPACE = 14.0         # points before a heading inside a text box


@dataclass(frozen=True)
class Format:
    """How the writer formats a paragraph, and so how the estimate measures it."""
    size: float
    margin: float
    indent: float
    space_before: float
    line_spacing: float
    bullet: bool


def paragraph_format(para: Para, box: Box, index: int) -> Format:
    """index: the paragraph's place in its text box (space before the first one is not shown)."""
    level = box.level(para.level)
    if para.style in ("bullet", "number"):
        return Format(level.size, level.margin, level.indent, level.space_before if index else 0.0,
                      level.line_spacing, True)
    space = HEADING_SPACE if para.style == "heading" else box.level(0).space_before
    margin = level.margin if para.level else 0.0
    return Format(level.size, margin, 0.0, space if index else 0.0, level.line_spacing, False)


def paragraph_height(para: Para, box: Box, index: int = 0) -> float:
    fmt = paragraph_format(para, box, index)
    bold = box.bold or any(r.bold for r in para.runs) and all(r.bold for r in para.runs)
    text = para.text
    if para.style == "number":
        text = f"{para.number}. {text}"
    lines = count_lines(text, box.width - fmt.margin, fmt.size, bold)
    return fmt.space_before + lines * line_height(text, fmt.size) * fmt.line_spacing


def with_size(box: Box, size: float) -> Box:
    """The same box with its first level's text at `size` points."""
    first = box.levels[0]
    return Box(box.width, box.height, (Level(size, first.margin, first.indent, first.space_before, first.line_spacing),
                                       *box.levels[1:]), box.bold, box.align)


def fits(paras: list[Para], box: Box) -> bool:
    return sum(paragraph_height(p, box, i) for i, p in enumerate(paras)) <= box.height * FILL


def title_size(text: str, box: Box, smallest: float) -> tuple[float, bool]:
    """The size for a title: the box's own if it takes one line; otherwise the largest size, at
    least 4 points smaller, down to `smallest`, at which it fits (two lines read better a little
    smaller). (smallest, False) when even that is too long."""
    level = box.level(0)
    size = level.size
    if count_lines(text, box.width, size, True) == 1:
        return size, True
    size -= 4
    while True:
        lines = count_lines(text, box.width, size, True)
        if lines * line_height(text, size) * level.line_spacing <= box.height:
            return size, True
        if size - 2 < smallest:
            return size, False
        size -= 2


CELL_MARGIN_X = 7.2          # points, left and right of a table cell's text (the default)
CELL_MARGIN_Y = 2.5          # points, above and below


def table_row_height(cells: list[str], widths: list[float], size: float, bold: bool = False) -> float:
    """Height of a table row in points: the tallest cell, with the cell margins."""
    tallest = max(count_lines(text, width - 2 * CELL_MARGIN_X, size, bold) * line_height(text, size)
                  for text, width in zip(cells, widths, strict=False))
    return tallest + 2 * CELL_MARGIN_Y
