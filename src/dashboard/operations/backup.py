"""Back up the live database while it is served, and restore a backup by swapping it in whole."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from dashboard.operations import faults
from dashboard.store import database_file
from dashboard.store.connection import SCHEMA_VERSION, connect, migrate, schema_version


class BackupError(RuntimeError):
    """A backup or restore that was not done; the message says why and nothing was changed."""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def file_version(path: Path) -> int:
    """The schema version of a database file; BackupError when it is missing, unreadable or not the dashboard's."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        con = connect(path, read_only=True)
    except (duckdb.Error, OSError) as error:
        raise BackupError(f"{path} is not a readable DuckDB database ({error}).") from error
    try:
        version = schema_version(con)
    finally:
        con.close()
    if version is None:
        raise BackupError(f"{path} is a DuckDB file but not the dashboard's database (no schema_info).")
    return version


def backup(db_path: Path, destination: Path) -> Path:
    """Copy the live database to `destination` (a file, or a folder to put a dated file in); returns the file. A
    full disk, a folder it may not write or a locked database is a BackupError in words; no partial copy stays."""
    with faults.in_words("", destination, BackupError, "The database is as it was."):
        return _backup(db_path, destination)


def _backup(db_path: Path, destination: Path) -> Path:
    if destination.is_dir():
        destination = destination / f"{db_path.stem}-{_stamp()}{db_path.suffix}"
    if destination.exists():
        raise BackupError(f"{destination} already exists; a backup never overwrites a file.")
    if not db_path.is_file():
        raise BackupError(f"There is no database at {db_path} to back up.")
    partial = destination.with_name(destination.name + ".partial")
    # The change lock: no upload, rollback, migration or restore can swap the file while it is copied, so the copy
    # is one committed state. (Changes replace the file whole and never write it in place, so one open handle
    # would already read one state; the lock also makes a later swap wait for the backup instead of racing it.)
    # Viewers are not affected: they only read. An upload waits at most as long as the copy takes.
    with database_file.change_lock(db_path):
        database_file.refuse_if_locked(db_path)  # a program writing the file now would make the copy half of two states
        wal = Path(str(db_path) + ".wal")
        if wal.exists() and wal.stat().st_size:
            raise BackupError(f"{wal} exists: something has the database open for writing outside the dashboard's "
                              "own commands. Close it (or let it checkpoint), then back up again.")
        database_file.copy_durably(db_path, partial)
    try:
        file_version(partial)  # a backup that does not open is no backup
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)  # only a complete, checked copy ever carries the backup's name
    return destination


def restore(source: Path, db_path: Path) -> Path | None:
    """Swap a backup in as the live database (migrated if older); returns where the replaced database was kept.
    The machine's faults are a BackupError in words, the live database unchanged."""
    with faults.in_words("", db_path, BackupError, "The database is as it was."):
        return _restore(source, db_path)


def _restore(source: Path, db_path: Path) -> Path | None:
    version = file_version(source)
    if version > SCHEMA_VERSION:
        raise BackupError(f"{source} has schema version {version}, newer than this code ({SCHEMA_VERSION}); "
                          "restore it with the version of the dashboard that made it.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with database_file.change_lock(db_path):
        kept = None
        if db_path.exists():
            # Keep what is being replaced (a hard link: no copy, no extra space until it is deleted), so a
            # restore of the wrong file can itself be undone.
            kept = db_path.with_name(f"{db_path.name}.before-restore-{_stamp()}")
            os.link(db_path, kept)
        try:
            # A copy of the backup is migrated and swapped in: the backup itself is never opened for writing.
            database_file.swap_copy_in(db_path, migrate if version < SCHEMA_VERSION else None, source)
        except BaseException:
            if kept is not None:
                kept.unlink(missing_ok=True)  # the live file is as it was: nothing to keep
            raise
    return kept
