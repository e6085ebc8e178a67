"""The command line: build the database from data/, export an analysts' view as CSV, check a seed folder; import an
officer's file, list uploads, roll one back, add an officer; check health, migrate, back up and restore; list the
audit trail or unlock an account; serve."""
from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import duckdb

from dashboard.importer.officer import KIND_LABELS
from dashboard.importer.problems import grouped, grouped_note
from dashboard.loading import drafts, refresh
from dashboard.loading.build import SEED_DIR, BuildError, build, is_stale, prepare
from dashboard.loading.changes import moves_first
from dashboard.loading.provenance import check_folder
from dashboard.loading.seed import DOCUMENTS_DIR, SeedError, validate_folder
from dashboard.operations import backup, faults, health, serve
from dashboard.paths import PUBLISHED_DIR, WORK_ROOT
from dashboard.presenting import board_pack, export_db
from dashboard.settings import SECRETS_FILE, SettingsError, load as load_settings
from dashboard.store import database_file, queries
from dashboard.store.connection import connect, default_db_path
from dashboard.store.references import Known
from dashboard.trust import audit
from dashboard.trust.access import Grant
from dashboard.trust.auth import add_officer


def _build(args: argparse.Namespace) -> int:
    db_path = default_db_path()
    if args.if_stale and not is_stale(db_path, SEED_DIR, PUBLISHED_DIR):
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
        build(db_path, SEED_DIR, PUBLISHED_DIR)
    except SeedError as error:
        print(f"The embedded data did not load: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(error, file=sys.stderr)
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
    # The same rule as every export (docs/SECURITY.md): formula-like cells behind an apostrophe, control characters
    # shown as U+FFFD. Bytes, so the file is UTF-8 whatever the terminal's locale; with --excel a byte order mark
    # first, without which Excel reads the file as the PC's code page and "£" arrives as "Â£".
    from dashboard.presenting.exports import neutralise
    neutralise(frame).to_csv(sys.stdout.buffer, index=False, encoding="utf-8-sig" if args.excel else "utf-8",
                             lineterminator="\r\n" if args.excel else "\n")
    sys.stdout.flush()
    return 0


def _export_db(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    try:
        written = export_db.export(default_db_path(), folder)
    except (export_db.ExportError, duckdb.Error, OSError) as error:
        print(f"Not exported: {error}.", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} Parquet files, {export_db.COPY_NAME} (DuckDB storage "
          f"{export_db.COMPATIBLE_STORAGE}, for DuckDB 1.0 and later) and README.txt to {folder}.")
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


EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_CONFIRMED = 1, 2, 3
SECRETS = SECRETS_FILE


def _who() -> str:
    return f"{getpass.getuser()} (command line)"


def _record(action: str, actor: str, target: str | None = None, detail: str | None = None) -> None:
    # After the change itself: a trail that cannot be written is reported, and the change stands.
    try:
        audit.record(default_db_path(), action, actor, audit.COMMAND_LINE, target, detail)
    except audit.AuditError as error:
        print(f"warning: not recorded in the audit trail: {error} {error.__cause__ or ''}".strip(), file=sys.stderr)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _print_frame(title: str, frame) -> None:
    if frame is not None and not frame.empty:
        print(f"\n{title}:")
        print(moves_first(frame).to_string(index=False))


def _import(args: argparse.Namespace) -> int:
    if not _uploads_enabled():
        return EXIT_REJECTED
    path = Path(args.file)
    if not path.is_file():
        print(f"{path} is not a file.", file=sys.stderr)
        return EXIT_USAGE
    db_path = default_db_path()
    limit = refresh.max_upload_bytes()
    if path.stat().st_size > limit:  # checked before reading, so a huge file is never loaded into memory
        print(f"{path.name}: the file is {path.stat().st_size / 1048576:,.1f} MB; the limit is "
              f"{limit / 1048576:,.0f} MB (server.maxUploadSize in .streamlit/config.toml). Nothing has changed.",
              file=sys.stderr)
        return EXIT_REJECTED
    try:
        return _import_locked(args, path, db_path, limit)
    except refresh.CommitError as error:  # the machine's faults (a full disk, a locked database) in words
        print(f"{path.name}: {error}", file=sys.stderr)
        return EXIT_REJECTED


def _import_locked(args: argparse.Namespace, path: Path, db_path: Path, limit: int) -> int:
    database_file.ensure_schema(db_path)  # before the lock below: a migration takes the same lock
    # One lock for the whole check-preview-commit, so two scheduled imports run one after the other.
    with database_file.change_lock(db_path):
        preview = refresh.stage(db_path, args.kind, path.name, path.read_bytes(), args.by or _who(), limit)

        def details() -> None:
            for sentence in preview.moves:
                print(f"  {sentence}")
            _print_frame("Indicators whose RAG or direction changes", preview.rag_changes)
            _print_frame("Actions whose status changes", preview.status_changes)
        return _preview_and_commit(preview, db_path, args, details, [(path.name, path.read_bytes())])


def _import_published(args: argparse.Namespace) -> int:
    from dashboard.published.load import stage_published  # only this command needs the published readers

    if not _uploads_enabled():
        return EXIT_REJECTED
    db_path = default_db_path()
    database_file.ensure_schema(db_path)  # before the lock below: a migration takes the same lock
    with database_file.change_lock(db_path):
        preview = stage_published(db_path, [Path(p) for p in args.paths],
                                  dictionary=Path(args.dictionary) if args.dictionary else None,
                                  neighbours=[Path(p) for p in args.neighbours],
                                  mapping=Path(args.mapping) if args.mapping else None, uploaded_by=args.by or _who())
        return _preview_and_commit(preview, db_path, args, lambda: print(f"Source: {preview.source}"))


def _preview_and_commit(preview: refresh.Preview, db_path: Path, args: argparse.Namespace, details,
                        files: list[tuple[str, bytes]] | None = None) -> int:
    """What every import does with its staged preview (the caller holds the change lock): print the problems, the
    summary and the rows that change (then `details()`); stop on errors or a dry run; ask before accepting
    warnings; commit, and record the upload in the audit trail."""
    try:
        shown = grouped(preview.problems, preview.row_count)  # one mistake on many rows: once
        for problem in shown:
            print(f"{problem.severity}: {problem}", file=sys.stderr if problem.severity == "error" else sys.stdout)
        note = grouped_note(len(preview.problems), len(shown))
        if note:
            print(note.replace("the CSV lists every row", "the page's CSV download lists every row"))
        print(preview.summary())
        if preview.errors:
            return EXIT_REJECTED
        if not preview.can_commit:
            return 0
        for table, change in preview.changes.items():
            added, changed, removed = change.counts
            print(f"  {table}: {added:,} added, {changed:,} changed, {removed:,} removed, {change.unchanged:,} unchanged")
        details()
        if args.dry_run:
            print("Dry run: nothing has changed.")
            return 0
        if preview.warnings and not (args.yes or _confirm(f"Accept {len(preview.warnings)} warning(s) and commit?")):
            print("Not committed: there are warnings; check them, then run again with --yes to accept them.",
                  file=sys.stderr)
            return EXIT_NOT_CONFIRMED
        if getattr(args, "draft", False):  # for a second pair of eyes, as an officer's upload on the page
            draft_id = drafts.save(db_path, preview, files or [], audit.COMMAND_LINE)
            print(f"Saved as draft {draft_id}; `dashboard approve {draft_id} --comment ...` publishes it.")
            return 0
        upload_id = refresh.commit(preview, db_path, locked=True)
    finally:
        refresh.discard(preview)
    _record("upload", preview.uploaded_by, f"upload {upload_id}",
            f"{preview.kind} file {preview.file_name}, sha256 {preview.sha256[:12]}")
    print(f"Committed as upload {upload_id}.")
    return 0


def _cli_grant(args: argparse.Namespace) -> Grant:
    # Whoever runs the command line on the server is trusted as an administrator (docs/decisions.md), but is still
    # never the second pair of eyes on their own draft.
    return Grant(getattr(args, "by", None) or _who(), "admin")


def _drafts(args: argparse.Namespace) -> int:
    try:
        found = drafts.listed(default_db_path(), _cli_grant(args), None if args.all else drafts.DRAFT)
    except drafts.DraftError as error:
        print(str(error), file=sys.stderr)
        return EXIT_REJECTED
    if not found:
        print("No drafts waiting for approval." if not args.all else "No drafts.")
        return 0
    print(drafts.decisions_table(found).to_string(index=False))
    return 0


def _decide(args: argparse.Namespace) -> int:
    if not _uploads_enabled():
        return EXIT_REJECTED
    db_path, person = default_db_path(), _cli_grant(args)
    try:
        draft = drafts.get(db_path, args.draft_id, person)
        if args.command == "reject":
            if not (args.yes or _confirm(f"Reject draft {draft.draft_id} ({draft.file_name} by {draft.uploaded_by})?")):
                print("Not rejected.", file=sys.stderr)
                return EXIT_NOT_CONFIRMED
            drafts.reject(db_path, draft.draft_id, person, args.comment, audit.COMMAND_LINE)
            print(f"Draft {draft.draft_id} rejected: nothing has changed in the dashboard.")
            return 0
        if not drafts.may_decide(person, draft):
            print(f"You may not approve draft {draft.draft_id}: {drafts.why_not(person, draft)}", file=sys.stderr)
            return EXIT_REJECTED
        preview = drafts.restage(db_path, draft)
        try:
            for problem in preview.problems:
                print(f"{problem.severity}: {problem}", file=sys.stderr if problem.severity == "error" else sys.stdout)
            print(f"Now: {preview.summary()}")
            if not (args.yes or _confirm(f"Publish draft {draft.draft_id}?")):
                print("Not approved: nothing has changed.", file=sys.stderr)
                return EXIT_NOT_CONFIRMED
            upload_id = drafts.approve(db_path, draft.draft_id, preview, person, args.comment, audit.COMMAND_LINE)
        finally:
            refresh.discard(preview)
    except (drafts.DraftError, refresh.CommitError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_REJECTED
    print(f"Draft {draft.draft_id} approved and published as upload {upload_id}.")
    return 0


def _uploads_enabled() -> bool:
    try:
        enabled = load_settings().uploads_enabled
    except (SettingsError, ValueError) as error:
        print(f"Nothing has changed: {error}", file=sys.stderr)
        return False
    if not enabled:
        print("Uploads are switched off on this deployment (DASHBOARD_UPLOADS=off), so the data cannot be changed "
              "here. Nothing has changed. See docs/deploy.md.", file=sys.stderr)
    return enabled


def _check(args: argparse.Namespace) -> int:
    report = health.check(default_db_path())
    for line in report.lines:
        print(line)
    for warning in report.warnings:
        print(f"warning: {warning}")
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("OK" if report.ok else f"NOT OK: {len(report.problems)} problem(s)")
    return 0 if report.ok else 1


def _migrate(args: argparse.Namespace) -> int:
    db_path = default_db_path()
    if not db_path.is_file():
        print(f"No database at {db_path}; nothing to migrate (`python -m dashboard build` creates one).",
              file=sys.stderr)
        return 1
    try:
        before = backup.file_version(db_path)
        after = database_file.ensure_schema(db_path)
    except (backup.BackupError, refresh.CommitError) as error:
        print(f"Not migrated: {error}", file=sys.stderr)
        return 1
    print(f"{db_path}: schema version {before}" + (f" migrated to {after}." if after != before else ", current."))
    return 0


def _backup(args: argparse.Namespace) -> int:
    try:
        written = backup.backup(default_db_path(), Path(args.destination))
    except (backup.BackupError, refresh.CommitError, OSError) as error:
        print(f"No backup written: {error}", file=sys.stderr)
        return 1
    print(f"Backed up to {written} (schema version {backup.file_version(written)}).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    db_path, source = default_db_path(), Path(args.source)
    try:
        version = backup.file_version(source)
    except backup.BackupError as error:
        print(f"Not restored: {error}", file=sys.stderr)
        return 1
    print(f"This replaces {db_path} with {source} (schema version {version}); uploads made since that backup are "
          "lost from the live data.")
    if not (args.yes or _confirm("Restore?")):
        print("Not restored (use --yes to confirm).", file=sys.stderr)
        return EXIT_NOT_CONFIRMED
    try:
        kept = backup.restore(source, db_path)
    except (backup.BackupError, refresh.CommitError, OSError) as error:
        print(f"Not restored: {error}", file=sys.stderr)
        return 1
    _record("settings_change", _who(), str(db_path), f"database restored from {source}")
    print(f"Restored {source} as {db_path}." + (f" The database it replaced is kept as {kept}." if kept else ""))
    return 0


def _uploads(args: argparse.Namespace) -> int:
    frame = refresh.history(default_db_path())
    print(frame.drop(columns=["sha256"]).to_string(index=False))
    return 0


def _rollback(args: argparse.Namespace) -> int:
    db_path = default_db_path()
    if not _uploads_enabled():
        return EXIT_REJECTED
    try:
        plan = refresh.rollback_plan(db_path, args.upload_id)
    except (ValueError, refresh.CommitError) as error:
        print(f"Cannot roll back: {error}", file=sys.stderr)
        return EXIT_REJECTED
    print(plan.words())
    question = "Roll back?" if not plan.others else f"Roll back uploads {', '.join(map(str, plan.undone[::-1]))}?"
    if not (args.yes or _confirm(question)):
        print("Not rolled back (use --yes to confirm).", file=sys.stderr)
        return EXIT_NOT_CONFIRMED
    try:
        rollback_id = refresh.roll_back(db_path, args.upload_id, args.by or _who(), expected=list(plan.undone))
    except refresh.CommitError as error:
        print(error, file=sys.stderr)
        return EXIT_REJECTED
    _record("rollback", args.by or _who(), f"upload {args.upload_id}",
            f"undoes upload(s) {', '.join(map(str, plan.undone))}; recorded as upload {rollback_id}")
    print(f"Rolled back; recorded as upload {rollback_id}.")
    return 0


def _add_officer(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ; nothing written.", file=sys.stderr)
            return EXIT_USAGE
    else:
        password = sys.stdin.readline().rstrip("\r\n")  # for scripts: the first line of standard input
    if len(password) < 12:
        print("Use a password of at least 12 characters; nothing written.", file=sys.stderr)
        return EXIT_USAGE
    try:
        add_officer(Path(args.secrets), args.username, password)
    except ValueError as error:
        print(f"Not added: {error}.", file=sys.stderr)
        return EXIT_USAGE
    _record("settings_change", _who(), args.username, f"officer's password set in {args.secrets}")
    print(f"Officer {args.username} added to {args.secrets} (a salted scrypt hash; the password is not stored).")
    return 0


def _serve(args: argparse.Namespace) -> int:
    db_path = default_db_path().resolve()
    try:
        # Build when missing, else migrate: the systemd unit's ExecStartPre, in one step. With the published
        # statistics, as `dashboard build` and the app build it: a new container once started on the seed alone,
        # and the app, finding the file fresh, served it without a comparator.
        print(prepare(db_path, SEED_DIR, PUBLISHED_DIR))
    except (SeedError, refresh.CommitError, duckdb.Error, OSError) as error:
        print(f"Not started: {error}", file=sys.stderr)
        return 1
    env = {**os.environ, "DASHBOARD_DB": str(db_path)}  # the same file, whatever folder Streamlit resolves from
    command = serve.command(args.streamlit_options, env)
    sys.stdout.flush()
    os.chdir(WORK_ROOT)  # where Streamlit looks for .streamlit/secrets.toml: the checkout, or the deployment's folder
    os.execve(command[0], command, env)  # Streamlit becomes this process, so a service manager's signals reach it
    return 0  # not reached


def _audit(args: argparse.Namespace) -> int:
    db_path = default_db_path()
    try:
        if args.unlock:
            # Recorded under the account's name, as its failures are: the policy reads an unlock as a fresh start.
            audit.record(db_path, "unlock", args.unlock, audit.COMMAND_LINE, "account", f"unlocked by {_who()}")
            print(f"{args.unlock} unlocked: the next sign-in is not delayed by earlier failures.")
            return 0
        since = audit.now() - timedelta(days=args.days) if args.days else None
        frame = audit.events(db_path, since=since, actor=args.who, actions=(args.action,) if args.action else None,
                             limit=args.limit)
    except audit.AuditError as error:
        print(f"{error} {error.__cause__ or ''}".strip(), file=sys.stderr)  # the cause names the file, for an admin
        return 1
    if args.json:
        for row in reversed(frame.to_dict("records")):  # oldest first, as a log is read
            print(json.dumps({**row, "occurred_at": row["occurred_at"].isoformat()}, ensure_ascii=False))
    elif frame.empty:
        print("Nothing recorded" + (" that matches." if args.who or args.action or args.days else " yet."))
    else:
        shown = frame.assign(occurred_at=frame["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S"))
        print(shown.fillna("").to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="(re)build the database from data/ (path: $DASHBOARD_DB)")
    build_parser.add_argument("--if-stale", action="store_true", help="only when missing or older than data/")
    build_parser.add_argument("--force", action="store_true", help="rebuild even if officers have uploaded data")
    build_parser.set_defaults(run=_build)
    export_parser = commands.add_parser("export", help="write an analysts' view as CSV to standard output")
    export_parser.add_argument("view", help=", ".join(queries.EXPORTABLE_VIEWS))
    export_parser.add_argument("--excel", action="store_true",
                               help="for Excel: a UTF-8 byte order mark (so £ reads right) and CRLF line ends")
    export_parser.set_defaults(run=_export)
    export_db_parser = commands.add_parser("export-db", help="write every table and view as Parquet, a copy of the "
                                           "database for DuckDB 1.x, and a README, into a new folder")
    export_db_parser.add_argument("folder", help="a new or empty folder")
    export_db_parser.set_defaults(run=_export_db)
    check_parser = commands.add_parser("check-seed", help="check one data/seed/NNN folder: import rules and cited lines")
    check_parser.add_argument("folder", help="e.g. data/seed/004")
    check_parser.add_argument("--documents", default=str(DOCUMENTS_DIR), help="folder of the source documents")
    check_parser.set_defaults(run=_check_seed)
    import_parser = commands.add_parser("import", help="check, preview and commit an officer's CSV or XLSX file")
    import_parser.add_argument("file")
    import_parser.add_argument("--kind", choices=tuple(KIND_LABELS),
                               help="the kind of file (guessed from its columns when left out)")
    import_parser.add_argument("--dry-run", action="store_true", help="check and preview only; change nothing")
    import_parser.add_argument("--yes", action="store_true", help="accept warnings and commit without asking")
    import_parser.add_argument("--by", help="who is uploading (default: your user name)")
    import_parser.add_argument("--draft", action="store_true",
                               help="save it as a draft for a second officer to approve, rather than publish it")
    import_parser.set_defaults(run=_import)
    published_parser = commands.add_parser(
        "import-published", help="check, preview and commit DfE's published statistics (LAIT, EES tidy CSVs)")
    published_parser.add_argument("paths", nargs="+", metavar="PATH",
                                  help="LAIT's bds_long_0.parquet and/or Explore Education Statistics tidy CSVs")
    published_parser.add_argument("--dictionary", help="LAIT's data dictionary CSV (default: "
                                  "lait_data_dictionary.csv beside the values)")
    published_parser.add_argument("--neighbours", action="append", default=[], metavar="FILE",
                                  help="a statistical neighbour workbook (repeat for more; the newest is used)")
    published_parser.add_argument("--mapping", metavar="FILE", help="a CSV renaming series, giving their polarity "
                                  "or aliasing them (columns series, code, name, polarity, alias)")
    published_parser.add_argument("--dry-run", action="store_true", help="check and preview only; change nothing")
    published_parser.add_argument("--yes", action="store_true", help="accept warnings and commit without asking")
    published_parser.add_argument("--by", help="who is importing (default: your user name)")
    published_parser.set_defaults(run=_import_published)
    uploads_parser = commands.add_parser("uploads", help="list every load of data, newest first")
    uploads_parser.set_defaults(run=_uploads)
    rollback_parser = commands.add_parser("rollback", help="undo an upload (and later uploads that changed the same rows)")
    rollback_parser.add_argument("upload_id", type=int)
    rollback_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rollback_parser.add_argument("--by", help="who is rolling back (default: your user name)")
    rollback_parser.set_defaults(run=_rollback)
    officer_parser = commands.add_parser("add-officer", help="add an officer who may upload and roll back")
    officer_parser.add_argument("username")
    officer_parser.add_argument("--secrets", default=str(SECRETS), help="the secrets file (default: %(default)s)")
    officer_parser.set_defaults(run=_add_officer)
    health_parser = commands.add_parser("check", help="health: opens? schema version, rows, last refresh, settings")
    health_parser.set_defaults(run=_check)
    migrate_parser = commands.add_parser("migrate", help="bring the database to this code's schema version")
    migrate_parser.set_defaults(run=_migrate)
    backup_parser = commands.add_parser("backup", help="copy the live database consistently, while it is served")
    backup_parser.add_argument("destination", help="a new file, or a folder to write a dated file into")
    backup_parser.set_defaults(run=_backup)
    restore_parser = commands.add_parser("restore", help="swap a backup in as the live database")
    restore_parser.add_argument("source", help="a file written by `backup`")
    restore_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore_parser.set_defaults(run=_restore)
    serve_parser = commands.add_parser("serve", help="start the dashboard (Streamlit on app.py with the project's "
                                       "config); builds or migrates the database first",
                                       epilog="Other options go to `streamlit run`, e.g. --server.port=8502.")
    serve_parser.set_defaults(run=_serve)
    audit_parser = commands.add_parser("audit", help="list the audit trail, newest first; or unlock an account")
    audit_parser.add_argument("--days", type=float, help="only the last N days")
    audit_parser.add_argument("--who", help="only events by this officer (or name typed at sign-in)")
    audit_parser.add_argument("--action", choices=sorted(audit.ACTIONS), help="only this kind of event")
    audit_parser.add_argument("--limit", type=int, help="at most this many events")
    audit_parser.add_argument("--json", action="store_true", help="JSON lines, oldest first, for other tools")
    audit_parser.add_argument("--unlock", metavar="USERNAME", help="end an account's lockout now (recorded)")
    audit_parser.set_defaults(run=_audit)
    drafts_parser = commands.add_parser("drafts", help="list drafts waiting for approval (--all: decided ones too)")
    drafts_parser.add_argument("--all", action="store_true", help="approved and rejected drafts too")
    drafts_parser.set_defaults(run=_drafts)
    for name, verb in (("approve", "publish a draft: preview it on the current data, then commit it"),
                       ("reject", "discard a draft; the data is not touched")):
        decide_parser = commands.add_parser(name, help=verb)
        decide_parser.add_argument("draft_id", type=int)
        decide_parser.add_argument("--comment", required=True, help="why: kept with the decision")
        decide_parser.add_argument("--by", help="who is deciding (default: your user name); never the uploader")
        decide_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        decide_parser.set_defaults(run=_decide)
    board_pack.add_command(commands)
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.streamlit_options = unknown
    try:
        return args.run(args)
    except BrokenPipeError:
        raise  # a reader that stopped reading (`| head`): __main__ ends quietly with 141, as a shell tool does
    except (OSError, duckdb.Error) as error:
        # The last net: a fault of the machine no command caught is still a sentence, never a traceback.
        words = faults.cause(error, default_db_path())
        print(f"Stopped: {words or error}. If it was a change, the database is as it was.", file=sys.stderr)
        return 1
