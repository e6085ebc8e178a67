"""Every read query of the dashboard, returning DataFrames; aggregation happens here, in DuckDB."""
from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.importer.kinds import Known
from dashboard.store.connection import scalar

EXPORTABLE_VIEWS = ("v_actions", "v_action_status_history", "v_areas", "v_indicator_observations",
                    "v_efficiency_lines", "v_efficiency_gains", "v_uploads")


def known_references(con: duckdb.DuckDBPyConnection) -> Known:
    """What exists already, so an import can check the codes it refers to."""
    return Known(
        organisations={row[0] for row in con.execute("SELECT organisation_id FROM organisations").fetchall()},
        plans={row[0] for row in con.execute("SELECT plan_id FROM plans").fetchall()},
        areas=set(con.execute("SELECT plan_id, code FROM areas").fetchall()),
        actions=set(con.execute("SELECT plan_id, code FROM actions").fetchall()),
        aliases=dict(con.execute("SELECT alias_key, indicator_code FROM indicator_aliases").fetchall()),
    )


def officer_upload_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many loads came from officers rather than the embedded seed data."""
    return scalar(con, "SELECT count(*) FROM uploads WHERE kind <> 'seed'")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every base table."""
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    return {table: scalar(con, f'SELECT count(*) FROM "{table}"') for table in tables}


def export_view(con: duckdb.DuckDBPyConnection, view: str) -> pd.DataFrame:
    """A whole analysts' view, for `python -m dashboard export VIEW`."""
    if view not in EXPORTABLE_VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(EXPORTABLE_VIEWS)}")
    return con.execute(f"SELECT * FROM {view}").df()
