"""Parsed inlines written back as Markdown for MkDocs (for text the site composes from the
model, such as key points). Writing only: the site never parses Markdown."""
from __future__ import annotations

from collections.abc import Callable

from teachforward.content import prose

_SPECIAL = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
                          "&": "&amp;", "<": "&lt;"})
_LINE_START = ("#", ">", "-", "+", "=", "|", ":")


def inline_markdown(inlines: tuple[prose.Inline, ...], url: Callable[[prose.Link | prose.Image], str],
                    soft_break: str = " ") -> str:
    """The inlines as Markdown; `url` gives the address each link or picture is written with.
    A line the author broke (not a hard break) goes on after `soft_break`."""
    out: list[str] = []
    for index, inline in enumerate(inlines):
        following = inlines[index + 1] if index + 1 < len(inlines) else None
        if isinstance(inline, prose.Text):
            text = inline.text.translate(_SPECIAL)
            if text.endswith("!") and isinstance(following, prose.Link):
                text = text[:-1] + "\\!"
            out.append(text)
        elif isinstance(inline, prose.Code):
            ticks = "`"
            while ticks in inline.text:
                ticks += "`"
            pad = " " if inline.text.startswith("`") or inline.text.endswith("`") else ""
            out.append(f"{ticks}{pad}{inline.text}{pad}{ticks}")
        elif isinstance(inline, prose.Emphasis):
            out.append(f"*{inline_markdown(inline.children, url, soft_break)}*")
        elif isinstance(inline, prose.Strong):
            out.append(f"**{inline_markdown(inline.children, url, soft_break)}**")
        elif isinstance(inline, prose.LineBreak):
            out.append("\\\n" if inline.hard else soft_break)
        elif isinstance(inline, prose.Html):
            out.append(inline.raw)
        elif isinstance(inline, prose.Link):
            if inline.autolink:
                out.append(f"<{inline.raw}>")
            else:
                out.append(f"[{inline_markdown(inline.children, url)}]({_destination(url(inline), inline.title)})")
        elif isinstance(inline, prose.Image):
            alt = inline.alt.translate(_SPECIAL)
            out.append(f"![{alt}]({_destination(url(inline), inline.title)})")
    lines = "".join(out).split("\n")
    # A line that would start a heading, quote, list or table is text: its first mark escaped.
    return "\n".join(_as_text(line) for line in lines)


def _as_text(line: str) -> str:
    """A line that would start a heading, quote, list or table, with its first mark escaped."""
    if line.startswith(_LINE_START):
        return "\\" + line
    digits = len(line) - len(line.lstrip("0123456789"))
    if digits and line[digits:digits + 2] in (". ", ") "):
        return line[:digits] + "\\" + line[digits:]
    return line


def _destination(address: str, title: str) -> str:
    written = f"<{address}>" if any(c in address for c in " ()") else address
    if title:
        written += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return written


def blocks_markdown(blocks: tuple[prose.Block, ...], url: Callable[[prose.Link | prose.Image], str]) -> str:
    """Parsed blocks written as Markdown for MkDocs: a writing space becomes ruled lines, a tick
    box "- [ ]" (pymdownx.tasklist), a table a Markdown table."""
    return "\n\n".join(text for block in blocks if (text := _block(block, url)))


def _block(block: prose.Block, url: Callable[[prose.Link | prose.Image], str]) -> str:
    if isinstance(block, prose.Paragraph):
        return _lines_of(block.inlines, url)
    if isinstance(block, prose.Heading):
        anchor = f" {{#{block.id}}}" if block.id else ""
        return f"{'#' * block.level} {inline_markdown(block.inlines, url)}{anchor}"
    if isinstance(block, prose.ListBlock):
        items = []
        for number, item in enumerate(block.items, 1):
            marker = f"{number}." if block.ordered else "-"
            if item.checked is not None:
                marker += " [x]" if item.checked else " [ ]"
            body = blocks_markdown(item.blocks, url)
            first, _, rest = body.partition("\n")
            lines = [f"{marker} {first}".rstrip()] + [("    " + line) if line else "" for line in rest.split("\n") if rest]
            items.append("\n".join(lines))
        loose = any(len(item.blocks) > 1 for item in block.items)
        return ("\n\n" if loose else "\n").join(items)
    if isinstance(block, prose.Table):
        def row(cells: tuple[prose.Cell, ...]) -> str:
            return "| " + " | ".join(inline_markdown(c, url).replace("|", "\\|") for c in cells) + " |"
        rule = {"left": ":---", "right": "---:", "center": ":---:"}
        separator = "|" + "|".join(rule.get(a, "---") for a in block.align) + "|"
        return "\n".join([row(block.header), separator, *(row(r) for r in block.rows)])
    if isinstance(block, prose.Quote):
        return "\n".join(("> " + line).rstrip() for line in blocks_markdown(block.blocks, url).split("\n"))
    if isinstance(block, prose.Admonition):
        marker = ("???+" if block.open else "???") if block.collapsible else "!!!"
        title = ' "' + block.title.replace('"', '\\"') + '"' if block.title else ""
        body = blocks_markdown(block.blocks, url)
        return f"{marker} {block.kind}{title}\n\n" + "\n".join(("    " + row) if row else "" for row in body.split("\n"))
    if isinstance(block, prose.PictureBlock):
        return inline_markdown((block.image,), url)
    if isinstance(block, prose.CodeBlock):
        fence = "```"
        while fence in block.text:
            fence += "`"
        return f"{fence}{block.info}\n{block.text.rstrip(chr(10))}\n{fence}"
    if isinstance(block, prose.DefinitionList):
        out = []
        for entry in block.items:
            out.append(inline_markdown(entry.term, url))
            for definition in entry.definitions:
                lines = blocks_markdown(definition, url).split("\n")
                out.append(":   " + lines[0])
                out += [("    " + line) if line else "" for line in lines[1:]]
            out.append("")
        return "\n".join(out).rstrip("\n")
    if isinstance(block, prose.WritingSpace):
        ruled = "".join('<span class="tf-line"></span>' for _ in range(block.lines))
        return f'<div class="tf-lines" aria-hidden="true">{ruled}</div>'
    if isinstance(block, prose.Rule):
        return "---"
    if isinstance(block, prose.HtmlBlock):
        return block.raw.rstrip("\n")
    return ""


def _lines_of(inlines: tuple[prose.Inline, ...], url: Callable[[prose.Link | prose.Image], str]) -> str:
    """A paragraph, with its line breaks where the author made them."""
    return inline_markdown(inlines, url, soft_break="\n")
