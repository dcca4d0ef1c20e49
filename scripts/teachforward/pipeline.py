"""Decks and sites side by side: the work of a build, spread over worker processes.

Each language's site needs the decks it offers (for their file sizes), so the decks are made
in groups, one per language they are written in (English first: every language may fall back
on it), and a language's site is started as soon as its groups are done. Workers are forked
from the process that loaded the course, so the course is not copied to them.
"""
from __future__ import annotations

import gc
import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from teachforward.content.model import Course
from teachforward.problems import Problem, Problems
from teachforward.progress import Progress

_course: Course | None = None        # the loaded course, inherited by forked workers


@dataclass
class Outcome:
    sites: list = field(default_factory=list)       # LanguageBuild, in the course's language order
    decks: int = 0
    decks_written: int = 0


def run(course: Course, work: Path, problems: Problems, progress: Progress, jobs: int, with_decks: bool,
        meanwhile: Callable[[], bool] = lambda: True) -> Outcome | None:
    """Make every deck and site. `meanwhile` runs in this process once the workers have started
    (the validation: this process would only wait); when it returns False the work is stopped
    and None returned."""
    global _course
    _course = course
    from teachforward.decks import deck_groups, offered_decks
    groups = deck_groups(course) if with_decks else []
    source = course.source.code
    needs = {l.code: {source, l.code} & set(groups) for l in course.languages}
    made: dict = {}
    done_groups: set[str] = set()
    waiting = [l.code for l in course.languages]
    sites: dict = {}
    outcome = Outcome()
    progress.total = len(groups) + len(waiting)
    runner = _Runner(jobs)

    def start_ready_sites():
        for code in [c for c in waiting if needs[c] <= done_groups]:
            waiting.remove(code)
            language = course.language(code)
            downloads, files = offered_decks(course, language, made) if with_decks else ([], {})
            runner.submit(("site", code), _site, code, work, downloads, files)

    try:
        for code in groups:
            runner.submit(("decks", code), _deck_group, code, work / "decks")
        start_ready_sites()
        if not meanwhile():        # without workers nothing has run yet: submitting only queues
            return None
        while True:
            finished = runner.next()
            if finished is None:
                break
            (kind, code), value = finished
            if kind == "decks":
                group, found = value
                made.update(group)
                problems.items.extend(found)
                done_groups.add(code)
                written = sum(d.written for d in group.values())
                outcome.decks += len(group)
                outcome.decks_written += written
                progress.step(f"decks in {code}: {len(group)} ({written} written)")
                start_ready_sites()
            else:
                sites[code] = value
                what = {"unchanged": "unchanged", "incremental": f"{value.rendered} of {value.pages} pages rendered",
                        "full": f"{value.pages} pages"}[value.mode]
                progress.step(f"site {code}: {what}" + ("" if value.ok else " FAILED"))
    finally:
        runner.close()
    outcome.sites = [sites[l.code] for l in course.languages if l.code in sites]
    return outcome


def _deck_group(code: str, deck_dir: Path) -> tuple[dict, list[Problem]]:
    from teachforward.decks import render_deck_group
    problems = Problems(_course.root)
    group = render_deck_group(_course, code, deck_dir, problems)
    return group, problems.items


def _site(code: str, work: Path, downloads: list, files: dict):
    from teachforward.site.build import build_language
    return build_language(_course, _course.language(code), work / code, downloads, files, work / "templates")


def _quiet_worker() -> None:
    # Ctrl-C goes to the whole process group: the main process decides what to do about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Runner:
    """A process pool when jobs > 1 and fork is available, else everything in this process."""

    def __init__(self, jobs: int):
        self.pool = None
        self.futures: dict[Future, tuple] = {}
        self.queue: list = []
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            # The loaded course is shared with the workers until written to: keep the garbage
            # collector from writing to (and so copying) its pages in every worker.
            gc.freeze()
            self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_quiet_worker)

    def submit(self, key: tuple, function, *args) -> None:
        if self.pool is None:
            self.queue.append((key, function, args))
        else:
            self.futures[self.pool.submit(function, *args)] = key

    def next(self):
        """The next finished piece of work as (key, result), or None when there is none left."""
        if self.pool is None:
            if not self.queue:
                return None
            key, function, args = self.queue.pop(0)
            return key, function(*args)
        if not self.futures:
            return None
        done, _ = wait(self.futures, return_when=FIRST_COMPLETED)
        future = next(iter(done))
        return self.futures.pop(future), future.result()

    def close(self) -> None:
        if self.pool is None:
            return
        if self.futures:          # stopped early (Ctrl-C, an error): don't wait for the rest
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
