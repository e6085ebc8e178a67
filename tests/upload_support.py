"""Helpers shared by the upload tests: checksums of the data tables, and running the real command line."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import table_checksums
from dashboard.store.connection import connect

REPO = Path(__file__).resolve().parents[1]


def data_checksums(db_path: Path) -> dict:
    """Checksums of the data itself: every table except the upload log and the rollback journal, which record
    history and so grow with every upload and rollback."""
    return {table: value for table, value in table_checksums(db_path).items()
            if table != "uploads" and not table.startswith("superseded_")}


def rows(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows a query returns, on a read-only connection of its own."""
    con = connect(db_path, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@contextmanager
def held_open(db_path: Path) -> Iterator[subprocess.Popen]:
    """Another program (a Python process) holding the database open for writing, as an analyst's DuckDB would."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, time\n"
                               f"con = duckdb.connect({str(db_path)!r})\nprint('open', flush=True)\n"
                               "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def cli(db_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dashboard ...` in a subprocess on the given database."""
    env = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=env,
                          input=stdin, cwd=REPO, timeout=120)


def filled_workbook(files: dict[str, str]) -> bytes:
    """The set-up workbook with the example rows replaced, sheet by sheet, by the rows of CSV texts (kind -> text;
    simple CSV without quoted commas), as an officer fills it in."""
    import csv
    import io

    from openpyxl import load_workbook

    from dashboard.loading import templates

    book = load_workbook(io.BytesIO(templates.workbook()))
    for kind, title in templates.SHEET_TITLES.items():
        sheet = book[title]
        header = [cell.value for cell in sheet[1]]
        sheet.delete_rows(2, sheet.max_row)
        for cells in csv.DictReader(io.StringIO(files.get(kind, ""))):
            sheet.append([cells.get(column) or None for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
