"""Put the built languages together into one site folder, ready to be swapped in for site/.

A language rebuilt this time is taken from build/<lang>/site/: MkDocs rewrites that folder in
place next time, so the published site must not share its files; each file is copied, unless the
site published last time (which nothing writes to) holds the same bytes, which are linked. A
language that did not change is linked from the site published last time as a whole. Each language's offline
pack goes into its downloads/ folder, and the language chooser into the root.

A process that publishes again and again (serve) instead brings each changed language of the
published site up to date file by file (update_in_place): staging a whole site links every file
of every language, a cost that grows with the course, while an edit changes a few files. Each
file is replaced whole (written beside it, then renamed over it), so a page is never seen half
written; a language is, for a moment, part old and part new, which a preview can live with and
a one-shot build never does.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from teachforward.content.model import Course
from teachforward.fsutil import write_changed
from teachforward.site.build import LanguageBuild
from teachforward.site.landing import landing_page


def stage_site(course: Course, results: list[LanguageBuild], staging: Path, published: Path | None,
               published_states: dict[str, str] | None = None) -> None:
    """Fill staging/ with every language's site. `published` is the current site folder, and
    `published_states` what each of its languages was built from."""
    staging.mkdir(parents=True, exist_ok=True)
    for result in results:
        target = staging / result.lang
        previous = published / result.lang if published is not None else None
        if previous is not None and previous.is_dir() and (published_states or {}).get(result.lang) == result.state:
            _link_tree(previous, target)
            continue
        _copy_changed(result.site_dir, target, previous if previous is not None and previous.is_dir() else None)
        _link(result.pack, target / "downloads" / result.pack.name)
    (staging / "index.html").write_text(landing_page(course), encoding="utf-8")


def update_in_place(course: Course, results: list[LanguageBuild], out: Path, changed: set[str]) -> None:
    """Bring the published out/<lang> of each language in `changed` up to its new build, copying
    only the files whose size or time differ (copy2 keeps the time, so a file copied last time
    matches its source), and removing the files the build no longer has."""
    for result in results:
        if result.lang in changed:
            _update_tree(result.site_dir, out / result.lang, {f"downloads/{result.pack.name}": result.pack})
    write_changed(out / "index.html", landing_page(course).encode("utf-8"))


def _update_tree(source: Path, target: Path, linked: dict[str, Path]) -> None:
    wanted = _files(str(source))
    wanted.update({relative: _mark(str(path), os.stat(path)) for relative, path in linked.items()})
    there = _files(str(target)) if target.is_dir() else {}
    for relative, (path, size, mtime, inode) in wanted.items():
        old = there.get(relative)
        # A linked file is the same file; a copied one was copied with its time (copy2).
        if old is not None and (old[3] == inode if relative in linked else old[1:3] == (size, mtime)):
            continue
        destination = os.path.join(target, relative)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        temporary = os.path.join(os.path.dirname(destination), f".{os.path.basename(destination)}.publishing")
        if os.path.lexists(temporary):
            os.unlink(temporary)
        if relative in linked:
            _link(path, temporary)
        else:
            shutil.copy2(path, temporary)
        os.replace(temporary, destination)
    gone = there.keys() - wanted.keys()      # removed pages, a stopped update's leftovers
    for relative in gone:
        Path(target, relative).unlink(missing_ok=True)    # a leftover may have been written over
    for folder in sorted({Path(target, relative).parent for relative in gone}, key=lambda p: -len(p.parts)):
        while folder != target and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _mark(path: str, info: os.stat_result) -> tuple[str, int, int, int]:
    return path, info.st_size, info.st_mtime_ns, info.st_ino


def _files(top: str, prefix: str = "") -> dict[str, tuple[str, int, int, int]]:
    """Every file under top (source maps left out, as stage_site does), by its path relative to
    top: (path, size, time, inode)."""
    found = {}
    with os.scandir(top) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found.update(_files(entry.path, f"{prefix}{entry.name}/"))
            elif not entry.name.endswith(".map"):
                found[prefix + entry.name] = _mark(entry.path, entry.stat())
    return found


def _copy_changed(source: Path, target: Path, previous: Path | None) -> None:
    """Copy source/ into target/ (source maps left out), linking each file whose bytes the
    previous site holds already: after an edit most of a language's files are the same."""
    def copy(src: str, dst: str) -> None:
        if previous is not None:
            before = previous / os.path.relpath(dst, target)
            try:
                old, new = before.stat(), os.stat(src)
                # The same size and time: copied from this very file last time (copy2 keeps the time).
                same = old.st_size == new.st_size and (old.st_mtime_ns == new.st_mtime_ns
                                                       or before.read_bytes() == Path(src).read_bytes())
            except OSError:
                same = False
            if same:
                _link(before, dst)
                return
        shutil.copy2(src, dst)

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map"), copy_function=copy)


def _link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=_link)


def _link(source, target) -> None:
    """A hard link where the file system allows one, else a copy."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
