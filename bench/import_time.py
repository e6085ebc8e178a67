"""Import of a large officers' indicators CSV (validate, compare, commit) against DuckDB's own read_csv of the same
file into a table, each in a fresh process so its peak memory is its own."""
from __future__ import annotations

import argparse
import csv
import functools
import random
import shutil
import time
from datetime import date
from pathlib import Path

from bench.common import emit, own_peak_mb
from bench.generate import INDICATOR_CODE, ORG_ID, _indicator, _written, quarter_text
from dashboard.parsing.periods import parse_period

HEADER = ["indicator_code", "organisation", "period", "measure", "value", "period_type", "comparator_group",
          "flags", "note", "remove"]
FIRST_QUARTER = 36  # the last four generated quarters are revised (changed rows), later quarters are new rows


def make_file(path: Path, rows: int, councils: int, indicators: int = 250) -> Path:
    """An officers' indicators file of `rows` rows: revised figures for existing quarters, then new quarters."""
    rng = random.Random("fictional-upload")
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        quarter = FIRST_QUARTER
        while written < rows:
            period = quarter_text(quarter)
            # An actual for a quarter that has not started is refused (issue 24): those quarters carry forecasts.
            started = parse_period(period).start <= date.today()
            for council in range(1, councils + 1):
                for number in range(1, indicators + 1):
                    unit, _, _ = _indicator(number)
                    for measure in ("actual" if started else "forecast", "target", "comparator"):
                        value = rng.uniform(20, 80) if unit == "percent" else rng.uniform(50, 5000)
                        writer.writerow([INDICATOR_CODE.format(number), ORG_ID.format(council), period, measure,
                                         _written(unit, value), "",
                                         "statistical_neighbours" if measure == "comparator" else "", "", "", ""])
                        written += 1
                        if written == rows:
                            return path
            quarter += 1
    return path


def floor(path: Path, db: Path) -> dict:
    """DuckDB reading the same file into a table of a new database file: the least any import can cost."""
    import duckdb

    db.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE observations_in AS SELECT * FROM read_csv(?, all_varchar = true)", [str(path)])
    count = con.execute("SELECT count(*) FROM observations_in").fetchall()[0][0]
    con.execute("CHECKPOINT")
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": count, "peak_mb": own_peak_mb()}


def least(path: Path, db: Path, live_copy: Path) -> dict:
    """The least the import's own work costs, in DuckDB alone, with no check and no preview: copy the database, read
    the file, match its rows to the stored ones by key, journal and delete the rows it replaces, insert its rows and
    checkpoint. What the pipeline adds to this is the checks, the warnings and the officers' preview."""
    import duckdb

    started = time.perf_counter()
    shutil.copyfile(db, live_copy)
    con = duckdb.connect(str(live_copy))
    # Periods as the generator writes them ('2024/25 Q1', quarters of financial years), read by SQL: the least a
    # reading of the dates can cost, not the officers' period rules.
    con.execute("""
        CREATE TEMP TABLE incoming AS
        SELECT row_number() OVER () + 1 AS upload_row, indicator_code, organisation AS organisation_id,
               period AS period_text, measure, nullif(comparator_group, '') AS comparator_group,
               TRY_CAST(regexp_replace(value, '[,%]', '', 'g') AS DOUBLE) AS value_num, value AS value_written,
               (make_date(CAST(left(period, 4) AS INTEGER), 4, 1)
                + to_months(3 * (CAST(right(period, 1) AS INTEGER) - 1)))::DATE AS period_start
        FROM read_csv(?, all_varchar = true)""", [str(path)])
    con.execute("BEGIN TRANSACTION")
    con.execute("""
        CREATE TEMP TABLE replaced AS
        SELECT t.rowid AS r FROM incoming i JOIN observations t
          ON t.indicator_code = i.indicator_code AND t.organisation_id = i.organisation_id
         AND t.period_start = i.period_start AND t.measure = i.measure
         AND t.comparator_group IS NOT DISTINCT FROM i.comparator_group""")
    upload_id = con.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchall()[0][0]
    con.execute("INSERT INTO superseded_observations SELECT *, ? FROM observations "
                "WHERE rowid IN (SELECT r FROM replaced)", [upload_id])
    con.execute("DELETE FROM observations WHERE rowid IN (SELECT r FROM replaced)")
    con.execute("""
        INSERT INTO observations (indicator_code, organisation_id, period_text, period_type, period_start, period_end,
                                  measure, comparator_group, value_num, value_written, upload_id, upload_row)
        SELECT indicator_code, organisation_id, period_text, 'quarter', period_start,
               (period_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE, measure, comparator_group, value_num,
               value_written, ?, upload_row
        FROM incoming""", [upload_id])
    replaced = con.execute("SELECT count(*) FROM replaced").fetchall()[0][0]
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    committed = time.perf_counter() - started
    # The preview of RAG changes that issue 4 asks for needs every touched indicator's position before and after:
    # the dashboard's own query (DuckDB) on each database, nothing in Python.
    from dashboard.store import queries

    councils = [row[0] for row in con.execute("SELECT DISTINCT organisation_id FROM incoming").fetchall()]
    con.close()
    started = time.perf_counter()
    for database in (db, live_copy):
        read = duckdb.connect(str(database), read_only=True)
        try:
            queries.indicator_positions_of(read, councils)
        finally:
            read.close()
    return {"seconds": committed, "positions_s": time.perf_counter() - started, "replaced": replaced,
            "peak_mb": own_peak_mb()}


def pipeline(path: Path, db: Path, live_copy: Path) -> dict:
    """The officers' import on a copy of the database: validate and preview (refresh.stage), then commit."""
    from dashboard.loading import refresh

    shutil.copyfile(db, live_copy)
    phases: dict[str, float] = {}
    for name in ("validate_upload", "_apply", "_effects", "commit"):
        original = getattr(refresh, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                phases[_name] = phases.get(_name, 0.0) + time.perf_counter() - started

        setattr(refresh, name, timed)
    data = path.read_bytes()
    started = time.perf_counter()
    preview = refresh.stage(live_copy, "indicators", path.name, data, "bench", max_bytes=len(data) + 1)
    if preview.errors:
        raise RuntimeError(f"the benchmark file was refused: {[str(p) for p in preview.errors[:5]]}")
    upload_id = refresh.commit(preview, live_copy)
    seconds = time.perf_counter() - started
    added, changed, removed = refresh.diff.counts(preview.changes)
    return {"seconds": seconds, "rows": preview.row_count, "added": added, "changed": changed, "removed": removed,
            "warnings": len(preview.warnings), "upload_id": upload_id, "phases": phases, "peak_mb": own_peak_mb()}


def main(argv: list[str] | None = None) -> None:
    """python -m bench.import_time make|floor|least|pipeline ...: one measurement, printed as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("make", "floor", "least", "pipeline"))
    parser.add_argument("csv", type=Path)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--councils", type=int)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--copy", type=Path)
    args = parser.parse_args(argv)
    if args.what == "make":
        make_file(args.csv, args.rows, args.councils)
        emit({"bytes": args.csv.stat().st_size})
    elif args.what == "floor":
        emit(floor(args.csv, args.db))
    elif args.what == "least":
        emit(least(args.csv, args.db, args.copy))
    else:
        emit(pipeline(args.csv, args.db, args.copy))


if __name__ == "__main__":
    main()
