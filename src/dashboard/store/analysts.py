"""The analysts' copies: every table and view written as Parquet, and the database in a storage format older
DuckDB releases read."""
from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.store.connection import READ_CATALOG, sql_string

# DuckDB's storage format of the 1.x releases: DuckDB 1.0 and every later release (the CLI, ODBC and JDBC drivers
# analysts and Power BI use) read it. The live file is in 2.0's format, which only DuckDB 2.0 or newer reads.
COMPATIBLE_STORAGE = "v1.0.0"
_COPY = "analysts_copy"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables_and_views(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Every table and view of the dashboard's database as (name, "table" or "view"), by name within each."""
    return con.execute("""
        SELECT table_name, 'table' FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'main'
        UNION ALL
        SELECT view_name, 'view' FROM duckdb_views()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
        ORDER BY 2, 1
    """).fetchall()


def write_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> int:
    """Write one table or view to a Parquet file; returns its row count."""
    con.execute(f"COPY (SELECT * FROM {_quote(name)}) TO '{sql_string(str(path))}' (FORMAT parquet)")
    return con.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0]


def write_compatible_copy(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Copy the whole database (tables, views, data) into a new file in COMPATIBLE_STORAGE's format."""
    # `con` is a read-only connection (store.connection.connect): an in-memory database with the file attached, so
    # a new file can be attached beside it read-write while the live file stays read-only.
    con.execute(f"ATTACH '{sql_string(str(path))}' AS {_COPY} (STORAGE_VERSION '{COMPATIBLE_STORAGE}')")
    try:
        con.execute(f"COPY FROM DATABASE {READ_CATALOG} TO {_COPY}")
    finally:
        con.execute(f"DETACH {_COPY}")
