"""What a build shows while it runs: nothing for a short build, then every step; one line
redrawn on a terminal, one line per step elsewhere."""
from __future__ import annotations

import sys

import pytest

from teachforward.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("teachforward.progress.time.monotonic", clock)
    return clock


def test_progress_is_quiet_for_a_short_build(clock, capsys):
    progress = Progress(sys.stdout, total=3, interactive=False)
    progress.step("decks in en: 2 (2 written)")
    clock.now = 1.0
    progress.step("site en: 10 pages")
    progress.finish()
    assert capsys.readouterr().out == ""


def test_progress_shows_every_step_of_a_long_build(clock, capsys):
    progress = Progress(sys.stdout, total=3, interactive=False)
    progress.step("decks in en: 2 (2 written)")
    clock.now = 3.0
    progress.step("site en: 10 pages")
    progress.step("site fr: 10 pages")
    assert capsys.readouterr().out.splitlines() == [
        "[1/3] decks in en: 2 (2 written)", "[2/3] site en: 10 pages", "[3/3] site fr: 10 pages"]


def test_progress_on_a_terminal_is_one_line_redrawn(clock, capsys):
    progress = Progress(sys.stdout, total=2, interactive=True)
    clock.now = 5.0
    progress.step("site en: 10 pages")
    progress.step("site fr: 10 pages")
    progress.finish()
    out = capsys.readouterr().out
    assert "\n" not in out and out.count("\r") >= 3
    assert "[##########..........] 1/2" in out and "[####################] 2/2" in out
