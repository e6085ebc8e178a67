"""The command line: build the database from data/, export an analysts' view as CSV, check a seed folder."""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from dashboard.build import build, is_stale
from dashboard.importer.kinds import Known
from dashboard.provenance import check_folder
from dashboard.seed import DOCUMENTS_DIR, SeedError, validate_folder
from dashboard.store import queries
from dashboard.store.connection import connect, default_db_path


def _build(args: argparse.Namespace) -> int:
    db_path = default_db_path()
    if args.if_stale and not is_stale(db_path):
        print(f"{db_path} is up to date.")
        return 0
    if db_path.exists() and not args.force:
        con = connect(db_path, read_only=True)
        try:
            uploads = queries.officer_upload_count(con)
        finally:
            con.close()
        if uploads:
            # Rebuilding from data/ would drop officers' uploads: keep them unless told otherwise.
            print(f"{db_path} holds {uploads} officer upload(s); not rebuilt. Use --force to rebuild from data/.",
                  file=sys.stderr)
            return 0 if args.if_stale else 1
    try:
        build(db_path)
    except SeedError as error:
        print(f"The embedded data did not load: {error}", file=sys.stderr)
        return 1
    con = connect(db_path, read_only=True)
    try:
        counts = queries.table_counts(con)
    finally:
        con.close()
    print(f"Built {db_path}: " + ", ".join(f"{table} {count:,}" for table, count in counts.items() if count))
    return 0


def _export(args: argparse.Namespace) -> int:
    con = connect(default_db_path(), read_only=True)
    try:
        frame = queries.export_view(con, args.view)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    finally:
        con.close()
    frame.to_csv(sys.stdout, index=False)
    return 0


def _check_seed(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir() or not any(folder.glob("*.csv")):
        print(f"{folder} is not a folder of seed CSVs.", file=sys.stderr)
        return 2
    seed_dir = folder.parent
    documents = {row["doc_id"]: row["file_name"] for row in _read_csv(seed_dir / "documents.csv")}
    document = Path(args.documents) / documents[folder.name]
    known = Known(organisations={row["organisation_id"] for row in _read_csv(seed_dir / "organisations.csv")})
    batch = validate_folder(folder, known)
    counts, mismatches = check_folder(folder, document)
    for problem in batch.problems:
        print(f"{problem.severity}: {problem}")
    for mismatch in mismatches:
        print(f"provenance: {mismatch}")
    print(", ".join(f"{name} {count}" for name, count in counts.items()))
    print(f"{len(batch.errors)} import error(s), {len(batch.warnings)} warning(s), {len(mismatches)} provenance "
          f"mismatch(es) in {folder}")
    return 1 if batch.errors or mismatches else 0


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="(re)build the database from data/ (path: $DASHBOARD_DB)")
    build_parser.add_argument("--if-stale", action="store_true", help="only when missing or older than data/")
    build_parser.add_argument("--force", action="store_true", help="rebuild even if officers have uploaded data")
    build_parser.set_defaults(run=_build)
    export_parser = commands.add_parser("export", help="write an analysts' view as CSV to standard output")
    export_parser.add_argument("view", help=", ".join(queries.EXPORTABLE_VIEWS))
    export_parser.set_defaults(run=_export)
    check_parser = commands.add_parser("check-seed", help="check one data/seed/NNN folder: import rules and cited lines")
    check_parser.add_argument("folder", help="e.g. data/seed/004")
    check_parser.add_argument("--documents", default=str(DOCUMENTS_DIR), help="folder of the source documents")
    check_parser.set_defaults(run=_check_seed)
    args = parser.parse_args(argv)
    return args.run(args)
