"""Shared helpers: small source trees copied from tests/fixtures/valid and then broken on purpose;
the real course, built once per test run; the system tools some tests need.

`make test` (and so CI) sets TEACHFORWARD_NO_SKIPS=1: a missing tool then fails the test that
needs it, and any other skip fails too unless the test carries
`@pytest.mark.skip_allowed("why skipping is right here")`. `make test-fast` and a bare `pytest`
skip what they cannot run, and say why.
"""
from __future__ import annotations

import io
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VALID = REPO / "tests" / "fixtures" / "valid"
EPOCH = "1700000000"     # 2023-11-14 22:13:20 UTC: SOURCE_DATE_EPOCH of the real course's build
NO_SKIPS = os.environ.get("TEACHFORWARD_NO_SKIPS") == "1"


def require_tool(command: str, package: str) -> str:
    """The path of a system command a test needs. Missing: the test fails under `make test`
    (TEACHFORWARD_NO_SKIPS=1) and is skipped otherwise, with the Debian package to install."""
    path = shutil.which(command)
    if path is None:
        message = (f"{command} is missing: install the Debian package {package} "
                   "(`bash scripts/install-system-deps.sh` as root)")
        if NO_SKIPS:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def pytest_configure(config):
    config.addinivalue_line("markers", "skip_allowed(reason): this test may skip under make test, and why")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail") \
            and item.get_closest_marker("skip_allowed") is None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"skipped under TEACHFORWARD_NO_SKIPS=1 without a skip_allowed marker: {reason}")
    return report


class Tree:
    """A copy of the valid fixture course that a test may change."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return copy_valid_course(tmp_path / "course")


def copy_valid_course(root: Path) -> Tree:
    shutil.copytree(VALID, root, ignore=shutil.ignore_patterns("build", "site"))
    # The fixture's mkdocs.yml points at the theme relative to tests/fixtures/valid.
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (root / "mkdocs.yml").write_text(text.replace("../../../scripts/teachforward/site/theme", str(theme)), encoding="utf-8")
    # Interface strings grow with the generator: use the real English ones.
    shutil.copyfile(REPO / "docs" / "en" / "strings.yaml", root / "docs" / "en" / "strings.yaml")
    return Tree(root)


def copy_of_the_course(target: Path) -> Path:
    """The real course's sources in a folder of their own (so a build never touches the repository)."""
    target.mkdir(parents=True)
    for name in ("workshops", "docs", "slides_src", "fonts"):
        if name != "fonts" or (REPO / name).is_dir():     # fonts/: the PDFs' fonts, when the project has them
            shutil.copytree(REPO / name, target / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (target / "mkdocs.yml").write_text(config.replace("custom_dir: scripts/teachforward/site/theme",
                                                      f"custom_dir: {theme}"), encoding="utf-8")
    return target


@dataclass(frozen=True)
class RealCourse:
    root: Path        # a copy of the real course's sources; tests read it and never change it
    site: Path        # its built site (decks, sites, offline packs)
    log: str          # what the build printed
    seconds: float
    epoch: str        # the SOURCE_DATE_EPOCH it was built with


@pytest.fixture(scope="session")
def real_course(tmp_path_factory) -> RealCourse:
    """The real course, built once per test run by `teachforward build` (in this process, with
    forked workers). A test that must change the sources or the site works on its own copy."""
    from teachforward.build import build

    root = copy_of_the_course(tmp_path_factory.mktemp("real") / "course")
    log = io.StringIO()
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or EPOCH
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    started = time.monotonic()
    try:
        status = build(root, root / "site", jobs=2, out_stream=log)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    seconds = time.monotonic() - started
    assert status == 0, f"the real course did not build:\n{log.getvalue()}"
    return RealCourse(root, root / "site", log.getvalue(), seconds, epoch)
