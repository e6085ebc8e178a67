"""Build the database file from data/: into a temporary file first, then swapped in whole."""
from __future__ import annotations

import os
from pathlib import Path

from dashboard.seed import load_seed
from dashboard.store.connection import connect, create_schema

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SEED_DIR = DATA_DIR / "seed"
STORE_DIR = Path(__file__).resolve().parent / "store"


def source_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    """Files the database is built from: the seed CSVs and the SQL that shapes them."""
    return sorted(seed_dir.rglob("*.csv")) + sorted(STORE_DIR.glob("*.sql"))


def is_stale(db_path: Path, seed_dir: Path = SEED_DIR) -> bool:
    """True when the database is missing or older than any file it is built from."""
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    return any(path.stat().st_mtime > built for path in source_files(seed_dir))


def build(db_path: Path, seed_dir: Path = SEED_DIR) -> Path:
    """(Re)build the database from the seed data. Readers of the old file keep it until the swap."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = db_path.with_name(db_path.name + ".building")
    for leftover in (temporary, Path(str(temporary) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = connect(temporary)
    try:
        create_schema(con)
        load_seed(con, seed_dir)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(temporary, db_path)
    return db_path
