"""Rebuilds do only what changed, and give exactly the site a build from scratch gives.

- Nothing changed: the build stops before loading anything and leaves site/ untouched.
- One English section changed: MkDocs renders again only the pages that show it (in English,
  and where translations are now outdated or fall back on English), decks only where they
  changed, and the site is byte for byte the one a clean build of the same sources makes
  (search indexes and offline packs included).
- A page added or a menu changed: that language is built in full, with the same guarantee.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import time
from pathlib import Path

import pytest

from helpers import REPO, copy_valid_course
from teachforward.build import build

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fixed_dates(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(text: str) -> dict:
    match = re.search(r"(\d+) pages \((\d+) rendered\)(?:, (\d+) decks \((\d+) written\))?", text)
    assert match, text
    pages, rendered, decks, written = (int(g) if g else None for g in match.groups())
    return {"pages": pages, "rendered": rendered, "decks": decks, "written": written}


def run_build(root: Path, capsys, jobs: int = 2, **options) -> str:
    assert build(root, root / "site", jobs=jobs, **options) == 0, capsys.readouterr().out
    return capsys.readouterr().out


def clean_build(tree, tmp_path: Path, capsys) -> dict[str, str]:
    """The same sources built from nothing, in another folder."""
    fresh = tmp_path / "fresh"
    shutil.copytree(tree.root, fresh, ignore=shutil.ignore_patterns("build", "site"))
    run_build(fresh, capsys)
    return digest(fresh / "site")


def test_nothing_changed_stops_early_and_leaves_the_site_alone(tree, capsys):
    run_build(tree.root, capsys)
    before = {p: p.stat().st_mtime_ns for p in (tree.root / "site").rglob("*")}
    output = run_build(tree.root, capsys)
    assert "Nothing changed since the last build" in output
    assert {p: p.stat().st_mtime_ns for p in (tree.root / "site").rglob("*")} == before


def test_warnings_are_repeated_when_nothing_changed(tree, capsys):
    first = run_build(tree.root, capsys)
    warnings = [line for line in first.splitlines() if ": warning: " in line]
    assert warnings, "the fixture's French interface strings are incomplete: a warning is expected"
    again = run_build(tree.root, capsys)
    assert "Nothing changed" in again
    assert [line for line in again.splitlines() if ": warning: " in line] == warnings


def test_one_section_edited_renders_only_what_shows_it(tree, tmp_path, capsys):
    first = summary(run_build(tree.root, capsys))
    assert first["rendered"] == first["pages"] and first["written"] == first["decks"]
    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    second = summary(run_build(tree.root, capsys))
    assert second["pages"] == first["pages"]
    assert 0 < second["rendered"] <= 4, second      # English notes; the French notes and status page
    assert second["written"] == 1, second           # the English deck; the French deck is its own
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)
    notes = (tree.root / "site" / "en" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert "seahorse" in notes and "zebrafish" not in notes
    index = (tree.root / "site" / "en" / "search" / "search_index.full.json").read_text(encoding="utf-8")
    assert "seahorse" in index and "zebrafish" not in index
    manifest = (tree.root / "site" / "en" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "seahorse" in manifest and "zebrafish" not in manifest     # the shards were cut again


def test_unchanged_language_is_not_built_again(tree, tmp_path, capsys):
    run_build(tree.root, capsys)
    english = {p: p.stat().st_mtime_ns for p in (tree.root / "build" / "en").rglob("*")}
    published = tree.root / "site" / "en" / "glossary.html"
    inode = published.stat().st_ino
    tree.write("docs/fr/index.md", tree.read("docs/fr/index.md") + "\nUne phrase de plus.\n")
    output = run_build(tree.root, capsys)
    assert summary(output)["rendered"] == 1, output
    assert {p: p.stat().st_mtime_ns for p in (tree.root / "build" / "en").rglob("*")} == english
    assert published.stat().st_ino == inode, "an unchanged language is linked from the previous site, not copied"
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)


def test_new_page_builds_that_language_in_full_and_the_same(tree, tmp_path, capsys):
    run_build(tree.root, capsys)
    exercise = tree.read("workshops/en/01-basics/exercises/01-rota.md")
    tree.write("workshops/en/01-basics/exercises/02-rota-again.md", exercise.replace("# ", "# Again: ", 1))
    output = run_build(tree.root, capsys)
    assert summary(output)["rendered"] > 4
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)


def test_interrupted_language_build_is_redone_in_full(tree, tmp_path, capsys):
    """A language whose last build did not finish has no record, so nothing is trusted."""
    run_build(tree.root, capsys)
    (tree.root / "build" / "en" / "state.json").unlink()
    (tree.root / "build" / "en" / "site" / "glossary.html").write_text("half-written", encoding="utf-8")
    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    run_build(tree.root, capsys)
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)


def test_deleted_site_is_built_again(tree, capsys):
    run_build(tree.root, capsys)
    shutil.rmtree(tree.root / "site")
    output = run_build(tree.root, capsys)
    assert "Nothing changed" not in output and (tree.root / "site" / "en" / "index.html").is_file()


def test_one_process_and_several_give_the_same_site(tree, tmp_path, capsys):
    run_build(tree.root, capsys, jobs=1)
    other = copy_valid_course(tmp_path / "other")
    run_build(other.root, capsys, jobs=3)
    assert digest(tree.root / "site") == digest(other.root / "site")


def test_one_process_sees_what_changed_between_its_builds(tree, tmp_path, capsys, monkeypatch):
    """As `serve` does where work is not forked (jobs=1): two builds in one process. What the
    second build depends on besides the sources (here the date the site is stamped with) is read
    again, so it is not taken for "unchanged", and the site is the one many processes make."""
    first = run_build(tree.root, capsys, jobs=1)
    assert summary(first)["rendered"] == summary(first)["pages"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")      # 2027-01-15
    second = run_build(tree.root, capsys, jobs=1)
    assert summary(second)["rendered"] == summary(second)["pages"], second
    sitemap = (tree.root / "site" / "en" / "sitemap.xml.gz").read_bytes()
    assert time.strftime("%Y-%m-%d", time.gmtime(int.from_bytes(sitemap[4:8], "little"))) == "2027-01-15"
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)


def test_one_process_sees_a_new_slide_design_between_its_builds(tree, tmp_path, capsys):
    """A course's own slides_src/ appears between two builds in one process (jobs=1, as `serve`
    may run): the decks follow the new design, byte for byte as a build from scratch by forked
    workers makes them. What the deck writer keeps between decks lives on the design it loaded."""
    run_build(tree.root, capsys, jobs=1)
    before = digest(tree.root / "site")
    design = tree.root / "slides_src"
    shutil.copytree(REPO / "slides_src", design)
    layouts = design / "layouts.yaml"
    text = layouts.read_text(encoding="utf-8")
    assert 'key_terms:       {layout: "Teach Forward: Text"' in text
    layouts.write_text(text.replace('key_terms:       {layout: "Teach Forward: Text"',
                                    'key_terms:       {layout: "Teach Forward: Bullets"'), encoding="utf-8")
    output = run_build(tree.root, capsys, jobs=1)
    assert summary(output)["written"] == summary(output)["decks"], output
    after = digest(tree.root / "site")
    changed = sorted(name for name in after if name.endswith(".pptx") and before.get(name) != after[name])
    assert changed and len(changed) == len([n for n in after if n.endswith(".pptx")]), changed
    assert after == clean_build(tree, tmp_path, capsys)


def test_one_process_splits_again_only_the_search_documents_of_the_pages_it_rendered(tree, tmp_path, capsys,
                                                                                       monkeypatch):
    """As serve's own process does (jobs=1): the second build takes each language's split search
    index kept in memory from the first (site/plugins/incremental/search_memo.py), splits no
    index from scratch, reads no whole index back, and the site is byte for byte a clean build's."""
    from teachforward.site import search_shards
    from teachforward.site.plugins.incremental import plugin
    run_build(tree.root, capsys, jobs=1)
    calls: list[str] = []
    tree.replace("workshops/en/01-basics/notes.md", "unique word zebrafish", "unique word seahorse")
    with monkeypatch.context() as spied:
        for owner, name in [(search_shards.ShardedIndex, "updated"), (plugin, "read_search_index")]:
            original = getattr(owner, name)
            spied.setattr(owner, name, lambda *args, original=original, name=name: calls.append(name) or original(*args))
        spied.setattr(search_shards.ShardedIndex, "build", classmethod(lambda *args, **kwargs: calls.append("build")))
        second = summary(run_build(tree.root, capsys, jobs=1))
    assert 0 < second["rendered"] <= 4, second
    assert calls == ["updated", "updated"], calls           # English, and French (its notes are now outdated)
    assert digest(tree.root / "site") == clean_build(tree, tmp_path, capsys)
    index = (tree.root / "site" / "en" / "search" / "search_index.full.json").read_text(encoding="utf-8")
    assert "seahorse" in index and "zebrafish" not in index
