"""Put the built languages together into one site folder, ready to be swapped in for site/.

A language rebuilt this time is taken from build/<lang>/site/: MkDocs rewrites that folder in
place next time, so the published site must not share its files; each file is copied, unless the
site published last time (which nothing writes to) holds the same bytes, which are linked. A
language that did not change is linked from the site published last time as a whole. Each language's offline
pack goes into its downloads/ folder, and the language chooser into the root.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from teachforward.content.model import Course
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
