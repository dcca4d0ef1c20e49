"""PDFs laid out on their own joined in one file: the course book's parts (book.py). The only
importer of pikepdf (qpdf), chosen over pypdf by measurement: the real course's English book
joined from its eight parts is 505 KB with qpdf's object streams against 633 KB with pypdf
(469 KB laid out in one piece; each part keeps its own subset of the fonts), in 0.03 s.

The first file's catalog is the book's (its language, title and document information); the
outline and the links between parts are made here from the parts' marks (engine.Marks), as no
part knows another's pages.
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from teachforward.paper.engine import Marks


def joiner_version() -> str:
    import pikepdf
    return f"pikepdf {pikepdf.__version__}"


@dataclass
class Part:
    path: Path
    marks: Marks


def join(parts: list[Part]) -> bytes:
    """The parts' pages one after another, with one outline made of the parts' bookmarks and
    each internal link pointing to its anchor in whichever part holds it."""
    import io

    import pikepdf

    firsts, count = [], 0
    for part in parts:
        firsts.append(count)
        count += part.marks.pages
    anchors = {name: (firsts[i] + page, x, y) for i, part in enumerate(parts)
               for name, (page, x, y) in part.marks.anchors.items()}
    with ExitStack() as stack:
        book = stack.enter_context(pikepdf.open(parts[0].path))
        # The parts' page streams are copied when the book is saved: they stay open until then.
        for part in parts[1:]:
            book.pages.extend(stack.enter_context(pikepdf.open(part.path)).pages)
        if "/Names" in book.Root:
            del book.Root.Names        # the first part's named anchors; the links below point to pages
        for i, part in enumerate(parts):
            for target, page, left, bottom, right, top in part.marks.links:
                if target not in anchors:
                    continue
                to, x, y = anchors[target]
                link = book.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[left, bottom, right, top],
                    Border=[0, 0, 0], Dest=[book.pages[to].obj, pikepdf.Name.XYZ, x, y, 0]))
                holder = book.pages[firsts[i] + page].obj
                if "/Annots" not in holder:
                    holder.Annots = pikepdf.Array()
                holder.Annots.append(link)
        with book.open_outline() as outline:
            outline.root.clear()
            levels: list[tuple[int, list]] = [(0, outline.root)]      # (level, where its children go)
            for i, part in enumerate(parts):
                for level, label, page, x, y, closed in part.marks.bookmarks:
                    while levels[-1][0] >= level:
                        levels.pop()
                    item = pikepdf.OutlineItem(label, firsts[i] + page, "XYZ", left=x, top=y)
                    item.is_closed = closed
                    levels[-1][1].append(item)
                    levels.append((level, item.children))
        out = io.BytesIO()
        # Object streams (the parts' own layout), no new compression of what WeasyPrint
        # compressed, and an identifier made from the content: the same parts give the same bytes.
        book.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                  recompress_flate=False, deterministic_id=True)
    return out.getvalue()
