"""The health check behind `python -m dashboard check`: does the database open, at which schema version, how many
rows, when was it last refreshed, and are the settings valid."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dashboard.loading.build import SEED_DIR, is_stale
from dashboard.settings import Settings, SettingsError, load
from dashboard.store import queries
from dashboard.store.connection import SCHEMA_VERSION, connect, schema_version
from dashboard.store.database_file import remove_strays


@dataclass
class Report:
    """What the check found: lines to print, problems (each makes the check fail) and warnings (they do not)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check(db_path: Path, settings: Settings | None = None, seed_dir: Path = SEED_DIR) -> Report:
    """Check the database at `db_path` and the deployment's settings."""
    report = Report()
    if settings is None:
        try:
            settings = load()
        except (SettingsError, ValueError) as error:  # ValueError: a secrets file that is not TOML
            report.problems.append(f"Settings: {error}")
    if settings is not None:
        report.lines.append(_describe(settings))
        if settings.sign_in_required and not settings.sign_in_possible:
            report.problems.append("Viewing requires sign-in (DASHBOARD_VIEWING=signed-in) but no sign-in is "
                                   "configured ([auth] or [officers] in secrets): nobody could view the dashboard.")
    report.lines.append(f"Database: {db_path}")
    if not db_path.is_file():
        report.problems.append(f"No database at {db_path}. Build it with `python -m dashboard build` or restore a "
                               "backup with `python -m dashboard restore FILE`.")
        return report
    try:
        con = connect(db_path, read_only=True)
    except (duckdb.Error, OSError) as error:
        report.problems.append(f"{db_path} cannot be opened as a DuckDB database: {error}")
        return report
    try:
        report.lines.append(f"Opens read-only: yes ({db_path.stat().st_size / 1048576:,.1f} MB)")
        version = report.schema_version = schema_version(con)
        if version is None:
            report.problems.append(f"{db_path} is a DuckDB file but not the dashboard's database (no schema_info).")
            return report
        report.lines.append(f"Schema version: {version} (this code expects {SCHEMA_VERSION})")
        if version < SCHEMA_VERSION:
            report.problems.append(f"Schema version {version} is older than this code's {SCHEMA_VERSION}: run "
                                   "`python -m dashboard migrate` (uploads are kept).")
        elif version > SCHEMA_VERSION:
            report.problems.append(f"Schema version {version} is newer than this code's {SCHEMA_VERSION}: the code "
                                   "is older than the database; upgrade the code or restore an older backup.")
        report.counts = queries.table_counts(con)
        report.lines.append("Rows:")
        report.lines.extend(f"  {table:<28} {count:>9,}" for table, count in report.counts.items())
        if not report.counts.get("uploads"):
            report.problems.append("The database holds no data (no load in the uploads table).")
        else:
            last = queries.last_refresh(con).iloc[0]
            report.lines.append(f"Last refresh: load {last.upload_id} ({last.kind}, {last.file_name}) by "
                                f"{last.uploaded_by} at {last.uploaded_at:%d/%m/%Y %H:%M}")
        uploads = queries.officer_upload_count(con)
    except duckdb.Error as error:
        report.problems.append(f"{db_path} opened but could not be read: {error}")
        return report
    finally:
        con.close()
    if is_stale(db_path, seed_dir) and uploads:
        report.warnings.append("data/ is newer than the database, which holds officers' uploads, so it is not rebuilt "
                               "automatically (`python -m dashboard build --force` would drop the uploads).")
    try:
        for stray in remove_strays(db_path):
            report.lines.append(f"Removed {stray.name}: a staged copy left by a stopped upload or restore.")
    except OSError as error:
        report.warnings.append(f"Staged copies left by a stopped process could not be removed: {error}")
    for staged in sorted(p for p in db_path.parent.glob(f"{db_path.name}.staged-*") if p.suffix != ".wal"):
        report.warnings.append(f"{staged.name}: a staged copy of an upload being previewed now (deleted when the "
                               "officer confirms or cancels, or after an hour).")
    return report


def _describe(settings: Settings) -> str:
    sign_in = ("organisation sign-in ([auth])" if settings.oidc else "local officer list" if settings.officers
               else "none configured")
    return (f"Settings: viewing {settings.viewing}; uploads {'on' if settings.uploads_enabled else 'off'}; upload "
            f"limit {settings.max_upload_mb} MB; sign-in: {sign_in}")
