"""The search index's part of a dirty build of one language, edit after edit: one MkDocs build of
the first language's site, then `--edits` builds each after toggling one sentence of the first
workshop's notes (bench.Edit), each timed as a whole (site.build.build_language) and in its
search work (the teachforward-incremental plugin's events). `--forget` drops what the process
kept between builds, as a forked build has nothing (the index is then read back from its files).

    .venv/bin/python scripts/synthetic_course.py --workshops 100 --languages 1 /tmp/c100
    .venv/bin/python scripts/bench_search_index.py /tmp/c100 --edits 3

Only the site: no decks and no PDFs are made (the first build is a full one, slow at 100 workshops).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench import Edit  # noqa: E402
from teachforward.content.loader import load_course  # noqa: E402
from teachforward.site import search_shards  # noqa: E402
from teachforward.site.build import build_language, environment_fingerprint  # noqa: E402
from teachforward.site.plugins.incremental import plugin, search_memo  # noqa: E402

timings: dict[str, float] = {}


def timed(name: str, function: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--forget", action="store_true", help="keep nothing in memory between builds")
    options = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    root = options.course.resolve()
    events = plugin.IncrementalPlugin
    events.on_pre_build = timed("read previous", events.on_pre_build)       # type: ignore[method-assign]
    events.on_post_build = timed("search work", events.on_post_build)       # type: ignore[method-assign]
    search_shards.ShardedIndex.updated = timed("of it: update", search_shards.ShardedIndex.updated)  # type: ignore[method-assign]
    plugin.search_memo.write_updated = timed("of it: write", search_memo.write_updated)  # type: ignore[attr-defined]
    plugin.search_memo.from_files = timed("of it: read back", search_memo.from_files)  # type: ignore[attr-defined]
    environment, work = environment_fingerprint(), root / "build"

    def build(label: str) -> None:
        if options.forget:
            search_memo._kept.clear()
        course, _ = load_course(root)
        if course is None:
            raise SystemExit(f"{root}: the course does not load (teachforward check)")
        language = course.languages[0]
        timings.clear()
        start = time.perf_counter()
        result = build_language(course, language, work / language.code, [], {}, environment, work / "templates", [])
        took = time.perf_counter() - start
        print(f"{label}: {result.mode}, {result.rendered} of {result.pages} pages rendered, {took:.3f} s; "
              + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items()), flush=True)
        if not result.ok:
            raise SystemExit(result.log)

    build("first build")
    edit = Edit(root)
    try:
        for number in range(options.edits):
            edit.toggle()
            build(f"edit {number + 1}")
    finally:
        edit.path.write_text(edit.original, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
