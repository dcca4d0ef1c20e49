"""What serve watches: the files a build reads (stamp.input_paths), which of them changed since
the last build, and their marks (size and time) for the build's stamp.

Two watches with one interface:
- SourceEvents: the operating system says which files changed (watchdog, inotify on Linux).
  Nothing is read while nothing changes, and a save is seen at once; only the folders of the
  files that changed are listed again. Reading every file's time instead costs ~0.4 s at
  100 workshops x 10 languages, more than the edit's whole rebuild should.
- SourceSnapshots: every file's size and time read again and compared. A change is seen the
  moment it is made, which a Session driven step by step (the tests) relies on; and it is what
  serve falls back on where the system will not watch (e.g. past inotify's limit of folders).
watchdog is imported here only.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from teachforward.stamp import add_marks, input_marks, input_paths

Marks = dict[str, tuple[int, int]]
QUIET_S = 0.02      # a save is often several writes: wait until the files have been still this long
IGNORED_EVENTS = {"opened", "closed_no_write"}      # a build reading the sources changes nothing


class SourceSnapshots:
    def __init__(self, root: Path):
        self.root = root
        self.marks: Marks = {}

    def take(self) -> set[str]:
        """The files changed (added, removed or written) since the last take, and the marks now."""
        before, self.marks = self.marks, input_marks(self.root)
        return {path for path in before.keys() | self.marks.keys() if before.get(path) != self.marks.get(path)}

    def pending(self) -> bool:
        return input_marks(self.root) != self.marks

    def wait(self, timeout: float) -> bool:
        time.sleep(timeout)
        return self.pending()

    def close(self) -> None:
        pass


class SourceEvents:
    """Raises OSError when the system refuses to watch the sources."""

    def __init__(self, root: Path):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        self.root = root
        self.tops = [str(path) for path in input_paths(root)]
        self.marks: Marks = input_marks(root)
        self.changed: set[str] = set()
        self.lock = threading.Lock()
        self.event = threading.Event()
        self.last = 0.0
        watch = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                # A folder is "modified" when a file in it is added or removed, reported on its own.
                if event.event_type not in IGNORED_EVENTS and not (event.is_directory and event.event_type == "modified"):
                    watch._note([event.src_path, getattr(event, "dest_path", "") or ""])

        self.observer = Observer()
        try:
            for top in input_paths(root):
                if top.is_dir():
                    self.observer.schedule(Handler(), str(top), recursive=True)
            self.observer.schedule(Handler(), str(root), recursive=False)     # mkdocs.yml, new top folders
            self.observer.start()
        except OSError:
            self.observer.stop()
            raise

    def _note(self, paths: list) -> None:
        paths = [os.fsdecode(path) for path in paths if path]
        mine = [path for path in paths if self._watched(path)]
        if mine:
            with self.lock:
                self.changed.update(mine)
                self.last = time.monotonic()
            self.event.set()

    def _watched(self, path: str) -> bool:
        return "__pycache__" not in Path(path).parts and any(
            path == top or path.startswith(top + os.sep) for top in self.tops)

    def take(self) -> set[str]:
        with self.lock:
            changed, self.changed = self.changed, set()
            self.event.clear()
        # The marks of what changed, read again: each such file, or folder and all under it.
        for path in changed:
            for known in [p for p in self.marks if p == path or p.startswith(path + os.sep)]:
                del self.marks[known]
            add_marks(path, self.marks)
        return changed

    def pending(self) -> bool:
        return self.event.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait for a change, then until the files have been still for QUIET_S."""
        if not self.event.wait(timeout):
            return False
        while (still := time.monotonic() - self.last) < QUIET_S:
            time.sleep(QUIET_S - still)
        return True

    def close(self) -> None:
        self.observer.stop()
        self.observer.join()


def watch_sources(root: Path) -> SourceEvents | SourceSnapshots:
    try:
        return SourceEvents(root)
    except OSError as error:
        print(f"Watching the sources by reading their times every few moments ({error}).")
        return SourceSnapshots(root)
