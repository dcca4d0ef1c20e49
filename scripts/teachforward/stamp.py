"""A quick fingerprint of everything a build reads, so that a rebuild with nothing changed can
stop before loading anything: file names, sizes and modification times (as make does), the
versions of the libraries, and the build's options."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

INPUTS = ("workshops", "docs", "slides_src", "mkdocs.yml")      # under the repository; and PACKAGE, this code
# The libraries whose versions the output depends on (one list: the stamp, the sites' and the
# decks' fingerprints): every dependency in pyproject.toml (tests/test_pipeline.py checks), and
# the Markdown grammar MkDocs renders with, which comes with mkdocs-material.
LIBRARIES = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "jinja2", "pyyaml", "python-pptx", "fonttools",
             "lxml", "pillow", "pydantic", "babel", "markdown-it-py", "mdit-py-plugins", "polib",
             "markdown", "pymdown-extensions", "weasyprint", "pikepdf")
PACKAGE = Path(__file__).parent


def source_stamp(root: Path, options: dict) -> str:
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(library_versions(LIBRARIES).encode())
    for top in input_paths(root):
        for path in _files(top):
            try:
                info = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def input_paths(root: Path) -> list[Path]:
    """Every file and folder a build reads (the one list: serve watches the same)."""
    return [root / name for name in INPUTS] + [PACKAGE]


def library_versions(names: Iterable[str]) -> str:
    """One "name=version" line per installed library ("none" when it is not installed)."""
    lines = []
    for name in names:
        try:
            lines.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name}=none")
    return "\n".join(lines) + "\n"


def _files(top: Path) -> list[Path]:
    if top.is_file():
        return [top]
    found = []
    for folder, folders, files in os.walk(top):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        found += [Path(folder, name) for name in sorted(files)]
    return found
