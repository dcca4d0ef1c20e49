"""Measure the PDFs (paper/) of this tree against another commit's, in one run, as ratios.

    .venv/bin/python scripts/bench_paper.py [--against main] [--repeat 1] [--workshops 100] [--skip-large]

Figures, each for both code versions (the other commit's scripts/teachforward and fonts taken out
with `git archive` into a temporary folder, run with the same Python and libraries):
- cold: every language's PDFs of the real course from nothing, two languages at a time (as a
  build does on two cores): wall seconds of the whole, CPU seconds of the PDF work;
- edit: the English PDFs again after one word of a workshop's speaking notes changed;
- large: the course book alone of a synthetic course of `--workshops` workshops in one language
  (scripts/synthetic_course.py): its seconds and the process's peak resident memory.
Each is measured in a fresh process; the two versions' cold and edit runs take turns (`--repeat`
times, medians printed), so that a change in the machine's load weighs on both alike; CPU
seconds are the steadier figure on a shared machine. The ratio is this tree's over the other's.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "fr", "es", "pt", "ar")
SOURCES = ("workshops", "docs", "slides_src", "mkdocs.yml")
EDITED = ("workshops/en/02-data-lifecycle/notes.md", "so if some participants", "so if a few participants")


def child(args: argparse.Namespace) -> None:
    """In a fresh process whose path starts with the code measured: one language's PDFs (or the book alone)."""
    import resource
    sys.path.insert(0, args.code)       # before this script's folder, which holds this tree's code
    from teachforward.content.loader import load_course
    from teachforward.paper import build
    from teachforward.paper.documents import PrintDocument
    course, problems = load_course(Path(args.course))
    assert course is not None, problems
    language, out = course.language(args.lang), Path(args.out)
    started, cpu = time.perf_counter(), time.process_time()
    if not args.book_only:
        build.write_language_pdfs(course, language, out, 1700000000)
    elif hasattr(PrintDocument, "course_book"):          # the book in one piece (before paper/book.py)
        printer = build._Printer(course, language, out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "book.pdf").write_bytes(printer.layout(PrintDocument(course, language).course_book()).pdfs(("a4",))["a4"])
    else:
        from teachforward.paper.book import write_book
        out.mkdir(parents=True, exist_ok=True)
        write_book(build._Printer(course, language, out), PrintDocument(course, language), "book.pdf")
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run(code: Path, course: Path, out: Path, langs: tuple[str, ...], book_only: bool = False) -> dict:
    """The languages two at a time, each in a process of its own; wall seconds of the whole."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    started, results, waiting, running = time.perf_counter(), [], list(langs), []
    while waiting or running:
        while waiting and len(running) < 2:
            lang = waiting.pop(0)
            command = [sys.executable, __file__, "--child", "--code", str(code), "--course", str(course), "--lang", lang,
                       "--out", str(out / lang)] + ["--book-only"] * book_only
            running.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True))
        process = running.pop(0)
        stdout, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a measured process failed ({process.args})")
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    return {"wall": time.perf_counter() - started, "cpu": sum(r["cpu"] for r in results),
            "seconds": sum(r["seconds"] for r in results), "peak_mb": max(r["peak_mb"] for r in results)}


def measure(code: Path, work: Path) -> dict:
    """Cold and edit, in a fresh copy of the real course and a fresh print folder."""
    if work.exists():
        shutil.rmtree(work)
    course = work / "course"
    course.mkdir(parents=True)
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, course / name)
    figures = {"cold": run(code, course, work / "print", LANGUAGES)}
    notes = course / EDITED[0]
    text = notes.read_text(encoding="utf-8")
    assert EDITED[1] in text, f"{EDITED[0]} no longer says {EDITED[1]!r}: choose another edit"
    notes.write_text(text.replace(EDITED[1], EDITED[2], 1), encoding="utf-8")
    figures["edit"] = run(code, course, work / "print", ("en",))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="main", help="the commit measured against (default: main)")
    parser.add_argument("--repeat", type=int, default=1, help="cold and edit runs of each version (default 1)")
    parser.add_argument("--workshops", type=int, default=100, help="workshops in the large book (default 100)")
    parser.add_argument("--skip-large", action="store_true", help="leave out the large book")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--book-only", action="store_true", help=argparse.SUPPRESS)
    for hidden in ("--code", "--course", "--lang", "--out"):       # the measured process's
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    sys.path.insert(0, str(ROOT / "scripts"))
    import synthetic_course
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        other = work / "other"
        other.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "scripts/teachforward", "fonts"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(other, filter="data")
        large = None if args.skip_large else synthetic_course.make_course(work / "large-course", args.workshops, 1)
        codes = {args.against: other / "scripts", "this tree": ROOT / "scripts"}
        runs: dict[str, list[dict]] = {name: [] for name in codes}
        for turn in range(args.repeat):
            for name, code in codes.items():
                print(f"measuring {name} (cold and edit, {turn + 1} of {args.repeat}) ...", file=sys.stderr, flush=True)
                runs[name].append(measure(code, work / name.replace(" ", "-")))
        larges = {}
        for name, code in codes.items() if large is not None else ():
            print(f"measuring {name} (book of {args.workshops} workshops) ...", file=sys.stderr, flush=True)
            larges[name] = run(code, large, work / f"large-{name.replace(' ', '-')}", ("en",), book_only=True)
    rows = [("cold: wall s (5 languages, 2 at a time)", "cold", "wall"), ("cold: CPU s", "cold", "cpu"),
            ("English edit: s", "edit", "seconds"), ("English edit: CPU s", "edit", "cpu")]
    figures = {name: {(figure, key): statistics.median(r[figure][key] for r in runs[name]) for _, figure, key in rows}
               for name in codes}
    for name, measured in larges.items():
        figures[name].update({("large", key): measured[key] for key in ("seconds", "cpu", "peak_mb")})
    if larges:
        rows += [(f"book of {args.workshops} workshops: s", "large", "seconds"),
                 (f"book of {args.workshops} workshops: CPU s", "large", "cpu"),
                 (f"book of {args.workshops} workshops: peak RSS MB", "large", "peak_mb")]
    print(f"{'':44} {args.against:>10} {'this tree':>10} {'ratio':>7}")
    for label, figure, key in rows:
        old, new = figures[args.against][figure, key], figures["this tree"][figure, key]
        print(f"{label:44} {old:10.1f} {new:10.1f} {new / old:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
