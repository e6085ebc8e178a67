"""The database file's one owner: its change lock, staged copies, the durable swap, migrate-on-copy and new builds."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from dashboard.operations import faults, locks
from dashboard.store.connection import SCHEMA_VERSION, connect, migrate, schema_version

STAGED_MAX_AGE = 3600  # seconds: an abandoned preview's copy is deleted by the next upload after this
STRAY_GRACE = 5  # seconds: a staged copy no process holds is deleted once this old (see remove_strays)
LOCK_TIMEOUT = 120.0


class CommitError(RuntimeError):
    """A commit, rollback or migration that could not be done; the message says why in officer words."""


def change_lock(db_path: Path, timeout: float = LOCK_TIMEOUT):
    """Hold the database's change lock: one commit or rollback at a time, across processes (CLI and server)."""
    return locks.held(db_path.with_name(db_path.name + ".lock"), timeout,
                      CommitError("Another upload or rollback is still being saved; try again in a minute."))


def ensure_schema(db_path: Path) -> int:
    """Bring a database built by an older version up to the current schema (by the same copy-and-swap), so
    uploads work on a file that was built before uploads existed; returns the schema version."""
    with faults.in_words("The database could not be opened", db_path, CommitError):
        live = connect(db_path, read_only=True)
    try:
        version = schema_version(live)
    finally:
        live.close()
    if version == SCHEMA_VERSION:
        return version
    if version is not None and version > SCHEMA_VERSION:
        raise CommitError(f"{db_path} has schema version {version}, newer than this code ({SCHEMA_VERSION}); "
                          "upgrade the code, or restore a backup made by this version.")
    change_a_copy(db_path, migrate, "The database was not migrated")
    return SCHEMA_VERSION


def open_current(db_path: Path) -> duckdb.DuckDBPyConnection:
    """The live file opened read-only, migrated first (by copy-and-swap) when an older version built it."""
    # One read-only open serves both the schema check and the reads: opening the file is most of the cost of
    # refusing a bad upload, and officers (and the fuzz tests) send many of those.
    live = connect(db_path, read_only=True)
    if schema_version(live) == SCHEMA_VERSION:
        return live
    live.close()
    ensure_schema(db_path)
    return connect(db_path, read_only=True)


def staged_name(db_path: Path) -> Path:
    """A new name for a staged copy: beside the live file (one filesystem, so the swap is an atomic rename), named
    after it (never after an upload), so `check` and the clean-up find strays."""
    return db_path.with_name(f"{db_path.name}.staged-{uuid.uuid4().hex[:12]}")


def stage_copy(db_path: Path, source: Path | None = None):
    """A staged copy of `source` (the live file unless given) beside the database: returns its path and the open
    handle whose lock marks it as in use. The file is created and locked before a byte is copied, so the clean-up
    (remove_strays) never takes a copy being made for one left by a killed process; on any failure (a full disk
    part-way) the partial copy is deleted before the error goes on."""
    staged = staged_name(db_path)
    hold = open(staged, "xb")  # noqa: SIM115 (returned: the caller holds it until commit or cancel)
    try:
        fcntl.flock(hold, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when closed, or when the process dies
        shutil.copyfile(source or db_path, staged)  # the same file (same inode): the lock stays
    except BaseException:
        hold.close()
        remove_copy(staged)
        raise
    return staged, hold


def refuse_if_locked(db_path: Path) -> None:
    """Raise DuckDB's lock error when another program has the database open for writing: a copy swapped in under
    it would lose what it writes (faults.in_words turns the error into words naming the program). Other faults of
    the file are left to the step that reads it."""
    try:
        connect(db_path, read_only=True).close()
    except duckdb.Error as error:
        if "Could not set lock" in str(error):
            raise


def remove_strays(db_path: Path) -> list[Path]:
    """Delete staged copies no process holds (left by a killed upload or restore), and copies older than
    STAGED_MAX_AGE (abandoned previews); returns the files deleted. A copy being previewed is kept."""
    removed = []
    now = time.time()
    for path in sorted(db_path.parent.glob(f"{db_path.name}.staged-*")):
        if path.name.endswith(".wal"):
            if not Path(str(path)[:-4]).exists():  # a log whose copy is gone
                path.unlink(missing_ok=True)
            continue
        try:
            age = now - path.stat().st_mtime
            with open(path, "rb") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = False
                except BlockingIOError:
                    held = True
            # A copy created this instant is not yet locked (microseconds): a few seconds' grace covers that.
            if (not held and age > STRAY_GRACE) or age > STAGED_MAX_AGE:
                remove_copy(path)
                removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def swap_copy_in(db_path: Path, change: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
                 source: Path | None = None):
    """Copy `source` (the live file unless given) beside the database, run `change(con)` on the copy when given,
    and swap the copy in; returns what `change` returns. Call with the change lock held. The live file is never
    written in place, so a crash leaves it whole, before or after; the copy is deleted on every way out."""
    refuse_if_locked(db_path)
    remove_strays(db_path)
    staged, hold = stage_copy(db_path, source)
    try:
        result = None
        if change is not None:
            con = connect(staged)
            try:
                result = change(con)
                con.execute("CHECKPOINT")  # everything in the file itself: no write-ahead log travels with the swap
            finally:
                con.close()
        swap_in(staged, db_path)
        return result
    finally:
        hold.close()
        remove_copy(staged)


def change_a_copy(db_path: Path, change: Callable[[duckdb.DuckDBPyConnection], object],
                  doing: str = "The change was not saved"):
    """Under the change lock, run `change(con)` on a copy of the database and swap the copy in (swap_copy_in);
    a full disk or a locked database is a CommitError in words, the database as it was."""
    with faults.in_words(doing, db_path, CommitError, "The database is as it was."), change_lock(db_path):
        return swap_copy_in(db_path, change)


def write_new(db_path: Path, fill: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Make a new database file with `fill(con)` beside `db_path` and swap it in whole (durably, as swap_in);
    readers of the old file keep it until the swap, and the part-made file is deleted on every way out."""
    temporary = db_path.with_name(db_path.name + ".building")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        refuse_if_locked(db_path)  # never swap a new file in under a program writing the old one
    try:
        remove_copy(temporary)
        con = connect(temporary)
        try:
            fill(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        swap_in(temporary, db_path)
    finally:
        with contextlib.suppress(OSError):
            remove_copy(temporary)
    return db_path


def copy_durably(source: Path, destination: Path) -> None:
    """Copy a file and flush the copy to disk before returning; a partial copy is deleted on any failure."""
    try:
        shutil.copyfile(source, destination)
        _fsync_file(destination)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def swap_in(staged: Path, db_path: Path) -> None:
    """Replace the live database with a complete file beside it, durably (call with the change lock held)."""
    # Flush the copy to disk before the rename, and the rename before returning: a crash or a killed process at
    # any point leaves either the old file or the new one at the path, never half of one. Viewers holding the
    # old file keep reading it until their next rerun opens the new one.
    _fsync_file(staged)
    os.replace(staged, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove_copy(path: Path) -> None:
    """Delete a staged or part-made copy and its write-ahead log, if there."""
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
