"""Helpers shared by the upload tests: checksums of the data tables, and running the real command line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import table_checksums

REPO = Path(__file__).resolve().parents[1]


def data_checksums(db_path: Path) -> dict:
    """Checksums of the data itself: every table except the upload log and the rollback journal, which record
    history and so grow with every upload and rollback."""
    return {table: value for table, value in table_checksums(db_path).items()
            if table != "uploads" and not table.startswith("superseded_")}


def cli(db_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dashboard ...` in a subprocess on the given database."""
    env = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=env,
                          input=stdin, cwd=REPO, timeout=120)
