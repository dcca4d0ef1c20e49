"""Serve's loads keep each workshop whose sources did not change (content/load_memo.py): after
any edit, the course and the problems are those a fresh load gives, and only the workshops the
edit concerns were read again."""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from teachforward.content.loader import load_course
from teachforward.content.validate import validate
from teachforward.pipeline import Kept
from teachforward.problems import FindingsMemo, Problems

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synthetic_course  # noqa: E402

ONE = "01-fundamentals-1"
TWO = "02-data-lifecycle-2"
THREE = "03-data-rights-3"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return synthetic_course.make_course(tmp_path_factory.mktemp("made") / "course", workshops=3, languages=2)


def age(root: Path) -> None:
    """Every file an hour old: a file written just now is not kept (load_memo.RACY_NS)."""
    old = time.time() - 3600
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), (old, old), follow_symlinks=False)


@pytest.fixture
def root(made, tmp_path) -> Path:
    copy = tmp_path / "course"
    shutil.copytree(made, copy)
    age(copy)
    return copy


class Session:
    """Loads and checks as serve does, each compared with a fresh load and check of the same files."""

    def __init__(self, root: Path):
        self.root, self.kept = root, Kept()

    def load(self):
        course, problems = load_course(self.root, self.kept.parsed, self.kept.loaded)
        fresh, fresh_problems = load_course(self.root)
        assert course == fresh
        assert problems.items == fresh_problems.items
        return course, problems

    def check(self, course) -> list:
        memo = FindingsMemo(self.kept.findings, self.kept.loaded.name)
        checked = Problems(course.root)
        validate(course, checked, memo)
        # What a worker sends back (pipeline._check) keeps, in this process, all the check used.
        kept = FindingsMemo.updated(self.kept.findings, memo.delta())
        assert memo.used.items() <= kept.items()
        self.kept.findings, self.ran = kept, memo.ran
        fresh = Problems(course.root)
        validate(load_course(self.root)[0], fresh)
        assert checked.items == fresh.items
        return checked.items


def workshops(course) -> dict:
    return {(lang.code, w.folder): w for lang in course.languages for w in lang.workshops}


def pages(root: Path) -> int:
    return len(list((root / "docs").rglob("*.md")))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_of_a_translation_reloads_that_workshop_only(root):
    session = Session(root)
    before, _ = session.load()
    again, _ = session.load()
    assert all(w is workshops(before)[key] for key, w in workshops(again).items())
    assert (session.kept.loaded.last_reused, session.kept.loaded.last_loaded) == (6 + pages(root), 0)
    edit(root / "workshops" / "fr" / TWO / "notes.md", "\n## ", "\nUne phrase de plus.\n\n## ")
    after, _ = session.load()
    reloaded = [key for key, w in workshops(after).items() if w is not workshops(before)[key]]
    assert reloaded == [("fr", TWO)]
    assert "Une phrase de plus." in workshops(after)[("fr", TWO)].notes.intro + "".join(
        s.body for s in workshops(after)[("fr", TWO)].notes.sections)
    # Only the edited file was parsed again; the rest of the workshop came from the ParseMemo.
    assert session.kept.parsed.last_parsed == 1


def test_an_edit_of_the_english_remakes_its_translations(root):
    session = Session(root)
    before, _ = session.load()
    session.load()
    edit(root / "workshops" / "en" / ONE / "guide.md", "\n## ", "\nOne more sentence.\n\n## ")
    after, _ = session.load()
    reloaded = sorted(key for key, w in workshops(after).items() if w is not workshops(before)[key])
    assert reloaded == [("en", ONE), ("fr", ONE)]


def test_errors_are_reported_as_a_fresh_load_reports_them_in_kept_and_edited_workshops(root):
    session = Session(root)
    (root / "workshops" / "en" / THREE / "notes.txt").write_text("stray\n", encoding="utf-8")
    edit(root / "workshops" / "fr" / THREE / "workshop.yaml", "duration:", "durations:")
    age(root)
    _, problems = session.load()
    assert any("notes.txt" in p.message for p in problems.items)
    session.load()          # kept: the problems come back from the memo, in their places
    assert session.kept.loaded.last_reused == 6 + pages(root)
    edit(root / "workshops" / "en" / ONE / "workshop.yaml", "title:", "titel:")
    course, problems = session.load()
    messages = [p.path for p in problems.errors]
    assert f"workshops/en/{ONE}/workshop.yaml" in messages and f"workshops/en/{THREE}/notes.txt" in messages
    assert (session.kept.loaded.last_reused, session.kept.loaded.last_loaded) == (4 + pages(root), 1)   # fr 01: no English now
    edit(root / "workshops" / "en" / ONE / "workshop.yaml", "titel:", "title:")
    session.load()


def test_a_picture_in_another_workshop_is_looked_up_again(root):
    """A picture's file is outside the folders a workshop's signature covers: resolved again."""
    session = Session(root)
    picture = next((root / "workshops" / "en" / TWO / "images").iterdir())
    edit(root / "workshops" / "en" / ONE / "notes.md", "\n## ",
         f"\n![A drawing of the other workshop](../{TWO}/images/{picture.name})\n\n## ")
    age(root)
    before, _ = session.load()
    assert [p for p in session.check(before) if p.severity == "error"] == []
    picture.rename(picture.with_name("elsewhere.svg"))    # workshop two's notes now miss it too
    after, problems = session.load()
    assert workshops(after)[("en", ONE)] is not workshops(before)[("en", ONE)]
    assert workshops(after)[("en", THREE)] is workshops(before)[("en", THREE)]
    found = session.check(after)
    assert any(f"workshops/en/{ONE}/notes.md" == p.path and "not found" in p.message for p in found)


def test_a_file_written_just_now_is_loaded_again_the_next_time(root):
    session = Session(root)
    session.load()
    (root / "workshops" / "en" / THREE / "notes.md").touch()
    session.load()
    session.load()          # still within RACY_NS of the write: loaded again, not trusted
    assert session.kept.loaded.last_loaded == 2          # the English workshop and its translation
    age(root)
    session.load()
    session.load()
    assert session.kept.loaded.last_loaded == 0


def test_the_check_with_kept_workshops_finds_what_a_fresh_check_finds(root):
    session = Session(root)
    course, _ = session.load()
    assert session.check(course) == []
    course, _ = session.load()
    session.check(course)
    edit(root / "workshops" / "fr" / TWO / "workshop.yaml", "duration: ", "duration: 1")
    edit(root / "workshops" / "en" / THREE / "notes.md", "\n## ", "\n[a link](../09-nowhere/notes.md)\n\n## ")
    course, _ = session.load()
    found = session.check(course)
    assert any(p.path == f"workshops/fr/{TWO}/workshop.yaml" for p in found)
    assert any(p.path == f"workshops/en/{THREE}/notes.md" and "does not exist" in p.message for p in found)


def test_an_edit_of_a_site_page_reloads_that_page_only(root):
    session = Session(root)
    before, _ = session.load()
    edited = root / "docs" / "fr" / "index.md"
    edit(edited, "\n", "\n\nUne phrase de plus.\n")
    after, _ = session.load()
    changed = [(lang.code, page.path) for lang, old in zip(after.languages, before.languages, strict=True)
               for page, was in zip(lang.pages, old.pages, strict=True) if page is not was]
    assert changed == [("fr", "index.md")]
    assert all(w is workshops(before)[key] for key, w in workshops(after).items())
    edited.unlink()          # the English page stands in for it, as in a fresh load
    after, _ = session.load()
    english = {page.path: page for page in before.language("en").pages}
    assert {page.path: page for page in after.language("fr").pages}["index.md"] is english["index.md"]


def fresh_checks(root: Path) -> int:
    """How many checks a check with an empty memo runs."""
    memo = FindingsMemo()
    course, _ = load_course(root)
    validate(course, Problems(course.root), memo)
    return memo.ran


def test_the_check_runs_again_only_what_an_edit_concerns(root):
    session = Session(root)
    session.check(session.load()[0])
    session.check(session.load()[0])
    assert session.ran == 0          # nothing changed: every finding kept
    edit(root / "workshops" / "en" / THREE / "guide.md", "\n## ", "\nOne more sentence.\n\n## ")
    session.check(session.load()[0])
    assert 0 < session.ran < fresh_checks(root) / 4


def test_a_link_is_checked_again_when_the_workshop_it_points_into_changes(root):
    session = Session(root)
    edit(root / "workshops" / "en" / ONE / "notes.md", "\n## ",
         f"\nSee [the data's path](../{TWO}/notes.md#following-the-data).\n\n## ")
    age(root)
    before, _ = session.load()
    assert not [p for p in session.check(before) if p.path.startswith(f"workshops/en/{ONE}/")]
    edit(root / "workshops" / "en" / TWO / "notes.md", "{#following-the-data}", "{#following-data}")
    course, _ = session.load()
    assert workshops(course)[("en", ONE)] is workshops(before)[("en", ONE)]     # unchanged, its links not
    found = session.check(course)
    assert [p.message for p in found if p.path == f"workshops/en/{ONE}/notes.md" and "following-the-data" in p.message]


def test_a_key_term_changed_in_one_workshop_is_checked_in_every_other(root):
    session = Session(root)
    before = session.check(session.load()[0])
    edit(root / "workshops" / "fr" / TWO / "workshop.yaml", 'term: "Cycle de vie des données"', 'term: "Parcours"')
    after = session.check(session.load()[0])       # as a fresh check finds
    assert [p for p in after if p not in before and p.path != f"workshops/fr/{TWO}/workshop.yaml"]


def test_a_picture_edited_in_place_is_checked_again(root):
    session = Session(root)
    session.check(session.load()[0])
    picture = next((root / "workshops" / "en" / ONE / "images").iterdir())
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
    age(root)               # its time says nothing now: its size and ctime still do
    course, _ = session.load()
    found = session.check(course)
    assert [p for p in found if p.path == f"workshops/en/{ONE}/images/{picture.name}"]


def test_the_findings_memo_keeps_inner_results_with_outer_ones_and_forgets_old_ones_now_and_then():
    def never() -> int:
        raise AssertionError("computed again")

    first = FindingsMemo()
    assert first.remember(("outer", "a"), lambda: first.remember(("inner", "x"), lambda: 1) + 1) == 2
    kept = FindingsMemo.updated({}, first.delta())
    second = FindingsMemo(kept)
    assert second.remember(("outer", "a"), never) == 2 and second.ran == 0
    assert len(second.used) == 2          # the inner result is kept with the outer one
    grown = kept | {f"old {i}": (i, ()) for i in range(3000)}     # as after many edits
    third = FindingsMemo(grown)
    third.remember(("outer", "a"), never)
    assert third.remember(("inner", "x"), never) == 1
    forgotten = FindingsMemo.updated(grown, third.delta())
    assert set(forgotten) - set(third.used) == {"how many were used when the rest was last forgotten"}
    assert FindingsMemo.updated(forgotten, FindingsMemo(forgotten).delta()) == forgotten     # small: all kept


def listed(monkeypatch) -> list[str]:
    """The workshop folders each load lists (load_memo.folder_signature), in order."""
    from teachforward.content import load_memo
    calls: list[str] = []
    real = load_memo.folder_signature

    def counting(folder, real_path):
        calls.append(f"{folder.parent.name}/{folder.name}")
        return real(folder, real_path)
    monkeypatch.setattr(load_memo, "folder_signature", counting)
    return calls


def test_told_what_changed_a_load_lists_only_the_folders_it_concerns(root, monkeypatch):
    """Serve's watch says what changed (LoadMemo.saw): the other workshop folders are not listed
    again, and the course is still what a fresh load gives."""
    session = Session(root)
    session.kept.loaded.saw([])
    before, _ = session.load()
    calls = listed(monkeypatch)
    notes = root / "workshops" / "fr" / TWO / "notes.md"
    edit(notes, "\n## ", "\nUne phrase de plus.\n\n## ")
    session.kept.loaded.saw([str(notes)])
    after, _ = session.load()
    assert calls == ["fr/" + TWO], "the load listed more than the edited folder"
    assert [key for key, w in workshops(after).items() if w is not workshops(before)[key]] == [("fr", TWO)]
    # What a build that did not load (nothing to build, a refusal) was told is kept for the next load.
    calls.clear()
    edit(notes, "Une phrase de plus.", "Une autre phrase.")
    session.kept.loaded.saw([str(notes)])
    session.kept.loaded.saw([])
    again, _ = session.load()
    assert calls == ["fr/" + TWO] and "Une autre phrase." in workshops(again)[("fr", TWO)].notes.intro


def test_told_that_a_folder_above_changed_every_workshop_under_it_is_listed(root, monkeypatch):
    session = Session(root)
    session.kept.loaded.saw([])
    session.load()
    calls = listed(monkeypatch)
    session.kept.loaded.saw([str(root / "workshops" / "fr")])
    course = load_course(root, session.kept.parsed, session.kept.loaded)[0]
    assert sorted(call for call in calls if call.startswith("fr/")) == ["fr/" + ONE, "fr/" + TWO, "fr/" + THREE]
    assert not [call for call in calls if call.startswith("en/")]
    assert course == load_course(root)[0]


def test_a_workshop_holding_a_link_is_listed_even_when_told_nothing_changed_there(root, monkeypatch):
    """A link's target may change where the watch of the workshop's folder does not look."""
    materials = root / "workshops" / "fr" / TWO / "materials"
    linked = sorted(materials.glob("*.md"))[0]
    elsewhere = root / "shared-material.md"
    shutil.move(linked, elsewhere)
    linked.symlink_to(os.path.relpath(elsewhere, linked.parent))
    age(root)
    session = Session(root)
    session.kept.loaded.saw([])
    before, _ = session.load()
    calls = listed(monkeypatch)
    edit(elsewhere, "\n", "\nUne ligne de plus.\n")
    session.kept.loaded.saw([str(elsewhere)])
    after, _ = session.load()
    assert calls[:1] == ["fr/" + TWO]
    assert workshops(after)[("fr", TWO)] is not workshops(before)[("fr", TWO)]
