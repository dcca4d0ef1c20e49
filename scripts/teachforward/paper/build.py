"""A language's PDFs: for each workshop its materials (A4 and Letter) and participant pack (a
zip holds the pack and the participants' worksheets on A4 and Letter), and the course book.

Each document is laid out once and written on both papers (engine.py); the worksheets and the
end of the pack are pages of the materials' layout; the course book is made in parts (book.py).
A PDF is made again only when what it is made from changed: the HTML of the documents it takes
pages from, the shared style sheet (it names the font files), the font files' bytes and the
engine's version.
build/<lang>/print/state.json keeps one digest per file.
"""
from __future__ import annotations

import atexit
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teachforward.artifacts import PrintFile
from teachforward.content.model import Course, Language, Workshop
from teachforward.fsutil import read_json, write_atomic, write_changed, write_json
from teachforward.paper.book import write_book
from teachforward.paper.documents import PrintDocument, font_files, stylesheet
from teachforward.zipfiles import compress, zip_bytes

if TYPE_CHECKING:
    from teachforward.paper.engine import Engine, Layout

STATE = "state.json"
PAPERS = ("a4", "letter")
BOOK_PAPERS = ("a4",)       # the book (book.py) and the packs are set on A4 with room for Letter (print.css)


def book_name(lang: str, size: str) -> str:
    return f"teach-forward-{lang}-course-book-{size}.pdf"


def pack_name(folder: str, lang: str) -> str:
    return f"{folder}-{lang}-participant-pack"


def materials_name(folder: str, lang: str, size: str) -> str:
    return f"{folder}-{lang}-materials-{size}.pdf"


def prepare_printing() -> None:
    """Import the engine before a build forks its workers, so that they share it."""
    from teachforward.paper.engine import preload
    preload()


@cache
def shared_engine(style: str, base_url: str) -> Engine:
    """One engine per process (a build's worker, or serve's process for all its builds)."""
    from teachforward.decks import fonts
    from teachforward.paper.engine import Engine
    # Let go of it before the interpreter takes its modules apart (its font files' clean-up needs them).
    atexit.register(shared_engine.cache_clear)
    return Engine(style, base_url, fonts.FONTCONFIG_FILE)


def write_language_pdfs(course: Course, language: Language, out_dir: Path, epoch: int) -> list[PrintFile]:
    """Write (or keep) every PDF of one language under out_dir; return them in download order."""
    printer = _Printer(course, language, out_dir)
    document = PrintDocument(course, language)
    for workshop in language.workshops:
        _workshop_pdfs(printer, document, workshop, epoch)
    write_book(printer, document, book_name(language.code, "a4"))
    if printer.current != printer.previous:    # an unchanged language's build folder is left as it was
        write_json(out_dir / STATE, printer.current)
    return printer.made


def _workshop_pdfs(printer: _Printer, document: PrintDocument, workshop: Workshop, epoch: int) -> None:
    folder, code = workshop.folder, printer.language.code
    materials = document.materials(workshop) if workshop.materials else ""
    anchors = document.participant_sheets(workshop)
    pack_html = document.participant_pack(workshop)

    def sheets() -> list[Any]:
        found = printer.layout(materials).pages_from(document.sheets(workshop))
        return [page for anchor in anchors for page in found.get(anchor, [])]

    @cache
    def pack() -> dict[str, bytes]:
        own = printer.layout(pack_html)
        return own.pdfs(BOOK_PAPERS, own.pages + sheets())

    all_sheets = cache(lambda: printer.layout(materials).pdfs(PAPERS))
    their_sheets = cache(lambda: printer.layout(materials).pdfs(PAPERS, sheets()))
    for paper in PAPERS if materials else ():
        printer.pdf(materials_name(folder, code, paper), "materials", folder, paper, [materials], all_sheets)
    name = pack_name(folder, code)
    files = [printer.pdf(f"{name}-{paper}.pdf", "pack", folder, paper, [pack_html, materials], pack)
             for paper in BOOK_PAPERS]
    for paper in PAPERS if anchors else ():
        # The zip's worksheets are the participants' alone: not the workshop's materials PDF.
        files.append(printer.pdf(f"{name}-worksheets-{paper}.pdf", "worksheets", folder, paper, [materials],
                                 their_sheets))
    printer.forget()
    zipped = printer.out_dir / f"{name}.zip"
    _zip(zipped, name, files, epoch)
    printer.made.append(PrintFile("pack-zip", folder, code, zipped.name, BOOK_PAPERS[0], zipped.stat().st_size))


class _Printer:
    """One language's PDFs: each laid out at most once, each written only when its digest changed."""

    def __init__(self, course: Course, language: Language, out_dir: Path):
        from teachforward.paper.engine import engine_version
        self.course, self.language, self.out_dir = course, language, out_dir
        self.style = stylesheet()
        fixed = hashlib.sha256(engine_version().encode() + self.style.encode("utf-8"))
        for path in font_files():
            fixed.update(path.read_bytes())
        self.fixed = fixed.digest()
        self.previous: dict[str, Any] = read_json(out_dir / STATE)
        self.current: dict[str, Any] = {}
        self.made: list[PrintFile] = []
        self.layouts: dict[str, Layout] = {}

    def engine(self) -> Engine:
        return shared_engine(self.style, self.course.root.as_uri())

    def layout(self, html: str) -> Layout:
        """The layout of `html`, kept for the other files made from it until forget()."""
        if html not in self.layouts:
            self.layouts[html] = self.engine().layout(html)
        return self.layouts[html]

    def forget(self) -> None:
        """Let go of the layouts kept (a workshop's, once its files are written): what a
        language's build holds does not grow with the course."""
        self.layouts.clear()

    def pdf(self, name: str, kind: str, workshop: str, paper: str, sources: list[str],
            draw: Callable[[], dict[str, bytes]]) -> Path:
        """Write `draw()[paper]` to `name` unless the file there was made from the same `sources`
        (HTML); `draw` gives the document on every paper at once (engine.py: drawn once)."""
        digest = hashlib.sha256(self.fixed + paper.encode()
                                + b"".join(hashlib.sha256(html.encode("utf-8")).digest() for html in sources)).hexdigest()
        target = self.out_dir / name
        if self.previous.get(name) != digest or not target.is_file():
            write_atomic(target, draw()[paper])
        self.current[name] = digest
        self.made.append(PrintFile(kind, workshop, self.language.code, name, paper, target.stat().st_size))
        return target


def _zip(target: Path, folder: str, files: list[Path], epoch: int) -> None:
    """The pack and its worksheets in one zip, the same bytes on every build."""
    import time
    stamp = time.gmtime(max(epoch, 315532800) // 2 * 2)[:6]
    entries = [compress(f"{folder}/{path.name}", path.read_bytes()) for path in files]
    data = zip_bytes(entries, stamp, unix=True)
    write_changed(target, data)
