"""Problems found in the sources: collected, never raised, and reported all at once.

Like the Carpentries lesson checker, every check adds to one list so an author can fix
every mistake in a single pass.
"""
from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Problem:
    path: str                 # relative to the repository root, with forward slashes
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"   # "error" stops the build; "warning" is only reported

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        kind = "error" if self.severity == "error" else "warning"
        where = f"file={self.path}" + (f",line={self.line}" if self.line else "")
        body = self.message + (f" ({self.hint})" if self.hint else "")
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {where}::{body}"


@dataclass
class Problems:
    """The growing list of problems, plus the root that paths are shown relative to."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int | None, message: str, hint: str = "",
            severity: str = "error") -> None:
        self.items.append(Problem(self.show(path), line, message, hint, severity))

    def warn(self, path: Path | str, line: int | None, message: str, hint: str = "") -> None:
        self.add(path, line, message, hint, severity="warning")

    def show(self, path: Path | str) -> str:
        path = Path(path)
        root = self.root.resolve()
        # The path as written (a link is named, not where it leads), then with links followed.
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            try:
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        # Every field in the key: a set's order changes from run to run (str hashes are salted).
        return sorted(set(self.items), key=lambda p: (p.path, p.line or 0, p.message, p.hint, p.severity))


class FindingsMemo:
    """What a check that reads nothing but its key found, kept from one check of the course to
    the next by a process that checks again and again (serve): a key seen before gives the same
    problems without running the check. `kept` holds earlier checks' results (`updated`). The key
    is everything the check reads (texts, lines, paths, or the name of a workshop, which stands
    for one loaded Workshop: `names`, from load_memo.LoadMemo.name), so a result is reused only
    where running the check again would give it.

    A result found while another is computed is kept with it: while the outer one is reused, so
    is each inner one (it is not asked for then, yet a later edit of the outer may need it)."""

    def __init__(self, kept: dict[str, Any] | None = None, names: Callable[[Any], str | None] = lambda _: None):
        self.kept = kept or {}
        self.name = names
        self.found: dict[str, tuple[Any, tuple[str, ...]]] = {}    # digest -> (value, the digests found inside)
        self.asked: list[str] = []      # the digests of the kept results this check asked for
        self.ran = 0
        self._inside: list[list[str]] = []

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """compute(), or what it gave for the same key before. The key's parts are strings (taken
        as they are, after their length) or values with a faithful repr; its first part names
        the check."""
        text = "".join(f"{len(part)}:{part}" for part in (p if isinstance(p, str) else repr(p) for p in key))
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if self._inside:
            self._inside[-1].append(digest)
        entry = self.found.get(digest)
        if entry is None:
            entry = self.kept.get(digest)
            if entry is not None:
                self.asked.append(digest)
        if entry is None:
            self._inside.append([])
            try:
                value = compute()
            finally:
                inside = self._inside.pop()
            entry = self.found[digest] = (value, tuple(inside))
            self.ran += 1
        return entry[0]

    @property
    def used(self) -> dict[str, Any]:
        """What this check found and what it used of `kept`, with what those hold."""
        used = dict(self.found)
        waiting = list(self.asked)
        while waiting:
            digest = waiting.pop()
            if digest not in used:
                used[digest] = self.kept[digest]
                waiting.extend(used[digest][1])
        return used

    def delta(self) -> tuple[dict[str, Any], list[str]]:
        """What this check found and the digests of the kept results it asked for: far less to
        send back from a worker process than `used` (see updated())."""
        return self.found, self.asked

    @staticmethod
    def updated(kept: dict[str, Any], delta: tuple[dict[str, Any], list[str]]) -> dict[str, Any]:
        """What to keep after the check that was given `kept` and gave `delta`: `kept` with what
        the check found; when that has grown to more than FORGET_ABOVE times what the check
        used, only what it used (old versions of edited texts are forgotten then, not at every
        check: finding what was used costs a walk through all of it)."""
        merged = {**kept, **delta[0]}
        last_used = kept[_USED][0] if _USED in kept else 0
        if len(merged) <= FORGET_ABOVE * max(last_used, 1000):
            return merged
        memo = FindingsMemo(kept)
        memo.found, memo.asked = delta
        used = memo.used
        used[_USED] = (len(used), ())
        return used

    def check(self, problems: Problems, key: tuple, run: Callable[[Problems], None]) -> None:
        """Add the problems run(problems) adds, or those it added for the same key before."""
        def found() -> tuple[Problem, ...]:
            fresh = Problems(problems.root)
            run(fresh)
            return tuple(fresh.items)
        problems.items.extend(self.remember(key, found))


FORGET_ABOVE = 1.5
_USED = "how many were used when the rest was last forgotten"     # not a digest: no key gives it


def remembered(memo: FindingsMemo | None, problems: Problems, key: tuple, workshops: tuple,
               run: Callable[[Problems], None]) -> None:
    """run(problems), a check that reads nothing but `workshops` and `key`; with a memo, what it
    found before for the same key and workshops (by their names: FindingsMemo)."""
    names = tuple(memo.name(w) for w in workshops) if memo is not None else (None,)
    if memo is None or None in names:
        run(problems)
    else:
        memo.check(problems, (*key, *names), run)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("GITHUB_ACTIONS", "").lower() == "true"


def report(problems: Iterable[Problem], out: TextIO) -> None:
    problems = list(problems)
    for problem in problems:
        print(problem.format(), file=out)
    if running_in_ci():
        for problem in problems:
            print(problem.annotation(), file=out)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""
