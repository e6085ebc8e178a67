"""The analysts' file: every documented view exportable, CSV for Excel, a closed pipe, and `export-db`'s folder
(Parquet, a README and a copy older DuckDB releases open)."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.cli import main as cli_main
from dashboard.store import queries
from dashboard.store.analysts import COMPATIBLE_STORAGE
from dashboard.store.connection import SCHEMA_VERSION, connect, defined_views
from upload_support import REPO, cli

DATA_MODEL = REPO / "docs" / "data-model.md"


def documented_views() -> set[str]:
    """The views docs/data-model.md describes: each `### v_…` heading of its Views section (one may name two)."""
    section = DATA_MODEL.read_text(encoding="utf-8").split("\n## Views\n", 1)[1].split("\n## ", 1)[0]
    return {name for heading in re.findall(r"^### (.+)$", section, re.MULTILINE)
            for name in re.findall(r"\bv_\w+", heading.split(" — ")[0])}


def test_the_data_model_documents_exactly_the_views_the_sql_creates(seed_db):
    in_sql = set(defined_views())
    con = connect(seed_db, read_only=True)
    try:
        in_database = {row[0] for row in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
        ).fetchall()}
    finally:
        con.close()
    assert in_sql == in_database, "views.sql and the migrations disagree with what a built database holds"
    assert documented_views() == in_sql, (f"in docs/data-model.md only: {sorted(documented_views() - in_sql)}; "
                                          f"in the SQL only: {sorted(in_sql - documented_views())}")
    assert set(queries.EXPORTABLE_VIEWS) == in_sql


def test_every_documented_view_exports_as_csv_with_its_rows(seed_db, monkeypatch, capsysbinary):
    con = connect(seed_db, read_only=True)
    try:
        counts = {view: con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] for view in documented_views()}
    finally:
        con.close()
    assert "v_upload_history" in counts  # refused before issue 23
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    for view, count in counts.items():  # in this process, the command line's own main(): one process per view is slow
        assert cli_main(["export", view]) == 0, view
        assert len(pd.read_csv(io.BytesIO(capsysbinary.readouterr().out))) == count, view


def test_an_unknown_view_is_refused_naming_the_choices(seed_db):
    result = cli(seed_db, "export", "actions")
    assert result.returncode == 2 and "unknown view 'actions'" in result.stderr and "v_upload_history" in result.stderr


def _export_bytes(db_path: Path, *args: str) -> bytes:
    env = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONPATH": str(REPO / "src"), "LC_ALL": "C"}
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *args], capture_output=True, env=env,
                          cwd=REPO, timeout=120, check=True).stdout


def test_excel_csv_starts_with_a_byte_order_mark_and_keeps_the_pound_sign(seed_db):
    plain, excel = _export_bytes(seed_db, "v_actions"), _export_bytes(seed_db, "v_actions", "--excel")
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf")
    assert "£".encode() in plain  # UTF-8 even under the C locale
    text = excel.decode("utf-8-sig")
    assert "\r\n" in text and "£" in text
    assert text.replace("\r\n", "\n") == plain.decode("utf-8").replace("\r\n", "\n")


def test_a_closed_pipe_ends_the_export_quietly(seed_db):
    env = {**os.environ, "DASHBOARD_DB": str(seed_db), "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, "-m", "dashboard", "export", "v_actions"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=REPO)
    assert child.stdout.readline().startswith(b"plan_id,")  # as `| head -1`: one line read, then the pipe closed
    child.stdout.close()
    assert child.wait(timeout=120) == 141  # v_actions is 0.8 MB, far more than a pipe holds, so the write fails
    assert child.stderr.read() == b""  # no traceback, no "Exception ignored"


def test_export_db_writes_every_table_and_view_as_parquet_with_a_readme(seed_db, tmp_path):
    folder = tmp_path / "analysts"
    result = cli(seed_db, "export-db", str(folder))
    assert result.returncode == 0, result.stderr
    con = connect(seed_db, read_only=True)
    try:
        objects = con.execute("""
            SELECT table_name, 'tables' FROM duckdb_tables() WHERE database_name = current_database()
            UNION ALL SELECT view_name, 'views' FROM duckdb_views() WHERE database_name = current_database()
            AND NOT internal""").fetchall()
        expected = {f"{kind}/{name}.parquet": con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                    for name, kind in objects}
        # the same rows, value for value and type for type (EXCEPT ALL both ways; DATE stays DATE)
        parquet = f"read_parquet('{folder / 'views' / 'v_actions.parquet'}')"
        differ = con.execute(f"SELECT (SELECT count(*) FROM (FROM v_actions EXCEPT ALL FROM {parquet})) + "
                             f"(SELECT count(*) FROM (FROM {parquet} EXCEPT ALL FROM v_actions))").fetchall()[0][0]
        types = (con.execute("DESCRIBE v_actions").fetchall(), con.execute(f"DESCRIBE FROM {parquet}").fetchall())
    finally:
        con.close()
    written = {str(path.relative_to(folder)) for path in folder.rglob("*.parquet")}
    assert written == set(expected) and "views/v_upload_history.parquet" in written
    for name, count in expected.items():
        assert duckdb.sql(f"SELECT count(*) FROM '{folder / name}'").fetchall()[0][0] == count, name
    assert differ == 0 and [row[:2] for row in types[0]] == [row[:2] for row in types[1]]
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert f"schema version {SCHEMA_VERSION}" in readme and COMPATIBLE_STORAGE in readme
    assert f"views/v_actions.parquet {expected['views/v_actions.parquet']:>9,}".replace(" ", "") in \
        readme.replace(" ", "")
    copy = duckdb.connect(":memory:")
    copy.execute(f"ATTACH '{folder / 'dashboard.duckdb'}' AS copy (READ_ONLY)")
    tags = dict(copy.execute("SELECT database_name, tags['storage_version'] FROM duckdb_databases()").fetchall())
    assert tags["copy"].startswith(COMPATIBLE_STORAGE)
    assert copy.execute("SELECT count(*) FROM copy.v_upload_history").fetchone()[0] == \
        expected["views/v_upload_history.parquet"]


def test_export_db_refuses_a_folder_that_is_not_empty(seed_db, tmp_path):
    (tmp_path / "old.csv").write_text("x\n")
    result = cli(seed_db, "export-db", str(tmp_path))
    assert result.returncode == 1 and "is not an empty folder" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.csv"]


OLD_DUCKDB = os.environ.get("DUCKDB_1_PYTHON", "")


@pytest.mark.skipif(not Path(OLD_DUCKDB).is_file(),
                    reason="set DUCKDB_1_PYTHON to a Python with duckdb 1.x (.ci/run makes one: duckdb 1.1.3)")
def test_the_copy_opens_in_duckdb_1_with_every_view(seed_db, tmp_path):
    folder = tmp_path / "analysts"
    assert cli(seed_db, "export-db", str(folder)).returncode == 0
    con = connect(seed_db, read_only=True)
    try:
        expected = {view: con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] for view in defined_views()}
    finally:
        con.close()
    script = ("import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "print(json.dumps([duckdb.__version__, {v: con.execute(f'SELECT count(*) FROM {v}').fetchone()[0] "
              "for v in json.loads(sys.argv[2])}]))")
    result = subprocess.run([OLD_DUCKDB, "-c", script, str(folder / "dashboard.duckdb"), json.dumps(list(expected))],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    version, counts = json.loads(result.stdout)
    assert version.startswith("1.") and counts == expected
    # ... and the live file's own format is one that release cannot open, which is why the copy exists
    refused = subprocess.run([OLD_DUCKDB, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)",
                              str(seed_db)], capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
