"""A synthetic course of any size, made from the real one, for benchmarks.

    .venv/bin/python scripts/synthetic_course.py TARGET [--workshops 6] [--languages 4]

Workshop k (1..N) is a copy of real English workshop ((k - 1) % 6) + 1 in the folder
"<k>-<slug>-<k>", its title suffixed " (part k)" and its key term ids suffixed "-k" (they must
be unique in a language). Languages: "en", then the first M - 1 of LANGUAGES; each gets a full
translation copied from the real French (or Spanish, every second language) workshops and pages.
Links between workshops point to the copy in the same group of six (or are turned into plain
text when the workshop they point to is not part of the course). The fingerprints that record
which English a translation was made from are computed with the tracking module, so every
translation is up to date and the course checks with no errors.

Generation copies and edits text; the only parsing is one load of the English sources to
compute those fingerprints. The output depends only on the arguments and the real course.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

LANGUAGES = ["fr", "es", "de", "it", "nl", "pl", "sv", "fi", "ar"]
WORKSHOP_FOLDER = re.compile(r"^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
# A Markdown link to a file of another workshop: [text](../02-data-lifecycle/notes.md#collection)
WORKSHOP_LINK = re.compile(r"\[([^\]]*)\]\(\.\./(\d{2,3}-[a-z0-9-]+)/([^)\s]*)\)")
TITLE_LINE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def languages_for(count: int) -> list[str]:
    if not 1 <= count <= len(LANGUAGES) + 1:
        raise ValueError(f"languages must be between 1 and {len(LANGUAGES) + 1}")
    return ["en", *LANGUAGES[:count - 1]]


def translation_source(index: int) -> str:
    """The real language the index-th non-English language (1-based) is copied from."""
    return "fr" if index % 2 == 1 else "es"


def real_workshops(source: Path = ROOT) -> list[str]:
    """The folders of the real English workshops, in order."""
    base = source / "workshops" / "en"
    return sorted(p.name for p in base.iterdir() if p.is_dir() and WORKSHOP_FOLDER.match(p.name))


def folder_name(k: int, real_folder: str) -> str:
    slug = WORKSHOP_FOLDER.match(real_folder).group(2)
    return f"{k:02d}-{slug}-{k}"


def make_course(target: Path, workshops: int, languages: int, source: Path = ROOT) -> Path:
    """Write a course of `workshops` workshops in `languages` languages into `target` (new or empty)."""
    from teachforward.content.loader import load_course
    from teachforward.content.tracking import record_for
    from teachforward.i18n import write_record_markdown, write_record_yaml

    if workshops < 1:
        raise ValueError("workshops must be at least 1")
    codes = languages_for(languages)
    target = Path(target).resolve()
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(source / "slides_src", target / "slides_src")
    (target / "workshops").mkdir()
    shutil.copyfile(source / "workshops" / "course.yaml", target / "workshops" / "course.yaml")
    shutil.copytree(source / "docs" / "en", target / "docs" / "en")

    reals = real_workshops(source)
    plan = _plan(workshops, reals)              # k -> (real folder, new folder)
    folders = {k: new for k, (_, new) in plan.items()}

    # English first: its copies are what the translations' fingerprints are computed from.
    for k, (real, new) in plan.items():
        _copy_workshop(source / "workshops" / "en" / real, target / "workshops" / "en" / new,
                       k, reals, folders)

    records: dict[Path, dict[str, str]] = {}
    if len(codes) > 1:
        course, problems = load_course(target)
        if course is None:
            raise RuntimeError("the English part of the synthetic course does not load: "
                               + "; ".join(p.format() for p in problems.errors[:5]))

        def record(english: Path) -> dict[str, str] | None:
            if english not in records:
                try:
                    records[english] = record_for(course, english)
                except KeyError:
                    records[english] = None
            return records[english]

    for index, code in enumerate(codes[1:], 1):
        real_code = translation_source(index)
        written: list[Path] = []
        for k, (real, new) in plan.items():
            original = source / "workshops" / real_code / real
            if original.is_dir():
                written += _copy_workshop(original, target / "workshops" / code / new, k, reals, folders)
        docs = target / "docs" / code
        shutil.copytree(source / "docs" / real_code, docs)
        written += sorted(p for p in docs.rglob("*.md"))
        for path in written:
            relative = path.relative_to(target).parts
            english = target.joinpath(relative[0], "en", *relative[2:])
            fingerprints = record(english)
            if fingerprints is None:
                continue
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            text = (write_record_yaml if path.suffix == ".yaml" else write_record_markdown)(text, fingerprints)
            path.write_text(text, encoding="utf-8")
    return target


def _plan(workshops: int, reals: list[str]) -> dict[int, tuple[str, str]]:
    plan = {}
    for k in range(1, workshops + 1):
        real = reals[(k - 1) % len(reals)]
        plan[k] = (real, folder_name(k, real))
    return plan


def _copy_workshop(original: Path, folder: Path, k: int, reals: list[str], folders: dict[int, str]) -> list[Path]:
    """Copy one workshop folder as workshop k; return the text files written (for their fingerprints)."""
    shutil.copytree(original, folder)
    written = []
    facts = folder / "workshop.yaml"
    if facts.is_file():
        facts.write_text(_renumber_facts(facts.read_text(encoding="utf-8"), k), encoding="utf-8")
        written.append(facts)
    for path in [folder / "notes.md", folder / "guide.md", *sorted((folder / "exercises").glob("*.md"))]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            changed = _relink(text, k, reals, folders)
            if changed != text:
                path.write_text(changed, encoding="utf-8")
            written.append(path)
    return written


def _renumber_facts(text: str, k: int) -> str:
    """Suffix the title with " (part k)" and every key term id with "-k"."""
    def title(match: re.Match) -> str:
        value = match.group(1)
        if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
            return f"title: {value[:-1]} (part {k}){value[-1]}"
        return f"title: {value} (part {k})"

    text = TITLE_LINE.sub(title, text, count=1)
    out, in_terms = [], False
    for line in text.split("\n"):
        if line and not line[0].isspace() and not line.startswith(("-", "#")):
            in_terms = line.startswith("key_terms:")
        elif in_terms:
            line = re.sub(r"^(\s*-?\s*id:\s*)([\"']?)([a-z0-9-]+)\2(\s*(?:#.*)?)$",
                          lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}-{k}{m.group(2)}{m.group(4)}", line)
        out.append(line)
    return "\n".join(out)


def _relink(text: str, k: int, reals: list[str], folders: dict[int, str]) -> str:
    """Point links to another real workshop at its copy in the same group of six as workshop k."""
    group_start = k - (k - 1) % len(reals)          # the k of the copy of the first real workshop

    def relink(match: re.Match) -> str:
        label, real, rest = match.groups()
        if real not in reals:
            return match.group(0)
        position = reals.index(real)
        for candidate in (group_start + position, position + 1):
            if candidate in folders:
                return f"[{label}](../{folders[candidate]}/{rest})"
        return label                                # that workshop is not in this course: plain text

    return WORKSHOP_LINK.sub(relink, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--workshops", type=int, default=6)
    parser.add_argument("--languages", type=int, default=4)
    args = parser.parse_args(argv)
    make_course(args.target, args.workshops, args.languages)
    print(f"{args.target}: {args.workshops} workshops in {', '.join(languages_for(args.languages))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
