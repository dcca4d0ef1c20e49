"""The build as a whole: load and validate once, render decks and sites, and replace
site/ only when everything succeeded, so a failed or interrupted build loses nothing."""
from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from teachforward.fsutil import build_lock, read_json, replace_directory, restore_interrupted_swap, write_json
from teachforward.problems import Problems, report
from teachforward.progress import Progress
from teachforward.stamp import source_stamp

if TYPE_CHECKING:
    from teachforward.content.model import Course
    from teachforward.pipeline import Kept

# The content model, the renderers and their libraries are imported only when there is work to
# do: a rebuild with nothing to do stops after the stamp, in a fraction of a second.


def load_and_check(root: Path) -> tuple[Course | None, Problems]:
    from teachforward.content.loader import load_course
    from teachforward.content.validate import validate
    course, problems = load_course(root)
    if course is not None:
        validate(course, problems)
    return course, problems


def build(root: Path, out: Path, jobs: int = 2, with_decks: bool = True, out_stream=None,
          kept: Kept | None = None, published: Callable[[], None] | None = None,
          stop: Callable[[], bool] = lambda: False, first: Collection[str] = (),
          marks: dict | None = None) -> int:
    """Build decks and sites into out/, again only what changed. Returns the exit status.
    `kept`: kept by a process that builds again and again (serve), so that what did not change
    is not parsed or checked again (pipeline.Kept). With `kept` and `published` (serve), the
    sites are published first with the decks, PDFs and offline packs of the last build (those of
    the languages `first`, whose sources changed, before the others), then again once they have
    caught up (pipeline.py); `published()` is called each time out/ was replaced, and `stop()`
    returning True (a new edit) ends the catch-up: the build then claims nothing. `marks`: the
    sources' sizes and times as serve's watch keeps them (stamp.input_marks), for the stamp."""
    out_stream = out_stream or sys.stdout     # looked up now, so that redirecting stdout works
    started = time.monotonic()
    refusal = unsafe_output(root, out)
    if refusal:
        print(f"{out}: error: {refusal}\n    hint: build into site/ (the default) or into a new, empty folder",
              file=out_stream)
        return 1
    restore_interrupted_swap(out)
    work = root / "build"
    stamp = source_stamp(root, {"out": str(out), "decks": with_decks}, marks)
    last = read_json(work / LAST_BUILD)
    if last.get("stamp") == stamp and last.get("site") == _site_identity(out):
        if last.get("report"):
            print("\n".join(last["report"]), file=out_stream)
        print(f"Nothing changed since the last build: {out} is up to date.", file=out_stream)
        return 0
    from teachforward.content.loader import load_course
    from teachforward.content.validate import validate
    course, problems = load_course(root, *((kept.parsed, kept.loaded) if kept is not None else ()))
    if course is None or problems.errors:     # no build: check what can be checked and say it all
        if course is not None:
            validate(course, problems)
        return _refuse(problems, out, out_stream)
    from teachforward import pipeline

    with build_lock(work), _interruptible() as interrupted:   # one build of a repository at a time
        reported = turns_served = 0

        def check() -> bool:      # the check has run: say what it found
            nonlocal reported
            report(problems.sorted(), out_stream)
            reported = len(problems.items)
            return not problems.errors

        def publish_early(sites: list, built: list) -> None:     # serve: the edit first, the rest after
            (work / LAST_BUILD).unlink(missing_ok=True)     # out/ will not be what these sources build
            replaced = _publish(course, sites, work, out, interrupted, lives_on=True)
            nonlocal turns_served
            what, then = ("Served the edit in", "the rest follows") if not turns_served else \
                ("Then the other languages:", "the decks and PDFs follow")
            turns_served += 1
            print(f"{what} {', '.join(site.lang for site in built)} ({sum(site.rendered for site in built)} "
                  f"page(s) rendered, {time.monotonic() - started:.1f} s); {then}.", file=out_stream, flush=True)
            if replaced and published is not None:
                published()

        progress = Progress(out_stream)
        serving = pipeline.Serving(publish_early, stop, frozenset(first)) if published is not None else None
        outcome = pipeline.run(course, work, problems, progress, jobs, with_decks, checked=check, kept=kept,
                               serving=serving)
        progress.finish()
        if interrupted():       # Ctrl-C that a library swallowed still means "stop, keep the old site"
            raise KeyboardInterrupt
        if outcome is None:
            return _refuse(problems, out, out_stream, reported=True)
        if not outcome.caught_up:
            print("Sources changed again: building the new edit first.", file=out_stream)
            return 0
        report(problems.items[reported:], out_stream)
        # Serve may have published the edit's pages already, with the last build's decks and PDFs.
        kept_as = (f"{out} shows the edit with the decks, PDFs and offline pack of the last build" if turns_served
                   else f"{out} was left as it was")
        if problems.errors:
            print(f"\nThe slide decks could not all be made; {kept_as}.", file=out_stream)
            return 1
        failed = next((site for site in outcome.sites if not site.ok), None)
        if failed:
            from teachforward.site.build import SiteBuildError
            print(f"\n{SiteBuildError(failed.lang, failed.log)}\n\n{kept_as}.", file=out_stream)
            return 1
        replaced = _publish(course, outcome.sites, work, out, interrupted, lives_on=kept is not None)
    if replaced and published is not None:
        published()
    write_json(work / LAST_BUILD, {"stamp": stamp, "site": _site_identity(out),
                                    "report": [p.format() for p in problems.sorted()]})
    print(_summary(course, outcome, len(problems.warnings), with_decks, out, time.monotonic() - started),
          file=out_stream)
    return 0


def _refuse(problems: Problems, out: Path, out_stream, reported: bool = False) -> int:
    if not reported:
        report(problems.sorted(), out_stream)
    errors = len({p for p in problems.items if p.severity == "error"})
    print(f"\n{errors} problem(s) to fix; {out} was left as it was.", file=out_stream)
    return 1


def _publish(course: Course, sites: list, work: Path, out: Path, interrupted, lives_on: bool = False) -> bool:
    """Put the new site in place of out/, unless it is the site already there; True if it was replaced.
    `lives_on` (serve): the languages of a site published by this build's process are updated in
    place, file by file (site/publish.py)."""
    from teachforward.site.publish import stage_site, update_in_place
    published = read_json(work / PUBLISHED)
    states = published.get("states", {}) if published.get("out") == str(out) else {}
    languages = {site.lang for site in sites}
    changed = {site.lang for site in sites if site.state != states.get(site.lang)}
    if not changed and set(states) == languages and out.is_dir() and _is_current_landing(course, out):
        return False
    if lives_on and out.is_dir() and set(published.get("languages", ())) == languages:
        # Claimed only once in place: a stopped update leaves these languages unclaimed.
        states = {lang: state for lang, state in states.items() if lang not in changed}
        write_json(work / PUBLISHED, {"out": str(out), "languages": sorted(languages), "states": states})
        update_in_place(course, sites, out, changed)
        write_json(work / PUBLISHED, {"out": str(out), "languages": sorted(languages),
                                      "states": {site.lang: site.state for site in sites}})
        return True
    staging = work / "site-new"
    if staging.exists():
        shutil.rmtree(staging)
    stage_site(course, sites, staging, out if out.is_dir() else None, states)
    if interrupted():
        raise KeyboardInterrupt
    replace_directory(staging, out, remove_old_later=lives_on)
    write_json(work / PUBLISHED, {"out": str(out), "languages": sorted(languages),
                                  "states": {site.lang: site.state for site in sites}})
    return True


def _summary(course: Course, outcome, warnings: int, with_decks: bool, out: Path, seconds: float) -> str:
    pages = sum(site.pages for site in outcome.sites)
    rendered = outcome.rendered
    decks = f", {outcome.decks} decks ({outcome.decks_written} written)" if with_decks else ""
    return (f"Built {out} in {seconds:.1f} s: {len(course.languages)} language(s) "
            f"({', '.join(lang.code for lang in course.languages)}), {pages} pages ({rendered} rendered){decks}, "
            f"{warnings} warning(s).")


LAST_BUILD = "last-build.json"     # what the last successful build read (stamp.py) and reported
PUBLISHED = "published.json"       # what each language of the published site was built from


def _is_current_landing(course: Course, out: Path) -> bool:
    from teachforward.site.landing import landing_page
    try:
        return (out / "index.html").read_text(encoding="utf-8") == landing_page(course)
    except OSError:
        return False


def _site_identity(out: Path) -> list | None:
    """Changes when the site folder is replaced or removed behind our back."""
    try:
        info = (out / "index.html").stat()
        return [info.st_ino, info.st_mtime_ns]
    except OSError:
        return None


@contextmanager
def _interruptible():
    """Remember a Ctrl-C even if the KeyboardInterrupt it raises is swallowed on the way (an
    exception raised inside a C library's callback is dropped), so that the site is never
    replaced by a build the user asked to stop."""
    seen = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return

    def note(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    def unraisable(info):    # e.g. raised in a ctypes callback of the slide renderer: no traceback
        if isinstance(info.exc_value, KeyboardInterrupt):
            seen.append("unraisable")
        else:
            previous_hook(info)

    previous = signal.signal(signal.SIGINT, note)
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield lambda: bool(seen)
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook


SOURCE_FOLDERS = ("workshops", "docs", "scripts", "tests", "slides_src", ".git", "build")


def unsafe_output(root: Path, out: Path) -> str | None:
    """Why building into `out` could destroy something that is not a built site, or None."""
    root, target = root.resolve(), Path(os.path.abspath(out))
    resolved = target.resolve()
    for candidate in {target, resolved}:
        if candidate == root or candidate in root.parents:
            return "the output folder would replace the repository itself"
        for name in SOURCE_FOLDERS:
            folder = root / name
            if candidate == folder or folder in candidate.parents or candidate in folder.parents:
                return f"the output folder would overwrite {name}/, which holds sources, not a built site"
        if candidate.is_relative_to(root) and len(candidate.relative_to(root).parts) == 1 \
                and candidate.suffix in (".yml", ".yaml", ".md", ".toml", ".txt", ".py", ".cfg", ".ini", ".json"):
            return f"{candidate.name} is a file of the repository, not a site folder"
    if target.is_symlink():
        return "the output folder is a link; give the real folder instead"
    if target.exists():
        if not target.is_dir():
            return "this is a file, not a folder: it would be replaced by the site"
        entries = [e for e in target.iterdir()]
        if entries and not (target / "index.html").is_file():
            return "this folder is not empty and does not hold a built site, so it is not replaced"
    return None
