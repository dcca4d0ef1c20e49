"""The model's typed blocks and inlines as print HTML."""
from __future__ import annotations

from html import escape

from teachforward.content import prose as p


def inline_html(inlines: tuple[p.Inline, ...]) -> str:
    out: list[str] = []
    for inline in inlines:
        if isinstance(inline, p.Text):
            out.append(escape(inline.text))
        elif isinstance(inline, p.Code):
            out.append(f"<code>{escape(inline.text)}</code>")
        elif isinstance(inline, p.Emphasis):
            out.append(f"<em>{inline_html(inline.children)}</em>")
        elif isinstance(inline, p.Strong):
            out.append(f"<strong>{inline_html(inline.children)}</strong>")
        elif isinstance(inline, p.LineBreak):
            out.append("<br>" if inline.hard else " ")
        elif isinstance(inline, p.Link):
            label = inline_html(inline.children) if inline.children else escape(inline.text)
            if inline.raw.startswith(("https://", "http://")):
                # On paper the address must be readable, not only clickable.
                shown = "" if inline.autolink else f' <span class="url">({escape(inline.raw)})</span>'
                out.append(f'<a href="{escape(inline.raw)}">{label}</a>{shown}')
            else:
                out.append(label)
        elif isinstance(inline, p.Image):
            out.append(_image(inline))
        # Inline HTML tags (spans marking a language) carry no text of their own: left out.
    return "".join(out)


def _image(image: p.Image) -> str:
    if image.path is None:
        return escape(image.alt)
    return f'<img src="{escape(image.path.as_uri())}" alt="{escape(image.alt)}">'


def blocks_html(blocks: tuple[p.Block, ...], shift: int = 0) -> str:
    """`shift`: how many levels the prose's headings go down (a section's ### under the book's h2)."""
    return "\n".join(block_html(block, shift) for block in blocks)


def block_html(block: p.Block, shift: int = 0) -> str:
    if isinstance(block, p.Paragraph):
        return f"<p>{inline_html(block.inlines)}</p>"
    if isinstance(block, p.Heading):
        level = min(6, block.level + shift)
        return f"<h{level}>{inline_html(block.inlines)}</h{level}>"
    if isinstance(block, p.ListBlock):
        return _list(block, shift)
    if isinstance(block, p.Table):
        return _table(block)
    if isinstance(block, p.Quote):
        return f"<blockquote>{blocks_html(block.blocks, shift)}</blockquote>"
    if isinstance(block, p.Admonition):
        title = f'<p class="box-title">{escape(block.title)}</p>' if block.title else ""
        return f'<div class="box box-{escape(block.kind)}">{title}{blocks_html(block.blocks, shift)}</div>'
    if isinstance(block, p.PictureBlock):
        return f'<p class="picture">{_image(block.image)}</p>'
    if isinstance(block, p.CodeBlock):
        return f"<pre>{escape(block.text)}</pre>"
    if isinstance(block, p.DefinitionList):
        items = []
        for entry in block.items:
            items.append(f"<dt>{inline_html(entry.term)}</dt>")
            items += [f"<dd>{blocks_html(d, shift)}</dd>" for d in entry.definitions]
        return f"<dl>{''.join(items)}</dl>"
    if isinstance(block, p.WritingSpace):
        return '<div class="lines">' + '<div class="line"></div>' * block.lines + "</div>"
    if isinstance(block, p.Rule):
        return "<hr>"
    return ""       # raw HTML blocks: the site's business (the HTML policy), not paper's


def _list(block: p.ListBlock, shift: int) -> str:
    items = []
    for item in block.items:
        body = blocks_html(item.blocks, shift)
        if len(item.blocks) == 1 and isinstance(item.blocks[0], p.Paragraph):
            body = inline_html(item.blocks[0].inlines)     # tight list: no paragraph margins
        if item.checked is not None:
            # A box drawn by the style sheet: the project's fonts have no ballot-box character.
            ticked = " ticked" if item.checked else ""
            items.append(f'<li class="tick"><span class="box-mark{ticked}" aria-hidden="true"></span> {body}</li>')
        else:
            items.append(f"<li>{body}</li>")
    if block.ordered:
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>{''.join(items)}</ol>"
    ticks = ' class="ticks"' if any(item.checked is not None for item in block.items) else ""
    return f"<ul{ticks}>{''.join(items)}</ul>"


def _table(block: p.Table) -> str:
    def align(index: int) -> str:
        value = block.align[index] if index < len(block.align) else ""
        return f' style="text-align:{value}"' if value else ""
    head = "".join(f"<th{align(i)}>{inline_html(cell)}</th>" for i, cell in enumerate(block.header))
    rows = []
    for row in block.rows:
        empty = all(not p.plain_text(cell).strip() for cell in row)
        cells = "".join(f"<td{align(i)}>{inline_html(cell)}</td>" for i, cell in enumerate(row))
        rows.append(f'<tr class="write">{cells}</tr>' if empty else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
