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


def _sleep(seconds: float) -> None:
    import time
    time.sleep(seconds)


def _ended(pid: int) -> bool:
    """Gone, or a zombie (ended; its parent has not read its exit status yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_signal_that_comes_as_a_worker_is_forked_does_not_lose_it():
    """Serve's SIGTERM (or Ctrl-C) handled just after the fork, before the worker is recorded,
    would leave it unknown to close() and running on, orphaned (seen in CI): the signal waits
    until the worker is recorded, so close() ends it."""
    import multiprocessing
    import signal
    from types import SimpleNamespace

    fork = multiprocessing.get_context("fork")

    class SignalledAsItForks(fork.Process):
        def start(self):
            super().start()
            os.kill(os.getpid(), signal.SIGTERM)

    def terminated(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminated)
    runner = _Runner(2)
    runner.context = SimpleNamespace(Process=SignalledAsItForks, Pipe=fork.Pipe)
    runner.submit(("print", "en"), _sleep, 60)
    try:
        with pytest.raises(SystemExit):
            runner.start()
    finally:
        signal.signal(signal.SIGTERM, previous)
        workers = [process for _, process in runner.running.values()]
        stopped = runner.close()
    assert stopped == [("print", "en")], "the worker forked as the signal came was not recorded"
    assert len(workers) == 1 and _ended(workers[0].pid)


def _runner_left_by_its_process(report: str) -> None:
    """A process that starts a worker, says the worker's pid, then waits to be killed."""
    import time
    runner = _Runner(2)
    runner.submit(("print", "en"), _sleep, 120)
    runner.start()
    ((_, process),) = runner.running.values()
    Path(report).write_text(str(process.pid))
    time.sleep(120)


def test_workers_end_with_the_process_that_forked_them_even_when_it_is_killed(tmp_path):
    """`kill -9` of serve runs no clean-up of its own: the kernel ends its workers (PDEATHSIG)."""
    import multiprocessing
    import signal
    import time
    report = tmp_path / "worker"
    owner = multiprocessing.get_context("fork").Process(target=_runner_left_by_its_process, args=(str(report),))
    owner.start()
    for _ in range(600):         # until the worker runs (bounded: 60 s)
        if report.exists() and report.read_text():
            break
        time.sleep(0.1)
    worker = int(report.read_text())
    assert not _ended(worker)
    os.kill(owner.pid, signal.SIGKILL)
    owner.join()
    for _ in range(300):         # the kernel's SIGKILL is delivered at once; reaped by init (bounded: 30 s)
        if _ended(worker):
            break
        time.sleep(0.1)
    assert _ended(worker), "the worker went on after the process that forked it was killed"


@pytest.mark.slow
def test_the_check_runs_in_the_building_process_before_any_worker_is_forked(tree, tmp_path, monkeypatch):
    """The check reads every object of the course, and so writes each one's reference count: in
    a fork, or beside one, that copies the pages of nearly the whole loaded course (376 MB at
    100 workshops × 10 languages); before any fork it copies none."""
    import multiprocessing

    from teachforward import pipeline
    from teachforward.build import build
    seen = tmp_path / "seen"
    check = pipeline._check

    def recorded(context):
        seen.write_text(f"{os.getpid()} {len(multiprocessing.active_children())}")
        return check(context)

    monkeypatch.setattr(pipeline, "_check", recorded)
    assert build(tree.root, tmp_path / "site", jobs=2) == 0
    assert seen.read_text() == f"{os.getpid()} 0", "(the check's process, and the workers alive then)"
