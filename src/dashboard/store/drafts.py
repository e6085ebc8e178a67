"""SQL for drafts: their own DuckDB file beside the database (never swapped, rolled back or restored with it),
written in place under a lock of its own."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.operations import locks
from dashboard.store.connection import sql_text, transaction

LOCK_TIMEOUT = 30.0
COLUMNS = ("draft_id", "kind", "file_name", "sha256", "uploaded_by", "uploaded_at", "organisations", "summary",
           "state", "decided_by", "decided_at", "comment", "upload_id")


class DraftStoreError(RuntimeError):
    """The drafts file could not be read or written; in words, naming no folder."""


def drafts_path(db_path: Path) -> Path:
    """The drafts file: beside the database, named after it (data/dashboard.drafts.duckdb)."""
    return db_path.with_name(f"{db_path.stem}.drafts.duckdb")


@contextmanager
def opened(db_path: Path):
    """The drafts file, open under its lock (hold it across a read and the write that depends on it)."""
    path = drafts_path(db_path)
    with locks.held(path.with_name(path.name + ".lock"), LOCK_TIMEOUT,
                    DraftStoreError("The drafts are busy; try again in a minute."), poll=0.02):
        try:
            con = duckdb.connect(str(path))
        except (duckdb.Error, OSError) as error:
            raise DraftStoreError(f"The drafts ({path.name}) could not be opened.") from error
        try:
            try:
                con.execute(sql_text("drafts.sql"))
            except duckdb.Error as error:
                raise DraftStoreError(f"The drafts ({path.name}) could not be read.") from error
            yield con
        finally:
            con.close()


def add(con: duckdb.DuckDBPyConnection, kind: str, file_name: str, sha256: str, uploaded_by: str, at: datetime,
        organisations: list[str], summary: str, files: list[tuple[str, bytes]]) -> int:
    """Save a draft and its files in one transaction; returns its id."""
    try:
        with transaction(con):
            draft_id = con.execute(
                "INSERT INTO drafts (kind, file_name, sha256, uploaded_by, uploaded_at, organisations, summary) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING draft_id",
                [kind, file_name, sha256, uploaded_by, at, organisations, summary]).fetchall()[0][0]
            con.executemany("INSERT INTO draft_files VALUES (?, ?, ?, ?)",
                            [[draft_id, n, name, data] for n, (name, data) in enumerate(files)])
        return draft_id
    except (duckdb.Error, OSError) as error:
        raise DraftStoreError("The draft could not be saved.") from error


def listed(con: duckdb.DuckDBPyConnection, state: str | None = None, draft_id: int | None = None) -> pd.DataFrame:
    """Drafts newest first, optionally of one state or one id."""
    where, params = ["TRUE"], []
    if state is not None:
        where.append("state = ?")
        params.append(state)
    if draft_id is not None:
        where.append("draft_id = ?")
        params.append(draft_id)
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM drafts WHERE {' AND '.join(where)} "
                       "ORDER BY draft_id DESC", params).fetchall()
    return pd.DataFrame(rows, columns=list(COLUMNS))


def files(con: duckdb.DuckDBPyConnection, draft_id: int) -> list[tuple[str, bytes]]:
    """A draft's files (name, bytes), in the order they were uploaded."""
    return [(name, bytes(content)) for name, content in con.execute(
        "SELECT file_name, content FROM draft_files WHERE draft_id = ? ORDER BY position", [draft_id]).fetchall()]


def decide(con: duckdb.DuckDBPyConnection, draft_id: int, state: str, by: str, at: datetime, comment: str,
           upload_id: int | None = None) -> None:
    """Record a draft's approval or rejection and drop its files (the upload, once approved, holds the data)."""
    with transaction(con):
        con.execute("UPDATE drafts SET state = ?, decided_by = ?, decided_at = ?, comment = ?, upload_id = ? "
                    "WHERE draft_id = ?", [state, by, at, comment, upload_id, draft_id])
        con.execute("DELETE FROM draft_files WHERE draft_id = ?", [draft_id])
