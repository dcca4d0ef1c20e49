"""What the loads of a process that loads the course again and again (serve) keep of each
workshop and each site page: what was made of it, the problems its loading found, and what it
was made from, so that a workshop or page whose sources did not change is not read and built
again (pipeline.Kept).

What was kept is used only when a fresh load would make the same:
- its files are the same: a page's file, or every entry of the workshop's folder, of exercises/
  and of materials/ (the only folders the loader lists), with the same name, type, size,
  mtime_ns, ctime_ns, inode and device; a link leads to the same place, to a file with the same
  signature; the folder is where it was (its real path);
- each of its pictures resolves to the same file as before (they may be looked up in another
  workshop or in English, outside the files above: resolved again, as the ParseMemo does);
- in a translated workshop, the English workshop it falls back on is the very object it was
  made with (a kept English workshop is that same object; an English edit makes a new one);
- the course settings it was read with are equal.
A file written less than RACY_NS before the load began may be written again with no change to
its size or time (file times are coarser than an editor is fast): what was made of it is not
kept, as git treats a "racily clean" file.

Listing every workshop folder again costs most of a load at 100 workshops x 10 languages
(0.7 s of 1.4 s, profiled). When told what changed since the last load (`saw`: serve's watch,
watching.py), a folder with nothing changed in or above it keeps the signature it had, unless
that signature holds a link or the folder is reached through one (what a link leads to may
change outside what the watch sees).

Each workshop loaded is given a name unique in the process (`name`), so that a check that reads
nothing but a workshop can keep what it found under that name (validate.py).
"""
from __future__ import annotations

import itertools
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teachforward.content.model import CourseFile, Workshop
from teachforward.content.textfile import RealPlaces
from teachforward.problems import Problem

Signature = tuple[Any, ...]     # folder_signature() or file_signature()
RACY_NS = 2_000_000_000      # the coarsest file times in use (FAT) are 2 s apart
LISTED = ("", "exercises", "materials")      # the folders of a workshop that the loader lists


@dataclass(frozen=True)
class Loaded:
    files: Signature               # folder_signature() or file_signature() when it was loaded
    original: Workshop | None      # the English workshop a translation was made with
    settings: CourseFile
    made: Any                      # the Workshop or Page (None: it could not be made)
    problems: tuple[Problem, ...]  # what loading it found, in the order found
    pictures: tuple[tuple[tuple[str, ...], Path | None], ...]   # (the files a picture could be, the one it was)
    parsed: tuple[tuple[Any, ...], tuple[Any, ...]]   # what it asked of the ParseMemo (prose.ParseMemo.since)


class LoadMemo:
    def __init__(self) -> None:
        self._kept: dict[Path, Loaded] = {}
        self._used: set[Path] = set()
        self._names: dict[int, tuple[Any, str]] = {}     # id(workshop) -> (workshop, its name)
        self._naming: dict[int, tuple[Any, str]] = {}    # ... given out by the current load
        self._serial = itertools.count(1)
        self.started_ns = time.time_ns()
        self.reused = self.loaded = 0          # workshops and pages reused / loaded during the current load
        self.last_reused = self.last_loaded = 0
        self._told: set[str] | None = None     # the paths seen changed since the last load (None: not told)
        self._changed: tuple[str, ...] | None = None     # ... as the current load uses them

    def saw(self, paths: Iterable[str]) -> None:
        """The sources written, added or removed (files or folders) since the last `saw`: all of
        them, until the next load (module docstring)."""
        self._told = (self._told or set()) | {os.path.realpath(path) for path in paths}

    def start(self) -> None:
        """A load begins."""
        self.started_ns = time.time_ns()
        self._naming = {}
        self._changed, self._told = (None if self._told is None else tuple(self._told)), None

    def folder_files(self, folder: Path, real: Callable[[], str]) -> Signature:
        """folder_signature(folder, real()), or the one kept if nothing changed in or above the
        folder since it was taken (module docstring)."""
        kept = self._kept.get(folder)
        if kept is not None and self._changed is not None and _plain(kept.files, str(folder)):
            key = str(folder)
            if not any(path == key or path.startswith(key + os.sep) or key.startswith(path + os.sep)
                       for path in self._changed):
                return kept.files
        return folder_signature(folder, real())

    def find(self, key: Path, files: Signature, original: Workshop | None, settings: CourseFile,
             resolves: Callable[[tuple[str, ...]], Path | None]) -> Loaded | None:
        """What was kept of `key` if a fresh load would make the same (module docstring);
        `resolves(candidates)` is the picture that the files it could be give now."""
        self._used.add(key)
        kept = self._kept.get(key)
        if kept is None or kept.files != files or kept.original is not original or kept.settings != settings \
                or not all(resolves(candidates) == found for candidates, found in kept.pictures):
            self.loaded += 1
            return None
        self.reused += 1
        self._name(kept.made)
        return kept

    def keep(self, key: Path, loaded: Loaded) -> None:
        """Keep a fresh load, unless a file of it may change without its time changing."""
        self._name(loaded.made)
        if any(time_ns > self.started_ns - RACY_NS for time_ns in _times(loaded.files)):
            self._kept.pop(key, None)
        else:
            self._kept[key] = loaded

    def name(self, made: Any) -> str | None:
        """The name, unique in this process, of a workshop (or page) the last load gave out."""
        entry = self._names.get(id(made))
        return entry[1] if entry is not None and entry[0] is made else None

    def forget_unused(self) -> None:
        """A load ended: drop what it did not ask for (folders and files renamed or deleted)."""
        for key in self._kept.keys() - self._used:
            del self._kept[key]
        self._used = set()
        self._names, self._naming = self._naming, {}
        self.last_reused, self.last_loaded = self.reused, self.loaded
        self.reused = self.loaded = 0

    def _name(self, made: Any) -> None:
        if made is None:
            return
        entry = self._names.get(id(made))
        if entry is None or entry[0] is not made:
            entry = (made, f"loaded-{next(self._serial)}")
        self._naming[id(made)] = entry


def folder_signature(folder: Path, real: str) -> Signature:
    """What tells that a workshop folder's files changed (module docstring); `real`: the
    folder's real path."""
    marks: list[Any] = [real]
    for name in LISTED:
        try:
            with os.scandir(os.path.join(folder, name)) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            marks.append((name, None))
            continue
        for entry in listed:
            marks.append(_mark(name, entry.name, entry.path, entry.stat(follow_symlinks=False)))
    return tuple(marks)


def _plain(files: Signature, folder: str) -> bool:
    """A folder signature of a folder reached through no link, holding no link."""
    return files[0] == folder and not any(len(mark) > 8 for mark in files[1:])


def file_signature(path: Path, places: RealPlaces) -> Signature:
    """What tells that one file changed: its mark, and the real path of its folder."""
    try:
        info = os.lstat(path)
    except OSError:
        return (places.folder(str(path.parent)), ("", path.name, None))
    return (places.folder(str(path.parent)), _mark("", path.name, str(path), info))


def _mark(folder: str, name: str, path: str, info: os.stat_result) -> tuple[Any, ...]:
    mark: tuple[Any, ...] = (folder, name, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                   info.st_dev)
    if stat.S_ISLNK(info.st_mode):
        mark += (os.path.realpath(path), _followed(path))
    return mark


def _followed(path: str) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _times(files: Signature) -> list[int]:
    """The mtime_ns of every entry of a signature, and of what its links lead to."""
    times = [mark[4] for mark in files[1:] if len(mark) > 3]
    return times + [mark[9][2] for mark in files[1:] if len(mark) > 8 and mark[9] is not None]
