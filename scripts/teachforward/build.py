"""The build as a whole: load and validate once, render decks and sites, and replace
site/ only when everything succeeded, so a failed or interrupted build loses nothing."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from teachforward.content.loader import load_course
from teachforward.content.model import Course
from teachforward.content.validate import validate
from teachforward.problems import Problems, report


def load_and_check(root: Path) -> tuple[Course | None, Problems]:
    course, problems = load_course(root)
    if course is not None:
        validate(course, problems)
    return course, problems


def build(root: Path, out: Path, jobs: int = 2, with_decks: bool = True, out_stream=sys.stdout) -> int:
    """Build decks and sites into out/. Returns the exit status."""
    from teachforward.site.build import SiteBuildError, build_site

    course, problems = load_and_check(root)
    report(problems.sorted(), out_stream)
    if course is None or problems.errors:
        errors = sum(p.severity == "error" for p in problems.sorted())
        print(f"\n{errors} problem(s) to fix; {out} was left as it was.", file=out_stream)
        return 1
    work = root / "build"
    staging = work / "site-new"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    downloads, deck_files = [], {}
    if with_decks:
        downloads, deck_files = _render_decks(course, work / "decks", problems, out_stream)
    try:
        build_site(course, work, staging, downloads, deck_files, jobs=jobs)
    except SiteBuildError as error:
        print(f"\n{error}\n\n{out} was left as it was.", file=out_stream)
        return 1
    replace_directory(staging, out)
    languages = ", ".join(l.code for l in course.languages)
    print(f"Built {out} for {len(course.languages)} language(s): {languages}.", file=out_stream)
    return 0


def _render_decks(course: Course, deck_dir: Path, problems: Problems, out_stream):
    try:
        from teachforward.decks import render_decks
    except ImportError:
        return [], {}
    before = len(problems.items)
    downloads, files = render_decks(course, deck_dir, problems)
    report(problems.items[before:], out_stream)
    return downloads, files


def replace_directory(new: Path, target: Path) -> None:
    """Swap `new` into place as `target`; the old tree is removed only once the new one is there."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
