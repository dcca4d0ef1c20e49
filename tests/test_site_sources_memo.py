"""A language's sources written again after an edit with a SourcesMemo (serve keeps one per
language): the pages of the workshops that did not change are not made again, the files that
hold the wanted bytes are neither read nor written, and the result is byte for byte what a
write without a memo (a one-shot build) gives."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import copy_of_the_course
from teachforward.artifacts import Download
from teachforward.content.loader import load_course
from teachforward.content.prose import ParseMemo
from teachforward.site import sources
from teachforward.site.sources import SourcesMemo, write_language_sources


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def add_sentence(path: Path) -> None:
    """One sentence more in the first paragraph under a ## heading."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("## "))
    body = next(i for i in range(start + 1, len(lines)) if lines[i].strip().endswith("."))
    lines[body] += " A sentence added by the memo test."
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    return copy_of_the_course(tmp_path_factory.mktemp("memo") / "course")


def without_config(digests: dict[str, str]) -> dict[str, str]:
    """mkdocs.yml names the folder it is written in."""
    return {path: value for path, value in digests.items() if path != "mkdocs.yml"}


class Writes:
    """Counts the files write_language_sources hands to fsutil.write_changed (each of them read back)."""

    def __init__(self, monkeypatch):
        self.paths: list[Path] = []
        real = sources.write_changed

        def counting(path, data):
            self.paths.append(path)
            return real(path, data)

        monkeypatch.setattr(sources, "write_changed", counting)


def write(course, code: str, folder: Path, memo=None, downloads=None, deck_files=None):
    language = course.language(code)
    return write_language_sources(course, language, folder, folder / "site", downloads or {}, deck_files or {},
                                  memo=memo)


@pytest.mark.parametrize("code", ["en", "fr"])
def test_an_edit_makes_again_only_its_workshop_and_gives_what_a_write_without_memo_gives(
        course_root, tmp_path, monkeypatch, code):
    root = tmp_path / "course"
    shutil.copytree(course_root, root)
    parsed, memo = ParseMemo(), SourcesMemo()
    course, _ = load_course(root, parsed)
    kept_dir = tmp_path / "kept"
    write(course, code, kept_dir, memo)
    workshops = len(course.language(code).workshops)
    assert workshops > 2
    before = tree_digest(kept_dir)

    edited = sorted((root / "workshops" / "en").glob("*/notes.md"))[1]
    add_sentence(edited)
    course, _ = load_course(root, parsed)
    writes = Writes(monkeypatch)
    digests, config = write(course, code, kept_dir, memo)
    assert memo.reused_workshops == workshops - 1      # only the edited workshop's pages were made again
    changed = {path for path, value in tree_digest(kept_dir).items() if before.get(path) != value}
    assert changed and all(edited.parent.name in path or "translation-status" in path for path in changed), changed
    # Only the files whose bytes changed were compared with the disk (read) and written.
    assert {p.relative_to(kept_dir).as_posix() for p in writes.paths} == changed
    assert memo.trusted_files == len(digests) - len(changed)

    fresh_course, _ = load_course(root)
    fresh_dir = tmp_path / "fresh"
    fresh_digests, fresh_config = write(fresh_course, code, fresh_dir)
    assert without_config(digests) == without_config(fresh_digests) and config["nav"] == fresh_config["nav"]
    assert tree_digest(kept_dir / "docs") == tree_digest(fresh_dir / "docs")


def test_a_file_changed_or_removed_behind_the_memo_is_written_again(course_root, tmp_path):
    course, _ = load_course(course_root)
    memo, folder = SourcesMemo(), tmp_path / "kept"
    expected, _ = write(course, "en", folder, memo)
    wanted = tree_digest(folder)
    folder_name = course.source.workshops[2].folder
    notes = folder / "docs" / "workshops" / folder_name / "notes.md"
    same_size = b"x" * notes.stat().st_size
    with open(notes, "r+b") as handle:           # in place: the inode stays, the time moves
        handle.write(same_size)
    os.utime(notes, ns=(notes.stat().st_atime_ns, notes.stat().st_mtime_ns + 1_000_000))
    (folder / "docs" / "workshops" / course.source.workshops[3].folder / "guide.md").unlink()
    (folder / "mkdocs.yml").write_text("site_name: changed\n", encoding="utf-8")
    (folder / "docs" / "workshops" / "gone" / "deeper").mkdir(parents=True)     # no longer produced: removed
    (folder / "docs" / "workshops" / "gone" / "deeper" / "page.md").write_text("old", encoding="utf-8")
    (folder / "docs" / "stray.md").write_text("old", encoding="utf-8")
    digests, _ = write(course, "en", folder, memo)
    assert digests == expected
    assert tree_digest(folder) == wanted


def test_a_workshop_whose_deck_changed_is_made_again_and_the_new_deck_copied(course_root, tmp_path, monkeypatch):
    course, _ = load_course(course_root)
    memo, folder = SourcesMemo(), tmp_path / "kept"
    workshop = course.source.workshops[1].folder
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(b"first deck")
    write(course, "en", folder, memo)

    def offered(size: int) -> tuple[dict, dict]:
        download = Download(workshop, "en", "en", "deck.pptx", 12, size)
        return {workshop: download}, {"en/deck.pptx": deck}

    downloads, files = offered(10)
    _, config = write(course, "en", folder, memo, downloads, files)
    assert memo.reused_workshops == len(course.source.workshops) - 1
    assert yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8")) == config     # the menu now has the downloads
    deck.write_bytes(b"second deck, longer")
    downloads, files = offered(19)
    digests, _ = write(course, "en", folder, memo, downloads, files)
    assert memo.reused_workshops == len(course.source.workshops) - 1
    assert (folder / "docs" / "downloads" / "deck.pptx").read_bytes() == b"second deck, longer"
    fresh = tmp_path / "fresh"
    fresh_digests, _ = write(course, "en", fresh, None, downloads, files)
    assert without_config(digests) == without_config(fresh_digests)
    assert tree_digest(folder / "docs") == tree_digest(fresh / "docs")
    # The copied deck is trusted while it keeps its size, time and inode: not read again.
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    write(course, "en", folder, memo, downloads, files)
    assert deck not in read and memo.trusted_files == len(digests)
