"""SQL for officers' uploads: read the rows an upload may replace, journal and replace them, record the upload,
list the history, and roll uploads back from the journal."""
from __future__ import annotations

from operator import itemgetter

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.store.connection import scalar, transaction, unregister
from dashboard.store.published import remove_added
from dashboard.store.writes import ORDERED_TABLES, insert_columns, insert_frame, record_upload

# Tables an officer upload can change, in dependency order; each has a superseded_<table> journal (schema versions 2
# and 5).
JOURNALLED = ("organisations", "organisation_aliases", "plans", "areas", "indicators", "indicator_aliases",
              "indicator_areas", "actions", "action_statuses", "observations", "efficiency_lines")
OFFICER_KINDS = ("actions", "indicators", "efficiency", "organisations", "plans", "areas", "indicator_definitions",
                 "setup", "published")  # published: import-published of DfE's data


class RollbackError(ValueError):
    """An upload that cannot be rolled back, with the reason in officer words."""


def current_rows(con: duckdb.DuckDBPyConnection, table: str, keys: dict[str, list] | None = None) -> list[dict]:
    """Rows of a journalled table as dicts, with their rowid (as `_rowid`) so they can be replaced, in table order.
    With `keys` (key column -> values, one entry per incoming row), only the rows whose key matches one of them
    (NULL matching NULL): an upload is compared with the rows it touches, not with the whole national table."""
    if table not in JOURNALLED:
        raise ValueError(table)
    if keys is None:
        cursor = con.execute(f"SELECT rowid AS _rowid, * FROM {table}")
    else:
        columns = list(keys)
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = ? AND table_schema = current_schema()", [table]).fetchall())
        # The keys are scanned straight from Arrow, cast to the table's own types. Not through a temporary table:
        # DuckDB 2.0 finds no match in a temporary table of more than one row group (122,880 rows) filled earlier
        # in the same transaction, and the upload is applied inside one.
        typed = ", ".join(f"CAST({column} AS {types[column]}) AS {column}" for column in columns)
        matches = " AND ".join(f"t.{column} IS NOT DISTINCT FROM k.{column}" for column in columns)
        con.register("incoming_keys", pa.table({column: keys[column] for column in columns}))
        try:
            cursor = con.execute(f"WITH k AS (SELECT {typed} FROM incoming_keys) "
                                 f"SELECT t.rowid AS _rowid, t.* FROM {table} t "
                                 f"WHERE EXISTS (SELECT 1 FROM k WHERE {matches}) ORDER BY t.rowid")
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            unregister(con, "incoming_keys")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def supersede(con: duckdb.DuckDBPyConnection, table: str, rowids, upload_id: int) -> None:
    """Copy rows (a list or array of rowids) into the table's journal, marked with the upload that replaces them,
    then delete them."""
    if not len(rowids):
        return
    if table not in JOURNALLED:
        raise ValueError(table)
    con.register("replaced_rowids", pa.table({"r": pa.array(rowids, pa.int64())}))
    try:
        con.execute(f"INSERT INTO superseded_{table} SELECT *, ? FROM {table} "
                    "WHERE rowid IN (SELECT r FROM replaced_rowids)", [upload_id])
        con.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT r FROM replaced_rowids)")
    finally:
        unregister(con, "replaced_rowids")


def record_restated(con: duckdb.DuckDBPyConnection, upload_id: int, table: str, counts: dict[int, int]) -> None:
    """Record whose rows (upload id -> how many) the upload's file gave again unchanged, or marked for removal after
    that upload had removed them: a rollback of those uploads must undo this one too (schema version 8)."""
    rows = [(upload_id, table, int(u), int(n)) for u, n in counts.items() if n and int(u) != upload_id]
    if rows:
        con.executemany("INSERT INTO upload_restated VALUES (?, ?, ?, ?)", rows)


def removers(con: duckdb.DuckDBPyConnection, table: str, keys: dict[str, list]) -> dict[int, int]:
    """For keys with no stored row (an upload's removals that found nothing), the upload that removed each one, if
    any is still in the journal: upload id -> how many."""
    if table not in JOURNALLED:
        raise ValueError(table)
    columns = list(keys)
    if not columns or not len(keys[columns[0]]):
        return {}
    matches = " AND ".join(f"s.{column} IS NOT DISTINCT FROM k.{column}" for column in columns)
    con.register("missing_keys", pa.table({column: keys[column] for column in columns}))
    try:
        return dict(con.execute(f"""
            SELECT remover, count(*) FROM (
                SELECT (SELECT max(s.superseded_by) FROM superseded_{table} s WHERE {matches}) AS remover
                FROM missing_keys k)
            WHERE remover IS NOT NULL GROUP BY remover""").fetchall())
    finally:
        unregister(con, "missing_keys")


def matching_rows(con: duckdb.DuckDBPyConnection, table: str, incoming: pa.Table, key: tuple[str, ...],
                  compared: tuple[str, ...]) -> pa.Table:
    """Every stored row whose key one of the upload's records (an Arrow table with `position`) has, NULL matching
    NULL: the record's position, the row's rowid (as `_rowid`) and columns, and `_same` when the row says what the
    record says in the `compared` columns; ordered by position, then rowid. A join in DuckDB: the national table
    never comes into Python."""
    if table not in JOURNALLED:
        raise ValueError(table)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = ? AND table_schema = current_schema()", [table]).fetchall())
    same = " AND ".join(_same_value(column, types[column]) for column in compared) or "true"
    matches = " AND ".join(f"t.{column} IS NOT DISTINCT FROM i.{column}" for column in key)
    con.register("incoming_records", incoming)
    try:
        return con.sql(f"""
            SELECT i.position, t.rowid AS _rowid, t.*, coalesce({same}, false) AS _same
            FROM incoming_records i JOIN {table} t ON {matches}
            ORDER BY i.position, t.rowid""").to_arrow_table()
    finally:
        unregister(con, "incoming_records")


def _same_value(column: str, data_type: str) -> str:
    if data_type in ("DOUBLE", "FLOAT", "REAL"):
        # As changes._equal: equal within a relative and absolute tolerance of 1e-12.
        return (f"(t.{column} IS NOT DISTINCT FROM i.{column} OR abs(t.{column} - i.{column}) <= "
                f"greatest(1e-12 * greatest(abs(t.{column}), abs(i.{column})), 1e-12))")
    return f"t.{column} IS NOT DISTINCT FROM i.{column}"


def insert_table(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, upload_id: int) -> None:
    """Insert an upload's new rows given as an Arrow table (columns starting with _ left out), each marked with the
    upload."""
    if not rows.num_rows:
        return
    columns = {name: rows[name] for name in rows.column_names if not name.startswith("_")}
    insert_columns(con, table, columns | {"upload_id": pa.array([upload_id] * rows.num_rows, pa.int32())})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], upload_id: int) -> None:
    """Insert an upload's new rows, each marked with the upload."""
    if not rows:
        return
    # Column by column: no pass of pandas over every record; Arrow for DuckDB to scan.
    first = rows[0].keys()
    if all(row.keys() == first for row in rows):  # the usual case: every record has the same columns
        columns = {column: list(map(itemgetter(column), rows)) for column in first if not column.startswith("_")}
    else:
        names = dict.fromkeys(column for row in rows for column in row)
        columns = {column: [row.get(column) for row in rows] for column in names if not column.startswith("_")}
    columns["upload_id"] = [upload_id] * len(rows)
    if table in ORDERED_TABLES:
        insert_frame(con, table, pd.DataFrame(columns))
    else:
        insert_columns(con, table, columns)


def set_counts(con: duckdb.DuckDBPyConnection, upload_id: int, added: int, changed: int, removed: int) -> None:
    """Record how many rows an upload added, changed and removed."""
    con.execute("UPDATE uploads SET rows_added = ?, rows_changed = ?, rows_removed = ? WHERE upload_id = ?",
                [added, changed, removed, upload_id])


def latest_upload_id(con: duckdb.DuckDBPyConnection) -> int:
    """The newest load's id (0 when none): changes with every commit and every rollback."""
    return scalar(con, "SELECT coalesce(max(upload_id), 0) FROM uploads")


def active_upload_with_sha(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> dict | None:
    """The upload of the same kind and identical file that is still in force, if any."""
    cursor = con.execute("""
        SELECT upload_id, file_name, uploaded_by, uploaded_at FROM uploads
        WHERE kind = ? AND sha256 = ? AND rolled_back_by IS NULL ORDER BY upload_id DESC LIMIT 1""", [kind, sha256])
    rows = cursor.fetchall()
    return dict(zip(("upload_id", "file_name", "uploaded_by", "uploaded_at"), rows[0])) if rows else None


def upload_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load, newest first, with what it did and whether (and by which rollback) it was undone."""
    return con.execute("""
        SELECT upload_id, kind, file_name, uploaded_by, uploaded_at, row_count, rows_added, rows_changed,
               rows_removed, rolled_back_by, rolls_back, sha256, note
        FROM uploads ORDER BY upload_id DESC""").df()


# Rows of one table that name a row of another (no foreign keys in the schema): (table, columns) -> (table, its key
# columns, in the same order). An upload that added the row named cannot be undone without the rows naming it.
REFERENCES = (
    ("organisation_aliases", ("organisation_id",), "organisations", ("organisation_id",)),
    ("plans", ("organisation_id",), "organisations", ("organisation_id",)),
    ("observations", ("organisation_id",), "organisations", ("organisation_id",)),
    ("efficiency_lines", ("organisation_id",), "organisations", ("organisation_id",)),
    ("areas", ("plan_id",), "plans", ("plan_id",)),
    ("actions", ("plan_id", "area_code"), "areas", ("plan_id", "code")),
    ("actions", ("plan_id", "parent_code"), "actions", ("plan_id", "code")),
    ("action_statuses", ("plan_id", "action_code"), "actions", ("plan_id", "code")),
    ("indicator_aliases", ("indicator_code",), "indicators", ("indicator_code",)),
    ("indicator_areas", ("indicator_code",), "indicators", ("indicator_code",)),
    ("indicator_areas", ("plan_id", "area_code"), "areas", ("plan_id", "code")),
    ("observations", ("indicator_code",), "indicators", ("indicator_code",)),
)


def adders(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> dict[int, int]:
    """For an upload's rows that wrote nothing (removals that found nothing), the uploads that added what they name
    (a council, an indicator, an action: REFERENCES): upload id -> how many. Such a row was only accepted because
    that upload had added it, so a rollback of that upload must undo this one too."""
    counts: dict[int, int] = {}
    for child, columns, parent, parent_key in REFERENCES:
        if child != table or not rows:
            continue
        con.register("named_keys", pa.table({key: [row.get(column) for row in rows]
                                             for column, key in zip(columns, parent_key)}))
        try:
            matches = " AND ".join(f"p.{key} IS NOT DISTINCT FROM k.{key}" for key in parent_key)
            # Only officers' uploads: the seed and the published loads are not rolled back this way.
            for adder, n in con.execute(f"SELECT p.upload_id, count(*) FROM named_keys k JOIN {parent} p ON {matches} "
                                        "JOIN uploads u ON u.upload_id = p.upload_id "
                                        "WHERE u.kind IN (SELECT unnest(?)) GROUP BY ALL",
                                        [list(OFFICER_KINDS)]).fetchall():
                counts[adder] = counts.get(adder, 0) + n
        finally:
            unregister(con, "named_keys")
    return counts


def _check_undoable(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    rows = con.execute("SELECT kind, rolled_back_by FROM uploads WHERE upload_id = ?", [upload_id]).fetchall()
    if not rows:
        raise RollbackError(f"there is no upload {upload_id}.")
    kind, rolled_back_by = rows[0]
    if kind not in OFFICER_KINDS:
        raise RollbackError(f"upload {upload_id} is a {kind} load, not an officer's upload; only officers' uploads "
                            "can be rolled back (the embedded data is rebuilt with `python -m dashboard build`).")
    if rolled_back_by is not None:
        raise RollbackError(f"upload {upload_id} was already rolled back (by {rolled_back_by}).")


def _key(columns: tuple[str, ...]) -> str:
    # One text per key, NULL spelt apart from any value, so keys compare with = in a join.
    return "concat_ws(chr(31), " + ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(1))" for c in columns) + ")"


def _footprint(table: str, columns: tuple[str, ...], ids: str) -> str:
    # Every row an upload in `ids` wrote (live, or replaced since) or replaced: (upload, key, wrote).
    key = _key(columns)
    return (f"SELECT upload_id AS u, {key} AS k, true AS wrote FROM {table} WHERE upload_id IN ({ids}) UNION ALL "
            f"SELECT upload_id, {key}, true FROM superseded_{table} WHERE upload_id IN ({ids}) UNION ALL "
            f"SELECT superseded_by, {key}, false FROM superseded_{table} WHERE superseded_by IN ({ids})")


def overlaps(con: duckdb.DuckDBPyConnection, upload_id: int, keys: dict[str, tuple[str, ...]]) \
        -> tuple[list[int], list[tuple[int, int, str, str, int]]]:
    """What a rollback of `upload_id` has to weigh: the officers' uploads still in force from it on (ascending), and
    (earlier, later, table, why, rows) for each pair of them where the later one changed rows of the same key
    (`keys`: table -> natural key columns) in a journalled table (why "same"), wrote rows naming a row the earlier
    one added (why "added"), or gave again unchanged rows the earlier one wrote (why "restated", upload_restated).
    Read from the live tables, the rollback journal and upload_restated: a rolled-back upload leaves none."""
    _check_undoable(con, upload_id)
    later = [row[0] for row in con.execute(
        "SELECT upload_id FROM uploads WHERE upload_id >= ? AND kind IN (SELECT unnest(?)) "
        "AND rolled_back_by IS NULL ORDER BY upload_id", [upload_id, list(OFFICER_KINDS)]).fetchall()]
    if len(later) < 2:
        return later, []
    ids = ", ".join(str(int(u)) for u in later)
    edges = []
    for table in JOURNALLED:
        edges += [(a, b, table, "same", n) for a, b, n in con.execute(f"""
            WITH f AS ({_footprint(table, keys[table], ids)})
            SELECT a.u, b.u, count(DISTINCT a.k) FROM f a JOIN f b ON a.k = b.k AND a.u < b.u
            GROUP BY ALL""").fetchall()]
    for child, columns, parent, parent_key in REFERENCES:
        # Rows the earlier upload added (wrote at a key it did not replace), named by the later upload's rows.
        edges += [(a, b, child, "added", n) for a, b, n in con.execute(f"""
            WITH p AS ({_footprint(parent, parent_key, ids)}),
                 added AS (SELECT u, k FROM p GROUP BY ALL HAVING bool_and(wrote)),
                 c AS ({_footprint(child, columns, ids)})
            SELECT a.u, c.u, count(DISTINCT c.k) FROM added a JOIN c ON a.k = c.k AND a.u < c.u
            GROUP BY ALL""").fetchall()]
    edges += [(a, b, table, "restated", n) for a, b, table, n in con.execute(f"""
        SELECT restates, upload_id, table_name, sum(row_count) FROM upload_restated
        WHERE upload_id IN ({ids}) AND restates IN ({ids}) AND restates < upload_id GROUP BY ALL""").fetchall()]
    return later, edges


def rollback(con: duckdb.DuckDBPyConnection, upload_id: int, by: str, undone: list[int], note: str) -> int:
    """Undo `upload_id` and the uploads in `undone` (it included; the caller decides which) from the journal, all
    or nothing; the rollback is recorded as a load with `note` saying what it undid and why."""
    _check_undoable(con, upload_id)
    undone = sorted(set(undone) | {upload_id}, reverse=True)
    with transaction(con):
        rollback_id = record_upload(con, kind="rollback", file_name=f"upload {upload_id}", sha256="",
                                    uploaded_by=by, row_count=0, note=note)
        restored = removed = 0
        for undo in undone:  # newest first: each undo puts back exactly what that upload replaced
            for table in JOURNALLED:
                removed += scalar(con, f"SELECT count(*) FROM {table} WHERE upload_id = ?", [undo])
                con.execute(f"DELETE FROM {table} WHERE upload_id = ?", [undo])
                restored += scalar(con, f"SELECT count(*) FROM superseded_{table} WHERE superseded_by = ?", [undo])
                con.execute(f"INSERT INTO {table} SELECT * EXCLUDE (superseded_by) FROM superseded_{table} "
                            "WHERE superseded_by = ?", [undo])
                con.execute(f"DELETE FROM superseded_{table} WHERE superseded_by = ?", [undo])
            removed += remove_added(con, undo)  # organisations, indicators, models a published import added
            con.execute("DELETE FROM upload_restated WHERE upload_id = ?", [undo])
            con.execute("UPDATE uploads SET rolled_back_by = ? WHERE upload_id = ?", [rollback_id, undo])
        con.execute("UPDATE uploads SET rolls_back = ?, rows_added = ?, rows_removed = ? WHERE upload_id = ?",
                    [upload_id, restored, removed, rollback_id])
    return rollback_id
