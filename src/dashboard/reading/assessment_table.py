"""Materialise the indicator assessment (the pages' own, indicator_status.assess) into the table behind
v_indicator_assessment, after every build, upload, rollback and migration."""
from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.reading import indicator_status
from dashboard.store import connection, queries, writes

# The assessed frame's columns -> the table's (store/assessment.sql).
COLUMNS = {
    "organisation_id": "organisation_id", "indicator_code": "indicator_code", "area_code": "area_code",
    "area_title": "area_title", "rag": "verdict", "rag_label": "verdict_label", "basis": "basis", "rule": "rule",
    "rule_words": "rule_words", "rag_explanation": "explanation", "rag_period": "period", "rag_actual": "value",
    "rag_target": "target", "target_period": "target_period", "comparator_explanation": "comparator_explanation",
    "travel": "direction", "travel_explanation": "direction_explanation", "latest_period": "latest_period",
    "latest_actual": "latest_actual", "previous_period": "previous_period", "previous_actual": "previous_actual",
}
# Columns holding one of a few values on every row.
REPEATED = ("organisation_id", "indicator_code", "area_code", "area_title", "verdict", "verdict_label", "basis",
            "rule", "rule_words", "direction")


def rows(con: duckdb.DuckDBPyConnection, organisations: list[str]) -> pa.Table:
    """The assessment of these organisations' indicators as the table's rows."""
    if not organisations:
        return pa.table({column: pa.array([], pa.string()) for column in COLUMNS.values()})
    assessed = indicator_status.assess(queries.indicator_positions_of(con, organisations))
    # Through Arrow, which reads a missing value of any pandas type as NULL (never the text 'nan'); DuckDB
    # scanned the object columns this used to make cell by cell. The words a few values repeat on every row (a
    # rule's words are 33 MB nationally) go as a dictionary, copied once each: 0.8 s -> 0.3 s.
    table = pa.Table.from_pandas(assessed[list(COLUMNS)].rename(columns=COLUMNS), preserve_index=False)
    for name in REPEATED:
        table = table.set_column(table.schema.get_field_index(name), name, pc.dictionary_encode(table[name]))
    return table


def materialise(con: duckdb.DuckDBPyConnection, organisations: list[str] | None = None) -> int:
    """Recompute the stored assessment of these organisations (every one with indicator values when None); returns
    the rows written."""
    wanted = queries.assessed_organisations(con) if organisations is None else sorted(set(organisations))
    frame = rows(con, wanted)
    writes.replace_indicator_assessment(con, frame, None if organisations is None else wanted)
    return frame.num_rows


# Migration step 6 adds the table this module fills: the store calls back here rather than importing upward.
connection.RECOMPUTED_BY[6] = materialise
