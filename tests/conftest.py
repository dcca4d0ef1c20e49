"""Shared fixtures: a small source tree copied from tests/fixtures/valid (to break on purpose);
the real course, built once per test run, and its second build for test_reproducible.py, which
runs in the background from the moment the first is done. What tests import lives in
tests/helpers.py.

`make test` (and so CI) sets TEACHFORWARD_NO_SKIPS=1: a missing tool then fails the test that
needs it, and any other skip fails too unless the test carries
`@pytest.mark.skip_allowed("why skipping is right here")`. `make test-fast` and a bare `pytest`
skip what they cannot run, and say why.
"""
from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

import pytest

from helpers import EPOCH, NO_SKIPS, RealCourse, SecondBuild, Tree, copy_of_the_course, copy_valid_course, start_build


def pytest_configure(config):
    config.addinivalue_line("markers", "skip_allowed(reason): this test may skip under make test, and why")


_FIXTURES_WANTED: set[str] = set()


def pytest_collection_finish(session):
    _FIXTURES_WANTED.update(name for item in session.items for name in getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail") \
            and item.get_closest_marker("skip_allowed") is None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"skipped under TEACHFORWARD_NO_SKIPS=1 without a skip_allowed marker: {reason}")
    return report


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return copy_valid_course(tmp_path / "course")


@pytest.fixture(scope="session")
def real_course(request, tmp_path_factory) -> RealCourse:
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
    if "second_build" in _FIXTURES_WANTED:
        # Started now, in a process of its own, it overlaps the tests that wait on the browser
        # and on other programs (LibreOffice, pdftotext) instead of running alone at the end.
        request.getfixturevalue("second_build")
    return RealCourse(root, root / "site", log.getvalue(), seconds, epoch)


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> SecondBuild:
    """The real course built again, to compare with `real_course`: another copy in another
    folder, another process with another hash seed, and a fontconfig that sees no font (no
    ~/.fonts either), so that a byte depending on the host's fonts shows as a difference.
    Nothing waits for it until a test asks for its result."""
    folder = tmp_path_factory.mktemp("elsewhere")
    root = copy_of_the_course(folder / "b")
    no_fonts = folder / "no-fonts.conf"
    no_fonts.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    (folder / "home").mkdir()
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    log = folder / "build.log"
    with log.open("w", encoding="utf-8") as output:
        process = start_build(root, seed=seed, epoch=os.environ.get("SOURCE_DATE_EPOCH") or EPOCH, output=output,
                              FONTCONFIG_FILE=str(no_fonts), HOME=str(folder / "home"))
    yield SecondBuild(root, process, log)
    if process.poll() is None:           # the session stopped before a test asked for it
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
