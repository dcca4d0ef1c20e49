"""The translators' commands: start a language, see what is left, record a file as current."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from teachforward.content.languages import describe
from teachforward.content.tracking import TranslationStatus, record_for, translation_status
from teachforward.fsutil import write_atomic

RECORD_KEY = "translated_from"


def add_language(root: Path, code: str, out=None) -> int:
    """Create workshops/<code>/ and docs/<code>/strings.yaml; never overwrite anything."""
    out = out or sys.stdout
    try:
        info = describe(code)
    except ValueError as error:
        print(f"error: {error}", file=out)
        return 2
    english = root / "docs" / "en" / "strings.yaml"
    created = []
    workshops = root / "workshops" / code
    if not workshops.exists():
        workshops.mkdir(parents=True)
        (workshops / ".gitkeep").write_text("", encoding="utf-8")
        created.append(workshops)
    strings = root / "docs" / code / "strings.yaml"
    if not strings.exists():
        strings.parent.mkdir(parents=True, exist_ok=True)
        strings.write_text(_strings_template(english.read_text(encoding="utf-8"), info.english_name), encoding="utf-8")
        created.append(strings)
    for path in created:
        print(f"created {path.relative_to(root)}", file=out)
    if not created:
        print(f"{info.english_name} ({code}) already exists: nothing was changed.", file=out)
    print(f"""
Next steps for {info.english_name} ({info.name}, {'right to left' if info.direction == 'rtl' else 'left to right'}):
  1. In docs/{code}/strings.yaml, remove the '# ' before a line and translate its text.
  2. Copy an English file to the same place under {code}/, e.g.
       cp workshops/en/01-fundamentals/workshop.yaml workshops/{code}/01-fundamentals/workshop.yaml
     and translate it (notes.md, guide.md, exercises/ and materials/ files the same way).
     Untranslated pages are shown in English until then.
  3. teachforward i18n mark-current {code} <file>   records which English you translated
  4. teachforward i18n status {code}                shows what is left""", file=out)
    return 0


def _strings_template(english: str, name: str) -> str:
    lines = [f"# Interface strings in {name}. Remove the '# ' at the start of a line and translate",
             "# the text in quotes; keep the name before the colon and any {placeholder}.",
             "# A line left commented out is shown in English."]
    for line in english.split("\n"):
        if line.startswith("#") or not line.strip():
            continue
        lines.append(f"# {line}")
    return "\n".join(lines) + "\n"


def mark_current(root: Path, code: str, file: Path, out=None) -> int:
    """Record in a translated file the fingerprints of the English it now matches."""
    out = out or sys.stdout
    from teachforward.content.loader import load_course

    course, _ = load_course(root)
    if course is None:
        print("error: the sources cannot be loaded; run teachforward check", file=out)
        return 1
    file = (file if file.is_absolute() else Path.cwd() / file).resolve()
    try:
        relative = file.relative_to(root)
    except ValueError:
        print(f"error: {file} is not inside the repository", file=out)
        return 2
    parts = list(relative.parts)
    if len(parts) < 3 or parts[0] not in ("workshops", "docs") or parts[1] != code:
        print(f"error: {relative} is not a file of the {code} translation (workshops/{code}/... or docs/{code}/...)", file=out)
        return 2
    if not file.is_file():
        print(f"error: {relative} does not exist: copy the English file there first", file=out)
        return 2
    english = root.joinpath(parts[0], course.source_language, *parts[2:])
    try:
        record = record_for(course, english)
    except KeyError:
        print(f"error: there is no English file {english.relative_to(root)} that {relative} translates", file=out)
        return 2
    from teachforward.i18n_history import COMMIT_KEY, english_commit, history_problem
    sections = len(record)
    commit = english_commit(root, english)
    if commit:
        record[COMMIT_KEY] = commit
    text = file.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    updated = write_record_yaml(text, record) if file.suffix == ".yaml" else write_record_markdown(text, record)
    write_atomic(file, updated)
    print(f"{relative}: recorded as up to date with the English ({sections} sections"
          + (f", commit {commit[:10]})." if commit else ")."), file=out)
    if not commit:
        why = history_problem(root) or f"{english.relative_to(root)} has changes that are not committed"
        print(f"  note: {why}, so i18n diff will not be able to show what the English changes later "
              "(commit the English, then mark-current again)", file=out)
    return 0


def _block(record: dict[str, str], indent: str = "") -> list[str]:
    lines = [f"{indent}{RECORD_KEY}:    # written by teachforward i18n mark-current: do not edit"]
    lines += [f"{indent}  {key}: \"{value}\"" for key, value in record.items()]  # quoted: digits-only would read as a number
    return lines


def _without_record(lines: list[str]) -> list[str]:
    kept, skipping = [], False
    for line in lines:
        if line.startswith(f"{RECORD_KEY}:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            if not line.strip():
                skipping = False
                kept.append(line)
            continue
        skipping = False
        kept.append(line)
    return kept


def write_record_yaml(text: str, record: dict[str, str]) -> str:
    lines = _without_record(text.rstrip("\n").split("\n"))
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines + [""] + _block(record)) + "\n"


def write_record_markdown(text: str, record: dict[str, str]) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            front = _without_record(lines[1:end])
            while front and not front[-1].strip():
                front.pop()
            return "\n".join(["---", *front, *_block(record), "---", *lines[end + 1:]])
    return "\n".join(["---", *_block(record), "---", *lines])


def status(root: Path, codes: list[str], format: str, fail_under: float | None, out=None) -> int:
    out = out or sys.stdout
    from teachforward.content.loader import load_course

    course, _ = load_course(root)      # the status needs the files, not the check
    if course is None:
        print("error: the sources cannot be loaded; run teachforward check", file=out)
        return 1
    languages = [lang for lang in course.languages if lang.code != course.source_language and (not codes or lang.code in codes)]
    unknown = set(codes) - {lang.code for lang in course.languages}
    if unknown:
        print(f"error: no such language: {', '.join(sorted(unknown))}", file=out)
        return 2
    results = [translation_status(course, language) for language in languages]
    if format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False), file=out)
    else:
        for result in results:
            _print_status(result, course.language(result.lang).english_name, out)
    if fail_under is not None:
        low = [r for r in results if r.percent_current < fail_under]
        for result in low:
            print(f"{result.lang}: {result.percent_current}% translated and current, below {fail_under}%", file=sys.stderr)
        return 1 if low else 0
    return 0


def _print_status(result: TranslationStatus, name: str, out) -> None:
    print(f"{name} ({result.lang}): {result.percent_current}% translated and current, "
          f"{result.percent_outdated}% outdated, {result.percent_missing}% missing (by words)", file=out)
    print(f"  files: {result.count('translated')} translated, {result.count('outdated')} outdated, "
          f"{result.count('missing')} missing, of {len(result.files)}", file=out)
    for item in result.files:
        if item.state == "outdated":
            print(f"  outdated  {item.label}: English changed in {', '.join(item.outdated)}", file=out)
    for item in result.files:
        if item.state == "missing":
            print(f"  missing   {item.label} ({item.words} words)", file=out)
