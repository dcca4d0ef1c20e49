"""Reading source files as text, forgiving what is merely unusual (BOM, CRLF) and
reporting what cannot be read."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from teachforward.problems import Problems

# C0 control characters other than tab, newline and carriage return are invisible in an
# editor, and python-pptx refuses them: report them instead of publishing them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_BYTES = 2_000_000
MAX_LINE = 10_000          # characters; a longer line is a pasting accident, not a paragraph


def outside_root(path: Path, root: Path) -> bool:
    """True when `path`, once every link is followed, is not inside the repository `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


class RealPlaces:
    """Where paths under `root` really are (links followed), each folder looked up once: for one
    load of the course, while its files do not move."""

    def __init__(self, root: str):
        self.root = root
        self.folders = {root: str(Path(root).resolve())}

    def inside(self, path: str) -> bool:
        """not outside_root(Path(path), Path(self.root))."""
        try:
            return os.path.join(self._real(path), "").startswith(os.path.join(self.folders[self.root], ""))
        except (OSError, ValueError, RuntimeError):
            return False

    def folder(self, path: str) -> str:
        """str(Path(path).resolve()) of a folder, remembered."""
        known = self.folders.get(path)
        if known is None:
            known = self.folders[path] = self._real(path)
        return known

    def _real(self, path: str) -> str:
        # A path that is not a link is where its folder is, plus its name.
        parent, name = os.path.split(path)
        if name in ("", ".", "..") or not (parent == self.root or parent.startswith(os.path.join(self.root, ""))):
            return str(Path(path).resolve())
        try:
            link = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            link = True
        return str(Path(path).resolve()) if link else os.path.join(self.folder(parent), name)


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text with LF line endings, or None after reporting why it can't be used."""
    if outside_root(path, problems.root):
        problems.add(path, None, "this file is outside the repository (a link leads there), which is not allowed",
                     "copy the file into the repository instead of linking to it")
        return None
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_BYTES else b""   # a huge file is not read at all
    except OSError as error:
        problems.add(path, None, f"cannot read the file ({error.strerror or error})",
                     "check that the file exists and is readable")
        return None
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        problems.add(path, None, f"the file is {max(size, len(data)) // 1000} kB, more than the {MAX_BYTES // 1000} kB allowed",
                     "split the text into several sections or files")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(path, data[:error.start].count(b"\n") + 1, "the file is not UTF-8 text",
                     "save it again as UTF-8 (in most editors: File > Save with encoding > UTF-8)")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = False
    for number, line in enumerate(text.split("\n"), 1):
        match = _CONTROL.search(line)
        if match:
            problems.add(path, number, f"invisible control character U+{ord(match.group()):04X} in the text",
                         "delete it and retype the surrounding words")
            bad = True
        if len(line) > MAX_LINE:
            problems.add(path, number, f"this line is {len(line)} characters long, more than the {MAX_LINE} allowed",
                         "break it into paragraphs; if it was pasted by accident, delete it")
            bad = True
    return None if bad else text
