"""Build the database file from data/: into a temporary file first, then swapped in whole."""
from __future__ import annotations

from pathlib import Path

from dashboard.loading.seed import SEED_USER, SeedError, load_seed
from dashboard.operations import faults
from dashboard.paths import SEED_DIR
from dashboard.reading import assessment_table
from dashboard.store import database_file, published, queries
from dashboard.store.connection import connect, create_schema

STORE_DIR = Path(__file__).resolve().parents[1] / "store"


class BuildError(RuntimeError):
    """The database could not be built for a reason of the machine (disk, folder); the message says which."""


def source_files(seed_dir: Path = SEED_DIR, published_dir: Path | None = None) -> list[Path]:
    """Files the database is built from: the seed CSVs and the SQL that shapes them (and the published files)."""
    published = sorted(published_dir.rglob("*")) if published_dir and published_dir.is_dir() else []
    return sorted(seed_dir.rglob("*.csv")) + sorted(STORE_DIR.glob("*.sql")) + published


def is_stale(db_path: Path, seed_dir: Path = SEED_DIR, published_dir: Path | None = None) -> bool:
    """True when the database is missing or older than any file it is built from."""
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    return any(path.stat().st_mtime > built for path in source_files(seed_dir, published_dir))


def build(db_path: Path, seed_dir: Path = SEED_DIR, published_dir: Path | None = None) -> Path:
    """(Re)build the database from the seed data, and the published statistics in `published_dir` when given (the
    command line and the app give data/published; tests' fixtures leave them out, to stay fast). Readers of the old
    file keep it until the swap."""
    def fill(con) -> None:
        create_schema(con)
        load_seed(con, seed_dir)
        if published_dir is not None and published_dir.is_dir():
            from dashboard.published.load import load_folder  # only a build with published files needs it
            try:
                load_folder(con, published_dir, SEED_USER)
            except ValueError as error:
                raise SeedError(f"the published files in {published_dir} did not load: {error}") from error
        published.refresh_benchmarks(con)  # v_benchmarks' stored rows, which the assessment reads
        assessment_table.materialise(con)

    # A full disk or a folder it may not write is a BuildError in words, and the part-built file is deleted.
    with faults.in_words("The database was not built", db_path, BuildError, "The database is as it was."):
        return database_file.write_new(db_path, fill)


def has_officer_uploads(db_path: Path) -> bool:
    """True when the database holds any officer's upload (which a rebuild from data/ would lose)."""
    con = connect(db_path, read_only=True)
    try:
        return bool(queries.officer_upload_count(con))
    finally:
        con.close()


def prepare(db_path: Path, seed_dir: Path = SEED_DIR, published_dir: Path | None = None) -> str:
    """Make the database ready to serve: build it from data/ when missing (a fresh host, such as Streamlit Community
    Cloud after a restart) or stale without uploads; otherwise migrate it to the current schema. Says what it did."""
    if not is_stale(db_path, seed_dir, published_dir):
        # The usual start: no lock unless a migration is needed, so a database in a folder this process may not
        # write (a read-only mount for viewers) still serves.
        return f"{db_path} is ready (schema version {database_file.ensure_schema(db_path)})."
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Under the change lock: two sessions (or two processes) starting at once build once, and never while an
    # upload or a restore swaps the file.
    with database_file.change_lock(db_path):
        if is_stale(db_path, seed_dir, published_dir) and not (db_path.exists() and has_officer_uploads(db_path)):
            existed = db_path.exists()
            build(db_path, seed_dir, published_dir)
            also = f" and {published_dir}" if published_dir is not None and published_dir.is_dir() else ""
            return f"{'Rebuilt' if existed else 'Built'} {db_path} from {seed_dir}{also}."
    version = database_file.ensure_schema(db_path)
    return f"{db_path} is ready (schema version {version})."
