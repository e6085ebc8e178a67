"""The whole LAIT import (import-published of bds_long_0.parquet with its dictionary and both neighbour models:
read, recognise, compare, journal, stage, commit by swap) against DuckDB reading the same parquet into a table of a
new database file (the floor). Run: PYTHONPATH=src:. python -m bench.published_import [--repeat N]."""
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
        floors, imports = [], []
        for _ in range(args.repeat):
            floors.append(floor(lait / "bds_long_0.parquet", work / "floor.duckdb"))
            imports.append(import_once(seed_db, work, lait))
        f, i = statistics.median(floors), statistics.median(imports)
        print(f"floor (DuckDB reads the parquet into a table): {f:.2f} s  {[round(x, 2) for x in floors]}")
        print(f"import-published of LAIT (stage and commit):    {i:.2f} s  {[round(x, 2) for x in imports]}")
        print(f"ratio: {i / f:.1f}x")


if __name__ == "__main__":
    main()
