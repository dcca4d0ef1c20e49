"""Makes MkDocs' `dirty` build (only pages whose Markdown changed are rendered again) give the
same site as a full build, so that teachforward can rebuild a language after a small edit.

- The search index: a dirty build indexes only the pages it rendered. After the search plugin
  has written its index, the entries of the pages not rendered this time are taken back from
  the previous index, in the order a full build would write them.
- The index is then split into a manifest and shards the search fetches as a query needs
  them (site/search_shards.py). The split index is kept for the next dirty build, in memory
  by the process that built the site and else read back from its files (search_memo.py): then
  only the pages rendered again are split again, and only the files they change are written,
  with the same bytes.
- The theme's templates are compiled once and kept on disk, and its file list (Material's
  holds thousands of icons) is read once per process: theme_files.py.
- A page's Markdown and HTML are let go once it is written: MkDocs would hold every page's
  until the build ends, beside the index being split (27 MB at 100 workshops).

The build decides when a dirty build is safe (the configuration and the set of pages are the
same as last time): teachforward.site.build.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from teachforward.fsutil import write_changed
from teachforward.site.search_shards import write_search_shards

from . import search_memo
from .config import IncrementalConfig
from .search_index import merge_search_index, read_search_index, read_written_index, rendered_entries
from .theme_files import cache_theme_environments


class IncrementalPlugin(BasePlugin[IncrementalConfig]):
    @event_priority(100)    # before the search plugin asks the theme for an environment
    def on_config(self, config):
        cache_theme_environments(config.theme, self.config.template_cache)
        return config

    def on_pre_build(self, *, config) -> None:
        site_dir = Path(config.site_dir)
        self.kept = search_memo.take(site_dir)
        self.recorded: search_memo.Recorded | None = None
        self.previous = None
        if self.kept is None:
            # Read before MkDocs empties the site folder for a full build (and the search plugin
            # writes its manifest over): in a full build every page is rendered again, so
            # nothing read here is used.
            self.previous = read_search_index(config.site_dir)
            self.recorded = search_memo.recorded(site_dir, self._record())
        self.rendered: set[str] = set()
        self.page_order: list[str] = []

    def on_env(self, env, *, config, files):
        self.page_order = [file.url for file in files.documentation_pages()]
        return env

    def on_page_context(self, context, *, page, config, nav):
        self.rendered.add(page.url)
        return context

    @event_priority(-100)   # last: every other plugin has read the page
    def on_post_page(self, output, *, page, config):
        page.markdown = page.content = None
        return output

    @event_priority(-50)    # after the search plugin writes its index, before `offline` copies it
    def on_post_build(self, *, config):
        site_dir = Path(config.site_dir)
        dirty = not self.rendered.issuperset(self.page_order)
        if dirty and self.kept is None and self.recorded is not None and self.previous is not None:
            self.kept = search_memo.from_files(site_dir, self.previous, self.recorded)
        if dirty and self.kept is not None:
            if self._update_kept_index(site_dir):
                return
            if self.previous is None:
                self.previous = read_search_index(config.site_dir)     # still the last build's
        merge_search_index(config.site_dir, self.previous, self.rendered, self.page_order)
        # Then split for the browser, before `offline` copies the (now small) index into a script.
        # After an edit most shards are the same: those are left alone (and linked when published).
        index = write_search_shards(site_dir, lambda data, path: write_changed(Path(path), data, in_place=True))
        if index is not None:
            search_memo.keep(site_dir, index, search_memo.marks_of(site_dir, index), self._record())

    def _update_kept_index(self, site_dir: Path) -> bool:
        """Split again only the pages rendered, from the index kept from the last build (the
        same files as merging and splitting the whole index give); False where it cannot be."""
        assert self.kept is not None
        written = read_written_index(str(site_dir))
        if written is None or written.get("config") != self.kept.index.config:
            return False
        found = self.kept.index.updated(rendered_entries(written, self.rendered), self.page_order)
        if found is None:
            return False
        updated, changed = found
        marks = search_memo.write_updated(site_dir, self.kept, updated, changed)
        search_memo.keep(site_dir, updated, marks, self._record())
        return True

    def _record(self) -> Path | None:
        return Path(self.config.search_marks) if self.config.search_marks else None
