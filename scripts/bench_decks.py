"""Benchmark: our deck renderer against pandoc's PowerPoint writer, on the same synthetic course.

    .venv/bin/python scripts/bench_decks.py [--workshops 12]

Both make one deck per workshop from the same text: title slide, agenda, objectives, one slide
per section with the speaking notes as speaker notes, exercises, key terms, closing. Ours runs
in one process (as `teachforward build` does), from a cold cache; pandoc runs once per deck (it
writes one file per run). Each side runs --repeat times, interleaved, and the best run counts.
Prints decks per second for both and the ratio (target: at least 5).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side; the best counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-decks-") as temporary:
        work = Path(temporary)
        course_root = work / "course"
        make_course(course_root, args.workshops)
        course, problems = load_course(course_root)
        validate(course, problems)
        if problems.errors:
            for problem in problems.errors[:5]:
                print(problem.format())
            return 1
        workshops = course.source.workshops

        # Each side runs `--repeat` times, interleaved, and the best run counts: on a shared
        # machine the slowest runs measure the neighbours, not the program.
        times_ours, times_pandoc = [], []
        pandoc = shutil.which("pandoc")
        sources = []
        if pandoc:
            for workshop in workshops:
                path = work / "pandoc" / f"{workshop.folder}.md"
                path.parent.mkdir(exist_ok=True)
                path.write_text(pandoc_markdown(workshop), encoding="utf-8")
                sources.append(path)
        for run in range(args.repeat):
            out = work / f"ours-{run}"                      # a cold cache every time
            start = time.perf_counter()
            downloads, _ = render_decks(course, out, problems)
            times_ours.append(time.perf_counter() - start)
            if pandoc:
                start = time.perf_counter()
                for path in sources:
                    subprocess.run([pandoc, str(path), "-o", str(path.with_suffix(".pptx"))], check=True)
                times_pandoc.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_decks(course, work / f"ours-{args.repeat - 1}", problems)
        cached = time.perf_counter() - start
        ours = min(times_ours)
        slides = sum(d.slides for d in downloads)
        print(f"ours:   {len(downloads)} decks ({slides} slides), one process, cold cache: best {ours:.2f} s "
              f"of {args.repeat} (first {times_ours[0]:.2f} s): {len(downloads) / ours:.1f} decks/s; "
              f"rebuild with nothing changed: {cached:.2f} s")
        if not pandoc:
            print("pandoc is not installed: no comparison (apt-get install pandoc)")
            return 0
        theirs = min(times_pandoc)
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        print(f"pandoc: {len(sources)} decks, one process per deck ({version}): best {theirs:.2f} s "
              f"of {args.repeat}: {len(sources) / theirs:.1f} decks/s")
        ratio = (len(downloads) / ours) / (len(sources) / theirs)
        print(f"ratio:  {ratio:.1f}x pandoc's throughput (target: 5x)")
        if problems.warnings:
            print(f"({len(problems.warnings)} warning(s) while making the decks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
