"""What the English changed since a translation was marked current (`teachforward i18n diff`).

`mark-current` records, beside each section's fingerprint, the English commit it was made
from (`english_commit` in the `translated_from` record). The English of that commit is read
back from git, loaded like any source, and compared word by word with today's English. A
record written before the commit was recorded, or one whose commit is not in this clone, is
matched by looking through the English file's history for the newest commit whose section
has the recorded fingerprint. When git has no such commit (a shallow clone, a copy without
.git, English that was never committed) the command says so instead of guessing.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from difflib import SequenceMatcher
from io import BytesIO
from pathlib import Path

import yaml

COMMIT_KEY = "english_commit"     # underscores: it can never be a section id
HISTORY_LIMIT = 200               # commits of one file looked through for an old record
TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def run_git(root: Path, *args: str, binary: bool = False):
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


def english_commit(root: Path, english: Path) -> str | None:
    """The last commit that changed `english`, if the file on disk is exactly that commit's."""
    relative = english.relative_to(root).as_posix()
    commit = (run_git(root, "log", "-1", "--format=%H", "--", relative) or "").strip()
    if not commit:
        return None
    if run_git(root, "diff", "--quiet", "HEAD", "--", relative) is None:   # uncommitted changes
        return None
    return commit


def history_problem(root: Path) -> str:
    """Why this copy of the repository cannot show old English, in one sentence."""
    if run_git(root, "rev-parse", "--git-dir") is None:
        return "this copy of the course is not a git repository, so the English it was translated from is not known"
    if (run_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return ("this is a shallow clone: the commit the translation was made from is not here "
                "(git fetch --unshallow brings the whole history)")
    return ""


class EnglishHistory:
    """The English sources at past commits, loaded on demand, each once."""

    def __init__(self, root: Path, source_language: str):
        self.root, self.source = root, source_language
        self.courses: dict[str, object] = {}
        self.temporary = tempfile.TemporaryDirectory(prefix="teachforward-history-")

    def close(self) -> None:
        self.temporary.cleanup()

    def commits_of(self, english: Path) -> list[str]:
        relative = english.relative_to(self.root).as_posix()
        found = run_git(self.root, "log", f"-{HISTORY_LIMIT}", "--format=%H", "--", relative) or ""
        return found.split()

    def sections_at(self, commit: str, english: Path) -> dict[str, str] | None:
        from teachforward.content.tracking import section_texts
        course = self._course(commit)
        if course is None:
            return None
        old_path = course.root / english.relative_to(self.root)
        try:
            return section_texts(course, old_path)
        except KeyError:
            return None

    def _course(self, commit: str):
        if commit in self.courses:
            return self.courses[commit]
        from teachforward.content.loader import load_course
        folders = ["workshops/course.yaml", f"workshops/{self.source}", f"docs/{self.source}"]
        data = run_git(self.root, "archive", "--format=tar", commit, *folders, binary=True)
        course = None
        if data:
            target = Path(self.temporary.name) / commit
            with tarfile.open(fileobj=BytesIO(data)) as archive:
                archive.extractall(target, filter="data")
            (target / "mkdocs.yml").write_text("site_name: history\n", encoding="utf-8")
            course, _ = load_course(target)
        self.courses[commit] = course
        return course

    def units_at(self, commit: str, english: Path) -> dict[str, str]:
        """The English units of `english` as they were at `commit` (id -> text)."""
        from teachforward.content.units import language_files
        course = self._course(commit)
        if course is None:
            return {}
        old_path = course.root / english.relative_to(self.root)
        return {u.id: u.source for f in language_files(course, course.source) if f.english == old_path
                for u in f.units}

    def baseline(self, english: Path, key: str, fingerprint: str, recorded_commit: str | None):
        """(commit, English text of the section then) for the recorded fingerprint, or None."""
        from teachforward.content.tracking import fingerprint as fingerprint_of
        candidates = ([recorded_commit] if recorded_commit else []) + self.commits_of(english)
        for commit in dict.fromkeys(candidates):
            sections = self.sections_at(commit, english)
            if sections is not None and key in sections and fingerprint_of(sections[key]) == fingerprint:
                return commit, sections[key]
        return None


# --- the word diff -------------------------------------------------------------------------

def readable(text: str) -> str:
    """A workshop.yaml field is tracked as JSON; show it as YAML, which translators know."""
    if text[:1] in "[{":
        try:
            return yaml.safe_dump(json.loads(text), allow_unicode=True, sort_keys=False, width=100).rstrip()
        except ValueError:
            return text
    return text


def word_diff(old: str, new: str, color: bool = False) -> list[str]:
    """The lines of `new` that changed, with removed words as [-...-] and added ones as {+...+}."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    removed = ("\x1b[31m[-", "-]\x1b[0m") if color else ("[-", "-]")
    added_open, added_close = ("\x1b[32m{+", "+}\x1b[0m") if color else ("{+", "+}")
    pieces: list[str] = []
    marked: list[bool] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append("".join(a[i1:i2]))
            marked.append(False)
            continue
        text = ""
        if op in ("delete", "replace"):
            text += removed[0] + "".join(a[i1:i2]) + removed[1]
        if op in ("insert", "replace"):
            text += added_open + "".join(b[j1:j2]) + added_close
        pieces.append(text)
        marked.append(True)
    lines: list[tuple[str, bool]] = [("", False)]
    for piece, changed in zip(pieces, marked, strict=True):
        parts = piece.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append(("", False))
            text, was = lines[-1]
            lines[-1] = (text + part, was or (changed and (bool(part) or len(parts) > 1)))
    shown: list[str] = []
    previous = -2
    for index, (text, changed) in enumerate(lines):
        if changed:
            if shown and index != previous + 1:
                shown.append("…")
            shown.append(text)
            previous = index
    return shown


# --- the command -------------------------------------------------------------------------

def diff(root: Path, code: str, files: list[Path], out=None) -> int:
    out = out or sys.stdout
    from teachforward.content.loader import load_course
    from teachforward.content.tracking import section_texts, translation_status
    course, _ = load_course(root)
    if course is None:
        print("error: the sources cannot be loaded; run teachforward check", file=out)
        return 1
    if code not in {lang.code for lang in course.languages} or code == course.source_language:
        print(f"error: no such translation: {code}", file=out)
        return 2
    language = course.language(code)
    status = translation_status(course, language)
    from teachforward.i18n_exchange import located
    wanted = {located(root, f) for f in files}
    chosen = [f for f in status.files
              if not wanted or f.english.resolve() in wanted or (root / f.translation).resolve() in wanted
              or f.translation.resolve() in wanted]
    if wanted and not chosen:
        print(f"error: {', '.join(map(str, files))}: not a translatable file of the course", file=out)
        return 2
    color = getattr(out, "isatty", lambda: False)()
    history = EnglishHistory(course.root, course.source_language)
    from teachforward.content.units import language_files
    units_by_file = {f.english: f for f in language_files(course, language) if f.kind != "strings"}
    shown = missing = 0
    try:
        for item in chosen:
            if item.state != "outdated":
                continue
            units = units_by_file.get(item.english)
            recorded = units.recorded if units else {}
            english_now = section_texts(course, item.english)
            translation = _translation_file(root, item)
            print(f"{translation}: {len(item.outdated)} section(s) changed in English since it was marked current",
                  file=out)
            for key in item.outdated:
                lines = [u.line for u in (units.units if units else []) if u.section == key and u.target is not None]
                line = min(lines) if lines else None
                where = f"{translation}:{line}" if line else translation
                if key not in recorded:
                    print(f"\n  {where}: section {key} is new in English (or was never marked current); "
                          f"its English now:", file=out)
                    for text in readable(english_now.get(key, "")).split("\n"):
                        print(f"    {text}", file=out)
                    continue
                if key not in english_now:
                    print(f"\n  {where}: section {key} is no longer in the English", file=out)
                    continue
                found = history.baseline(item.english, key, recorded[key], recorded.get(COMMIT_KEY))
                if found is None:
                    missing += 1
                    reason = history_problem(course.root) or (
                        "no commit of the English file has the text this section was translated from "
                        "(it was marked current from English that was never committed, or its record has no commit)")
                    print(f"\n  {where}: section {key}: the English it was translated from cannot be shown: "
                          f"{reason}", file=out)
                    continue
                commit, old = found
                print(f"\n  {where}: section {key}, English of {commit[:10]} → now:", file=out)
                for text in word_diff(readable(old), readable(english_now[key]), color) or ["(only spacing changed)"]:
                    print(f"    {text}", file=out)
                shown += 1
            print("", file=out)
    finally:
        history.close()
    if not any(item.state == "outdated" for item in chosen):
        print(f"Nothing is outdated in {language.english_name} ({code}).", file=out)
    elif missing:
        print(f"{shown} section(s) shown; {missing} without history.", file=out)
    return 0


def _translation_file(root: Path, item) -> str:
    path = item.translation if item.translation.is_absolute() else root / item.translation
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(item.translation)
