"""The whole LAIT import (import-published of bds_long_0.parquet with its dictionary and both neighbour models:
read, recognise, compare, journal, stage, commit by swap) against DuckDB reading the same parquet into a table of a
new database file (the floor), and against the least any import storing the same result can do: DuckDB alone
writing the import's finished rows into a copy of the database. Run: PYTHONPATH=src:. python -m
bench.published_import [--repeat N]."""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import REPO

SHARED = REPO.parent / "shared" / "data" / "published" / "lait"


def floor(parquet: Path, db: Path) -> float:
    """DuckDB alone: the parquet into a table of a new database file, checkpointed."""
    import duckdb

    db.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE bds AS SELECT * FROM read_parquet(?)", [str(parquet)])
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


# The tables a LAIT import writes, in an order their references allow: the upload, what it adds (councils,
# measures, neighbour models), its figures, their benchmarks; then every council's verdicts (not an upload's rows).
RESULT_TABLES = ("uploads", "organisations", "organisation_aliases", "indicators", "indicator_aliases",
                 "neighbour_models", "statistical_neighbours", "measure_updates", "observations", "benchmarks")


def save_result(db: Path, folder: Path) -> None:
    """The rows the latest upload wrote to each table, and the whole assessment, as parquet."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        upload = con.execute("SELECT max(upload_id) FROM uploads").fetchone()[0]
        for table in RESULT_TABLES:
            con.execute(f"COPY (SELECT * FROM {table} WHERE upload_id = {upload}) TO '{folder / table}.parquet'")
        con.execute(f"COPY indicator_assessment TO '{folder}/indicator_assessment.parquet'")
    finally:
        con.close()


def least(seed_db: Path, work: Path, result: Path, benchmarks: bool) -> float:
    """DuckDB alone storing the import's finished rows in a copy of the database (no reading of DfE's files, no
    parsing, no check, no rule, no journal), checkpointed; with `benchmarks`, computing those by the dashboard's own
    query rather than copying them."""
    import duckdb

    from dashboard.store.connection import sql_text

    db = work / "least.duckdb"
    started = time.perf_counter()
    shutil.copyfile(seed_db, db)
    con = duckdb.connect(str(db))
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM indicator_assessment")
    for table in (*RESULT_TABLES, "indicator_assessment"):
        if table == "benchmarks" and benchmarks:
            con.execute("DELETE FROM benchmarks")
            con.execute("INSERT INTO benchmarks " + sql_text("benchmark_figures.sql"), {"codes": None})
        else:
            con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)", [str(result / f"{table}.parquet")])
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def import_once(seed_db: Path, work: Path, lait: Path) -> float:
    """import-published of LAIT's files into a copy of the seed database, committed; seconds."""
    from dashboard.loading import refresh
    from dashboard.published.load import stage_published

    db = work / "dashboard.duckdb"
    shutil.copyfile(seed_db, db)
    started = time.perf_counter()
    preview = stage_published(db, [lait / "bds_long_0.parquet"], dictionary=lait / "lait_data_dictionary.csv",
                              neighbours=[lait / "sn_april_2021.xlsx", lait / "sn_may_2025.xlsx"], uploaded_by="bench")
    refresh.commit(preview, db)
    return time.perf_counter() - started


def main() -> None:
    """Alternate the floor and the import, and print both with their ratio (medians)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lait", default=str(SHARED))
    args = parser.parse_args()
    from dashboard.loading.build import SEED_DIR, build

    lait = Path(args.lait)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        seed_db = build(work / "seed.duckdb", SEED_DIR)
        result = work / "result"
        result.mkdir()
        floors, imports, stores, computes = [], [], [], []
        for _ in range(args.repeat):
            floors.append(floor(lait / "bds_long_0.parquet", work / "floor.duckdb"))
            imports.append(import_once(seed_db, work, lait))
            if not stores:
                save_result(work / "dashboard.duckdb", result)
            stores.append(least(seed_db, work, result, benchmarks=False))
            computes.append(least(seed_db, work, result, benchmarks=True))
        f = statistics.median(floors)
        for label, times in (("floor (DuckDB reads the parquet into a table)", floors),
                             ("least: DuckDB stores the import's finished rows", stores),
                             ("least, computing the benchmarks by our query", computes),
                             ("import-published of LAIT (stage and commit)", imports)):
            m = statistics.median(times)
            print(f"{label:<50} {m:6.2f} s  {m / f:5.1f}x the floor  {[round(x, 2) for x in times]}")


if __name__ == "__main__":
    main()
