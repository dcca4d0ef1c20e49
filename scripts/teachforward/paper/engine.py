"""The PDF engine: WeasyPrint, the only importer of it (chosen over Chromium's print by
scripts/bench_pdf.py: the contents' page numbers first needed CSS `target-counter`, which
Chromium does not do, and Chromium stamps each PDF with the time it was made).

A document is laid out once (`Engine.layout`) and written on both papers (`Layout.pdfs`): the
pages are set on A4 inside the part of the page that A4 and Letter share (print.css), so the
Letter file is the same drawing seen through a Letter-sized page box centred on it. Laying out
is what costs most: a second paper size, or a file made of some pages of other layouts (the
participants' worksheets), costs only the drawing and writing of the file. A layout's marks
(`Layout.marks`: its page count, bookmarks, links and anchors) are what joining.py needs to join
it to others: the course book's parts (book.py).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PX = 0.75          # PDF points in a CSS pixel
# An element whose id is LINK + an anchor's name is made a link to it when the layouts are joined
# (a link to another layout's anchor, which the engine would find nowhere and drop).
LINK = "link-to-"
PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}   # portrait (width, height)


def preload() -> None:
    """Import the engine's library (half a second), e.g. once before forking workers."""
    import weasyprint  # noqa: F401


def engine_version() -> str:
    import weasyprint
    return f"weasyprint {weasyprint.__version__}"


class Engine:
    """One per process and style sheet: the fonts are loaded and the shared style sheet parsed
    once, not for every document (measured: a fifth of the time of a small document)."""

    def __init__(self, stylesheet: str, base_url: str, fontconfig_file: Path):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        logging.getLogger("weasyprint").setLevel(logging.ERROR)    # its CSS notices are ours to test, not to print
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        # The project's fontconfig file lists the project's fonts and nothing else: a character
        # they lack shows as missing instead of being drawn with whatever the host has installed.
        saved = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(fontconfig_file)
        try:
            self.fonts = FontConfiguration()
        finally:
            if saved is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = saved
        self.base_url = base_url
        self.style = weasyprint.CSS(string=stylesheet, base_url=base_url, font_config=self.fonts)

    def layout(self, html: str) -> Layout:
        import weasyprint
        document = weasyprint.HTML(string=html, base_url=self.base_url)
        return Layout(document.render(stylesheets=[self.style], font_config=self.fonts))


@dataclass
class Marks:
    """A layout's page count and where its marks are (Layout.marks), as JSON keeps them."""
    pages: int
    bookmarks: list[tuple] = field(default_factory=list)   # (level, label, page, x, y, closed)
    links: list[tuple] = field(default_factory=list)       # (anchor, page, left, bottom, right, top)
    anchors: dict[str, tuple] = field(default_factory=dict)  # name: (page, x, y)


class Layout:
    """A laid-out document: its pages, which anchors each holds, and its PDF on either paper."""

    def __init__(self, document: Any):
        self.document = document

    @property
    def pages(self) -> list[Any]:
        return list(self.document.pages)

    def marks(self, anchors: Iterable[str]) -> Marks:
        """Where this layout's bookmarks, `anchors` and links to other layouts (LINK) are, in PDF
        points from the bottom left of their page, numbered from 0: what joining it to others needs."""
        wanted = set(anchors)
        found = Marks(pages=len(self.document.pages))
        for number, page in enumerate(self.document.pages):
            def point(x: float, y: float, height: float = page.height) -> tuple[float, float]:
                return round(x * PX, 3), round((height - y) * PX, 3)
            for level, label, (x, y), state in page.bookmarks:
                found.bookmarks.append((level, label, number, *point(x, y), state == "closed"))
            for name, (x1, y1, x2, y2) in page.anchors.items():         # the element's box
                if name.startswith(LINK):
                    found.links.append((name[len(LINK):], number, *point(x1, y2), *point(x2, y1)))
                elif name in wanted and name not in found.anchors:
                    found.anchors[name] = (number, *point(x1, y1))
        return found

    def pages_from(self, anchors: Iterable[str]) -> dict[str, list[Any]]:
        """{anchor: the pages from the one that holds it to the one before the next of `anchors`}."""
        wanted, current = set(anchors), None
        found: dict[str, list[Any]] = {}
        for page in self.document.pages:
            starting = [name for name in page.anchors if name in wanted]
            if starting:
                current = starting[-1]
            if current is not None:
                found.setdefault(current, []).append(page)
        return found

    def pdfs(self, papers: tuple[str, ...], pages: list[Any] | None = None) -> dict[str, bytes]:
        """The PDF on each of `papers` ("a4", "letter"), of all the pages or of `pages` (which may
        come from several layouts made by the same engine)."""
        document = self.document if pages is None else self.document.copy(pages)

        def paper_boxes(points: tuple[float, float]) -> Any:
            return lambda _, pdf: _on_paper(pdf, points)

        # No creation or modification date in the file: the same sources give the same bytes.
        return {paper: document.write_pdf(uncompressed_pdf=False, custom_metadata=False, pdf_identifier=b"teach-forward",
                                          finisher=None if paper == "a4" else paper_boxes(PAPER_POINTS[paper]))
                for paper in papers}


def _on_paper(pdf: Any, points: tuple[float, float]) -> None:
    """Give every page a box of this paper's size, centred on its A4 drawing."""
    import pydyf
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page":
            left, bottom, right, top = (float(value) for value in item["MediaBox"])
            width, height = right - left, top - bottom
            paper = points if width <= height else points[::-1]
            x, y = left + (width - paper[0]) / 2, bottom + (height - paper[1]) / 2
            box = pydyf.Array([round(x, 3), round(y, 3), round(x + paper[0], 3), round(y + paper[1], 3)])
            for name in ("MediaBox", "TrimBox", "BleedBox"):
                item[name] = box
