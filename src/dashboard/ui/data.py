"""Cached read access for pages. The cache key includes the database file's identity, so a rebuilt or refreshed
database is picked up by the next rerun without restarting the server."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.build import prepare
from dashboard.provenance import quote, read_document
from dashboard.refresh import CommitError
from dashboard.seed import DOCUMENTS_DIR, SeedError
from dashboard.store import queries
from dashboard.store.connection import connect, cursor as open_cursor, default_db_path


def db_identity() -> tuple[str, int, int]:
    """(path, inode, mtime): changes whenever the file is replaced or written."""
    path = default_db_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        st.error(f"No database at {path}. Build it with `make run` or `python -m dashboard build`.")
        st.stop()
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, inode: int, mtime: int) -> duckdb.DuckDBPyConnection:
    # Read-only: no page can change the data. One connection per database version; queries use cursors.
    return connect(Path(path), read_only=True)


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, identity: tuple[str, int, int], args: tuple, kwargs: tuple):
    cursor = open_cursor(_connection(*identity))
    try:
        return getattr(queries, name)(cursor, *args, **dict(kwargs))
    finally:
        cursor.close()


def query(name: str, *args, **kwargs):
    """Run a function of dashboard.store.queries by name, cached per database version and arguments."""
    return _run(name, db_identity(), args, tuple(sorted(kwargs.items())))


def frame(name: str, *args, **kwargs) -> pd.DataFrame:
    """A cached query whose result is a DataFrame (copied so a page may modify it)."""
    return query(name, *args, **kwargs).copy()


@st.cache_data(max_entries=64, show_spinner=False)
def source_lines(doc_id: str, line: int) -> str | None:
    """The text of a cited line of a source document (with the next line, as tables split cells), or None."""
    files = {row["Document"]: row["File"] for row in frame("documents_list").to_dict("records")}
    path = DOCUMENTS_DIR / files.get(doc_id, "")
    if doc_id not in files or not path.is_file():
        return None
    return quote(read_document(path), line)


@st.cache_resource(show_spinner="Preparing the data (first visit after a start)…")
def _prepared(path: str) -> str:
    return prepare(Path(path))


def prepare_database() -> None:
    """Build the database from data/ when missing, or migrate it, once per server process before any page reads it
    (a fresh host such as Streamlit Community Cloud starts without the file)."""
    try:
        _prepared(str(default_db_path()))
    except (SeedError, CommitError, duckdb.Error, OSError) as error:
        st.error(f"The data could not be prepared: {error}")
        st.stop()


def board_pack_bytes(organisation_id: str, plan_id: str, as_at) -> bytes:
    """The board pack PDF for a plan and date, from the database the pages are reading."""
    from dashboard import board_pack  # only a download needs the PDF and chart-export libraries

    cursor = open_cursor(_connection(*db_identity()))
    try:
        return board_pack.build(cursor, organisation_id, plan_id, as_at)
    finally:
        cursor.close()
