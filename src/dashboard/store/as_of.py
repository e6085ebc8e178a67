"""The data as they were at an earlier upload, rebuilt from the upload journal (not from a stored copy): a read-only
connection whose tables are views over the file that keep the rows in force then."""
from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.store.connection import sql_string
from dashboard.store.uploads import JOURNALLED

SOURCE = "journal"  # the name the as-of connection gives the attached file; its own catalog holds the views
# The stored assessment is left out rather than shown as it is now: the pages compute their verdicts from the
# rebuilt values themselves, and recomputing the table for every council would take tens of seconds on national
# data for a table only the command line's export reads (and that reads the current data).
NOT_REBUILT = {"indicator_assessment": "v_indicator_assessment"}


def _in_force(table: str, version: int) -> str:
    # A row was in force at `version` when an upload up to it wrote it (seed rows included) and nothing up to it
    # replaced it: rows still live that came no later, plus journalled rows a later upload replaced. Rows a later
    # rollback removed came from uploads after `version` (dashboard.reading.data_version refuses the other case), and the
    # rows it put back are live again with their own, earlier upload id.
    written = f"(upload_id IS NULL OR upload_id <= {version})"
    return (f"SELECT * FROM {SOURCE}.{table} WHERE {written} UNION ALL BY NAME "
            f"SELECT * EXCLUDE (superseded_by) FROM {SOURCE}.superseded_{table} "
            f"WHERE superseded_by > {version} AND {written}")


def connect_as_of(path: Path | str, version: int) -> duckdb.DuckDBPyConnection:
    """A read-only connection showing the data as they were just after upload `version`: the journalled tables
    rebuilt, the upload log cut at it, the file's own views defined again over all of that (the stored assessment
    and its view left out: NOT_REBUILT). The caller checks first (data_version.Since.reconstructable) that the
    journal still holds that state."""
    version = int(version)
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{sql_string(str(path))}' AS {SOURCE} (READ_ONLY)")
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY 1",
        [SOURCE]).fetchall()]
    marked = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE database_name = ? AND column_name = 'upload_id'",
        [SOURCE]).fetchall()}
    for table in tables:
        if table in JOURNALLED:
            body = _in_force(table, version)
        elif table == "uploads":
            body = (f"SELECT * REPLACE (CASE WHEN rolled_back_by <= {version} THEN rolled_back_by END "
                    f"AS rolled_back_by) FROM {SOURCE}.uploads WHERE upload_id <= {version}")
        elif table in marked and not table.startswith("superseded_"):
            # Tables a load only adds to (a published import's neighbour models): the rows written up to then.
            body = f"SELECT * FROM {SOURCE}.{table} WHERE upload_id IS NULL OR upload_id <= {version}"
        elif table in NOT_REBUILT:
            continue
        elif table.startswith("superseded_"):
            continue  # the journal is history, not data as it was
        else:
            body = f"SELECT * FROM {SOURCE}.{table}"
        con.execute(f"CREATE VIEW {table} AS {body}")
    _define_views(con)
    return con


def _define_views(con: duckdb.DuckDBPyConnection) -> None:
    # The file's own view definitions, run again here so that they read the rebuilt tables; a view that reads
    # another view waits until that one exists.
    pending = [row[0] for row in con.execute(
        "SELECT sql FROM duckdb_views() WHERE database_name = ? AND NOT internal AND view_name NOT IN "
        "(SELECT unnest(?)) ORDER BY view_name", [SOURCE, list(NOT_REBUILT.values())]).fetchall()]
    while pending:
        failed = []
        for sql in pending:
            try:
                con.execute(sql)
            except duckdb.CatalogException:
                failed.append(sql)
        if len(failed) == len(pending):
            raise RuntimeError(f"{len(failed)} view(s) could not be defined over the rebuilt data")
        pending = failed
