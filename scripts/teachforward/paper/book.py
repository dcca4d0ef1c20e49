"""The course book, made in parts: the cover and contents, one part per workshop, the glossary.

Each part is laid out on its own and written to build/<lang>/print/book/ (laying the whole book
out in one piece holds every page at once: about 2 GB at 100 workshops), and laid out again only
when its HTML changed, its first page number included: an edit to a workshop's notes lays out
that workshop's part, and the parts after it only if its page count changed. The state keeps,
for each part, its digest, page count and marks (engine.Marks), so that an unchanged part is
neither laid out nor read. The page numbers go on across the parts (each starts at the page
after the last one's) and the contents are written with them, counted from the parts' page
counts; as the contents' own length moves every number after them, the front is laid out until
its page count is the one the others were numbered from (once, or twice when it changed).
joining.py joins the parts in one file, the outline and the contents' links too.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from teachforward.fsutil import write_atomic
from teachforward.paper.documents import PrintDocument
from teachforward.paper.engine import Marks
from teachforward.paper.joining import Part, join, joiner_version

if TYPE_CHECKING:
    from teachforward.paper.build import _Printer

PARTS = "book"              # the parts' folder under the print folder, and their key in its state


def write_book(printer: _Printer, document: PrintDocument, name: str) -> Path:
    """Write (or keep) the course book `name` (A4), laying out only the parts that changed."""
    folder = printer.out_dir / PARTS
    previous: dict[str, dict] = dict(printer.previous.get(PARTS, {}))     # and the parts laid out since
    kept: dict[str, dict] = {}
    anchors = document.book_anchors()

    def part(key: str, html: str) -> Part:
        path = folder / f"{key}.pdf"
        digest = hashlib.sha256(printer.fixed + html.encode("utf-8")).hexdigest()
        record = previous.get(key)
        if record is None or record["digest"] != digest or not path.is_file():
            layout = printer.engine().layout(html)
            # As the state file will give it back (lists, not tuples): an unchanged state is not written.
            record = json.loads(json.dumps({"digest": digest, **asdict(layout.marks(anchors))}))
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, layout.pdfs(("a4",))["a4"])
            del layout          # a part's pages are let go before the next is laid out
        previous[key] = kept[key] = record
        return Part(path, _marks(record))

    def numbered(front_pages: int) -> tuple[list[Part], dict[str, int]]:
        body: list[tuple[str, Callable[[int], str]]] = [
            (workshop.folder, partial(document.book_workshop, workshop)) for workshop in printer.language.workshops]
        body.append(("glossary", document.book_glossary))
        parts, pages, first = [], {}, front_pages + 1
        for key, html_of in body:
            html = html_of(first)
            made = part(key, html)
            pages.update({anchor: first + page for anchor, (page, _, _) in made.marks.anchors.items()})
            parts.append(made)
            first += made.marks.pages
        return parts, pages

    front_pages = previous["front"]["pages"] if "front" in previous else part("front", document.book_front({})).marks.pages
    for _ in range(4):
        parts, pages = numbered(front_pages)
        front = part("front", document.book_front(pages))
        if front.marks.pages == front_pages:
            break
        front_pages = front.marks.pages
    else:
        raise RuntimeError("the course book's contents do not keep one length")
    printer.current[PARTS] = kept
    for stale in folder.glob("*.pdf"):
        if stale.stem not in kept:
            stale.unlink()
    # Made from the parts: their digests (their HTML's) and marks.
    return printer.pdf(name, "book", "", "a4", [joiner_version(), json.dumps(kept, sort_keys=True)],
                       lambda: {"a4": join([front, *parts])})


def _marks(record: dict) -> Marks:
    return Marks(pages=record["pages"], bookmarks=[tuple(b) for b in record["bookmarks"]],
                 links=[tuple(link) for link in record["links"]],
                 anchors={name: tuple(where) for name, where in record["anchors"].items()})

