"""Each site's split search index, kept for its next dirty build, so that after an edit the
search work is that of the pages rendered again: in memory by the process that built the site
(serve builds the edited language in its own process), and else made again from the files it
was written as, without splitting every document again (the forks that build the other
languages, or the edited one again once its decks and PDFs have caught up).

Why neither can be stale: what is kept is used only while the files are the ones it was written
as. Every file written is marked by its size, time, inode and change time (an atomic write gives
a new inode; any write, even one that puts the time back, a new change time), and the marks are
recorded beside the site (`record`: the plugin's `search_marks`, outside the site, which is
published as it is). The index kept in memory is used only if the whole index
(search/search_index.full.json) still has its mark, and a shard left alone only if it still has
its own, else it is written again; the files are read back only if every one of them (the whole
index, the manifest and each shard) still has the mark recorded. A build that fails or is
interrupted after taking the kept index leaves nothing kept in memory (`take` removes it) and a
record that no longer fits, and the next build, a full one (site/build.py), writes everything.
"""
from __future__ import annotations

import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from teachforward.fsutil import read_json, write_changed, write_in_place, write_json
from teachforward.site.search_shards import FULL_INDEX, SHARDS, ShardedIndex

KEPT_SITES = 3       # sites kept in memory: the last built in this process (each about the size of its index)
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
    """The index kept in memory for site_dir, if its whole index is still the file it was
    written as (no longer kept: `keep` it again once the new files are written)."""
    kept = _kept.pop(_key(site_dir), None)
    if kept is None or mark(site_dir / FULL_INDEX) != kept.marks.get(FULL_INDEX):
        return None
    return kept


def keep(site_dir: Path, index: ShardedIndex, marks: dict[str, Mark], record_path: Path | None) -> None:
    """Keep `index` for site_dir's next build: in memory, and its files' marks in record_path."""
    _kept[_key(site_dir)] = KeptIndex(index, marks)
    _kept.move_to_end(_key(site_dir))
    while len(_kept) > KEPT_SITES:
        _kept.popitem(last=False)
    if record_path is not None:
        write_json(record_path, {"site": _key(site_dir), "files": {path: list(found) for path, found in marks.items()}})


@dataclass(frozen=True)
class Recorded:
    """What a build recorded of the files it wrote, all of them still as written (`recorded`)."""
    marks: dict[str, Mark]
    word_shards: list[list[str]]      # the manifest's words of each word shard


def recorded(site_dir: Path, record_path: Path | None) -> Recorded | None:
    """Before MkDocs writes anything: the record of site_dir's search files, if every one of
    them is as it was written (None: some file changed, or nothing was recorded)."""
    if record_path is None:
        return None
    data = read_json(record_path)
    if data.get("site") != _key(site_dir) or not isinstance(data.get("files"), dict):
        return None
    try:
        marks = {path: tuple(found) for path, found in data["files"].items()}
    except TypeError:          # not a record this module wrote
        return None
    if FULL_INDEX not in marks or SMALL_INDEX not in marks or \
            any(mark(site_dir / path) != found for path, found in marks.items()):
        return None
    try:
        manifest = json.loads((site_dir / SMALL_INDEX).read_text(encoding="utf-8"))["config"]["teachforward"]
        word_shards = manifest["wordShards"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Recorded(marks, word_shards)  # type: ignore[arg-type]


def from_files(site_dir: Path, previous: dict, found: Recorded) -> KeptIndex | None:
    """The index split as `previous` (the whole index last written) was, read back from its
    shards, if they are still as recorded."""
    scripts = []
    for n in range(len(found.word_shards)):
        path = f"{SHARDS}/w{n}.js"
        if path not in found.marks or mark(site_dir / path) != found.marks[path]:
            return None
        try:
            scripts.append((site_dir / path).read_text(encoding="utf-8"))
        except OSError:
            return None
    index = ShardedIndex.from_files(previous, found.word_shards, scripts)
    if index is None or set(found.marks) - {FULL_INDEX, SMALL_INDEX} != {f"{SHARDS}/{n}" for n in index.file_names()}:
        return None
    return KeptIndex(index, dict(found.marks))


def marks_of(site_dir: Path, index: ShardedIndex) -> dict[str, Mark]:
    """The marks of the files `index` was just written as (write_search_shards)."""
    paths = [f"{SHARDS}/{name}" for name in index.file_names()] + [FULL_INDEX, SMALL_INDEX]
    return {path: found for path in paths if (found := mark(site_dir / path)) is not None}


def write_updated(site_dir: Path, kept: KeptIndex, updated: ShardedIndex, changed: set[str]) -> dict[str, Mark]:
    """Write the files of `updated` (kept.index with some pages replaced: ShardedIndex.updated):
    the shards in `changed` (where their bytes did change) and any whose file is no longer as it
    was written, the whole index if a page changed, and the small index (where the search plugin
    has just written the pages it rendered). Returns the marks of the files now."""
    marks = dict(kept.marks)

    def write(path: str, text: str, changed_for_sure: bool = False) -> None:
        target = site_dir / path
        # In place: the site folder is the build's own (fsutil.write_in_place).
        if changed_for_sure:
            write_in_place(target, text.encode("utf-8"))
        else:
            write_changed(target, text.encode("utf-8"), in_place=True)
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
    write(SMALL_INDEX, updated.small_index())
    return marks
