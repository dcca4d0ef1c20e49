"""Benchmark: our deck renderer against pandoc's PowerPoint writer, on the same synthetic course.

    .venv/bin/python scripts/bench_decks.py [--workshops 12]

Both make one deck per workshop from the same text: title slide, agenda, objectives, one slide
per section with the speaking notes as speaker notes, exercises, key terms, closing. Ours runs
in one process (as `teachforward build` does), from a cold cache; pandoc runs once per deck (it
writes one file per run). Each side runs --repeat times, interleaved, and the best run counts.
Prints decks per second for both and the ratio (target: at least 5).

The measurement itself is `measure(course_root, repeat)`, which scripts/bench.py also runs on
its synthetic course.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from teachforward.content.loader import load_course  # noqa: E402
from teachforward.content.validate import validate  # noqa: E402
from teachforward.decks import render_decks  # noqa: E402

WORDS = ("workers data union system employer rota shift algorithm record decision right contract "
         "council app manager privacy health safety pay training inference profile purpose order").split()


def sentence(seed: int, words: int = 14) -> str:
    chosen = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)]
    return " ".join(chosen).capitalize() + "."


def paragraph(seed: int, sentences: int = 5) -> str:
    return " ".join(sentence(seed + i) for i in range(sentences))


def make_course(root: Path, count: int) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid", root)
    shutil.rmtree(root / "workshops" / "fr")
    shutil.rmtree(root / "docs" / "fr")
    shutil.rmtree(root / "workshops" / "en" / "01-basics")
    shutil.copyfile(ROOT / "docs" / "en" / "strings.yaml", root / "docs" / "en" / "strings.yaml")
    (root / "docs" / "en" / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    for n in range(1, count + 1):
        folder = root / "workshops" / "en" / f"{n:02d}-synthetic-{n}"
        (folder / "exercises").mkdir(parents=True)
        sections = [f"section-{k}" for k in range(1, 9)]
        agenda = [f"  - minutes: 10\n    activity: Section {k}\n    ref: section-{k}" for k in range(1, 9)]
        agenda += ["  - minutes: 10\n    activity: \"Exercise: one\"\n    ref: one",
                   "  - minutes: 10\n    activity: \"Exercise: two\"\n    ref: two"]
        (folder / "workshop.yaml").write_text(
            f"title: \"Synthetic workshop {n}: data at work\"\nsummary: {sentence(n)}\nduration: 100\n"
            f"audience: Everyone.\nobjectives:\n" + "".join(f"  - {sentence(n + k, 10).lower()}\n" for k in range(4))
            + "agenda:\n" + "\n".join(agenda) + "\nkey_terms:\n"
            + "".join(f"  - id: term-{n}-{k}\n    term: Term {n}.{k}\n    definition: {sentence(n + k)}\n" for k in range(6)),
            encoding="utf-8")
        notes = ["An introduction for the facilitator.\n"]
        for k, section in enumerate(sections, 1):
            points = "".join(f"- {sentence(n * 10 + k + i, 8)}\n" for i in range(4))
            body = "\n\n".join(paragraph(n * 100 + k * 10 + i) for i in range(3))
            notes.append(f"## Section {k} {{#{section}}}\n\n{points}\n{body}\n")
        (folder / "notes.md").write_text("\n".join(notes), encoding="utf-8")
        (folder / "guide.md").write_text("## Preparation {#preparation}\n\nPrint the handouts.\n", encoding="utf-8")
        for number, name in ((1, "one"), (2, "two")):
            (folder / "exercises" / f"0{number}-{name}.md").write_text(
                f"---\ngroup_size: 3-5\nminutes: 10\n---\n# Exercise {name}\n\n## Scenario {{#scenario}}\n\n"
                f"{paragraph(n + number, 6)}\n\n## Task {{#task}}\n\n{paragraph(n + 2, 2)}\n\n"
                f"## Questions {{#questions}}\n\n1. {sentence(n + 3)}\n2. {sentence(n + 4)}\n\n"
                f"## Possible responses {{#responses}}\n\n{paragraph(n + 5, 4)}\n", encoding="utf-8")


def pandoc_markdown(workshop) -> str:
    """The same content as Markdown for pandoc's pptx writer (## = one slide, ::: notes)."""
    facts = workshop.facts
    out = [f"---\ntitle: \"{facts.title}\"\nsubtitle: Teach Forward\n---\n",
           "## Agenda\n\n| Start | Minutes | Activity |\n|---:|---:|:---|"]
    clock = 0
    for item in facts.agenda:
        out.append(f"| {clock // 60}:{clock % 60:02d} | {item.minutes} | {item.activity} |")
        clock += item.minutes
    out.append("\n## Learning objectives\n\n" + "\n".join(f"- {o}" for o in facts.objectives) + "\n")
    for section in workshop.notes.sections:
        out.append(f"## {section.title}\n\n" + "\n".join(f"- {p}" for p in section.key_points)
                   + f"\n\n::: notes\n{section.body}\n:::\n")
    for exercise in workshop.exercises:
        out.append(f"## Exercise: {exercise.title}\n\nGroup size: {exercise.group_size} people, "
                   f"time: {exercise.minutes} minutes\n\n{exercise.scenario.body}\n\n{exercise.task.body}\n\n"
                   f"::: notes\n{exercise.responses.body}\n:::\n")
    out.append("## Key terms\n\n" + "\n".join(f"- **{t.term}**: {t.definition}" for t in facts.key_terms) + "\n")
    out.append("## Closing\n\nThank you.\n")
    return "\n".join(out)


def measure(course_root: Path, repeat: int = 5, work: Path | None = None) -> dict:
    """Time our deck renderer against pandoc on the course at `course_root`.

    Ours renders every deck of every language in this process, from a cold cache, `repeat`
    times; pandoc renders the same decks (the same text, as Markdown) one process per deck,
    interleaved with ours. Returns the times and decks per second of both sides (best and
    median runs); pandoc's entries are None when it is not installed. Raises ValueError when
    the course has errors."""
    import statistics

    course, problems = load_course(Path(course_root))
    if course is not None:
        validate(course, problems)
    if course is None or problems.errors:
        raise ValueError("the course has errors:\n" + "\n".join(p.format() for p in problems.errors[:5]))
    with tempfile.TemporaryDirectory(prefix="bench-decks-out-", dir=work) as temporary:
        out = Path(temporary)
        # Each side runs `repeat` times, interleaved: on a shared machine the slowest runs
        # measure the neighbours, not the program.
        times_ours, times_pandoc = [], []
        pandoc = shutil.which("pandoc")
        sources = []
        if pandoc:
            for language in course.languages:
                for workshop in language.workshops:
                    path = out / "pandoc" / language.code / f"{workshop.folder}.md"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(pandoc_markdown(workshop), encoding="utf-8")
                    sources.append(path)
        downloads = []
        for run in range(repeat):
            target = out / f"ours-{run}"                    # a cold cache every time
            start = time.perf_counter()
            downloads, _ = render_decks(course, target, problems)
            times_ours.append(time.perf_counter() - start)
            if run < repeat - 1:
                shutil.rmtree(target, ignore_errors=True)
            if pandoc:
                start = time.perf_counter()
                for path in sources:
                    subprocess.run([pandoc, str(path), "-o", str(path.with_suffix(".pptx"))], check=True)
                times_pandoc.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_decks(course, out / f"ours-{repeat - 1}", problems)
        cached = time.perf_counter() - start
    decks = len(downloads)
    result = {
        "decks": decks,
        "slides": sum(d.slides for d in downloads),
        "repeat": repeat,
        "ours_s": times_ours,
        "ours_best_s": min(times_ours),
        "ours_median_s": statistics.median(times_ours),
        "ours_decks_per_s": decks / min(times_ours),
        "ours_decks_per_s_median": decks / statistics.median(times_ours),
        "cached_s": cached,
        "warnings": len(problems.warnings),
        "pandoc": None, "pandoc_decks": 0, "pandoc_s": [], "pandoc_best_s": None, "pandoc_median_s": None,
        "pandoc_decks_per_s": None, "pandoc_decks_per_s_median": None, "ratio": None, "ratio_median": None,
    }
    if pandoc:
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        result.update({
            "pandoc": version,
            "pandoc_decks": len(sources),
            "pandoc_s": times_pandoc,
            "pandoc_best_s": min(times_pandoc),
            "pandoc_median_s": statistics.median(times_pandoc),
            "pandoc_decks_per_s": len(sources) / min(times_pandoc),
            "pandoc_decks_per_s_median": len(sources) / statistics.median(times_pandoc),
        })
        result["ratio"] = result["ours_decks_per_s"] / result["pandoc_decks_per_s"]
        result["ratio_median"] = result["ours_decks_per_s_median"] / result["pandoc_decks_per_s_median"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side; the best counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-decks-") as temporary:
        work = Path(temporary)
        course_root = work / "course"
        make_course(course_root, args.workshops)
        try:
            result = measure(course_root, args.repeat, work)
        except ValueError as error:
            print(error)
            return 1
    ours = result["ours_best_s"]
    print(f"ours:   {result['decks']} decks ({result['slides']} slides), one process, cold cache: best {ours:.2f} s "
          f"of {args.repeat} (first {result['ours_s'][0]:.2f} s): {result['ours_decks_per_s']:.1f} decks/s; "
          f"rebuild with nothing changed: {result['cached_s']:.2f} s")
    if result["pandoc"] is None:
        print("pandoc is not installed: no comparison (apt-get install pandoc)")
        return 0
    print(f"pandoc: {result['pandoc_decks']} decks, one process per deck ({result['pandoc']}): best "
          f"{result['pandoc_best_s']:.2f} s of {args.repeat}: {result['pandoc_decks_per_s']:.1f} decks/s")
    print(f"ratio:  {result['ratio']:.1f}x pandoc's throughput (target: 5x)")
    if result["warnings"]:
        print(f"({result['warnings']} warning(s) while making the decks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
