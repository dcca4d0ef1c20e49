"""What a long build shows while it runs: a bar on a terminal, plain lines in CI or a log.

Nothing is shown for a build that ends within a couple of seconds; after that, the lines kept
so far are printed and the rest follow as they happen.
"""
from __future__ import annotations

import shutil
import time
from typing import TextIO

QUIET_SECONDS = 2.0


class Progress:
    def __init__(self, stream: TextIO, total: int = 0, interactive: bool | None = None):
        self.stream = stream
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self.interactive = stream.isatty() if interactive is None else interactive
        self.held: list[str] = []
        self.showing = False

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def step(self, what: str) -> None:
        """One piece finished (a language's site, a group of decks): say so."""
        self.done += 1
        line = f"[{self.done}/{self.total}] {what}"
        if not self.showing and self.elapsed() < QUIET_SECONDS:
            self.held.append(line)
            return
        if not self.showing:
            self.showing = True
            if not self.interactive:
                for held in self.held:
                    print(held, file=self.stream)
        if self.interactive:
            self._bar(what)
        else:
            print(line, file=self.stream, flush=True)

    def _bar(self, what: str) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        filled = int(20 * self.done / max(1, self.total))
        text = f"\r[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} {self.elapsed():5.1f} s  {what}"
        print(text[:width - 1].ljust(width - 1), end="", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.interactive and self.showing:
            print("\r" + " " * (shutil.get_terminal_size((80, 20)).columns - 1) + "\r", end="", file=self.stream)
