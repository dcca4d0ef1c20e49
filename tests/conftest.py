"""Shared fixtures: a small source tree copied from tests/fixtures/valid (to break on purpose);
the real course, built once per test run. What tests import lives in tests/helpers.py.

`make test` (and so CI) sets TEACHFORWARD_NO_SKIPS=1: a missing tool then fails the test that
needs it, and any other skip fails too unless the test carries
`@pytest.mark.skip_allowed("why skipping is right here")`. `make test-fast` and a bare `pytest`
skip what they cannot run, and say why.
"""
from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from helpers import EPOCH, NO_SKIPS, RealCourse, Tree, copy_of_the_course, copy_valid_course


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


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return copy_valid_course(tmp_path / "course")


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
