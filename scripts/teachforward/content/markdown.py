"""Just enough Markdown structure for the model: front matter, sections with ids, key
points, links and pictures, each with its line number. The prose itself stays Markdown."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:\{[ \t]*#([^}\s]*)[ \t]*\})?[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
BULLET = re.compile(r"^[-*+][ \t]+(.*)$")
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass
class RawSection:
    level: int
    title: str
    id: str | None
    line: int
    lines: list[str]          # the section's lines after the heading
    first_body_line: int


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(front matter, its first line, body, the body's first line). Lines count from 1."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    return None, 0, text, 1


def code_mask(lines: list[str]) -> list[bool]:
    """True for the lines inside fenced code blocks (including the fences)."""
    mask, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            mask.append(True)
        elif fence is not None:
            mask.append(True)
            if line.strip().startswith(fence):
                fence = None
        else:
            mask.append(False)
    return mask


def headings(lines: list[str], first_line: int) -> Iterator[tuple[int, int, str, str | None, int]]:
    """(index, level, title, id, line) for each heading outside code blocks."""
    for index, (line, in_code) in enumerate(zip(lines, code_mask(lines), strict=True)):
        if not in_code:
            match = HEADING.match(line)
            if match:
                yield index, len(match.group(1)), match.group(2).strip(), match.group(3), first_line + index


def split_sections(body: str, first_line: int, level: int = 2, exact: bool = False) -> tuple[list[str], list[RawSection]]:
    """Cut the body at headings of `level` (or higher, unless `exact`). Returns the intro lines and the sections."""
    lines = body.split("\n")
    cuts = [(i, lvl, title, id_, line) for i, lvl, title, id_, line in headings(lines, first_line)
            if (lvl == level if exact else lvl <= level)]
    intro = lines[: cuts[0][0]] if cuts else lines
    sections = []
    for n, (index, lvl, title, id_, line) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else len(lines)
        sections.append(RawSection(lvl, title, id_, line, lines[index + 1:end], line + 1))
    return intro, sections


def take_key_points(lines: list[str]) -> tuple[list[tuple[int, str]], list[str], int]:
    """The bullet list directly under a heading: ([(offset, point)], remaining lines, offset of the rest)."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    points: list[tuple[int, str]] = []
    while index < len(lines):
        line = lines[index]
        match = BULLET.match(line)
        if match:
            points.append((index, match.group(1).strip()))
        elif points and line.startswith((" ", "\t")) and line.strip():
            offset, text = points[-1]
            points[-1] = (offset, f"{text} {line.strip()}")   # a point wrapped over two lines
        else:
            break
        index += 1
    return points, lines[index:], index


def find_links(text: str, first_line: int) -> Iterator[tuple[int, bool, str, str]]:
    """(line, is_image, text, target) for each Markdown link or picture outside code."""
    lines = text.split("\n")
    for offset, (line, in_code) in enumerate(zip(lines, code_mask(lines), strict=True)):
        if in_code:
            continue
        visible = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for match in LINK.finditer(visible):
            yield first_line + offset, bool(match.group(1)), match.group(2), match.group(3)


def strip_blank_edges(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return text
