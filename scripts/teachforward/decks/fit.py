"""How much text fits in a box: an estimate of line breaks from the font size and the box size,
used to split a long section or exercise over several slides (never to shrink text).

Widths are Noto Sans advances (1/1000 em), which are wider than Arial's: text measured here
fits with either font. The estimate depends on no installed font, so every machine splits the
same way.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from teachforward.decks.text import Para, Run

_REGULAR = [int(w) for w in (
    "260 269 408 646 572 831 732 225 300 300 551 572 268 322 268 372 572 572 572 572 572 572 572 572 572 572 "
    "268 268 572 572 572 434 899 639 650 632 730 556 519 728 741 339 273 619 524 907 760 781 605 781 622 549 "
    "556 731 600 930 586 566 572 329 372 329 572 444 281 561 615 480 615 564 344 615 618 258 258 534 258 935 "
    "618 605 615 615 413 479 361 618 508 786 529 510 470 380 551 380 572").split()]
_BOLD = [int(w) for w in (
    "260 286 472 646 572 901 750 266 339 339 545 572 285 322 285 413 572 572 572 572 572 572 572 572 572 572 "
    "285 285 572 572 572 477 897 690 672 637 740 560 549 724 765 389 331 664 565 943 813 796 628 796 660 551 "
    "579 756 650 967 667 624 579 331 413 331 572 411 362 604 633 514 633 591 387 633 657 305 305 620 305 982 "
    "657 619 633 633 454 497 434 657 569 856 578 569 488 394 551 394 572").split()]
SAFETY = 1.05                # widths are rounded up by this much
LINE_HEIGHT = 1.22           # single spacing: PowerPoint and LibreOffice both measured at 1.2 em
ARABIC_LINE_HEIGHT = 1.25    # Arabic script: room for the marks above and below
FILL = 0.97                  # use at most this much of a box's height
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_WIDE = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"     # CJK and full-width forms
TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    code = ord(char)
    table = _BOLD if bold else _REGULAR
    if 32 <= code < 127:
        return table[code - 32]
    if code == 0xa0:
        return table[0]
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return table[ord(base) - 32]
    if ARABIC.match(char):
        return 480
    if 0x0590 <= code <= 0x05ff:
        return 600
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 640


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


def line_height(text: str, size: float) -> float:
    return size * (ARABIC_LINE_HEIGHT if ARABIC.search(text) else LINE_HEIGHT)


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


SENTENCE_END = re.compile(r"(?<=[.!?;:\u061f\u3002])\s+")


def split_para(para: Para, offset: int) -> tuple[Para, Para]:
    """The paragraph cut at a character offset, keeping each run's emphasis."""
    head, tail, seen = [], [], 0
    for run in para.runs:
        if seen + len(run.text) <= offset:
            head.append(run)
        elif seen >= offset:
            tail.append(run)
        else:
            cut = offset - seen
            head.append(Run(run.text[:cut].rstrip(), run.bold, run.italic))
            tail.append(Run(run.text[cut:].lstrip(), run.bold, run.italic))
        seen += len(run.text)
    clean_head = tuple(r for r in head if r.text)
    clean_tail = tuple(r for r in tail if r.text)
    return Para(clean_head, para.style, para.level, para.number), Para(clean_tail, para.style, para.level, para.number,
                                                                        para.keep_with_next)


def split_to_fit(para: Para, box: Box, available: float, index: int) -> tuple[Para, Para] | None:
    """The longest run of whole sentences from the start of `para` that fits in `available`
    points, and the rest; None when not even one sentence fits or nothing would be left."""
    if para.style != "plain":
        return None
    text = para.text
    best = None
    for match in SENTENCE_END.finditer(text):
        head, tail = split_para(para, match.start())
        if not head.runs or not tail.runs:
            continue
        if paragraph_height(head, box, index) <= available:
            best = (head, tail)
        else:
            break
    return best


def pack(paras: list[Para], box: Box) -> tuple[list[list[Para]], list[Para]]:
    """Cut the paragraphs into pages that each fit the box. A heading stays with what follows
    it; a long plain paragraph is cut between sentences to fill a page. Returns the pages and
    the paragraphs too tall for the box even alone (each then gets a page of its own)."""
    capacity = box.height * FILL
    pages: list[list[Para]] = []
    too_tall: list[Para] = []
    queue = list(paras)
    page: list[Para] = []
    used = 0.0
    index = 0
    while index < len(queue):
        group = [queue[index]]
        while group[-1].keep_with_next and index + len(group) < len(queue):
            group.append(queue[index + len(group)])
        heights = [paragraph_height(p, box, len(page) + i) for i, p in enumerate(group)]
        if used + sum(heights) > capacity:
            # Fill what is left of this page with the first sentences of the group's last paragraph.
            before = sum(heights[:-1])
            cut = split_to_fit(group[-1], box, capacity - used - before, len(page) + len(group) - 1)
            if cut and (page or len(group) > 1 or heights[-1] > capacity):
                page.extend(group[:-1] + [cut[0]])
                pages.append(page)
                page, used = [], 0.0
                queue[index + len(group) - 1] = cut[1]
                index += len(group) - 1
                continue
            if page:
                pages.append(page)
                page, used = [], 0.0
                heights = [paragraph_height(p, box, i) for i, p in enumerate(group)]
        if not page and sum(heights) > capacity and len(group) > 1:
            group, heights = group[:1], heights[:1]
        if not page and heights[0] > capacity:
            too_tall.append(group[0])
        page.extend(group)
        used += sum(heights)
        index += len(group)
    if page:
        pages.append(page)
    return pages, too_tall


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
