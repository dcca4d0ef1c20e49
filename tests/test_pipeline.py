"""The pipeline's worker processes: work forked from the main process comes back, and a failure
comes back with its traceback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from teachforward.pipeline import WorkerError, _folder_of, _remove_temporary_files, _Runner


def _square(n):
    return n * n, os.getpid()


def _fail(message):
    raise ValueError(message)


def test_work_runs_in_forked_processes_and_comes_back():
    runner = _Runner(jobs=2)
    try:
        for n in range(5):
            runner.submit(("square", str(n)), _square, n)
        results = {}
        while (finished := runner.next()) is not None:
            key, value = finished
            results[key[1]] = value
    finally:
        runner.close()
    assert {n: square for n, (square, _) in results.items()} == {str(n): n * n for n in range(5)}
    processes = {pid for _, pid in results.values()}
    assert os.getpid() not in processes and len(processes) == 5, "one forked process per piece of work"


def test_a_failure_in_a_worker_is_reported_with_its_traceback():
    runner = _Runner(jobs=2)
    runner.submit(("site", "fr"), _fail, "the French site broke")
    try:
        with pytest.raises(WorkerError) as error:
            runner.next()
    finally:
        runner.close()
    assert "site fr failed" in str(error.value) and "ValueError: the French site broke" in str(error.value)


def _write_slowly(path: str, ready: str) -> None:
    import time

    from teachforward.fsutil import atomic_file
    with atomic_file(Path(path)) as stream:
        stream.write(b"half")
        open(ready, "w").close()
        time.sleep(60)
    open(ready + ".finished", "w").close()


def test_a_stopped_worker_is_ended_at_once_and_its_temporary_file_removed(tmp_path):
    """A new edit stops serve's catch-up (_Runner.close): the worker is ended at once (a gentler
    signal can be swallowed by a library's callback), the file it was writing is not written,
    and the temporary file it leaves is removed from its folder."""
    import time
    runner = _Runner(2)
    folder = tmp_path / "en" / "print"
    target, ready = folder / "book.pdf", tmp_path / "ready"
    runner.submit(("print", "en"), _write_slowly, str(target), str(ready))
    runner.start()
    for _ in range(600):          # until the worker is inside the write (bounded: 60 s)
        if ready.exists():
            break
        time.sleep(0.1)
    assert ready.exists()
    assert runner.close() == [("print", "en")]
    assert not (tmp_path / "ready.finished").exists(), "close let the worker finish its work"
    assert [p.name for p in folder.iterdir()][0].endswith(".tmp")      # what a killed write leaves
    assert _folder_of(tmp_path, "print", "en") == folder and _folder_of(tmp_path, "check", "sources") is None
    _remove_temporary_files(folder)
    assert list(folder.iterdir()) == []
