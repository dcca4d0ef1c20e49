"""Problems found in the sources: collected, never raised, and reported all at once.

Like the Carpentries lesson checker, every check adds to one list so an author can fix
every mistake in a single pass.
"""
from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


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
        return sorted(set(self.items), key=lambda p: (p.path, p.line or 0, p.message))


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
