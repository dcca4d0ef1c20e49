"""Reading and merging Material's search index (site/search/search_index.json, kept whole as
search/search_index.full.json once the site's copy is split: site/search_shards.py)."""
from __future__ import annotations

import json
import os

from mkdocs import utils

from teachforward.site.search_shards import FULL_INDEX


def _path(site_dir: str) -> str:
    return os.path.join(site_dir, "search", "search_index.json")


def _read(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def read_written_index(site_dir: str) -> dict | None:
    """The index the search plugin has just written (in a dirty build: the pages it rendered)."""
    return _read(_path(site_dir))


def rendered_entries(index: dict, rendered: set[str]) -> dict[str, list]:
    """The entries of each page rendered, from the index the search plugin wrote (a page may have none)."""
    by_page: dict[str, list] = {page: [] for page in rendered}
    for entry in index["docs"]:
        page = _page_of(entry["location"])
        if page in by_page:
            by_page[page].append(entry)
    return by_page


def read_search_index(site_dir: str) -> dict | None:
    """The whole index of the last build (its kept copy once the site's index was split)."""
    return _read(os.path.join(site_dir, FULL_INDEX)) or _read(_path(site_dir))


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search_index(site_dir: str, previous: dict | None, rendered: set[str], page_order: list[str]) -> None:
    """Complete the index just written with the previous entries of pages not rendered this time."""
    current = _read(_path(site_dir))          # what the search plugin has just written
    if current is None or previous is None:
        return
    kept = [page for page in page_order if page not in rendered]
    if not kept:
        return
    by_page: dict[str, list] = {}
    for source in (previous["docs"], current["docs"]):
        fresh: dict[str, list] = {}
        for entry in source:
            fresh.setdefault(_page_of(entry["location"]), []).append(entry)
        by_page.update({page: entries for page, entries in fresh.items()
                        if (source is current["docs"]) == (page in rendered)})
    docs = [entry for page in page_order for entry in by_page.get(page, [])]
    data = json.dumps({"config": current["config"], "docs": docs}, separators=(",", ":"), default=str)
    utils.write_file(data.encode("utf-8"), _path(site_dir))
