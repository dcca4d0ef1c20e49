"""Decks, PDFs and sites side by side: the work of a build, spread over worker processes.

Each language's site needs the decks and PDFs it offers (for their file sizes), so the decks are
made in groups, one per language they are written in (English first: every language may fall
back on it), the PDFs one piece of work per language, and a language's site is started as soon
as its groups and its PDFs are done. Each piece of work
runs in a process forked from the one that loaded the course, so the course is not copied.

A process that builds again and again (serve) puts the edit on the page first: after its first
build, the sites are made at once with the decks, PDFs and offline packs of the last build
(Kept), those of the edited languages first, and published (Serving); only then are the decks
and PDFs made, a language whose decks or PDFs came out different is built again with them, and
the others' offline packs are zipped. A new edit (Serving.stop) ends that catch-up where it is.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any

from teachforward.content.load_memo import LoadMemo
from teachforward.content.model import Course
from teachforward.content.prose import ParseMemo
from teachforward.paper.build import prepare_printing
from teachforward.problems import FindingsMemo, Problem, Problems
from teachforward.progress import Progress
from teachforward.site.build import LanguageBuild, environment_fingerprint, prepare_site_builds


@dataclass
class Kept:
    """What a process that builds again and again (serve) keeps from one build to the next, each
    piece checked against the sources before it is used: the workshops loaded (content/load_memo.py),
    the parsed bodies and what the check found in each text (keyed by the text), what the last
    build made: the decks, the PDFs and each language's site, and what each site's sources were
    made and written with (checked against the workshops and the files' size, time and inode).
    A one-shot build keeps nothing."""
    parsed: ParseMemo = field(default_factory=ParseMemo)
    loaded: LoadMemo = field(default_factory=LoadMemo)     # each workshop loaded, with its files' signature
    findings: dict = field(default_factory=dict)   # the checks' results: problems.FindingsMemo.updated
    decks: dict | None = None                      # the decks last made, as render_deck_group gives them
    prints: dict = field(default_factory=dict)     # language -> its PDFs last made (artifacts.PrintFile)
    sites: dict = field(default_factory=dict)      # language -> its site last built (LanguageBuild)
    sources: dict = field(default_factory=dict)    # language -> what its site's sources were made with (site.sources.SourcesMemo)


@dataclass(frozen=True)
class Serving:
    """What serve asks of a build that comes after its first (module docstring)."""
    published: Callable[[list, list], None]    # (every language's site to publish, those built just now)
    stop: Callable[[], bool]             # True: a new edit came, stop catching up
    first: frozenset = frozenset()       # languages whose sources changed: their sites are published first


@dataclass(frozen=True)
class BuildContext:
    """What every piece of work of one build reads, made once per build and passed to each (a
    forked worker inherits it without a copy). Nothing else is kept between builds but `kept`,
    read by the workers and updated by this process only from what they return: one process and
    many give the same result, and a process that lives through edits (serve) sees them all."""
    course: Course
    work: Path
    site_environment: str       # site.build.environment_fingerprint(), read at the start of the build
    kept: Kept | None = None


@dataclass
class Outcome:
    sites: list = field(default_factory=list)       # LanguageBuild, in the course's language order
    decks: int = 0
    decks_written: int = 0
    rendered: int = 0          # pages rendered by all the site builds of this run
    caught_up: bool = True     # False: stopped before the decks and PDFs were all made (a new edit)


def run(course: Course, work: Path, problems: Problems, progress: Progress, jobs: int, with_decks: bool,
        checked: Callable[[], bool] = lambda: True, kept: Kept | None = None,
        serving: Serving | None = None) -> Outcome | None:
    """Check the course and make every deck and site. The check comes first, in this process
    before any fork (early in serve: in a fork, beside the edited sites); its problems are added
    to `problems` and then `checked` is called (to report them): when it returns False nothing
    more is made and None is returned.
    With `serving` and a `kept` that holds an earlier run's decks, the sites come first (module
    docstring): the run ends early when `serving.stop()` says so (Outcome.caught_up False)."""
    from teachforward.decks import deck_groups, offered_decks
    context = BuildContext(course, work, environment_fingerprint(), kept)
    early = serving is not None and kept is not None and kept.decks is not None
    groups = deck_groups(course) if with_decks else []
    source = course.source.code
    codes = [lang.code for lang in course.languages]
    needs = {code: {source, code} & set(groups) for code in codes}
    made: dict = dict(kept.decks or {}) if early and kept is not None else {}
    printed: dict[str, list] = dict(kept.prints) if early and kept is not None else {}  # language -> artifacts.PrintFile
    if early and kept is not None:      # what the catch-up makes is kept, even if it is stopped half-way
        kept.decks, kept.prints = made, printed
    last_sites = dict(kept.sites) if kept is not None else {}
    # Early, the sites are built before the decks and PDFs, in turns, each published when it is
    # done: the edited languages first (the others as last built), if every language was built before.
    turns: list[list[str]] = []
    if early and serving is not None:
        edited = [c for c in codes if c in serving.first] if set(codes) <= set(last_sites) else []
        turns = [turn for turn in (edited, [c for c in codes if c not in edited]) if turn]
    done_groups: set[str] = set()
    done_prints: set[str] = set()
    waiting = list(codes)      # languages whose site waits for their decks and PDFs of this run
    built_with: dict = {}      # language -> what its site was last started with (_site_inputs)
    sites: dict = {}
    checked_ok = served = False      # served: the edit was published, the rest may be stopped
    outcome = Outcome()
    progress.total = len(groups) + 2 * len(codes)
    runner = _Runner(jobs)

    def site_inputs(code: str) -> tuple:
        downloads, files = offered_decks(course, course.language(code), made) if with_decks else ([], {})
        prints = printed.get(code, [])
        paths = [*files.values(), *(work / code / "print" / p.filename for p in prints)]
        return (downloads, files, prints), _file_marks(paths)

    def start_site(code: str, here: bool = False) -> None:
        built_with[code] = site_inputs(code)
        # The sites published before the catch-up offer the last build's offline pack.
        runner.submit(("site", code), _site, context, code, *built_with[code][0], not turns, here=here)

    def start_ready_sites() -> None:
        for code in [c for c in waiting if needs[c] <= done_groups and c in done_prints]:
            waiting.remove(code)
            if built_with.get(code) != site_inputs(code):   # early: only where a deck or PDF changed
                progress.total += code in built_with
                # Serve's first build makes the source language's site in serve's own process, so
                # that the first edit finds the site builder loaded and ready (as later edits do).
                start_site(code, here=serving is not None and not early and code == source)
            elif code in sites and not sites[code].packed:
                progress.total += 1
                runner.submit(("pack", code), _pack, sites[code])

    def take_check(value: tuple) -> bool:
        found, findings = value
        problems.items.extend(found)
        if kept is not None and findings is not None:
            kept.findings = FindingsMemo.updated(kept.findings, findings)
        return checked()

    def start_decks_and_prints() -> None:
        for code in groups:
            runner.submit(("decks", code), _deck_group, context, code)
        for code in codes:
            runner.submit(("print", code), _print, context, code)

    try:
        # What the work needs is imported here, once, before the processes that do it are forked
        # (the decks' libraries came with deck_groups above).
        prepare_printing()
        if not with_decks or early:
            prepare_site_builds(course.root)
        if early:
            runner.submit(("check", "sources"), _check, context)
            for code in turns[0]:       # the edited languages' sites, beside the check (in a fork)
                start_site(code, here=len(turns) > 1)
        else:
            # The check reads every object of the course, and so writes each one's reference
            # count: in a fork, or here beside one, that copies the pages of nearly the whole
            # course (376 MB at 100 workshops × 10 languages). Before any fork, it copies none.
            if not take_check(_check(context)):
                return None
            checked_ok = True
            start_decks_and_prints()
        runner.start()
        if with_decks and not early:
            prepare_site_builds(course.root)
        while True:
            if served and serving is not None and serving.stop():
                outcome.caught_up = False
                break
            finished = runner.next(timeout=LOOK_EVERY_S if served else None)
            if finished is NOT_YET:
                continue
            if finished is None:
                break
            (kind, code), value = finished
            if kind == "check":
                if not take_check(value):
                    return None
                checked_ok = True
            elif kind == "decks":
                group, found = value
                made.update(group)
                problems.items.extend(found)
                done_groups.add(code)
                written = sum(d.written for d in group.values())
                outcome.decks += len(group)
                outcome.decks_written += written
                progress.step(f"decks in {code}: {len(group)} ({written} written)")
                start_ready_sites()
            elif kind == "print":
                printed[code] = value
                done_prints.add(code)
                progress.step(f"PDFs in {code}: {len(value)}")
                start_ready_sites()
            elif kind == "pack":
                sites[code] = value
                if kept is not None:
                    kept.sites[code] = value
                progress.step(f"offline pack {code}")
            else:
                value, memo = value
                if kept is not None and memo is not None:     # what the build of a fork kept comes back
                    kept.sources[code] = memo.attached(course.language(code))
                sites[code] = value
                if value.ok and kept is not None:
                    kept.sites[code] = value
                outcome.rendered += value.rendered
                what = {"unchanged": "unchanged", "incremental": f"{value.rendered} of {value.pages} pages rendered",
                        "full": f"{value.pages} pages"}[value.mode]
                progress.step(f"site {code}: {what}" + ("" if value.ok else " FAILED"))
            if turns and checked_ok and all(code in sites for code in turns[0]):
                if not all(site.ok for site in sites.values()) or serving is None:
                    break
                serving.published([sites.get(code) or last_sites[code] for code in codes], [sites[c] for c in turns[0]])
                served = True
                turns.pop(0)
                for code in turns[0] if turns else ():
                    start_site(code)
                if not turns:
                    start_decks_and_prints()
    finally:
        for kind, code in runner.close():
            if (folder := _folder_of(work, kind, code)) is not None:
                _remove_temporary_files(folder)
    if kept is not None and not early:
        kept.decks, kept.prints = made, printed
    outcome.sites = [sites[code] for code in codes if code in sites]
    return outcome


def _folder_of(work: Path, kind: str, code: str) -> Path | None:
    """Where a piece of work writes (see _deck_group, _print, _site); the check writes nothing."""
    return {"decks": work / "decks", "print": work / code / "print", "site": work / code, "pack": work / code / "pack"}.get(kind)


def _remove_temporary_files(folder: Path) -> None:
    """What a worker ended half-way through an atomic write leaves (fsutil.atomic_file's names)."""
    for path in folder.rglob(".*.tmp"):
        path.unlink(missing_ok=True)


def _file_marks(paths: list[Path]) -> list:
    """What tells that a file was written again: its size, time and inode (None: missing)."""
    marks: list[tuple[int, int, int] | None] = []
    for path in paths:
        try:
            info = path.stat()
            marks.append((info.st_size, info.st_mtime_ns, info.st_ino))
        except OSError:
            marks.append(None)
    return marks


def _check(context: BuildContext) -> tuple[list[Problem], tuple | None]:
    from teachforward.content.validate import validate
    problems = Problems(context.course.root)
    memo = FindingsMemo(context.kept.findings, context.kept.loaded.name) if context.kept is not None else None
    validate(context.course, problems, memo)
    return problems.items, memo.delta() if memo is not None else None


def _deck_group(context: BuildContext, code: str) -> tuple[dict, list[Problem]]:
    from teachforward.decks import render_deck_group
    problems = Problems(context.course.root)
    group = render_deck_group(context.course, code, context.work / "decks", problems)
    return group, problems.items


def _print(context: BuildContext, code: str) -> list:
    from teachforward.paper.build import write_language_pdfs
    return write_language_pdfs(context.course, context.course.language(code), context.work / code / "print",
                               int(os.environ.get("SOURCE_DATE_EPOCH") or 0))


def _pack(built: LanguageBuild) -> LanguageBuild:
    from teachforward.site.build import write_pack
    return write_pack(built)


def _site(context: BuildContext, code: str, downloads: list, files: dict, prints: list,
          pack: bool) -> tuple[LanguageBuild, Any]:
    """The language's site (LanguageBuild), and with `kept` what it was made with
    (site.sources.SourcesMemo, without the workshops themselves: sent back from a fork, they would
    be copied; run() takes them from the same course again)."""
    from teachforward.site.build import build_language
    from teachforward.site.sources import SourcesMemo
    memo = context.kept.sources.get(code) if context.kept is not None else None
    if context.kept is not None and memo is None:
        memo = SourcesMemo()
    built = build_language(context.course, context.course.language(code), context.work / code, downloads, files,
                           context.site_environment, context.work / "templates", prints, memo, pack)
    return built, memo.detached() if memo is not None else None


LOOK_EVERY_S = 0.1      # how often a run that can be stopped asks whether to stop
NOT_YET = ("not yet", None)     # _Runner.next: nothing finished within the time given


class WorkerError(RuntimeError):
    """A piece of work failed in its worker process: the worker's traceback, as text."""


def _work(connection, parent: int, function, args) -> None:
    """Run in a forked process: one piece of work, its result (or failure) sent back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is for the main process to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)    # not serve's handler (serve.py): just end
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _ENDING)   # blocked by _Runner.start around the fork
    _end_with(parent)
    try:
        result = (True, function(*args))
    except BaseException:                              # noqa: BLE001 - reported in the main process
        result = (False, traceback.format_exc())
    try:
        connection.send(result)
    finally:
        connection.close()
        os._exit(0)        # no clean-up of the parent's state inherited by the fork


_ENDING = {signal.SIGINT, signal.SIGTERM}


def _end_with(parent: int) -> None:
    """Have the kernel end this worker when the process that forked it ends, however it ends
    (even `kill -9`, where no clean-up of its own runs): Linux's PR_SET_PDEATHSIG."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:       # it ended before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1     # linux/prctl.h


class _Runner:
    """Runs each piece of work in a process of its own, forked from this one, at most `jobs` at a
    time (or everything in this process when jobs is 1 or fork is not available).

    A fresh fork per piece of work shares the loaded course and the imported libraries with this
    process, and gives back all its memory when it ends: a long-lived worker would end up with a
    private copy of every part of the course it ever touched."""

    def __init__(self, jobs: int):
        self.jobs = jobs if "fork" in multiprocessing.get_all_start_methods() else 1
        self.queue: list = []
        self.here: list = []             # work to do in this process
        self.running: dict = {}          # connection -> (key, process)
        if self.jobs > 1:
            # The loaded course is shared with the forks until written to: keep the garbage
            # collector from writing to (and so copying) its pages in every fork.
            gc.freeze()
            self.context = multiprocessing.get_context("fork")

    @property
    def forks(self) -> bool:
        return self.jobs > 1

    def submit(self, key: tuple, function, *args, here: bool = False) -> None:
        """Queue a piece of work; `here`: run it in this process (while the forks run), where what
        it loads stays loaded for the next."""
        (self.here if here and self.forks else self.queue).append((key, function, args))

    def start(self) -> None:
        """Start queued work in forked processes while there are free places."""
        while self.forks and self.queue and len(self.running) < self.jobs:
            key, function, args = self.queue.pop(0)
            receiving, sending = self.context.Pipe(duplex=False)
            process = self.context.Process(target=_work, args=(sending, os.getpid(), function, args), daemon=True)
            # A Ctrl-C or SIGTERM handled between the fork and the line that records the worker
            # would leave it unknown to close(), running on, orphaned: hold them until it is recorded.
            signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
            try:
                process.start()
                self.running[receiving] = (key, process)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _ENDING)
            sending.close()

    def next(self, timeout: float | None = None):
        """The next finished piece of work as (key, result), None when there is none left, or
        NOT_YET when none finished within `timeout` seconds."""
        if not self.forks:
            if not self.queue:
                return None
            key, function, args = self.queue.pop(0)
            return key, function(*args)
        self.start()
        if self.here:
            key, function, args = self.here.pop(0)
            return key, function(*args)
        if not self.running:
            return None
        finished = wait_for(list(self.running), timeout)
        if not finished:
            return NOT_YET
        ready = next(connection for connection in self.running if connection in finished)
        key, process = self.running.pop(ready)
        try:
            ok, value = ready.recv()
        except EOFError:
            process.join()
            raise WorkerError(f"the worker for {' '.join(key)} stopped (exit status {process.exitcode})") from None
        finally:
            ready.close()
        process.join()
        if not ok:
            raise WorkerError(f"{' '.join(key)} failed:\n{value}")
        return key, value

    def close(self) -> list[tuple]:
        """End the work still running (stopped early: Ctrl-C, an error, a new edit); returns its keys."""
        for _, process in self.running.values():
            process.kill()      # at once: a library's callback may swallow a gentler signal's exception
        for connection, (_, process) in self.running.items():
            process.join()
            connection.close()
        stopped = [key for key, _ in self.running.values()]
        self.running.clear()
        if self.forks:
            gc.unfreeze()
        return stopped
