"""Hosting: settings in one place, the health check, backup and restore, the schema upgrade path, the database built on
first start, viewing behind sign-in, and uploads switched off. Real databases, the real command line, real AppTest."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import table_checksums
from dashboard.loading import refresh
from dashboard.loading.build import is_stale, prepare
from dashboard.settings import STREAMLIT_DEFAULT_MAX_MB, SettingsError, load
from dashboard.store import connection
from dashboard.store.connection import _MIGRATIONS, SCHEMA_VERSION, connect
from dashboard.trust.auth import add_officer
from upload_support import REPO, data_checksums, rows

APP = REPO / "app.py"
IND = "indicator_code,organisation,period,measure,value\n"
PASSWORD = "a long password for tests"


def run(db_path: Path, *args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m dashboard ...` in a subprocess on `db_path`, with extra environment variables."""
    full = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=full,
                          input=stdin, cwd=REPO, timeout=120)


def upload(db_path: Path, tmp_path: Path, value: str = "10%") -> None:
    """An officer's indicator upload through the real command line."""
    path = tmp_path / f"q-{value.strip('%')}.csv"
    path.write_text(IND + f"NI 65,nowhere-borough,2010/11 Q1,actual,{value}\n")
    result = run(db_path, "import", str(path), "--by", "tester", "--yes")
    assert result.returncode == 0, result.stderr


def as_schema_1(db_path: Path) -> None:
    """Turn a database into what a build before schema version 2 wrote (no upload history, no journal)."""
    con = connect(db_path)
    try:
        for table in ("actions", "action_statuses", "observations", "efficiency_lines", "organisations",
                      "organisation_aliases", "plans", "areas", "indicators", "indicator_aliases", "indicator_areas"):
            con.execute(f"DROP TABLE superseded_{table}")  # schema versions 2 and 5
        con.execute("ALTER TABLE indicators DROP COLUMN tolerance_units")  # schema version 5
        con.execute("DROP VIEW v_upload_history")
        # and without schema version 4's neighbour models and benchmarks
        for view in ("v_benchmarks", "v_neighbour_model"):
            con.execute(f"DROP VIEW {view}")
        for table in ("statistical_neighbours", "neighbour_models"):
            con.execute(f"DROP TABLE {table}")
        con.execute("ALTER TABLE indicators DROP COLUMN no_quartile")
        for column in ("rows_added", "rows_changed", "rows_removed", "rolled_back_by", "rolls_back"):
            con.execute(f"ALTER TABLE uploads DROP COLUMN {column}")
        con.execute("DROP TABLE benchmarks")  # without schema version 7's stored benchmarks
        con.execute("DROP VIEW v_indicator_assessment")  # without schema version 6's stored assessment
        con.execute("DROP TABLE indicator_assessment")
        con.execute("DROP TABLE organisation_aliases")  # and without schema version 3's identifiers
        for table, columns in (("organisations", ("ons_code", "la_number", "region", "upload_id", "upload_row")),
                               ("plans", ("status",)),
                               ("indicators", ("year_type", "decimals", "description", "owner", "topic", "retired"))):
            for column in columns:
                con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        con.execute("DELETE FROM schema_info")
        con.execute("INSERT INTO schema_info (version) VALUES (1)")
        con.execute("CHECKPOINT")
    finally:
        con.close()


# --- Settings ------------------------------------------------------------------------------------------------------

def test_settings_defaults(tmp_path):
    config = tmp_path / "config.toml"
    settings = load({}, {}, config)
    assert (settings.db_path, settings.viewing, settings.uploads_enabled, settings.max_upload_mb, settings.oidc,
            settings.officers) == (REPO / "data" / "dashboard.duckdb", "public", True, STREAMLIT_DEFAULT_MAX_MB,
                                   False, False)
    assert not settings.sign_in_required
    assert load({}, {}).max_upload_mb == 20  # the repository's .streamlit/config.toml


def test_settings_come_from_the_environment_then_root_level_secrets():
    secrets = {"DASHBOARD_UPLOADS": "off", "DASHBOARD_VIEWING": "signed-in", "auth": {"client_id": "x"},
               "officers": {"a": "scrypt$..."}}
    from_secrets = load({}, secrets)
    assert (from_secrets.uploads_enabled, from_secrets.viewing, from_secrets.oidc, from_secrets.officers) == (
        False, "signed-in", True, True)
    from_env = load({"DASHBOARD_UPLOADS": "on", "DASHBOARD_VIEWING": "public", "DASHBOARD_DB": "/srv/d.duckdb",
                     "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "5"}, secrets)
    assert (from_env.uploads_enabled, from_env.viewing, from_env.db_path, from_env.max_upload_bytes) == (
        True, "public", Path("/srv/d.duckdb"), 5 * 1024 * 1024)


@pytest.mark.parametrize("name, value, message", [
    ("DASHBOARD_VIEWING", "private", "DASHBOARD_VIEWING is 'private'; use 'public' or 'signed-in'."),
    ("DASHBOARD_UPLOADS", "maybe", "DASHBOARD_UPLOADS is 'maybe'; use 'on' or 'off'.")])
def test_a_mistyped_setting_is_refused_by_name(name, value, message):
    with pytest.raises(SettingsError) as raised:
        load({name: value}, {})
    assert str(raised.value) == message


# --- Health check ---------------------------------------------------------------------------------------------------

def test_check_reports_a_healthy_database(fixture_db, tmp_path):
    result = run(fixture_db, "check")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Schema version: {SCHEMA_VERSION} (this code expects {SCHEMA_VERSION})" in out
    assert f"Database: {fixture_db}" in out and "Opens read-only: yes" in out
    counts = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in out.splitlines()
              if line.startswith("  ")}
    assert counts["actions"] == rows(fixture_db, "SELECT count(*) FROM actions")[0][0] > 0
    assert counts["uploads"] == 1 and counts["superseded_observations"] == 0
    assert "Last refresh: load 1 (seed," in out
    assert out.rstrip().endswith("OK")
    upload(fixture_db, tmp_path)
    after = run(fixture_db, "check")
    assert after.returncode == 0 and "Last refresh: load 2 (indicators, q-10.csv) by tester at " in after.stdout


def test_check_fails_when_the_file_is_missing(tmp_path):
    result = run(tmp_path / "none.duckdb", "check")
    assert result.returncode == 1
    assert f"problem: No database at {tmp_path / 'none.duckdb'}." in result.stderr
    assert "NOT OK: 1 problem(s)" in result.stdout


def test_check_fails_when_the_file_is_not_a_database(tmp_path):
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database at all" * 1000)
    result = run(garbage, "check")
    assert result.returncode == 1
    assert f"problem: {garbage} cannot be opened as a DuckDB database:" in result.stderr


def test_check_fails_on_a_duckdb_file_that_is_not_the_dashboards(tmp_path):
    other = tmp_path / "other.duckdb"
    con = connect(other)
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    result = run(other, "check")
    assert result.returncode == 1 and "not the dashboard's database (no schema_info)" in result.stderr


def test_check_fails_on_an_older_schema_and_migrate_fixes_it(fixture_db):
    as_schema_1(fixture_db)
    result = run(fixture_db, "check")
    assert result.returncode == 1
    assert (f"problem: Schema version 1 is older than this code's {SCHEMA_VERSION}: run `python -m dashboard "
            "migrate` (uploads are kept).") in result.stderr
    migrated = run(fixture_db, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == f"{fixture_db}: schema version 1 migrated to {SCHEMA_VERSION}."
    assert run(fixture_db, "check").returncode == 0


def test_check_fails_on_a_newer_schema(fixture_db):
    con = connect(fixture_db)
    con.execute("INSERT INTO schema_info (version) VALUES (?)", [SCHEMA_VERSION + 1])
    con.close()
    result = run(fixture_db, "check")
    assert result.returncode == 1
    assert f"Schema version {SCHEMA_VERSION + 1} is newer than this code's {SCHEMA_VERSION}" in result.stderr
    refused = run(fixture_db, "migrate")
    assert refused.returncode == 1 and f"newer than this code ({SCHEMA_VERSION})" in refused.stderr


def test_check_fails_on_a_mistyped_setting(fixture_db):
    result = run(fixture_db, "check", env={"DASHBOARD_VIEWING": "private"})
    assert result.returncode == 1
    assert "problem: Settings: DASHBOARD_VIEWING is 'private'; use 'public' or 'signed-in'." in result.stderr


def test_check_fails_when_viewing_needs_a_sign_in_nobody_can_do(fixture_db):
    result = run(fixture_db, "check", env={"DASHBOARD_VIEWING": "signed-in"})
    assert result.returncode == 1 and "nobody could view the dashboard" in result.stderr


# --- Upgrades -------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_upgrade_migrates_schema_1_to_2_keeping_every_row_and_later_uploads(fixture_db, tmp_path):
    as_schema_1(fixture_db)
    tables = [t for t in data_checksums(fixture_db) if t != "schema_info"]
    columns = {t: [c for (c,) in rows(fixture_db, f"SELECT column_name FROM information_schema.columns "
                                                  f"WHERE table_name = '{t}' ORDER BY ordinal_position")]
               for t in tables}

    def kept():  # every row of every table, in the columns the old schema had (later versions add columns)
        return {t: rows(fixture_db, f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY ALL") for t in tables}

    before = kept()
    loads = rows(fixture_db, "SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at FROM uploads")
    assert run(fixture_db, "migrate").returncode == 0
    assert rows(fixture_db, "SELECT version FROM schema_info ORDER BY 1") == [(1,)] + [(s,) for s in sorted(_MIGRATIONS)]
    assert kept() == before
    assert rows(fixture_db, "SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at FROM uploads") == loads
    # On the new schema an officer uploads; running the upgrade again (the next release) keeps that upload.
    upload(fixture_db, tmp_path)
    with_upload = table_checksums(fixture_db)
    again = run(fixture_db, "migrate")
    assert again.returncode == 0
    assert again.stdout.strip() == f"{fixture_db}: schema version {SCHEMA_VERSION}, current."
    assert table_checksums(fixture_db) == with_upload


def test_start_up_builds_a_missing_database_and_never_rebuilds_over_uploads(tmp_path, fixture_seed_copy):
    db = tmp_path / "new" / "dashboard.duckdb"
    assert prepare(db, fixture_seed_copy) == f"Built {db} from {fixture_seed_copy}."
    assert rows(db, "SELECT count(*) FROM uploads") == [(1,)]
    assert prepare(db, fixture_seed_copy) == f"{db} is ready (schema version {SCHEMA_VERSION})."
    upload(db, tmp_path)
    with_upload = table_checksums(db)
    # A new release brings newer seed data: a database holding an officer's upload is kept (and migrated).
    future = time.time() + 60
    for csv in fixture_seed_copy.rglob("*.csv"):
        os.utime(csv, (future, future))
    assert is_stale(db, fixture_seed_copy)
    assert prepare(db, fixture_seed_copy) == f"{db} is ready (schema version {SCHEMA_VERSION})."
    assert table_checksums(db) == with_upload


def test_start_up_rebuilds_a_stale_database_without_uploads(tmp_path, fixture_seed_copy):
    db = tmp_path / "dashboard.duckdb"
    prepare(db, fixture_seed_copy)
    (fixture_seed_copy / "organisations.csv").write_text(
        (fixture_seed_copy / "organisations.csv").read_text(encoding="utf-8"), encoding="utf-8")
    future = time.time() + 60
    os.utime(fixture_seed_copy / "organisations.csv", (future, future))
    assert prepare(db, fixture_seed_copy) == f"Rebuilt {db} from {fixture_seed_copy}."


# --- Backup and restore ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_backup_then_an_upload_then_restore_gives_back_exactly_the_backed_up_data(fixture_db, tmp_path):
    before = table_checksums(fixture_db)
    backups = tmp_path / "backups"
    backups.mkdir()
    made = run(fixture_db, "backup", str(backups))
    assert made.returncode == 0, made.stderr
    [copy] = list(backups.iterdir())
    assert made.stdout.strip() == f"Backed up to {copy} (schema version {SCHEMA_VERSION})."
    assert table_checksums(copy) == before
    upload(fixture_db, tmp_path)
    after_upload = table_checksums(fixture_db)
    assert after_upload != before
    refused = run(fixture_db, "restore", str(copy))  # no terminal and no --yes: asks, and so does nothing
    assert refused.returncode == 3 and table_checksums(fixture_db) == after_upload
    restored = run(fixture_db, "restore", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert table_checksums(fixture_db) == before
    [kept] = list(tmp_path.glob("fictional.duckdb.before-restore-*"))
    assert f"The database it replaced is kept as {kept}." in restored.stdout
    assert table_checksums(kept) == after_upload  # a restore of the wrong file can itself be undone
    assert table_checksums(copy) == before  # the backup itself is untouched
    assert run(fixture_db, "check").returncode == 0


def test_a_backup_waits_for_a_change_being_saved(fixture_db, tmp_path):
    destination = tmp_path / "during.duckdb"
    env = {**os.environ, "DASHBOARD_DB": str(fixture_db), "PYTHONPATH": str(REPO / "src")}
    with refresh.change_lock(fixture_db):  # as an upload's commit holds it
        child = subprocess.Popen([sys.executable, "-m", "dashboard", "backup", str(destination)], env=env, cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert child.poll() is None and not destination.exists()
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert table_checksums(destination) == table_checksums(fixture_db)


def test_a_backup_never_overwrites_and_a_restore_refuses_what_is_not_a_backup(fixture_db, tmp_path):
    existing = tmp_path / "existing.duckdb"
    existing.write_text("keep me")
    result = run(fixture_db, "backup", str(existing))
    assert result.returncode == 1 and "already exists; a backup never overwrites a file" in result.stderr
    assert existing.read_text() == "keep me"
    before = table_checksums(fixture_db)
    refused = run(fixture_db, "restore", str(existing), "--yes")
    assert refused.returncode == 1 and "is not a readable DuckDB database" in refused.stderr
    assert table_checksums(fixture_db) == before
    assert not list(tmp_path.glob("*.staged-*"))


def test_restoring_a_backup_made_before_schema_2_migrates_it(fixture_db, tmp_path):
    old = tmp_path / "old-backup.duckdb"
    old.write_bytes(fixture_db.read_bytes())
    as_schema_1(old)
    old_checksums = table_checksums(old)
    upload(fixture_db, tmp_path)
    assert run(fixture_db, "restore", str(old), "--yes").returncode == 0
    assert rows(fixture_db, "SELECT max(version) FROM schema_info") == [(SCHEMA_VERSION,)]
    assert rows(fixture_db, "SELECT count(*) FROM uploads") == [(1,)]
    assert table_checksums(old) == old_checksums  # restored from a copy; the backup stays as it was


# --- The app: first start, signed-in viewing, uploads off -----------------------------------------------------------

def _secrets(tmp_path: Path, **extra) -> dict:
    path = tmp_path / "secrets.toml"
    add_officer(path, "jo.officer", PASSWORD)
    return {**tomllib.loads(path.read_text()), **extra}


def _app(monkeypatch, db: Path, secrets: dict | None = None, **env: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets = secrets or {}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_app_builds_its_database_from_data_on_first_start(monkeypatch, tmp_path):
    db = tmp_path / "fresh" / "dashboard.duckdb"  # as on Streamlit Community Cloud: a clone without the file
    at = _app(monkeypatch, db)
    assert db.is_file()
    assert at.selectbox(key="org").value == "herefordshire-council" and at.title[0].value == "Herefordshire Council"
    assert rows(db, "SELECT count(*) FROM uploads WHERE kind = 'seed'")[0][0] >= 3


def test_signed_in_viewing_shows_an_anonymous_session_only_the_sign_in_page(monkeypatch, fixture_db, tmp_path):
    at = _app(monkeypatch, fixture_db, _secrets(tmp_path), DASHBOARD_VIEWING="signed-in")
    assert [t.value for t in at.title] == ["Sign in"]
    assert "This dashboard is for signed-in staff only. Sign in to view it." in [m.value for m in at.markdown]
    assert not at.selectbox and not at.dataframe and not at.metric  # no sidebar, no data
    for page in ("views/overview.py", "views/efficiency.py", "views/upload.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input(PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.exception
    at.switch_page("views/overview.py")
    at.run()
    assert at.selectbox(key="org").value == "nowhere-borough"
    assert at.title[0].value == r"Nowhere Borough Council \(fictional\)"  # escaped: a name from the data


def test_signed_in_viewing_without_any_sign_in_configured_says_so(monkeypatch, fixture_db):
    at = _app(monkeypatch, fixture_db, {}, DASHBOARD_VIEWING="signed-in")
    assert [t.value for t in at.title] == ["Sign in"]
    assert "No sign-in is configured on this deployment" in at.error[0].value
    assert not at.text_input


def test_public_viewing_is_unchanged(monkeypatch, fixture_db, tmp_path):
    at = _app(monkeypatch, fixture_db, _secrets(tmp_path))
    assert at.title[0].value == r"Nowhere Borough Council \(fictional\)"  # escaped: a name from the data
    at.switch_page("views/sign_in.py")
    at.run()
    assert [t.value for t in at.title] == ["Officer sign-in"]


def test_uploads_off_hides_upload_pages_even_from_a_signed_in_officer(monkeypatch, fixture_db, tmp_path):
    at = _app(monkeypatch, fixture_db, _secrets(tmp_path), DASHBOARD_UPLOADS="off")
    assert at.title[0].value == r"Nowhere Borough Council \(fictional\)"  # escaped: a name from the data
    for page in ("views/upload.py", "views/history.py", "views/sign_in.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    # Run directly, as if signed in, each officer page still refuses.
    for name in ("upload.py", "history.py"):
        page = AppTest.from_file(str(REPO / "views" / name), default_timeout=60)
        page.session_state["officer"] = "jo.officer"
        page.run()
        assert [t.value for t in page.title] == ["Uploads are switched off"]
        assert not page.file_uploader and not page.dataframe


@pytest.mark.slow
def test_uploads_off_makes_the_command_line_refuse_imports_and_rollbacks(fixture_db, tmp_path):
    before = table_checksums(fixture_db)
    path = tmp_path / "q.csv"
    path.write_text(IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    message = ("Uploads are switched off on this deployment (DASHBOARD_UPLOADS=off), so the data cannot be changed "
               "here. Nothing has changed. See docs/deploy.md.")
    imported = run(fixture_db, "import", str(path), "--yes", env={"DASHBOARD_UPLOADS": "off"})
    assert (imported.returncode, imported.stderr.strip()) == (1, message)
    rolled = run(fixture_db, "rollback", "1", "--yes", env={"DASHBOARD_UPLOADS": "off"})
    assert (rolled.returncode, rolled.stderr.strip()) == (1, message)
    assert table_checksums(fixture_db) == before
    assert run(fixture_db, "import", str(path), "--yes").returncode == 0  # the same file, uploads on


def test_the_systemd_unit_is_valid(tmp_path):
    """deploy/dashboard.service passes `systemd-analyze verify` (with this machine's Python standing in for the
    server's virtualenv), and its database path is the one directory it may write."""
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("needs systemd-analyze (the systemd package)")
    text = (REPO / "deploy" / "dashboard.service").read_text()
    unit = tmp_path / "performance-dashboard.service"
    unit.write_text(text.replace("/opt/performance-dashboard/.venv/bin/python", sys.executable))
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    db = re.search(r"^Environment=DASHBOARD_DB=(.+)$", text, re.M).group(1)
    writable = re.search(r"^ReadWritePaths=(.+)$", text, re.M).group(1)
    assert Path(db).parent == Path(writable) == Path("/var/lib") / re.search(r"^StateDirectory=(.+)$", text,
                                                                             re.M).group(1)


def test_a_migration_refuses_to_start_without_the_rules_that_fill_its_table(fixture_db, monkeypatch):
    # Step 6 adds the stored assessment, filled by the rules' module through connection.RECOMPUTED_BY (the store
    # never imports upward); without it the step would leave the table empty, so nothing starts.
    as_schema_1(fixture_db)
    monkeypatch.delitem(connection.RECOMPUTED_BY, 6)
    con = connect(fixture_db)
    try:
        with pytest.raises(RuntimeError, match="dashboard.reading.assessment_table"):
            connection.migrate(con)
        assert connection.schema_version(con) == 1
    finally:
        con.close()
