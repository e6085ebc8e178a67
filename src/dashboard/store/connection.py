"""Open the DuckDB file, create or migrate its schema, and load the fixed reference rows."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import duckdb

from dashboard.parsing.statuses import SCALE
from dashboard.settings import database_path

SCHEMA_VERSION = 8
READ_CATALOG = "dashboard"  # the name a read-only connection gives the attached file
AREA_LEVEL_LABELS = {
    "strategic_area": "Strategic area", "objective": "Objective", "theme": "Theme",
    "ecm_outcome": "Every Child Matters outcome", "priority": "Priority", "sub_priority": "Sub-priority",
    "section": "Section", "transformation_area": "Transformation area",
    "directorate_priority": "Directorate priority",
}
# version -> SQL file taking the previous version to it. Version 2 adds upload history (rollback journal); version 3
# official identifiers and aliases for organisations, plan status and indicator definition fields; version 4
# published national statistics: statistical neighbour models and the benchmarks view; version 5 rollback journals
# for the structure a council uploads (plans, areas, indicators ...); version 6 the materialised indicator assessment
# behind v_indicator_assessment; version 7 the materialised benchmarks behind v_benchmarks; version 8 which earlier
# uploads' rows an upload repeated unchanged (rollback).
_MIGRATIONS: dict[int, str] = {2: "uploads.sql", 3: "structure.sql", 4: "published.sql", 5: "setup.sql",
                               6: "assessment.sql", 7: "benchmarks.sql", 8: "restated.sql"}


def default_db_path() -> Path:
    """The database file: $DASHBOARD_DB, or data/dashboard.duckdb in the repository (see dashboard.settings)."""
    return database_path()


def sql_text(name: str) -> str:
    """Read one of the package's SQL files (schema.sql, views.sql)."""
    return resources.files("dashboard.store").joinpath(name).read_text(encoding="utf-8")


def schema_files() -> list[str]:
    """The SQL files a fresh database is built from, in the order create_schema runs them."""
    return ["schema.sql", "views.sql", *(_MIGRATIONS[step] for step in sorted(_MIGRATIONS))]


def defined_views() -> tuple[str, ...]:
    """Every view the SQL files create, in the order they create them: the analysts' read contract."""
    names = (re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", sql_text(name), re.IGNORECASE)
             for name in schema_files())
    return tuple(dict.fromkeys(view for found in names for view in found))


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file (read-only for viewers, so a page can never change the data)."""
    if not read_only:
        return duckdb.connect(str(path))
    # Read-only opens attach the file to a fresh in-memory database. duckdb.connect(path) reuses a database
    # instance already open for that path in this process, so after an upload or build replaced the file
    # (os.replace, new inode) it would go on serving the old file's data; an ATTACH always opens the file
    # that is at the path now.
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{sql_string(str(path))}' AS {READ_CATALOG} (READ_ONLY)")
    con.execute(f"USE {READ_CATALOG}")
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor on a connection, reading the same attached file (USE is per cursor in DuckDB)."""
    cur = con.cursor()
    if scalar(cur, "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [READ_CATALOG]):
        cur.execute(f"USE {READ_CATALOG}")
    return cur


def sql_string(text: str) -> str:
    """Text escaped for a single-quoted SQL string (a file's path in ATTACH or COPY, which take no parameters)."""
    return text.replace("'", "''")


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the file, or None for a file without the dashboard's schema."""
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_info'")
    if not exists:
        return None
    return scalar(con, "SELECT max(version) FROM schema_info")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, view and reference row in an empty database."""
    con.execute(sql_text("schema.sql"))
    for step in sorted(_MIGRATIONS):
        con.execute(sql_text(_MIGRATIONS[step]))
    con.execute(sql_text("views.sql"))  # after the migrations: views may read the tables they add
    con.executemany("INSERT INTO status_scale VALUES (?, ?, ?)",
                    [(status.key, status.label, status.rank) for status in SCALE])
    con.executemany("INSERT INTO area_levels VALUES (?, ?, ?)",
                    [(level, label, rank) for rank, (level, label) in enumerate(AREA_LEVEL_LABELS.items())])
    con.execute("INSERT INTO schema_info (version) VALUES (?)", [SCHEMA_VERSION])


# Migration steps that add a table of results computed by rules above the store, and the module that owns them. The
# owner registers its function in RECOMPUTED_BY when imported (dashboard.reading.assessment_table does), so the store
# never imports upward; migrate refuses to start when a needed one is missing.
NEEDS_RECOMPUTING = {6: "dashboard.reading.assessment_table"}
RECOMPUTED_BY: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {}


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring an existing file up to SCHEMA_VERSION, one recorded step at a time; returns the version reached."""
    version = schema_version(con)
    if version is None:
        create_schema(con)
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"the database has schema version {version}, newer than this code ({SCHEMA_VERSION})")
    steps = sorted(step for step in _MIGRATIONS if version < step <= SCHEMA_VERSION)
    missing = [step for step in steps if step in NEEDS_RECOMPUTING and step not in RECOMPUTED_BY]
    if missing:  # a programming error, said before anything changes: the step would leave its table empty
        raise RuntimeError(f"migration step(s) {missing} need {', '.join(NEEDS_RECOMPUTING[s] for s in missing)} "
                           "imported first, to fill the table the step adds")
    for step in steps:
        con.execute("BEGIN TRANSACTION")
        con.execute(sql_text(_MIGRATIONS[step]))
        if step == steps[-1]:  # the views once every table they read exists (v_indicator_assessment: version 6)
            con.execute(sql_text("views.sql"))
        if step == 7:
            # The stored benchmarks computed from the data already there (imported here: that module reads through
            # this one).
            from dashboard.store.published import refresh_benchmarks
            refresh_benchmarks(con)
        if step in RECOMPUTED_BY:
            RECOMPUTED_BY[step](con)
        con.execute("INSERT INTO schema_info (version) VALUES (?)", [step])
        con.execute("COMMIT")
    return SCHEMA_VERSION


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: BEGIN, then COMMIT when the block ends, or ROLLBACK when it raises (the block's error is the
    one raised)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        # A COMMIT that failed (a full disk) has already ended the transaction: the first error is the one to tell.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered Arrow table or DataFrame. After a failed statement (a full disk) DuckDB has aborted the
    transaction and refuses this too; that refusal is dropped, so the error that caused it is the one raised."""
    with contextlib.suppress(duckdb.TransactionException):
        con.unregister(name)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value a query returns. Fetches everything: DuckDB 2 keeps a half-read result open otherwise."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None
