"""`dashboard export-db DIR`: the analysts' folder, every table and view as Parquet, a copy of the database older
DuckDB releases open, and a README saying what each file is."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dashboard.store.analysts import COMPATIBLE_STORAGE, tables_and_views, write_compatible_copy, write_parquet
from dashboard.store.connection import connect, schema_version

COPY_NAME = "dashboard.duckdb"


class ExportError(ValueError):
    """The folder cannot be written: the message says why, in words."""


def export(db_path: Path, folder: Path) -> list[tuple[str, int]]:
    """Write the analysts' folder from the database at `db_path`; returns each Parquet file and its row count."""
    if not db_path.is_file():
        raise ExportError(f"there is no database at {db_path}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportError(f"{folder} is not an empty folder; give a new or empty one, so no older file is mixed in")
    con = connect(db_path, read_only=True)  # a snapshot: an upload swaps in a new file and never changes this one
    try:
        for part in ("tables", "views"):
            (folder / part).mkdir(parents=True, exist_ok=True)
        version = schema_version(con)
        written = [(f"{kind}s/{name}.parquet", write_parquet(con, name, folder / f"{kind}s" / f"{name}.parquet"))
                   for name, kind in tables_and_views(con)]
        write_compatible_copy(con, folder / COPY_NAME)
    finally:
        con.close()
    (folder / "README.txt").write_text(readme(db_path, version, written), encoding="utf-8")
    return written


def readme(db_path: Path, version: int | None, written: list[tuple[str, int]]) -> str:
    """The folder's README: what each file is, how to open it, and its rows."""
    width = max(len(name) for name, _ in written)
    rows = "\n".join(f"  {name:<{width}}  {count:>9,}" for name, count in written)
    return f"""Children's services performance dashboard: the analysts' copy

Exported {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from {db_path} (schema version {version}) by `dashboard export-db`.
A snapshot: nothing done to these files reaches the dashboard, and later uploads do not reach them.

{COPY_NAME}
  The whole database (tables, views and data) in DuckDB's {COMPATIBLE_STORAGE} storage format, which DuckDB 1.0
  and every later release read (the live file uses DuckDB 2.0's format). Open it with the DuckDB command line,
  Python, R, DBeaver or the ODBC driver for Power BI:
      duckdb {COPY_NAME} "FROM v_actions LIMIT 5"
views/*.parquet
  Each analysts' view: the columns are the dashboard's read contract (docs/data-model.md in the repository).
tables/*.parquet
  Each table as stored; these may change between releases (superseded_* tables are the rollback journal).
Parquet opens in DuckDB (duckdb -c "FROM 'views/v_actions.parquet'"), pandas (pandas.read_parquet), R (arrow),
Power BI and Excel (Get Data > From File > Parquet).

Rows:
{rows}
"""
