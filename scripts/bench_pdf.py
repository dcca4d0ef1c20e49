"""Measure the two PDF engines on the same print HTML: WeasyPrint (what paper/engine.py uses)
and Chromium's print (headless --print-to-pdf).

For each engine: seconds per PDF (the English and Arabic course books' part for workshop 3, the
largest, and one workshop's materials), whether two renders give the same bytes, and whether the
Arabic book's text comes out right to left. Prints the ratio. (The choice was first made on the
whole book, whose contents then needed CSS `target-counter`, which Chromium does not do; the book
is now laid out in parts and its contents numbered from their page counts: paper/book.py.)

    .venv/bin/python scripts/bench_pdf.py [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from teachforward.content.loader import load_course  # noqa: E402
from teachforward.paper.build import shared_engine  # noqa: E402
from teachforward.paper.documents import PrintDocument, standalone, stylesheet  # noqa: E402


def weasyprint_pdf(html: str, work: Path) -> bytes:
    return shared_engine(stylesheet(), ROOT.as_uri()).layout(html).pdfs(("a4",))["a4"]


def chromium_pdf(chromium: str, html: str, work: Path) -> bytes:
    source, target = work / "in.html", work / "out.pdf"
    source.write_text(standalone(html), encoding="utf-8")
    target.unlink(missing_ok=True)
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-pdf-header-footer", f"--user-data-dir={work / 'profile'}",
                    f"--print-to-pdf={target}", source.as_uri()],
                   check=True, capture_output=True, timeout=300)
    return target.read_bytes()


def text_of(pdf: bytes, work: Path, pages: str = "") -> str:
    path = work / "t.pdf"
    path.write_bytes(pdf)
    extra = ["-f", pages.split("-")[0], "-l", pages.split("-")[1]] if pages else []
    return subprocess.run(["pdftotext", *extra, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    course, problems = load_course(ROOT)
    if course is None:
        print(problems)
        return 1
    en, ar = (PrintDocument(course, course.language(code)) for code in ("en", "ar"))
    samples = {"book en": en.book_workshop(course.language("en").workshops[2], 50),
               "book ar": ar.book_workshop(course.language("ar").workshops[2], 50),
               "materials en w3": en.materials(course.language("en").workshops[2])}
    engines = {"weasyprint": weasyprint_pdf,
               "chromium": lambda html, work: chromium_pdf(args.chromium, html, work)}
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for engine, render in engines.items():
            total = 0.0
            for name, html in samples.items():
                started = time.perf_counter()
                first = render(html, work)
                seconds = time.perf_counter() - started
                total += seconds
                same = hashlib.sha256(first).digest() == hashlib.sha256(render(html, work)).digest()
                note = ""
                if name == "book ar":
                    note = f", Arabic letters in its text: {sum(0x600 <= ord(c) <= 0x6ff for c in text_of(first, work))}"
                print(f"{engine:10} {name:16} {seconds:6.2f} s  {len(first) // 1024:5} KB  "
                      f"same bytes twice: {'yes' if same else 'NO'}{note}")
            totals[engine] = total
    print(f"total: weasyprint {totals['weasyprint']:.2f} s, chromium {totals['chromium']:.2f} s; "
          f"chromium / weasyprint = {totals['chromium'] / totals['weasyprint']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
