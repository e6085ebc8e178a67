"""Crash safety and concurrency of officers' imports on the fictional council. An import killed with SIGKILL at 20
random points of its commit leaves a database that opens and is byte for byte either the version before or the
one after, and the next import works at once. Two previews committed at the same moment: one is saved, the other is
refused with a clear message. Viewers opening the database over and over during commits always read one whole
version. (Sequential lock tests and a kill while holding the lock are in test_upload.py.)"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import table_checksums
from dashboard.loading import refresh
from dashboard.store import connection, uploads

IND = "indicator_code,organisation,period,measure,value\n"
KILLS = 20
SEED = 20261123  # fixed: the same kill points every run, so a failure can be replayed
# The commit's own code: every line executed in these modules between the start of commit() and its return is a
# point where the process may die.
WATCHED = {str(Path(refresh.__file__)), str(Path(connection.__file__)), str(Path(uploads.__file__))}


def _upload(i: int) -> bytes:
    return (IND + f"NI 65,nowhere-borough,2010/11 Q{1 + i % 4},actual,{10 + i}.5%\n").encode()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class LineCounter:
    """A trace function counting lines run in the watched modules; at line `stop_at` it kills its own process."""

    def __init__(self, stop_at: int | None = None):
        self.lines, self.stop_at = 0, stop_at

    def __call__(self, frame, event, arg):
        if event == "call":
            return self if frame.f_code.co_filename in WATCHED else None
        if event == "line":
            self.lines += 1
            if self.lines == self.stop_at:
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally: as a power cut or the OOM killer
        return self


def _killed_commit(preview: refresh.Preview, db: str, stop_at: int | None) -> None:
    """In a forked child: commit a staged upload with the line counter that kills the process part-way. Without a
    kill point it exits with the number of lines it ran."""
    counter = LineCounter(stop_at)
    sys.settrace(counter)
    refresh.commit(preview, Path(db))
    sys.settrace(None)
    os._exit(min(counter.lines, 255) if stop_at is None else 0)


def _run(fork, preview: refresh.Preview, db: Path, stop_at: int | None) -> int:
    child = fork.Process(target=_killed_commit, args=(preview, str(db), stop_at))
    child.start()
    child.join(60)
    return child.exitcode


@pytest.mark.slow
def test_an_import_killed_at_random_points_of_its_commit_leaves_before_or_after_and_the_next_works(fixture_db,
                                                                                                   tmp_path):
    fork = multiprocessing.get_context("fork")  # a fork shares the imports: dozens of children in seconds
    # Count the lines of one commit in a child exactly like the ones to be killed, on a copy of the database.
    copy = tmp_path / "count" / fixture_db.name
    copy.parent.mkdir()
    shutil.copyfile(fixture_db, copy)
    total = _run(fork, refresh.stage(copy, "indicators", "count.csv", _upload(99), "tester"), copy, None)
    assert 20 < total < 255  # enough distinct points: lock, checks, fsync, rename, directory fsync
    rng = random.Random(SEED)
    # Random points, plus the first and the last line, where a crash is most likely to be mishandled. A commit's
    # line count can differ by a line between runs: a point past the end lets the commit finish, which is checked
    # the same way but not counted as a kill.
    points = iter([1, total] + [rng.randint(1, total) for _ in range(3 * KILLS)])
    outcomes = {"before": 0, "after": 0, "finished": 0}
    i = 0
    while outcomes["before"] + outcomes["after"] < KILLS:
        i, stop_at = i + 1, next(points)
        # Each round's upload is staged on the database the last kill left: staging after a crash works.
        preview = refresh.stage(fixture_db, "indicators", f"upload-{i}.csv", _upload(i), "tester")
        assert not preview.errors, [str(p) for p in preview.errors]
        before_sha, before_tables = _sha(fixture_db), table_checksums(fixture_db)
        after_sha = _sha(preview.staged)  # the version after: the commit swaps this very file in
        exit_code = _run(fork, preview, fixture_db, stop_at)
        assert exit_code in (-signal.SIGKILL, 0), f"kill point {stop_at} of {total}: exit code {exit_code}"
        # The database opens, and is exactly one of the two versions: never a mix.
        now = _sha(fixture_db)
        assert now in (before_sha, after_sha), f"kill point {stop_at} of {total} left a third version"
        tables = table_checksums(fixture_db)
        outcomes["finished" if exit_code == 0 else "before" if now == before_sha else "after"] += 1
        if now == before_sha:
            assert tables == before_tables
            # The next commit works at once: the dead process's lock went with it.
            started = time.monotonic()
            refresh.commit(preview, fixture_db)
            assert time.monotonic() - started < 30
            assert _sha(fixture_db) == after_sha
    # Both sides of the rename were hit, so the test saw kills before and after the swap.
    assert outcomes["before"] and outcomes["after"], outcomes
    assert outcomes["finished"] <= KILLS // 4, outcomes  # nearly every point was a real kill
    # Every upload is recorded exactly once, whether the killed process or the next one saved it.
    history = refresh.history(fixture_db)
    uploaded = history.loc[history["kind"] == "indicators", "file_name"].tolist()
    assert sorted(uploaded) == sorted(f"upload-{n}.csv" for n in range(1, i + 1))


def test_two_previews_committed_at_the_same_moment_one_is_saved_the_other_refused(fixture_db):
    before = table_checksums(fixture_db)
    previews = [refresh.stage(fixture_db, "indicators", f"same-moment-{i}.csv", _upload(i), f"officer{i}")
                for i in (1, 2)]
    start = threading.Barrier(2)
    results: dict[int, str] = {}

    def commit(i: int) -> None:
        start.wait()
        try:
            results[i] = f"saved as {refresh.commit(previews[i], fixture_db)}"
        except refresh.CommitError as error:
            results[i] = str(error)

    threads = [threading.Thread(target=commit, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(results.values()) == [
        "The data changed after this preview (another upload or a rollback was saved); upload the file again to see "
        "what it changes now. Nothing was changed.", "saved as 2"]
    assert table_checksums(fixture_db) != before
    assert not list(fixture_db.parent.glob("*.staged-*"))  # the refused preview's copy is gone too
    history = refresh.history(fixture_db)
    assert history["upload_id"].tolist() == [2, 1]


@pytest.mark.slow
def test_viewers_reading_during_commits_always_see_one_whole_version(fixture_db):
    # Each officer upload adds one indicator value to the 7 of the fixture: in any whole version, the number of
    # values is 7 + the number of uploads after the seed load. A torn read would break that.
    stop = threading.Event()
    reads: list[tuple[int, int]] = []
    failures: list[str] = []

    def viewer() -> None:
        while not stop.is_set():
            try:
                tables = table_checksums(fixture_db)  # one connection: one version, as a page rerun opens it
            except Exception as error:
                failures.append(repr(error))
                continue
            reads.append((tables["observations"][0], tables["uploads"][0]))

    viewers = [threading.Thread(target=viewer) for _ in range(2)]
    for thread in viewers:
        thread.start()
    try:
        for i in range(5):
            data = (IND + f"NI 65,nowhere-borough,2011/12 Q{1 + i % 4},{'actual' if i < 4 else 'target'},"
                    f"{20 + i}%\n").encode()
            preview = refresh.stage(fixture_db, "indicators", f"during-{i}.csv", data, "tester")
            refresh.commit(preview, fixture_db)
    finally:
        stop.set()
        for thread in viewers:
            thread.join(60)
    assert failures == []
    assert len(reads) > 5
    assert all(values == 7 + (loads - 1) for values, loads in reads), sorted(set(reads))
    assert len({loads for _, loads in reads}) >= 2  # the viewers did read while versions changed


@pytest.fixture(autouse=True)
def _no_tracer_left():
    yield
    sys.settrace(None)


def test_overlapping_imports_leave_the_garbage_collector_as_they_found_it():
    import gc
    from contextlib import ExitStack

    from dashboard.loading.refresh import _cyclic_gc_paused

    assert gc.isenabled()
    for finish_first in ("first", "second"):  # two sessions' imports overlap; either may finish first
        first, second = ExitStack(), ExitStack()
        first.enter_context(_cyclic_gc_paused())
        second.enter_context(_cyclic_gc_paused())
        assert not gc.isenabled()
        (first if finish_first == "first" else second).close()
        assert not gc.isenabled()  # the other import is still running
        (second if finish_first == "first" else first).close()
        assert gc.isenabled()
