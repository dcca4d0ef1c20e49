"""Builds are reproducible, and nothing is ever lost.

- Two clean builds of the same sources give byte-identical site/ trees (pages, sitemaps,
  search indexes, offline packs, decks and PDFs), whatever the folder they are built in, the
  process's hash seed and the fonts the host has, when SOURCE_DATE_EPOCH is set (the Makefile
  sets it from the last commit; MkDocs takes the sitemaps' dates from it).
- A build that is interrupted (Ctrl-C, or killed outright) leaves the previous site as it
  was, and the next build recovers from a swap that was cut short.
- No command overwrites or deletes a source file.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from helpers import start_build
from teachforward.cli import main


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sources_digest(root: Path) -> dict[str, str]:
    """Every file of a repository copy except what builds write (build/, site/)."""
    return {k: v for k, v in tree_digest(root).items() if not k.startswith(("build/", "site/", ".site-"))}


def sitemap_dates(site: Path) -> set[str]:
    """The dates MkDocs wrote: each page's <lastmod> (there are none without a site_url) and the
    time stamp in the header of sitemap.xml.gz."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    with gzip.open(site / "sitemap.xml.gz") as handle:
        assert handle.read().decode("utf-8") == sitemap
    stamp = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) | {time.strftime("%Y-%m-%d", time.gmtime(stamp))}


# --- reproducible ----------------------------------------------------------------------------

def project_files(folder: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    return {name: digest for name, digest in tree_digest(folder).items() if name.endswith(suffixes)}


@pytest.mark.slow
def test_two_clean_builds_of_the_real_course_are_identical(real_course, second_build):
    """The session's build (in the test process, forked workers, its own hash seed, the host's
    fonts) against `second_build` (tests/conftest.py): another copy in another folder, another
    process with another hash seed, and a fontconfig that sees no font. Slide pictures and PDFs
    are drawn with fonts/ only, so no byte may depend on the fonts a machine has installed."""
    status, output = second_build.result()
    root = second_build.root
    assert status == 0, output
    assert "Material for MkDocs" not in output and "NO_MKDOCS_2_WARNING" not in output, output
    first, second = tree_digest(real_course.site), tree_digest(root / "site")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == [], f"these files differ between two builds (the second without host fonts): {different[:20]}"
    # The slide pictures, drawn with and without the host's fonts, before they go into the decks.
    pictures = {"host": project_files(real_course.root / "build" / "decks", (".pptx", ".png")),
                "none": project_files(root / "build" / "decks", (".pptx", ".png"))}
    assert any(name.endswith(".png") for name in pictures["host"]), "the course has drawings"
    assert len([name for name in pictures["host"] if name.endswith(".pptx")]) >= 6
    assert pictures["host"] == pictures["none"]
    # What makes it so: every date comes from SOURCE_DATE_EPOCH, not from the clock.
    day = time.strftime("%Y-%m-%d", time.gmtime(int(real_course.epoch)))
    assert sitemap_dates(real_course.site / "en") == {day}
    assert (real_course.site / "en" / "search" / "search_index.json").is_file()
    assert list(real_course.site.glob("*/downloads/*.pptx")), "the decks are part of the comparison"
    assert list(real_course.site.glob("*/downloads/*.pdf")), "the PDFs are part of the comparison"


# --- nothing lost ------------------------------------------------------------------------------

def previous_site(root: Path) -> dict[str, str]:
    site = root / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>the previous site</title>\n", encoding="utf-8")
    (site / "en" / "index.html").write_text("previous English home page\n", encoding="utf-8")
    return tree_digest(site)


def wait_until_building(root: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the build has passed the check and is writing decks, pages or its new site."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any((root / "build" / name).is_dir() for name in ("site-new", "decks", "en")) or process.poll() is not None:
            return
        time.sleep(0.02)
    raise AssertionError("the build never started writing")


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_an_interrupted_build_leaves_the_previous_site(tree, how):
    for _ in range(3):            # a fast machine may finish the build before the signal lands
        if (tree.root / "site").exists():
            shutil.rmtree(tree.root / "site")
        before_site = previous_site(tree.root)
        before_sources = sources_digest(tree.root)
        shutil.rmtree(tree.root / "build", ignore_errors=True)    # left by the previous attempt
        process = start_build(tree.root)
        wait_until_building(tree.root, process)
        time.sleep(0.2)
        if process.poll() is not None:
            continue
        os.killpg(process.pid, how)      # the whole process group, as Ctrl-C in a terminal does
        output = process.communicate(timeout=120)[0]
        if process.returncode != 0 or "Built " not in output:
            break
    assert process.returncode != 0, output
    assert tree_digest(tree.root / "site") == before_site
    assert sources_digest(tree.root) == before_sources
    if how == signal.SIGINT:
        assert "previous site was left as it was" in output
        assert "Traceback" not in output, output
    # ...and the next build works, and replaces the site.
    again = start_build(tree.root, "--no-decks")
    assert again.wait(timeout=300) == 0, again.stdout.read()
    assert "previous English home page" not in (tree.root / "site" / "en" / "index.html").read_text(encoding="utf-8")


def test_a_swap_cut_short_is_put_back(tree, capsys):
    """Killed between moving the old site aside and moving the new one in: the next run restores it."""
    before = previous_site(tree.root)
    os.replace(tree.root / "site", tree.root / ".site-old-424242")
    tree.replace("workshops/en/01-basics/workshop.yaml", "duration: 90", "duration: ninety")   # this build fails
    assert main(["--root", str(tree.root), "build"]) == 1
    assert tree_digest(tree.root / "site") == before
    assert not list(tree.root.glob(".site-old-*"))


@pytest.mark.slow
def test_no_command_changes_a_source_file(tree, capsys):
    previous_site(tree.root)
    before = sources_digest(tree.root)
    for command, status in ((["check"], 0), (["build", "--jobs", "1"], 0), (["decks"], 0), (["i18n", "status"], 0),
                            (["build", "--out", "docs"], 1), (["build", "--out", "workshops/en"], 1)):
        assert main(["--root", str(tree.root), *command]) == status, command
        assert sources_digest(tree.root) == before, command
    assert (tree.root / "site" / "en" / "workshops").is_dir()        # the real build did replace site/
