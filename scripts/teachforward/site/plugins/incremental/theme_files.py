"""The theme's Jinja environments: its file list read once per process instead of once per
build, and its compiled templates kept on disk (Jinja's bytecode cache) for every environment
the theme gives, the search plugin's too, instead of compiled for every language.

MkDocs lists every file of the theme for every build, and Material's holds thousands of icons.
Installed themes do not change while a process runs; the project's own theme folder (the first
of the theme's folders) may, so its folders' times are part of the key. Hidden files (Material's
.icons/ folder) are left out of the list: MkDocs never copies them into a site.
"""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache, FileSystemLoader

from teachforward.site.mkdocs_adapter import wrap_theme_environments

_listings: dict[tuple, list[str]] = {}


def _own_folders_stamp(folder: str) -> tuple:
    return tuple((path, os.stat(path).st_mtime_ns) for path, _, _ in os.walk(folder))


class _ListedOnce(FileSystemLoader):
    def list_templates(self) -> list[str]:
        key = (tuple(self.searchpath), _own_folders_stamp(self.searchpath[0]) if self.searchpath else ())
        if key not in _listings:
            _listings[key] = [name for name in super().list_templates()
                              if not any(part.startswith(".") for part in name.split("/"))]
        return list(_listings[key])


def list_theme_files(dirs: list[str]) -> list[str]:
    """The theme's files, listed now (and kept for the processes forked from this one)."""
    return _ListedOnce(dirs).list_templates()


def cache_theme_environments(theme, template_cache: str | None) -> None:
    bytecode = None
    if template_cache:
        os.makedirs(template_cache, exist_ok=True)
        bytecode = FileSystemBytecodeCache(template_cache)

    def cached(env):
        if type(env.loader) is FileSystemLoader:
            env.loader = _ListedOnce(env.loader.searchpath, env.loader.encoding, env.loader.followlinks)
        if bytecode is not None:
            env.bytecode_cache = bytecode
        return env

    wrap_theme_environments(theme, cached)
