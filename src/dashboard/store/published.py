"""SQL for published national statistics: what is already known (organisations, aliases, indicators, neighbour
models), and writing a published import's new rows, each marked with its upload."""
from __future__ import annotations

import duckdb
import pyarrow as pa

from dashboard.store.connection import sql_text
from dashboard.store.writes import insert_columns, insert_records

# Tables a published import only adds to (never changes a row); a rollback deletes the rows it added.
ADDED_ONLY = ("organisations", "organisation_aliases", "indicators", "indicator_aliases", "neighbour_models",
              "statistical_neighbours", "measure_updates")


def known_organisations(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    """(organisation_id, name, kind, ons_code, la_number) of every organisation, and (alias_key, organisation_id)
    of every alias."""
    organisations = con.execute("SELECT organisation_id, name, kind, ons_code, la_number FROM organisations "
                                "ORDER BY organisation_id").fetchall()
    aliases = con.execute("SELECT alias_key, organisation_id FROM organisation_aliases").fetchall()
    return organisations, aliases


def known_indicator_codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every indicator code already defined."""
    return {code for (code,) in con.execute("SELECT indicator_code FROM indicators").fetchall()}


def known_indicator_aliases(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every indicator alias key already defined."""
    return {key for (key,) in con.execute("SELECT alias_key FROM indicator_aliases").fetchall()}


def known_models(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every statistical neighbour model already loaded."""
    return {model for (model,) in con.execute("SELECT model_id FROM neighbour_models").fetchall()}


def known_updates(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Each measure's publisher dates as the newest import gave them: indicator_code -> (updated, next_update)."""
    return {code: (updated, following) for code, updated, following in con.execute(
        "SELECT indicator_code, arg_max(updated, upload_id), arg_max(next_update, upload_id) FROM measure_updates "
        "GROUP BY indicator_code").fetchall()}


def add_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], upload_id: int) -> None:
    """Insert a published import's new rows of one ADDED_ONLY table, marked with the upload."""
    if table not in ADDED_ONLY:
        raise ValueError(table)
    insert_records(con, table, [row | {"upload_id": upload_id} for row in rows])


def add_neighbours(con: duckdb.DuckDBPyConnection, columns: dict[str, list], upload_id: int) -> None:
    """Insert a model's neighbour lists given column by column, marked with the upload."""
    count = len(next(iter(columns.values()), []))
    if count:
        insert_columns(con, "statistical_neighbours", columns | {"upload_id": pa.array([upload_id] * count,
                                                                                          pa.int32())})


def remove_added(con: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Delete the rows an upload added to the ADDED_ONLY tables (its rollback); returns how many."""
    removed = 0
    for table in ADDED_ONLY:
        removed += con.execute(f"SELECT count(*) FROM {table} WHERE upload_id = ?", [upload_id]).fetchall()[0][0]
        con.execute(f"DELETE FROM {table} WHERE upload_id = ?", [upload_id])
    return removed


def refresh_benchmarks(con: duckdb.DuckDBPyConnection, indicator_codes: list[str] | None = None) -> None:
    """Recompute the stored benchmarks (the table behind v_benchmarks) of these indicators, or of every published
    indicator when None, from the data on `con`: call after any change to published figures, the indicators'
    definitions, organisations or neighbour models, in the same transaction."""
    codes = None if indicator_codes is None else sorted(set(indicator_codes))
    if codes is None:
        con.execute("DELETE FROM benchmarks")
    elif not codes:
        return
    else:
        con.execute("DELETE FROM benchmarks WHERE indicator_code IN (SELECT unnest($codes::VARCHAR[]))",
                    {"codes": codes})
    con.execute("INSERT INTO benchmarks " + sql_text("benchmark_figures.sql"), {"codes": codes})
