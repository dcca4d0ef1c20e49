"""The content model's parsed prose as slide paragraphs, slide tables and speaker-notes text.

Reads the typed blocks and inlines of `content.prose`; it never sees Markdown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from teachforward.content import prose
from teachforward.decks.text import Para, Run, clean


@dataclass(frozen=True)
class SlideTable:
    """A table of the prose, as the text of its cells: the header row first."""
    line: int
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]    # "l" | "ctr" | "r" per column, as the Markdown's separator row says


# --- inlines ------------------------------------------------------------------------------

def runs(inlines: tuple[prose.Inline, ...], bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Inlines as runs of text with their emphasis; link targets and HTML tags left out."""
    out: list[Run] = []
    _collect(inlines, bold, italic, out)
    merged: list[Run] = []
    for run in out:
        text = clean(run.text)
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


def _collect(inlines: tuple[prose.Inline, ...], bold: bool, italic: bool, out: list[Run]) -> None:
    for inline in inlines:
        if isinstance(inline, prose.Text):
            out.append(Run(inline.text, bold, italic))
        elif isinstance(inline, prose.Code):
            out.append(Run(inline.text.strip(), bold, italic))
        elif isinstance(inline, prose.LineBreak):
            out.append(Run(" ", bold, italic))
        elif isinstance(inline, prose.Strong):
            _collect(inline.children, True, italic, out)
        elif isinstance(inline, prose.Emphasis):
            _collect(inline.children, bold, True, out)
        elif isinstance(inline, prose.Link):
            _collect(inline.children, bold, italic, out)
        elif isinstance(inline, prose.Image):
            out.append(Run(inline.alt, bold, italic))
        # Html: a tag is markup, not text.


def plain(inlines: tuple[prose.Inline, ...]) -> str:
    """Inlines as one line of plain text."""
    return re.sub(r"[ \t]+", " ", "".join(r.text for r in runs(inlines)))


def _cell(inlines: tuple[prose.Inline, ...]) -> str:
    return "".join(r.text for r in runs(inlines))


# --- blocks on a slide -----------------------------------------------------------------------

def slide_paras(blocks: tuple[prose.Block, ...]) -> list[Para]:
    """The blocks as paragraphs of a slide's text box. Pictures and tables are left out: they
    get slides of their own (`tables`, and the deck's pictures)."""
    return [item for item in slide_content(blocks) if isinstance(item, Para)]


def slide_content(blocks: tuple[prose.Block, ...]) -> list[Para | SlideTable]:
    """The blocks as paragraphs of a slide's text box, with each top-level table in its place."""
    out: list[Para | SlideTable] = []
    for block in blocks:
        if isinstance(block, prose.Table):
            out += tables((block,))
            continue
        paras: list[Para] = []
        _slide_block(block, 0, paras)
        out += [p for p in paras if p.runs]
        out += tables((block,))            # a table inside a quote, list or admonition: after it
    # A lead-in ("Look for:") stays with what it introduces: a slide never ends on one.
    return [replace(item, keep_with_next=True)
            if isinstance(item, Para) and isinstance(after, Para) and leads_in(item) else item
            for item, after in zip(out, [*out[1:], None], strict=True)]


LEAD_IN_ENDINGS = (":", "\uff1a")     # the colon, and the full-width one


def leads_in(para: Para) -> bool:
    """Whether the paragraph ends by announcing what follows (a sentence ending with a colon)."""
    return para.text.rstrip().endswith(LEAD_IN_ENDINGS)


def _slide_block(block: prose.Block, level: int, out: list[Para]) -> None:
    if isinstance(block, prose.Heading):
        out.append(Para(runs(block.inlines, bold=True), "heading", keep_with_next=True))
    elif isinstance(block, prose.Paragraph):
        parts = runs(block.inlines)
        # A paragraph all in bold introduces what follows, like a heading: keep them together.
        out.append(Para(parts, "plain", keep_with_next=bool(parts) and all(r.bold for r in parts)))
    elif isinstance(block, prose.ListBlock):
        for number, item in enumerate(block.items, 1):   # as the website numbers it (the check warns)
            first, *rest = item.blocks or (prose.Paragraph(item.line, ()),)
            lead = runs(first.inlines) if isinstance(first, prose.Paragraph) else ()
            style = "number" if block.ordered else "bullet"
            out.append(Para(lead, style, level=min(level, 1), number=number if block.ordered else None))
            if not isinstance(first, prose.Paragraph):
                _slide_block(first, level + 1, out)
            for child in rest:
                _slide_block(child, level + 1, out)
    elif isinstance(block, prose.CodeBlock):
        out.extend(Para((Run(clean(line.rstrip())),), "plain") for line in block.text.split("\n") if line.strip())
    elif isinstance(block, (prose.Quote, prose.Admonition)):
        if isinstance(block, prose.Admonition) and block.title:
            out.append(Para((Run(clean(block.title), bold=True),), "heading", keep_with_next=True))
        for child in block.blocks:
            _slide_block(child, level, out)
    elif isinstance(block, prose.DefinitionList):
        for entry in block.items:
            out.append(Para(runs(entry.term, bold=True), "plain", keep_with_next=True))
            for definition in entry.definitions:
                for child in definition:
                    _slide_block(child, level, out)
    # Pictures, tables, writing space, rules and HTML have no place in a text box.


def tables(blocks: tuple[prose.Block, ...]) -> list[SlideTable]:
    """Every table of the blocks (inside quotes and admonitions too), as cell text."""
    found: list[SlideTable] = []
    for block in blocks:
        if isinstance(block, prose.Table):
            rows = (tuple(_cell(c) for c in block.header),) + tuple(tuple(_cell(c) for c in row) for row in block.rows)
            align = tuple({"right": "r", "center": "ctr"}.get(a, "l") for a in block.align)
            found.append(SlideTable(block.line, rows, align))
        elif isinstance(block, (prose.Quote, prose.Admonition)):
            found += tables(block.blocks)
        elif isinstance(block, prose.ListBlock):
            for item in block.items:
                found += tables(item.blocks)
    return found


# --- blocks as speaker notes -------------------------------------------------------------------

def notes_text(blocks: tuple[prose.Block, ...]) -> str:
    """The blocks as plain readable text for speaker notes: an empty line between paragraphs,
    list items and code lines kept together."""
    pieces: list[tuple[str, str]] = []       # (kind, text)
    for block in blocks:
        _notes_block(block, 0, pieces)
    parts: list[str] = []
    previous = None
    for kind, text in pieces:
        if not text.strip():
            continue
        tight = previous is not None and (
            (kind == "item" and previous == "item") or (kind == "code" and previous == "code"))
        if parts:
            parts.append("\n" if tight else "\n\n")
        parts.append(text)
        previous = kind
    return "".join(parts)


def _notes_block(block: prose.Block, level: int, out: list[tuple[str, str]]) -> None:
    if isinstance(block, (prose.Heading, prose.Paragraph)):
        out.append(("para", plain(block.inlines)))
    elif isinstance(block, prose.PictureBlock):
        out.append(("para", f"({plain((block.image,))})" if block.image.alt.strip() else ""))
    elif isinstance(block, prose.ListBlock):
        for number, item in enumerate(block.items, 1):   # as the website numbers it (the check warns)
            first, *rest = item.blocks or (prose.Paragraph(item.line, ()),)
            text = plain(first.inlines) if isinstance(first, prose.Paragraph) else ""
            if block.ordered:
                text = ("    " if level else "") + f"{number}. {text}"
            else:
                text = ("    – " if level else "• ") + text
            out.append(("item", text))
            if not isinstance(first, prose.Paragraph):
                _notes_block(first, level + 1, out)
            for child in rest:
                _notes_block(child, level + 1, out)
    elif isinstance(block, prose.CodeBlock):
        out.extend(("code", clean(line.rstrip())) for line in block.text.split("\n") if line.strip())
    elif isinstance(block, (prose.Quote, prose.Admonition)):
        if isinstance(block, prose.Admonition) and block.title:
            out.append(("para", clean(block.title)))
        for child in block.blocks:
            _notes_block(child, level, out)
    elif isinstance(block, prose.Table):
        for row in (block.header, *block.rows):
            out.append(("para", " | ".join(t for t in (plain(c) for c in row) if t)))
    elif isinstance(block, prose.DefinitionList):
        for entry in block.items:
            out.append(("para", plain(entry.term)))
            for definition in entry.definitions:
                for child in definition:
                    _notes_block(child, level, out)
