"""watching.py: serve learns from the system which sources changed, and keeps their marks (the
stamp's sizes and times) as a full read of the files would give them."""
from __future__ import annotations

import os

import pytest

from teachforward.stamp import input_marks
from teachforward.watching import SourceEvents, SourceSnapshots

WAIT_S = 30.0      # for the system to report a write: generous, the machine may be busy


@pytest.fixture
def root(tmp_path):
    for path, text in {"workshops/en/01-basics/notes.md": "# Notes\n", "docs/en/index.md": "# Home\n",
                       "mkdocs.yml": "site_name: x\n", "slides_src/theme.yaml": "a: 1\n"}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def settle(watch: SourceEvents) -> set[str]:
    """What the watch saw, once the system has told it (and a little after, for the rest)."""
    assert watch.wait(WAIT_S), "no change was reported"
    return watch.take()


def test_events_report_each_kind_of_change_and_keep_the_marks_a_full_read_gives(root):
    watch = SourceEvents(root)
    try:
        assert watch.marks == input_marks(root)
        notes = root / "workshops" / "en" / "01-basics" / "notes.md"

        notes.write_text("# Notes\n\nA new sentence.\n", encoding="utf-8")
        assert str(notes) in settle(watch)
        assert watch.marks == input_marks(root) and not watch.pending()

        # An editor's save: a new file written beside it and renamed over it.
        temporary = notes.with_name(".notes.md.swp")
        temporary.write_text("# Notes\n\nSaved the editor's way.\n", encoding="utf-8")
        os.replace(temporary, notes)
        added = root / "docs" / "en" / "glossary.md"
        added.write_text("# Glossary\n", encoding="utf-8")
        (root / "slides_src" / "theme.yaml").unlink()
        (root / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
        changed = settle(watch)
        while watch.wait(0.5):            # the rest of the events, if the system sent them in two goes
            changed |= watch.take()
        assert {str(notes), str(added), str(root / "slides_src" / "theme.yaml"), str(root / "mkdocs.yml")} <= changed
        assert watch.marks == input_marks(root)
        assert str(root / "slides_src" / "theme.yaml") not in watch.marks

        # Reading the sources (as every build does) and Python's caches are not changes.
        notes.read_text(encoding="utf-8")
        cache = root / "workshops" / "__pycache__"
        cache.mkdir()
        (cache / "x.pyc").write_bytes(b"\0")
        assert not watch.wait(1.0), f"reported: {watch.take()}"
    finally:
        watch.close()


def test_snapshots_tell_a_change_the_moment_it_is_made(root):
    watch = SourceSnapshots(root)
    assert str(root / "mkdocs.yml") in watch.take()        # the first take: every file is new
    assert watch.take() == set() and not watch.pending()
    notes = root / "workshops" / "en" / "01-basics" / "notes.md"
    notes.write_text("# Notes, longer\n", encoding="utf-8")
    assert watch.pending()
    assert watch.take() == {str(notes)}
    assert watch.marks == input_marks(root)
