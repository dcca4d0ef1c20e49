"""The split search index kept for a site's next dirty build (plugins/incremental/search_memo.py),
in memory by the process that built it and else read back from its files: a dirty build that
uses it writes the files a full build writes, byte for byte, splits only the pages rendered,
and it is not used once the files it was written as have changed.

The MkDocs build is played by calling the plugin's events, with the search plugin's output (the
index of the pages rendered) written where it writes it. Whole builds: tests/test_incremental.py."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from teachforward.fsutil import write_atomic
from teachforward.site import search_shards
from teachforward.site.plugins.incremental import plugin as plugin_module
from teachforward.site.plugins.incremental import search_memo
from teachforward.site.plugins.incremental.plugin import IncrementalPlugin
from teachforward.site.search_shards import FULL_INDEX, SHARDS

CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["trimmer", "stopWordFilter", "stemmer"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}
ORDER = [f"page{n}.html" for n in range(8)]



def written(path: Path) -> tuple[int, int, int]:
    """What tells that a file was written again (in place or replaced): inode and times."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns

def page(url: str, *sections: str) -> list[dict]:
    docs = [{"location": url, "title": url, "text": f"<p>about {url[:-5]} and the work</p>"}]
    return docs + [{"location": f"{url}#s{n}", "title": f"Part {n}", "text": f"<p>{text}</p>"}
                   for n, text in enumerate(sections)]


PAGES = {url: page(url, "workers and data", f"rights number {n}") for n, url in enumerate(ORDER)}


@pytest.fixture(autouse=True)
def nothing_kept():
    search_memo._kept.clear()
    yield
    search_memo._kept.clear()


def build(site: Path, pages: dict[str, list[dict]], rendered: list[str], record: bool = True) -> None:
    """One MkDocs build as the plugin sees it: the search plugin writes the pages rendered."""
    plugin = IncrementalPlugin()
    plugin.load_config({"search_marks": str(record_of(site)) if record else None})
    config = SimpleNamespace(site_dir=str(site))
    plugin.on_pre_build(config=config)
    plugin.on_env(None, config=config, files=SimpleNamespace(
        documentation_pages=lambda: [SimpleNamespace(url=url) for url in ORDER]))
    for url in rendered:
        plugin.on_page_context({}, page=SimpleNamespace(url=url), config=config, nav=None)
    docs = [entry for url in ORDER if url in rendered for entry in pages[url]]
    text = json.dumps({"config": CONFIG, "docs": docs}, separators=(",", ":"))    # as Material writes it
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / "search" / "search_index.json").write_text(text, encoding="utf-8")
    plugin.on_post_build(config=config)


def record_of(site: Path) -> Path:
    return site.parent / f"{site.name}-search-marks.json"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "search").rglob("*")) if p.is_file()}


def full_build(folder: Path, pages: dict[str, list[dict]]) -> dict[str, bytes]:
    build(folder, pages, ORDER)
    return files(folder)


def kept_index_must_be_used(monkeypatch, in_memory: bool = True) -> None:
    def refused(*args, **kwargs):
        raise AssertionError("the kept index was not used")
    if in_memory:
        monkeypatch.setattr(plugin_module, "read_search_index", refused)
    monkeypatch.setattr(search_shards.ShardedIndex, "build", refused)


def test_dirty_builds_in_the_process_that_built_the_site_give_a_full_builds_files(tmp_path, monkeypatch):
    site, pages = tmp_path / "site", dict(PAGES)
    assert full_build(site, pages) == full_build(tmp_path / "fresh0", pages)
    edits = [
        {"page2.html": page("page2.html", "workers and their data", "rights number 2")},      # a section's words
        {"page5.html": page("page5.html", "workers and data", "rights number 5", "a new zebra section")},
        {"page0.html": page("page0.html"), "page7.html": page("page7.html", "quiet")},     # sections taken out
        {"page3.html": PAGES["page3.html"]},                                              # rendered, the same
    ]
    for n, edit in enumerate(edits, start=1):
        pages.update(edit)
        before = {p.name: (written(p), p.read_bytes()) for p in (site / SHARDS).iterdir()}
        with monkeypatch.context() as patched:
            kept_index_must_be_used(patched, in_memory=False)
            build(site, pages, list(edit))
        assert files(site) == full_build(tmp_path / f"fresh{n}", pages), f"edit {n}"
        now = {p.name: (written(p), p.read_bytes()) for p in (site / SHARDS).iterdir()}
        rewritten = {name for name, (mark, _) in now.items() if name not in before or before[name][0] != mark}
        assert rewritten == {name for name, (_, data) in now.items() if name not in before or before[name][1] != data}
        if n == 1:       # the same number of sections: the others keep their numbers
            assert 0 < len(rewritten) < len(before) / 2, rewritten
        if n == 4:
            assert not rewritten


def test_a_kept_index_is_not_used_once_the_whole_index_was_written_again(tmp_path, monkeypatch):
    site, pages = tmp_path / "site", dict(PAGES)
    full_build(site, pages)
    write_atomic(site / FULL_INDEX, (site / FULL_INDEX).read_bytes())     # the same bytes, another file
    split = []
    build_from_scratch = search_shards.ShardedIndex.build
    monkeypatch.setattr(search_shards.ShardedIndex, "build",
                        classmethod(lambda cls, *args, **kw: split.append(args) or build_from_scratch(*args, **kw)))
    pages["page1.html"] = page("page1.html", "something else")
    build(site, pages, ["page1.html"])
    assert split, "neither the index kept in memory nor its files were used: it was split from scratch"
    monkeypatch.undo()
    assert files(site) == full_build(tmp_path / "fresh", pages)


def test_a_shard_changed_on_disk_is_written_again_from_the_kept_index(tmp_path, monkeypatch):
    site, pages = tmp_path / "site", dict(PAGES)
    full_build(site, pages)
    word_shards = json.loads((site / "search" / "search_index.json").read_text())["config"]["teachforward"]["wordShards"]
    shard_of = {word: site / SHARDS / f"w{n}.js" for n, shard_words in enumerate(word_shards) for word in shard_words}
    shard_of["workers"].write_text("damaged", encoding="utf-8")     # neither is among the edit's words
    shard_of["about"].unlink()
    kept_index_must_be_used(monkeypatch)
    pages["page6.html"] = page("page6.html", "workers and data", "rights number six")
    build(site, pages, ["page6.html"])
    monkeypatch.undo()
    assert files(site) == full_build(tmp_path / "fresh", pages)


def test_a_process_that_kept_nothing_reads_the_index_back_from_its_files(tmp_path, monkeypatch):
    site, pages = tmp_path / "site", dict(PAGES)
    full_build(site, pages)
    for n, edit in enumerate([{"page4.html": page("page4.html", "other words entirely")},
                              {"page2.html": page("page2.html", "workers and data")}], start=1):
        search_memo._kept.clear()                  # built by another process: a fork
        pages.update(edit)
        with monkeypatch.context() as patched:
            kept_index_must_be_used(patched, in_memory=False)
            build(site, pages, list(edit))
        assert files(site) == full_build(tmp_path / f"fresh{n}", pages)


@pytest.mark.parametrize("spoil", ["no record", "a shard written again", "the manifest written again"])
def test_files_not_as_recorded_are_not_read_back(tmp_path, monkeypatch, spoil):
    site, pages = tmp_path / "site", dict(PAGES)
    full_build(site, pages)
    search_memo._kept.clear()
    if spoil == "no record":
        record_of(site).unlink()
    else:
        path = site / (f"{SHARDS}/w0.js" if spoil == "a shard written again" else "search/search_index.json")
        write_atomic(path, path.read_bytes())
    read_back = []
    from_files = search_shards.ShardedIndex.from_files
    monkeypatch.setattr(search_shards.ShardedIndex, "from_files",
                        classmethod(lambda cls, *args: read_back.append(args) or from_files(*args)))
    pages["page4.html"] = page("page4.html", "other words entirely")
    build(site, pages, ["page4.html"])
    assert not read_back
    monkeypatch.undo()
    assert files(site) == full_build(tmp_path / "fresh", pages)


def test_without_a_record_a_process_that_kept_nothing_splits_from_scratch(tmp_path):
    site, pages = tmp_path / "site", dict(PAGES)
    build(site, pages, ORDER, record=False)
    search_memo._kept.clear()
    pages["page4.html"] = page("page4.html", "other words entirely")
    build(site, pages, ["page4.html"], record=False)
    assert not record_of(site).exists()
    assert files(site) == full_build(tmp_path / "fresh", pages)


def test_only_the_last_sites_built_are_kept_in_memory(tmp_path):
    for n in range(search_memo.KEPT_SITES + 1):
        full_build(tmp_path / f"site{n}", PAGES)
    assert search_memo.take(tmp_path / "site0") is None
    assert search_memo.take(tmp_path / f"site{search_memo.KEPT_SITES}") is not None
