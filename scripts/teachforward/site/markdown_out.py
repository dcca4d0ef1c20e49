"""Parsed inlines written back as Markdown for MkDocs (for text the site composes from the
model, such as key points). Writing only: the site never parses Markdown."""
from __future__ import annotations

from collections.abc import Callable

from teachforward.content import prose

_SPECIAL = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
                          "&": "&amp;", "<": "&lt;"})
_LINE_START = ("#", ">", "-", "+", "=", "|", ":")


def inline_markdown(inlines: tuple[prose.Inline, ...], url: Callable[[prose.Link | prose.Image], str]) -> str:
    """The inlines as Markdown; `url` gives the address each link or picture is written with."""
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
            out.append(f"*{inline_markdown(inline.children, url)}*")
        elif isinstance(inline, prose.Strong):
            out.append(f"**{inline_markdown(inline.children, url)}**")
        elif isinstance(inline, prose.LineBreak):
            out.append("\\\n" if inline.hard else " ")
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
    text = "".join(out)
    if text.startswith(_LINE_START):
        text = "\\" + text
    return text


def _destination(address: str, title: str) -> str:
    written = f"<{address}>" if any(c in address for c in " ()") else address
    if title:
        written += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return written
