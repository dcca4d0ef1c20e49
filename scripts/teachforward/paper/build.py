"""A language's PDFs: for each workshop its materials (A4 and Letter) and participant pack (a
zip holds the pack and the participants' materials), and the course book.

Each PDF is rendered again only when what it is made from changed: its HTML (which holds
everything the document shows, the style sheet and the font files' names), the font files'
bytes and the engine's version. build/<lang>/print/state.json keeps one digest per file.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from teachforward.artifacts import PrintFile
from teachforward.content.model import Course, Language
from teachforward.fsutil import read_json, write_atomic, write_json
from teachforward.paper.documents import PAPER_SIZES, PrintDocument, find_fonts
from teachforward.zipfiles import compress, zip_bytes

STATE = "state.json"
BOOK_SIZES = ("a4",)       # the book and the packs are set on A4 with room for Letter (print.css)


def book_name(lang: str, size: str) -> str:
    return f"teach-forward-{lang}-course-book-{size}.pdf"


def pack_name(folder: str, lang: str) -> str:
    return f"{folder}-{lang}-participant-pack"


def materials_name(folder: str, lang: str, size: str) -> str:
    return f"{folder}-{lang}-materials-{size}.pdf"


def write_language_pdfs(course: Course, language: Language, out_dir: Path, epoch: int) -> list[PrintFile]:
    """Write (or keep) every PDF of one language under out_dir; return them in download order."""
    from teachforward.paper.engine import engine_version, html_to_pdf
    fonts = find_fonts(course.root)
    fixed = hashlib.sha256(engine_version().encode())
    for path in fonts.files():
        fixed.update(path.read_bytes())
    previous, current = read_json(out_dir / STATE), {}
    made: list[PrintFile] = []
    code = language.code

    def pdf(name: str, html: str, kind: str, workshop: str, size: str) -> Path:
        digest = hashlib.sha256(fixed.digest() + html.encode("utf-8")).hexdigest()
        target = out_dir / name
        if previous.get(name) != digest or not target.is_file():
            write_atomic(target, html_to_pdf(html, course.root.as_uri()))
        current[name] = digest
        made.append(PrintFile(kind, workshop, code, name, size, target.stat().st_size))
        return target

    documents = {size: PrintDocument(course, language, size, fonts) for size in PAPER_SIZES}
    for workshop in language.workshops:
        for size in PAPER_SIZES:
            if workshop.materials:
                pdf(materials_name(workshop.folder, code, size), documents[size].materials(workshop),
                    "materials", workshop.folder, size)
        for size in BOOK_SIZES:
            name = pack_name(workshop.folder, code)
            pack = pdf(f"{name}-{size}.pdf", documents[size].participant_pack(workshop), "pack", workshop.folder, size)
            sheets = []
            if any(m.audience == "participants" for m in workshop.materials):
                # The zip's worksheets are the participants' alone: not the workshop's materials PDF.
                for paper in PAPER_SIZES:
                    sheets.append(pdf(f"{name}-worksheets-{paper}.pdf",
                                      documents[paper].materials(workshop, audience="participants"),
                                      "worksheets", workshop.folder, paper))
            zipped = out_dir / f"{name}.zip"
            _zip(zipped, name, [pack, *sheets], epoch)
            made.append(PrintFile("pack-zip", workshop.folder, code, zipped.name, size, zipped.stat().st_size))
    for size in BOOK_SIZES:
        pdf(book_name(code, size), documents[size].course_book(), "book", "", size)
    write_json(out_dir / STATE, current)
    return made


def _zip(target: Path, folder: str, files: list[Path], epoch: int) -> None:
    """The pack and its worksheets in one zip, the same bytes on every build."""
    import time
    stamp = time.gmtime(max(epoch, 315532800) // 2 * 2)[:6]
    entries = [compress(f"{folder}/{path.name}", path.read_bytes()) for path in files]
    write_atomic(target, zip_bytes(entries, stamp, unix=True))
