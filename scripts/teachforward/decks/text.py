"""Markdown as slides need it: paragraphs of runs (bold, italic) for the slide, and plain
readable text for the speaker notes (no asterisks, no link targets)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box."""
    runs: tuple[Run, ...]
    style: str = "bullet"       # bullet | plain | heading | number
    level: int = 0
    number: int | None = None
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Block:
    kind: str                   # para | heading | bullet | number | image | code
    text: str                   # inline Markdown
    level: int = 0
    number: int | None = None


def clean(text: str) -> str:
    """Text python-pptx accepts: no XML-invalid control characters, tabs as spaces."""
    return CONTROL.sub("", text.replace("\t", " "))


# --- inline Markdown ---------------------------------------------------------------------------

_INLINE = re.compile(
    r"(?P<escape>\\[\\`*_{}\[\]()#+\-.!|>~\"'])"
    r"|(?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?P=ticks))"
    r"|(?P<image>!\[(?P<alt>(?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\))"
    r"|(?P<link>\[(?P<label>(?:[^\[\]]|\[[^\]]*\])*)\]\((?:[^()]|\([^)]*\))*\))"
    r"|(?P<auto><(?P<url>(?:https?://|mailto:)[^>\s]+)>)"
    r"|(?P<tag></?[A-Za-z][^>]*>)"
    r"|(?P<strong>\*\*(?P<strong_text>.+?)\*\*|(?<![\w])__(?P<strong2_text>.+?)__(?![\w]))"
    r"|(?P<em>\*(?![\s*])(?P<em_text>.+?)(?<![\s*])\*|(?<![\w])_(?![\s_])(?P<em2_text>.+?)(?<![\s_])_(?![\w]))"
    r"|(?P<attr>\s*\{[ \t]*[#.][^}]*\}\s*$)"
)


_MARKUP = re.compile(r"[\\`*_\[!<&{]")


def runs(markdown: str, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Inline Markdown as runs of text with their emphasis."""
    if not _MARKUP.search(markdown):                 # plain text: most of it
        text = clean(markdown).strip()
        return (Run(text, bold, italic),) if text else ()
    out: list[Run] = []
    position = 0
    for match in _INLINE.finditer(markdown):
        if match.start() > position:
            out.append(Run(markdown[position:match.start()], bold, italic))
        kind = match.lastgroup
        group = match.groupdict()
        if group["escape"]:
            out.append(Run(group["escape"][1], bold, italic))
        elif group["code"]:
            out.append(Run(group["code_text"].strip(), bold, italic))
        elif group["image"]:
            out.extend(runs(group["alt"], bold, italic))
        elif group["link"]:
            out.extend(runs(group["label"], bold, italic))
        elif group["auto"]:
            out.append(Run(group["url"], bold, italic))
        elif group["tag"] or group["attr"]:
            pass
        elif group["strong"]:
            out.extend(runs(group["strong_text"] or group["strong2_text"], True, italic))
        elif group["em"]:
            out.extend(runs(group["em_text"] or group["em2_text"], bold, True))
        else:  # pragma: no cover - every alternative is handled above
            out.append(Run(match.group(0), bold, italic))
        del kind
        position = match.end()
    if position < len(markdown):
        out.append(Run(markdown[position:], bold, italic))
    merged: list[Run] = []
    for run in out:
        text = clean(html.unescape(run.text))
        if not text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + text, run.bold, run.italic)
        else:
            merged.append(Run(text, run.bold, run.italic))
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].bold, merged[0].italic)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].bold, merged[-1].italic)
    return tuple(r for r in merged if r.text)


def plain(markdown: str) -> str:
    """Inline Markdown as plain text."""
    return re.sub(r"[ \t]+", " ", "".join(r.text for r in runs(markdown)))


# --- blocks ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*(?:\{[ \t]*#[^}]*\})?[ \t]*#*[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+(.*)$")
_NUMBER = re.compile(r"^([ \t]*)(\d{1,9})[.)][ \t]+(.*)$")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_IMAGE_LINE = re.compile(r"^[ \t]*!\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)[ \t]*$")


def blocks(markdown: str) -> list[Block]:
    """The Markdown body cut into paragraphs, headings, list items, pictures and code lines."""
    out: list[Block] = []
    paragraph: list[str] = []
    item: Block | None = None
    fence = None

    def flush() -> None:
        nonlocal paragraph, item
        if paragraph:
            out.append(Block("para", " ".join(line.strip() for line in paragraph)))
            paragraph = []
        if item is not None:
            out.append(item)
            item = None

    for line in markdown.split("\n"):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            elif line.strip():
                out.append(Block("code", line.rstrip()))
            continue
        match = _FENCE.match(line)
        if match:
            flush()
            fence = match.group(1)[0] * len(match.group(1))
            continue
        if not line.strip():
            flush()
            continue
        if _RULE.match(line) and not paragraph:
            flush()
            continue
        stripped = line.strip()
        if stripped.startswith(">"):
            line = re.sub(r"^[ \t]*(>[ \t]?)+", "", line)
            stripped = line.strip()
            if not stripped:
                flush()
                continue
        heading = _HEADING.match(stripped)
        bullet = _BULLET.match(line)
        number = _NUMBER.match(line)
        image = _IMAGE_LINE.match(line)
        if heading:
            flush()
            out.append(Block("heading", heading.group(1)))
        elif image:
            flush()
            out.append(Block("image", image.group(1)))
        elif bullet and not _TABLE_SEPARATOR.match(line):
            flush()
            item = Block("bullet", bullet.group(2).strip(), level=1 if len(bullet.group(1).expandtabs(4)) >= 2 else 0)
        elif number:
            flush()
            item = Block("number", number.group(3).strip(), level=1 if len(number.group(1).expandtabs(4)) >= 2 else 0,
                         number=int(number.group(2)))
        elif stripped.startswith("|"):
            flush()
            if not _TABLE_SEPARATOR.match(line):
                cells = [c.strip() for c in stripped.strip("|").split("|")]
                out.append(Block("para", " | ".join(c for c in cells if c)))
        elif item is not None:
            item = Block(item.kind, f"{item.text} {stripped}", item.level, item.number)
        else:
            paragraph.append(line)
    flush()
    return out


def notes_text(markdown: str) -> str:
    """A Markdown body as plain readable text for speaker notes: one paragraph per block,
    an empty line between paragraphs, list items kept together."""
    parts: list[str] = []
    previous = None
    for block in blocks(markdown):
        text = plain(block.text) if block.kind != "code" else clean(block.text)
        if block.kind == "bullet":
            text = ("    – " if block.level else "• ") + text
        elif block.kind == "number":
            text = ("    " if block.level else "") + f"{block.number}. {text}"
        elif block.kind == "image":
            text = f"({text})" if text else ""
        if not text.strip():
            continue
        tight = previous is not None and (
            (block.kind in ("bullet", "number") and previous in ("bullet", "number"))
            or (block.kind == "code" and previous == "code"))
        if parts:
            parts.append("\n" if tight else "\n\n")
        parts.append(text)
        previous = block.kind
    return "".join(parts)


def slide_paras(markdown: str) -> list[Para]:
    """A Markdown body as paragraphs for a slide (pictures left out: they get their own place)."""
    out: list[Para] = []
    for block in blocks(markdown):
        if block.kind == "image":
            continue
        if block.kind == "heading":
            out.append(Para(runs(block.text, bold=True), "heading", keep_with_next=True))
        elif block.kind == "bullet":
            out.append(Para(runs(block.text), "bullet", level=block.level))
        elif block.kind == "number":
            out.append(Para(runs(block.text), "number", level=block.level, number=block.number))
        elif block.kind == "code":
            out.append(Para((Run(clean(block.text)),), "plain"))
        else:
            parts = runs(block.text)
            # A paragraph all in bold introduces what follows, like a heading: keep them together.
            out.append(Para(parts, "plain", keep_with_next=bool(parts) and all(r.bold for r in parts)))
    return [p for p in out if p.runs]
