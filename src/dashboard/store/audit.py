"""SQL for the audit trail: its own DuckDB file beside the database, appended to and read under a lock of its own;
nothing here updates or deletes a row."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.operations import locks
from dashboard.store.connection import sql_text

LOCK_TIMEOUT = 30.0
COLUMNS = ("event_id", "occurred_at", "actor", "action", "target", "client", "detail")


class AuditError(RuntimeError):
    """The audit trail could not be written or read. The message is in words and names no folder (a visitor may
    read it on the sign-in page); the database's own error, with paths, is the exception's cause, for the log."""


def audit_path(db_path: Path) -> Path:
    """The audit trail's file: beside the database, named after it (data/dashboard.audit.duckdb). Never swapped,
    rolled back or restored with the database, so no change to the data can remove a row of it."""
    return db_path.with_name(f"{db_path.stem}.audit.duckdb")


@contextmanager
def _opened(db_path: Path):
    path = audit_path(db_path)
    busy = AuditError("The audit trail is busy; try again in a minute.")
    with locks.held(path.with_name(path.name + ".lock"), LOCK_TIMEOUT, busy, poll=0.02):
        # Opened, used and closed under the lock: one process at a time has the file, written in place (it is
        # small, and no reader holds it open between calls).
        try:
            con = duckdb.connect(str(path))
        except (duckdb.Error, OSError) as error:
            raise AuditError(f"The audit trail ({path.name}) could not be opened.") from error
        try:
            try:
                con.execute("SET TimeZone = 'UTC'")  # times are stored and shown in UTC, whatever the server's zone
                con.execute(sql_text("audit.sql"))
            except duckdb.Error as error:
                raise AuditError(f"The audit trail ({path.name}) could not be read.") from error
            yield con
        finally:
            con.close()


def append(db_path: Path, at: datetime, actor: str, action: str, target: str | None, client: str,
           detail: str | None) -> int:
    """Add one event; returns its id."""
    with _opened(db_path) as con:
        try:
            return con.execute("INSERT INTO audit_events (occurred_at, actor, action, target, client, detail) "
                               "VALUES (?, ?, ?, ?, ?, ?) RETURNING event_id",
                               [at, actor, action, target, client, detail]).fetchall()[0][0]
        except (duckdb.Error, OSError) as error:
            raise AuditError("The audit trail could not be written.") from error


def events(db_path: Path, since: datetime | None = None, actor: str | None = None, client: str | None = None,
           actions: tuple[str, ...] | None = None, limit: int | None = None) -> pd.DataFrame:
    """Events newest first, optionally from a time on, by one actor, from one client, of some actions."""
    if not audit_path(db_path).exists():
        return pd.DataFrame(columns=list(COLUMNS))
    where, params = ["TRUE"], []
    if since is not None:
        where.append("occurred_at >= ?")
        params.append(since)
    if actor is not None:
        where.append("actor = ?")
        params.append(actor)
    if client is not None:
        where.append("client = ?")
        params.append(client)
    if actions:
        where.append(f"action IN ({', '.join('?' for _ in actions)})")
        params.extend(actions)
    # The time as a plain UTC timestamp (the session's zone is UTC): a zoned one would need pytz to fetch.
    selected = ", ".join("CAST(occurred_at AS TIMESTAMP)" if c == "occurred_at" else c for c in COLUMNS)
    sql = (f"SELECT {selected} FROM audit_events WHERE {' AND '.join(where)} "
           "ORDER BY event_id DESC" + (" LIMIT ?" if limit else ""))
    with _opened(db_path) as con:
        try:
            rows = con.execute(sql, params + ([limit] if limit else [])).fetchall()
        except duckdb.Error as error:
            raise AuditError("The audit trail could not be read.") from error
    # Built from the rows (not DuckDB's .df()): the same columns and UTC times, without pandas' deprecation noise.
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame
