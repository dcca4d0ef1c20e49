"""Builds are reproducible, and nothing is ever lost.

- Two clean builds of the same sources give byte-identical site/ trees (pages, sitemaps,
  search indexes, offline packs and decks), whatever the folder they are built in and the
  process's hash seed, when SOURCE_DATE_EPOCH is set (the Makefile sets it from the last
  commit; MkDocs takes the sitemaps' dates from it).
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
import sys
import time
from pathlib import Path

import pytest

from teachforward.cli import main
from conftest import REPO

EPOCH = "1700000000"     # 2023-11-14 22:13:20 UTC


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sources_digest(root: Path) -> dict[str, str]:
    """Every file of a repository copy except what builds write (build/, site/)."""
    return {k: v for k, v in tree_digest(root).items() if not k.startswith(("build/", "site/", ".site-"))}


def copy_of_the_course(target: Path) -> Path:
    """The real course's sources in a folder of their own (so a build never touches the repository)."""
    target.mkdir(parents=True)
    for name in ("workshops", "docs", "slides_src"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (target / "mkdocs.yml").write_text(config.replace("custom_dir: scripts/teachforward/site/theme",
                                                      f"custom_dir: {theme}"), encoding="utf-8")
    return target


def start_build(root: Path, *extra: str, seed: str = "0") -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("TEACHFORWARD_DEBUG", "CI", "GITHUB_ACTIONS")}
    env.update(SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=seed, NO_MKDOCS_2_WARNING="1")
    return subprocess.Popen([sys.executable, "-m", "teachforward", "--root", str(root), "build", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)


def sitemap_dates(site: Path) -> set[str]:
    """The dates MkDocs wrote: each page's <lastmod> (there are none without a site_url) and the
    time stamp in the header of sitemap.xml.gz."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    with gzip.open(site / "sitemap.xml.gz") as handle:
        assert handle.read().decode("utf-8") == sitemap
    stamp = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) | {time.strftime("%Y-%m-%d", time.gmtime(stamp))}


# --- reproducible ----------------------------------------------------------------------------

@pytest.mark.slow
def test_two_clean_builds_of_the_real_course_are_identical(tmp_path):
    roots = [copy_of_the_course(tmp_path / "first" / "course"), copy_of_the_course(tmp_path / "elsewhere" / "b")]
    extra: tuple[str, ...] = ()
    builds = [start_build(root, seed=seed) for root, seed in zip(roots, ("1", "2"))]
    outputs = [b.communicate(timeout=900)[0] for b in builds]
    if any(b.returncode for b in builds) and any("deck" in o.lower() for o in outputs):
        extra = ("--no-decks",)        # the decks are another helper's work in progress: judge the site alone
        builds = [start_build(root, *extra, seed=seed) for root, seed in zip(roots, ("1", "2"))]
        outputs = [b.communicate(timeout=900)[0] for b in builds]
    for build, output in zip(builds, outputs):
        assert build.returncode == 0, output
    first, second = (tree_digest(root / "site") for root in roots)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == [], f"these files differ between two builds: {different[:20]}"
    # What makes it so: every date comes from SOURCE_DATE_EPOCH, not from the clock.
    site = roots[0] / "site"
    assert sitemap_dates(site / "en") == {"2023-11-14"}
    assert (site / "en" / "search" / "search_index.json").is_file()
    if not extra:
        assert list(site.glob("*/downloads/*.pptx")), "the decks are part of the comparison"


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
    for attempt in range(3):            # a fast machine may finish the build before the signal lands
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
    for command in (["check"], ["build", "--jobs", "1"], ["decks"], ["i18n", "status"],
                    ["build", "--out", "docs"], ["build", "--out", "workshops/en"]):
        main(["--root", str(tree.root), *command])
        assert sources_digest(tree.root) == before, command
    assert (tree.root / "site" / "en" / "workshops").is_dir()        # the real build did replace site/
