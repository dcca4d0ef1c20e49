"""A quick fingerprint of everything a build reads, so that a rebuild with nothing changed can
stop before loading anything: file names, sizes and modification times (as make does), the
versions of the libraries, and the build's options."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

INPUTS = ("workshops", "docs", "slides_src", "mkdocs.yml")      # under the repository; and PACKAGE, this code
# The libraries whose versions the output depends on (one list: the stamp, the sites' and the
# decks' fingerprints): every dependency in pyproject.toml (tests/test_pipeline.py checks), and
# the Markdown grammar MkDocs renders with, which comes with mkdocs-material.
LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "jinja2", "pyyaml", "python-pptx", "fonttools",
             "lxml", "pillow", "pydantic", "babel", "markdown-it-py", "mdit-py-plugins", "polib",
             "markdown", "pymdown-extensions", "weasyprint", "pikepdf", "watchdog")
PACKAGE = Path(__file__).parent


def source_stamp(root: Path, options: dict, marks: dict[str, tuple[int, int]] | None = None) -> str:
    """`marks`: input_marks(root), when the caller keeps them up to date already (serve)."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(library_versions(LIBRARIES).encode())
    marks = input_marks(root) if marks is None else marks
    digest.update("".join(f"{path}\0{size}\0{mtime}\n" for path, (size, mtime) in sorted(marks.items())).encode())
    return digest.hexdigest()


def input_marks(root: Path) -> dict[str, tuple[int, int]]:
    """The size and time of every file a build reads (input_paths), by path."""
    marks: dict[str, tuple[int, int]] = {}
    for top in input_paths(root):
        add_marks(str(top), marks)
    return marks


def add_marks(top: str, marks: dict[str, tuple[int, int]]) -> None:
    """Add the marks of the file `top`, or of every file under the folder `top`, to `marks`."""
    try:
        info = os.stat(top)
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        marks[top] = (info.st_size, info.st_mtime_ns)
        return
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    add_marks(entry.path, marks)
            elif entry.is_file():
                info = entry.stat()
                marks[entry.path] = (info.st_size, info.st_mtime_ns)
        except OSError:       # removed while being listed
            continue


def input_paths(root: Path) -> list[Path]:
    """Every file and folder a build reads (the one list: serve watches the same)."""
    return [root / name for name in INPUTS] + [PACKAGE]


def library_versions(names: Iterable[str]) -> str:
    """One "name=version" line per installed library ("none" when it is not installed). Read
    once per process: the libraries the process runs are the ones it imported, even if others
    are installed while it lives (serve)."""
    return _library_versions(tuple(names))


@functools.cache
def _library_versions(names: tuple[str, ...]) -> str:
    lines = []
    for name in names:
        try:
            lines.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name}=none")
    return "\n".join(lines) + "\n"
