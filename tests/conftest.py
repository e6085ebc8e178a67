"""Shared fixtures: databases built by the real build code (no mocks), one from the fictional fixture, one from
the embedded seed data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.loading.build import SEED_DIR, build
from dashboard.store.connection import connect

FIXTURE_SEED = Path(__file__).parent / "data" / "fictional_seed"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """The embedded default data, built once per test session."""
    return build(tmp_path_factory.mktemp("seed") / "dashboard.duckdb", SEED_DIR)


@pytest.fixture()
def fixture_db(tmp_path) -> Path:
    """A small database of a fictional council, fresh for each test (tests may write to it)."""
    return build(tmp_path / "fictional.duckdb", FIXTURE_SEED)


@pytest.fixture()
def fixture_seed_copy(tmp_path) -> Path:
    """A writable copy of the fictional seed folder, for tests that break it."""
    return Path(shutil.copytree(FIXTURE_SEED, tmp_path / "seed"))


def table_checksums(db_path: Path) -> dict[str, str]:
    """A checksum of every table's full contents, to prove a rejected change left the database as it was."""
    con = connect(db_path, read_only=True)
    try:
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        return {table: con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM (SELECT * FROM "{table}") t').fetchall()[0]
            for table in tables}
    finally:
        con.close()
