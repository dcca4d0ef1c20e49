"""Each site's split search index, kept in the process that built it for its next dirty build,
so that after an edit the search work is that of the pages rendered again (a process that
builds again and again: serve builds the edited language in its own process).

Why it cannot be stale: what is kept for a site is used only while its files are the ones it
was written as. Every file written is marked by its size, time, inode and change time (an
atomic write gives a new inode; any write, even one that puts the time back, a new change
time); the kept index is used only if the whole index (search/search_index.full.json) still
has its mark, and a shard is left alone only if it still has its own, else it is written
again. A build that fails or is interrupted after taking the kept index leaves nothing kept
(`take` removes it). A process that did not build the site (a fork, a one-shot build) has
nothing kept, or a copy whose marks it checks alike, and reads the files as before.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from teachforward.fsutil import write_atomic, write_changed
from teachforward.site.search_shards import FULL_INDEX, SHARDS, ShardedIndex

KEPT_SITES = 3       # the sites last built in this process (each about the size of its index)
SMALL_INDEX = "search/search_index.json"

Mark = tuple[int, int, int, int]


@dataclass
class KeptIndex:
    index: ShardedIndex
    marks: dict[str, Mark]      # path under the site folder -> the mark of the file as written


_kept: OrderedDict[str, KeptIndex] = OrderedDict()


def mark(path: Path) -> Mark | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def _key(site_dir: Path) -> str:
    return os.path.realpath(site_dir)


def take(site_dir: Path) -> KeptIndex | None:
    """The index kept for site_dir, if its whole index is still the file it was written as
    (no longer kept: `keep` it again once the new files are written)."""
    kept = _kept.pop(_key(site_dir), None)
    if kept is None or mark(site_dir / FULL_INDEX) != kept.marks.get(FULL_INDEX):
        return None
    return kept


def keep(site_dir: Path, index: ShardedIndex, marks: dict[str, Mark]) -> None:
    _kept[_key(site_dir)] = KeptIndex(index, marks)
    _kept.move_to_end(_key(site_dir))
    while len(_kept) > KEPT_SITES:
        _kept.popitem(last=False)


def marks_of(site_dir: Path, index: ShardedIndex) -> dict[str, Mark]:
    """The marks of the files `index` was just written as (write_search_shards)."""
    paths = [f"{SHARDS}/{name}" for name in index.file_names()] + [FULL_INDEX]
    return {path: found for path in paths if (found := mark(site_dir / path)) is not None}


def write_updated(site_dir: Path, kept: KeptIndex, updated: ShardedIndex, changed: set[str]) -> dict[str, Mark]:
    """Write the files of `updated` (kept.index with some pages replaced: ShardedIndex.updated):
    the shards in `changed` (where their bytes did change) and any whose file is no longer as it
    was written, the whole index if a page changed, and the small index (where the search plugin
    has just written the pages it rendered). Returns the marks of the files now."""
    marks = dict(kept.marks)

    def write(path: str, text: str, changed_for_sure: bool = False) -> None:
        target = site_dir / path
        if changed_for_sure:
            write_atomic(target, text.encode("utf-8"))
        else:
            write_changed(target, text.encode("utf-8"))
        found = mark(target)
        if found is not None:
            marks[path] = found

    names = updated.file_names()
    for name in set(kept.index.file_names()) - set(names):
        (site_dir / SHARDS / name).unlink(missing_ok=True)
        marks.pop(f"{SHARDS}/{name}", None)
    for name in names:
        path = f"{SHARDS}/{name}"
        if name in changed or mark(site_dir / path) != marks.get(path):
            write(path, updated.shard_script(name))
    if updated is not kept.index:
        write(FULL_INDEX, updated.whole_index(), changed_for_sure=True)
    elif mark(site_dir / FULL_INDEX) != marks.get(FULL_INDEX):
        write(FULL_INDEX, updated.whole_index())
    write_changed(site_dir / SMALL_INDEX, updated.small_index().encode("utf-8"))
    return marks
