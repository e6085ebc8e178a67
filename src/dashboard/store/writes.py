"""Write a validated batch to the database in one transaction, recorded as one upload."""
from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.store.connection import scalar, transaction, unregister

# Tables whose rows keep the order they had in the file (the plan's own order).
ORDERED_TABLES = ("areas", "actions")
# Insert order: referenced tables before those that refer to them (no foreign keys, but readers see whole data).
TABLE_ORDER = ("plans", "areas", "actions", "action_statuses", "indicators",
               "indicator_aliases", "indicator_areas", "observations", "efficiency_lines", "efficiency_summaries",
               "risks", "judgements")


def next_upload_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next upload will get."""
    return scalar(con, "SELECT coalesce(max(upload_id), 0) + 1 FROM uploads")


def record_upload(con: duckdb.DuckDBPyConnection, *, kind: str, file_name: str, sha256: str, uploaded_by: str,
                  row_count: int, note: str | None = None) -> int:
    """Add the upload's row (inside the caller's transaction); returns its id. The one writer of `uploads`."""
    upload_id = next_upload_id(con)
    con.execute("INSERT INTO uploads (upload_id, kind, file_name, sha256, uploaded_by, row_count, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [upload_id, kind, file_name, sha256, uploaded_by, row_count, note])
    return upload_id


def insert_records(con: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    """Insert records by column name through a DataFrame (fast for large uploads)."""
    if not records:
        return
    insert_frame(con, table, pd.DataFrame.from_records(records))


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame's rows by column name; ordered tables get sort_order as in insert_records."""
    if frame.empty:
        return
    if table in ORDERED_TABLES:
        start = scalar(con, f"SELECT coalesce(max(sort_order), 0) FROM {table}")
        if "sort_order" in frame and frame["sort_order"].notna().any():
            start = max(start, int(frame["sort_order"].max()))  # a kept place may be above what is left
        fresh = pd.Series(range(start + 1, start + 1 + len(frame)), index=frame.index)
        # An upload that changes an existing action keeps its place (its sort_order); new rows go at the end.
        frame["sort_order"] = frame["sort_order"].fillna(fresh).astype("int64") if "sort_order" in frame else fresh
    con.register("incoming_records", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_records")
    finally:
        unregister(con, "incoming_records")


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict) -> None:
    """Insert rows given column by column, by column name, through Arrow (DuckDB scans Arrow far faster than a
    DataFrame of Python objects); not for ORDERED_TABLES, whose sort_order insert_frame fills in."""
    if table in ORDERED_TABLES:
        raise ValueError(table)
    incoming = pa.table(columns)  # lists or Arrow arrays
    con.register("incoming_columns", incoming)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_columns")
    finally:
        unregister(con, "incoming_columns")


def write_upload(con: duckdb.DuckDBPyConnection, records: dict[str, list[dict]], *, kind: str, file_name: str,
                 sha256: str, uploaded_by: str, row_count: int, note: str | None = None) -> int:
    """Record an upload and insert its records, all or nothing; returns the upload id."""
    with transaction(con):
        upload_id = record_upload(con, kind=kind, file_name=file_name, sha256=sha256, uploaded_by=uploaded_by,
                                  row_count=row_count, note=note)
        for table in TABLE_ORDER:
            rows = records.get(table, [])
            for row in rows:
                row["upload_id"] = upload_id  # seed rows too: every row belongs to the load that wrote it
            insert_records(con, table, rows)
    return upload_id


def replace_indicator_assessment(con: duckdb.DuckDBPyConnection, frame: pa.Table,
                                 organisations: list[str] | None = None) -> None:
    """Replace the materialised assessment of these organisations (all when None) with `frame`'s rows."""
    if organisations is None:
        con.execute("DELETE FROM indicator_assessment")
    else:
        con.execute("DELETE FROM indicator_assessment WHERE organisation_id IN (SELECT unnest($orgs::VARCHAR[]))",
                    {"orgs": list(organisations)})
    if not frame.num_rows:
        return
    columns = ", ".join(frame.column_names)
    con.register("assessment_rows", frame)
    try:
        con.execute(f"INSERT INTO indicator_assessment ({columns}) SELECT {columns} FROM assessment_rows")
    finally:
        unregister(con, "assessment_rows")
