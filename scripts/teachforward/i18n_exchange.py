"""Translators' exchange files: a language exported to PO or XLIFF 1.2, and imported back.

One exchange file per source file, one entry per translatable unit (`content/units.py`),
keyed by the unit's stable id (PO: msgctxt; XLIFF: the trans-unit id), English as the source,
the translation as the target. Entries of a section whose English has changed since the
translation was marked current are fuzzy (PO) or "needs-review-translation" (XLIFF).

Import writes each changed unit back by replacing its span in the translation file, so that
everything around it stays byte for byte; a file none of whose units changed is not touched.
Sections whose every entry is translated, not fuzzy and made from the current English are
recorded current. Every file it changes is first copied into a backup folder.
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from teachforward.content.units import FileUnits, language_files
from teachforward.i18n_formats import EXTENSIONS, Exchange, ExchangeError, read_exchange, write_po, write_xliff

# --- export ------------------------------------------------------------------------------

def default_folder(root: Path, code: str) -> Path:
    return root / "build" / "i18n" / code


def export(root: Path, code: str, format: str, files: list[Path], out_dir: Path | None, out=None) -> int:
    out = out or sys.stdout
    course, language, error = _load(root, code)
    if error:
        print(error, file=out)
        return 2 if course else 1
    out_dir = (out_dir or default_folder(root, code)).resolve()
    for top in ("workshops", "docs"):
        if out_dir == (root / top) or (root / top) in out_dir.parents:
            print(f"error: {out_dir} is inside the sources ({top}/): choose a folder such as build/i18n/{code}", file=out)
            return 2
    chosen = _chosen(root, code, files, language_files(course, language), out)
    if chosen is None:
        return 2
    from teachforward.content.tracking import record_for
    from teachforward.i18n_history import EnglishHistory
    history = EnglishHistory(course.root, course.source_language)
    written = 0
    for item in chosen:
        current = record_for(course, item.english) if item.kind != "strings" else {}
        stale = {key for key, value in current.items() if item.recorded.get(key) != value} if item.translated else set()
        target = out_dir / (_relative(root, item.english, course.source_language) + EXTENSIONS[format])
        target.parent.mkdir(parents=True, exist_ok=True)
        if format == "po":
            data = write_po(root, code, item, stale, _previous_english(history, item, stale))
        else:
            data = write_xliff(root, code, item, stale)
        target.write_bytes(data)
        written += 1
        fuzzy = sum(1 for u in item.units if u.section in stale and u.target is not None)
        missing = sum(1 for u in item.units if u.target is None)
        print(f"{target.relative_to(root) if root in target.parents else target}: {len(item.units)} entries"
              + (f", {fuzzy} fuzzy" if fuzzy else "") + (f", {missing} untranslated" if missing else ""), file=out)
    history.close()
    print(f"{written} file(s) written to {out_dir}. Translate them, then: teachforward i18n import {code} FILE...",
          file=out)
    return 0


def _relative(root: Path, english: Path, source_language: str) -> str:
    """workshops/en/01-x/notes.md -> workshops/01-x/notes.md (the exchange file's name)."""
    parts = english.relative_to(root).parts
    return "/".join((parts[0], *parts[2:]))


def _chosen(root: Path, code: str, files: list[Path], available: list[FileUnits], out) -> list[FileUnits] | None:
    if not files:
        return available
    by_path = {}
    for item in available:
        by_path[item.english.resolve()] = item
        by_path[item.translation.resolve()] = item
    chosen = []
    for file in files:
        path = located(root, file)
        if path not in by_path:
            print(f"error: {file} is not a translatable file of the course (workshops/{code}/..., docs/{code}/...)",
                  file=out)
            return None
        if by_path[path] not in chosen:
            chosen.append(by_path[path])
    return chosen


def located(root: Path, file: Path) -> Path:
    """A file named on the command line: relative to the current folder, or else to the repository."""
    if file.is_absolute():
        return file.resolve()
    here = Path.cwd() / file
    return (here if here.exists() else root / file).resolve()


def _previous_english(history, item: FileUnits, stale: set[str]) -> dict[str, str]:
    """The English each fuzzy entry was translated from (from git), for the tools that show
    what changed (PO "#| msgid": Poedit, Weblate, Lokalize)."""
    from teachforward.i18n_history import COMMIT_KEY
    previous: dict[str, str] = {}
    for key in sorted(stale):
        if key not in item.recorded:
            continue
        found = history.baseline(item.english, key, item.recorded[key], item.recorded.get(COMMIT_KEY))
        if found is None:
            continue
        old = history.units_at(found[0], item.english)
        for unit in item.units:
            if unit.section == key and unit.id in old and old[unit.id] != unit.source:
                previous[unit.id] = old[unit.id]
    return previous


# --- reading exchange files ------------------------------------------------------------

# --- import ------------------------------------------------------------------------------

@dataclass
class Planned:
    item: FileUnits
    text: str
    record: dict[str, str] | None     # None: leave the record as it is
    changed_units: int
    confirmed: list[str]


def import_files(root: Path, code: str, paths: list[Path], out=None) -> int:
    out = out or sys.stdout
    course, language, error = _load(root, code)
    if error:
        print(error, file=out)
        return 2 if course else 1
    files = {item.translation.relative_to(root).as_posix(): item for item in language_files(course, language)}
    problems: list[str] = []
    plans: list[Planned] = []
    for path in paths:
        path = located(root, path)
        try:
            exchange = read_exchange(path)
        except ExchangeError as error:
            problems.append(f"{_shown(error.path)}:{error.line or ''}{':' if error.line else ''} {error.message} ({error.hint})")
            continue
        item = files.get(exchange.translation)
        if item is None:
            problems.append(f"{_shown(path)}: it writes to {exchange.translation}, which is not a file of the {code} "
                            f"translation (export {code} again and import those files)")
            continue
        plan = _plan(course, item, exchange, problems)
        if plan is not None:
            plans.append(plan)
    if problems:
        for problem in problems:
            print(problem, file=out)
        print(f"\n{len(problems)} problem(s): nothing was written. Fix them and import again.", file=out)
        return 1
    backup = None
    from teachforward.fsutil import write_atomic
    for plan in plans:
        if plan.text == plan.item.text and plan.record is None:
            if plan.item.translated:
                print(f"{plan.item.translation.relative_to(root)}: unchanged", file=out)
            continue
        if backup is None:
            backup = _backup_folder(root, code)
        target = plan.item.translation
        if target.is_file():
            copy = backup / target.relative_to(root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, copy)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("", encoding="utf-8")
        write_atomic(target, plan.text)
        said = f"{plan.changed_units} entr{'y' if plan.changed_units == 1 else 'ies'} written"
        if plan.confirmed:
            said += f"; recorded current: {', '.join(plan.confirmed)}"
        print(f"{target.relative_to(root)}: {said}", file=out)
    if backup is not None:
        print(f"The files as they were before are in {backup.relative_to(root)}/. Run teachforward check next.", file=out)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _backup_folder(root: Path, code: str) -> Path:
    base = default_folder(root, code) / "backup" / time.strftime("%Y%m%d-%H%M%S")
    folder, number = base, 1
    while folder.exists():
        number += 1
        folder = base.with_name(f"{base.name}-{number}")
    folder.mkdir(parents=True)
    return folder


def _plan(course, item: FileUnits, exchange: Exchange, problems: list[str]) -> Planned | None:
    from teachforward.content.tracking import record_for
    from teachforward.i18n import write_record_markdown, write_record_yaml
    from teachforward.i18n_history import COMMIT_KEY, english_commit
    replacements: list[tuple[int, int, str, int]] = []     # start, end, new text, order among inserts
    appended: list[str] = []
    by_section: dict[str, list[bool]] = {}
    count_before = len(problems)
    # Sections the English has and the translation has not (added since): written in whole,
    # in English where a unit is not translated, so that the file keeps the English structure.
    present = {u.section for u in item.units if u.span is not None}
    new_sections = {u.section for u in item.units if u.section not in present and item.translated
                    and (e := exchange.entries.get(u.id)) is not None and e.target.strip()}
    anchor, previous_kind, sequence = None, None, 0
    for unit in item.units:
        entry = exchange.entries.get(unit.id)
        done = entry if entry is not None and entry.target.strip() != "" else None     # the entry, if translated
        translated = done is not None
        by_section.setdefault(unit.section, []).append(
            done is not None and not done.fuzzy and done.source == unit.source)
        if unit.span is not None:
            anchor, previous_kind = unit.span.end, unit.kind
        if not translated and unit.section not in new_sections:
            continue
        new = (done.target if done is not None else unit.source)
        new = new.rstrip("\n") if unit.kind == "block" else new
        current = unit.target if unit.target is not None else unit.source
        if new == current and (unit.target is not None or unit.span is not None):
            continue
        where = (f"{_shown(exchange.path)}:{entry.line}:" if entry is not None and entry.line
                 else f"{_shown(exchange.path)}: {unit.id}:")
        if unit.kind in ("heading", "point") and "\n" in new.strip():
            problems.append(f"{where} the translation of {unit.id} has a line break, but {unit.note} is one line "
                            "(join the lines)")
            continue
        if unit.kind == "block" and not new.strip():
            continue
        if unit.kind in ("field", "string"):
            value = json.dumps(new, ensure_ascii=False)
        else:
            value = new.strip() if unit.kind in ("heading", "point") else new
        if unit.span is not None:
            replacements.append((unit.span.start, unit.span.end, value, 0))
            continue
        if item.kind == "strings":
            appended.append(f"{unit.id}: {value}")
            continue
        # A field (workshop.yaml, an exercise's settings) goes into YAML, which is not written here.
        if unit.kind == "field" or unit.english_span is None or anchor is None:
            problems.append(f"{where} {unit.id} has no place in {item.translation.relative_to(course.root)} yet "
                            "(add it there as in English, keeping the ids and numbers, then import again)")
            continue
        # A unit (or a section) new in English: its English lines, with the translation in them,
        # go after the unit before it.
        english = item.english_text
        line_start = english.rfind("\n", 0, unit.english_span.start) + 1
        line_end = english.find("\n", unit.english_span.end)
        line_end = len(english) if line_end < 0 else line_end
        lines = english[line_start:unit.english_span.start] + value + english[unit.english_span.end:line_end]
        separator = "\n" if unit.kind == "point" and previous_kind == "point" else "\n\n"
        sequence += 1
        replacements.append((anchor, anchor, separator + lines, sequence))
        previous_kind = unit.kind
    if len(problems) > count_before:
        return None
    text = item.text
    ordered = sorted(((r[0], r[1], r[3], r[2]) for r in replacements), reverse=True)
    for start, end, _, value in ordered:
        text = text[:start] + value + text[end:]
    if appended:
        text = text.rstrip("\n") + ("\n" if text.strip() else "") + "\n".join(appended) + "\n"
    if item.kind in ("facts", "strings") and not _yaml_still_reads(item, text, exchange, problems):
        return None
    if item.kind == "strings":
        return Planned(item, text, None, len(replacements) + len(appended), [])
    in_english = record_for(course, item.english)
    old = {k: v for k, v in item.recorded.items() if k != COMMIT_KEY}
    confirmed = [key for key in in_english if by_section.get(key) and all(by_section[key]) and old.get(key) != in_english[key]]
    record = None
    if confirmed or (replacements and not item.translated):
        new_record = {key: (in_english[key] if key in confirmed else old[key]) for key in in_english
                      if key in confirmed or key in old}
        commit = item.recorded.get(COMMIT_KEY)
        if all(new_record.get(key) == value for key, value in in_english.items()):
            commit = english_commit(course.root, item.english)
        if commit:
            new_record[COMMIT_KEY] = commit
        if new_record:
            record = new_record
            text = write_record_yaml(text, record) if item.kind == "facts" else write_record_markdown(text, record)
    return Planned(item, text, record, len(replacements) + len(appended), confirmed)


def _yaml_still_reads(item: FileUnits, text: str, exchange: Exchange, problems: list[str]) -> bool:
    import yaml
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as error:
        problems.append(f"{_shown(exchange.path)}: the translation would make {item.translation.name} unreadable "
                        f"({error}); please report this")
        return False
    return True


def _load(root: Path, code: str):
    from teachforward.content.loader import load_course
    course, problems = load_course(root)
    if course is None:
        return None, None, "error: the sources cannot be loaded; run teachforward check"
    if code == course.source_language:
        return course, None, f"error: {code} is the source language; export a translation (fr, es...)"
    if code not in {lang.code for lang in course.languages}:
        return course, None, f"error: no such language: {code} (start it with teachforward i18n add {code})"
    return course, course.language(code), None
