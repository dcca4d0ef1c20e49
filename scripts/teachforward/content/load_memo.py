"""What the loads of a process that loads the course again and again (serve) keep of each
workshop: the Workshop made, the problems its loading found, and everything it was made from, so
that a workshop whose sources did not change is not read and built again (pipeline.Kept).

A kept workshop is used only when a fresh load would make the same one:
- its files are the same: every entry of the folder, of exercises/ and of materials/ (the only
  folders the loader lists) has the same name, type, size, mtime_ns, ctime_ns, inode and device,
  a link leads to the same place, and the folder itself is where it was (its real path);
- each of its pictures resolves to the same file as before (they may be looked up in another
  workshop or in English: resolved again, as the ParseMemo does);
- in a translation, the English workshop it falls back on is the very object it was made with
  (a kept English workshop is that same object; an English edit makes a new one);
- the course settings it was read with are equal.
A file written less than RACY_NS before the load began may be written again with no change to
its size or time (the clock ticks more slowly than an editor saves): such a workshop is loaded
but not kept, as git treats a "racily clean" file.

Each workshop loaded is given a name unique in the process (`name`), so that a check that reads
nothing but a workshop can keep what it found by the workshop's name (validate.py).
"""
from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teachforward.content.model import CourseFile, Workshop
from teachforward.problems import Problem

RACY_NS = 2_000_000_000      # the coarsest file times in use (FAT) are 2 s apart
LISTED = ("", "exercises", "materials")      # the folders of a workshop that the loader lists


@dataclass(frozen=True)
class KeptWorkshop:
    files: tuple                   # folder_signature() when it was loaded
    original: Workshop | None      # the English workshop a translation was made with
    settings: CourseFile
    workshop: Workshop | None
    problems: tuple[Problem, ...]  # what loading it found, in the order found
    pictures: tuple[tuple[str, Path, Path | None], ...]   # (as written, in which file, the file it resolved to)
    parsed: tuple                  # the ParseMemo keys its loading used (prose.ParseMemo.keep)


class LoadMemo:
    def __init__(self) -> None:
        self._kept: dict[Path, KeptWorkshop] = {}
        self._used: set[Path] = set()
        self._names: dict[int, tuple[Workshop, str]] = {}     # id(workshop) -> (workshop, its name)
        self._naming: dict[int, tuple[Workshop, str]] = {}    # ... given out by the current load
        self._serial = itertools.count(1)
        self.started_ns = time.time_ns()
        self.reused = self.loaded = 0          # workshops reused / loaded during the current load
        self.last_reused = self.last_loaded = 0

    def start(self) -> None:
        """A load begins."""
        self.started_ns = time.time_ns()
        self._naming = {}

    def find(self, folder: Path, files: tuple, original: Workshop | None, settings: CourseFile,
             resolves: Any) -> KeptWorkshop | None:
        """The kept load of `folder` if a fresh load would give the same (module docstring);
        `resolves(raw, path)` resolves a picture now."""
        self._used.add(folder)
        kept = self._kept.get(folder)
        if kept is None or kept.files != files or kept.original is not original or kept.settings != settings \
                or not all(resolves(raw, path) == found for raw, path, found in kept.pictures):
            self.loaded += 1
            return None
        self.reused += 1
        self._name(kept.workshop)
        return kept

    def keep(self, folder: Path, kept: KeptWorkshop) -> None:
        """Keep a fresh load, unless a file of it may change without its time changing."""
        self._name(kept.workshop)
        if any(time_ns > self.started_ns - RACY_NS for time_ns in _times(kept.files)):
            self._kept.pop(folder, None)
        else:
            self._kept[folder] = kept

    def name(self, workshop: Workshop) -> str | None:
        """The workshop's name, unique in this process, if the last load gave it out."""
        entry = self._names.get(id(workshop))
        return entry[1] if entry is not None and entry[0] is workshop else None

    def forget_unused(self) -> None:
        """Drop the workshops the last load did not ask for (folders renamed or deleted)."""
        self._kept = {folder: kept for folder, kept in self._kept.items() if folder in self._used}
        self._used = set()
        self._names, self._naming = self._naming, {}
        self.last_reused, self.last_loaded = self.reused, self.loaded
        self.reused = self.loaded = 0

    def _name(self, workshop: Workshop | None) -> None:
        if workshop is None:
            return
        entry = self._names.get(id(workshop))
        if entry is None or entry[0] is not workshop:
            entry = (workshop, f"workshop-{next(self._serial)}")
        self._naming[id(workshop)] = entry


def folder_signature(folder: Path, real: str) -> tuple:
    """What tells that a workshop folder's files changed (module docstring); `real`: the folder's
    os.path.realpath."""
    marks: list[Any] = [real]
    for name in LISTED:
        try:
            with os.scandir(folder / name if name else folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            marks.append((name, None))
            continue
        for entry in listed:
            info = entry.stat(follow_symlinks=False)
            mark: tuple = (name, entry.name, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                           info.st_ino, info.st_dev)
            if entry.is_symlink():
                mark += (os.path.realpath(entry.path), _followed(entry.path))
            marks.append(mark)
    return tuple(marks)


def _followed(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _times(files: tuple) -> list[int]:
    """The mtime_ns of every entry of a folder_signature(), and of what its links lead to."""
    times = [mark[4] for mark in files[1:] if len(mark) > 2]
    return times + [mark[9][2] for mark in files[1:] if len(mark) > 8 and mark[9] is not None]
