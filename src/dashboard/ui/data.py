"""Cached read access for pages. The cache key includes the database file's identity, so a rebuilt or refreshed
database is picked up by the next rerun without restarting the server."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import FunctionType

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.compare import comparators_over_time, council_spread
from dashboard.charts.rag import status_bars
from dashboard.charts.trends import mark_definition_change, trend_figure
from dashboard.loading import series_joins
from dashboard.loading.build import SEED_DIR, BuildError, prepare
from dashboard.loading.provenance import quote, read_document
from dashboard.loading.seed import DOCUMENTS_DIR, SeedError
from dashboard.operations import faults
from dashboard.paths import PUBLISHED_DIR
from dashboard.reading import action_filters, compare, exceptions, indicator_status, status_matrix, what_changed
from dashboard.store import as_of, queries
from dashboard.store.connection import connect, cursor as open_cursor, default_db_path
from dashboard.store.database_file import CommitError
from dashboard.ui import render

AS_OF = "_as_of_upload"  # session: the upload whose figures the pages show (ui/versions.py), None for the current


def db_identity() -> tuple[str, int, int, int | None]:
    """(path, inode, mtime, as_of): changes whenever the file is replaced or written, or the session chooses to see
    the figures as they were at an earlier upload."""
    path = default_db_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        st.error(f"No database at {path}. Build it with `make run` or `python -m dashboard build`.")
        st.stop()
    return str(path), stat.st_ino, stat.st_mtime_ns, st.session_state.get(AS_OF)


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str, inode: int, mtime: int, as_of_upload: int | None = None) -> duckdb.DuckDBPyConnection:
    # Read-only: no page can change the data. One connection per database version (and per earlier upload asked
    # for, rebuilt from the journal); queries use cursors.
    if as_of_upload is not None:
        return as_of.connect_as_of(Path(path), as_of_upload)
    return connect(Path(path), read_only=True)


def _query_key(function) -> str:
    # The cache keys a query by its name: the function itself would be hashed by its code, and only functions of
    # store.queries are run here.
    if getattr(queries, getattr(function, "__name__", ""), None) is not function:
        raise ValueError(f"{function!r} is not a function of dashboard.store.queries")
    return function.__name__


@st.cache_data(max_entries=512, show_spinner=False, hash_funcs={FunctionType: _query_key})
def _run(function: Callable, identity: tuple[str, int, int], args: tuple, kwargs: tuple):
    cursor = open_cursor(_connection(*identity))
    try:
        return function(cursor, *args, **dict(kwargs))
    finally:
        cursor.close()


def query(function: Callable, *args, **kwargs):
    """Run a function of dashboard.store.queries (passed itself, e.g. queries.efficiency_years), cached per
    database version and arguments."""
    return _run(function, db_identity(), args, tuple(sorted(kwargs.items())))


def current_query(function: Callable, *args, **kwargs):
    """`query` on the current data, whatever figures the session has chosen to see."""
    return _run(function, db_identity()[:3] + (None,), args, tuple(sorted(kwargs.items())))


def frame(function: Callable, *args, **kwargs) -> pd.DataFrame:
    """A cached query whose result is a DataFrame (copied so a page may modify it)."""
    return query(function, *args, **kwargs).copy()


# Results that are the same for every session looking at the same council, plan and date. Streamlit runs every
# session's script in one Python process, so what each session recomputed, twenty sessions at once computed twenty
# times in turn (docs/PERFORMANCE.md, concurrency). Like `query`, each is keyed by the database's identity, and
# st.cache_data hands every session its own copy, so a page may still modify what it gets.

@st.cache_data(max_entries=512, show_spinner=False)
def _assessed(identity: tuple[str, int, int], args: tuple) -> pd.DataFrame:
    return indicator_status.assess(_run(queries.indicator_positions, identity, args, ()))


def assessed(organisation_id: str, plan_id: str | None = None) -> pd.DataFrame:
    """indicator_status.assess of queries.indicator_positions for a council (and plan): RAG and direction of
    travel of every indicator, computed once per database version."""
    return _assessed(db_identity(), (organisation_id, plan_id))


@st.cache_data(max_entries=256, show_spinner=False)
def _actions_by_status(identity: tuple[str, int, int], plan_id: str, as_at) -> tuple[pd.DataFrame, list[str]]:
    actions = _run(queries.actions_at, identity, (plan_id, as_at), ())
    return (status_matrix.matrix(action_filters.count_by_area(actions, "leaves")),
            render.red_action_lines(actions[actions["status"] == "red"]))


def actions_by_status(plan_id: str, as_at) -> tuple[pd.DataFrame, list[str]]:
    """A plan's actions and tasks by status and area (status_matrix.matrix) and its red ones as Markdown lines, at
    a date: the overview's, computed once per database version, plan and date."""
    return _actions_by_status(db_identity(), plan_id, as_at)


@st.cache_data(max_entries=256, show_spinner=False)
def _exceptions(identity: tuple[str, int, int], organisation_id: str, plan_id: str | None, as_at) -> pd.DataFrame:
    actions = _run(queries.actions_at, identity, (plan_id, as_at), ()) if plan_id else pd.DataFrame(columns=["status"])
    # Published measures belong to no plan: they come from the council's whole assessment (the indicator page's).
    return exceptions.scorecard(_assessed(identity, (organisation_id, plan_id)), actions, organisation_id, plan_id,
                                as_at, _assessed(identity, (organisation_id, None)))


def exceptions_table(organisation_id: str, plan_id: str | None, as_at) -> pd.DataFrame:
    """The overview's exceptions scorecard (exceptions.scorecard) for a council, plan and date, computed once per
    database version."""
    return _exceptions(db_identity(), organisation_id, plan_id, as_at)


@st.cache_data(max_entries=256, show_spinner=False)
def _summary(identity: tuple[str, int, int], organisation_id: str, plan_id: str | None, as_at) -> what_changed.Summary:
    def run(function: Callable, *args, **kwargs):  # `query` on this database version, as the pages would pass it
        return _run(function, identity, args, tuple(sorted(kwargs.items())))

    return what_changed.summarise(run, organisation_id, plan_id, as_at)


def summary(organisation_id: str, plan_id: str | None, as_at) -> what_changed.Summary:
    """'What changed since the last refresh' (what_changed.summarise with the pages' cached queries), computed once
    per database version, council, plan and date."""
    return _summary(db_identity(), organisation_id, plan_id, as_at)


# Figures: one Figure per database version and view, shared by every session (st.cache_resource: no copy). A copy
# from st.cache_data would save nothing, as unpickling a Figure validates every property again and takes as long as
# building it (about 25 ms for the overview's bars). Shared means read-only: a page that changes one copies it first.

@st.cache_resource(max_entries=256, show_spinner=False)
def _action_status_figure(identity: tuple[str, int, int], plan_id: str, as_at, title: str) -> go.Figure:
    return status_bars(action_filters.count_by_area(_run(queries.actions_at, identity, (plan_id, as_at), ()), "leaves"),
                       title)


def action_status_figure(plan_id: str, as_at, title: str) -> go.Figure:
    """charts.rag.status_bars of a plan's actions and tasks by area at a date (shared: do not modify it)."""
    return _action_status_figure(db_identity(), plan_id, as_at, title)


@st.cache_resource(max_entries=256, show_spinner=False)
def _indicator_rag_figure(identity: tuple[str, int, int], organisation_id: str, plan_id: str | None,
                          title: str) -> go.Figure:
    return status_bars(indicator_status.rag_counts(_assessed(identity, (organisation_id, plan_id))), title,
                       indicator_status.VERDICT_ORDER)


def indicator_rag_figure(organisation_id: str, plan_id: str | None, title: str) -> go.Figure:
    """charts.rag.status_bars of a council's indicators by RAG and area (shared: do not modify it)."""
    return _indicator_rag_figure(db_identity(), organisation_id, plan_id, title)


@st.cache_resource(max_entries=256, show_spinner=False)
def _trend_chart(identity: tuple[str, int, int], code: str, organisation_id: str, name: str, unit: str,
                 polarity: str) -> go.Figure:
    return trend_figure(_run(queries.indicator_series, identity, (code, organisation_id), ()), name, unit, polarity)


def trend_chart(code: str, organisation_id: str, name: str, unit: str, polarity: str) -> go.Figure:
    """charts.trends.trend_figure of an indicator's series for a council (shared: do not modify it)."""
    return _trend_chart(db_identity(), code, organisation_id, name, unit, polarity)


@st.cache_resource(max_entries=64, show_spinner=False)
def _joined_trend_chart(identity: tuple[str, int, int], code: str, organisation_id: str, name: str, unit: str,
                        polarity: str) -> go.Figure:
    join = series_joins.for_indicator(code)
    series = series_joins.joined(_run(queries.indicator_series, identity, (code, organisation_id), ()),
                                 _run(queries.indicator_series, identity, (join.published_code, organisation_id), ()), join)
    figure = trend_figure(series, name, unit, polarity)
    at = series_joins.change_point(series, join)
    return figure if at is None else mark_definition_change(figure, at, series_joins.CHANGE_LABEL)


def joined_trend_chart(code: str, organisation_id: str, name: str, unit: str, polarity: str) -> go.Figure:
    """trend_chart of an indicator continued by the published measure that is the same measure (series_joins), with
    the change of definition marked (shared: do not modify it)."""
    return _joined_trend_chart(db_identity(), code, organisation_id, name, unit, polarity)


@st.cache_data(max_entries=64, show_spinner=False)
def _compare_measures(identity: tuple[str, int, int], organisation_id: str) -> pd.DataFrame:
    return compare.measures(_run(queries.council_benchmarks, identity, (organisation_id,), ()))


def compare_measures(organisation_id: str) -> pd.DataFrame:
    """compare.measures of a council's published benchmarks: the latest figure of every measure, computed once per
    database version and council."""
    return _compare_measures(db_identity(), organisation_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _compare_notes(identity: tuple[str, int, int], organisation_id: str) -> tuple[list[str], str]:
    history = _run(queries.council_benchmarks, identity, (organisation_id,), ())
    return compare.attribution(history), compare.neighbour_model_words(history)


def compare_notes(organisation_id: str) -> tuple[list[str], str]:
    """compare.attribution and compare.neighbour_model_words of a council's published benchmarks, once per database
    version and council (each reads all the council's rows: about a third of How we compare's rerun)."""
    return _compare_notes(db_identity(), organisation_id)


@st.cache_data(max_entries=256, show_spinner=False)
def _compare_series(identity: tuple[str, int, int], organisation_id: str, code: str) -> pd.DataFrame:
    return compare.series(_run(queries.council_benchmarks, identity, (organisation_id,), ()), code)


def compare_series(organisation_id: str, code: str) -> pd.DataFrame:
    """compare.series of one published measure of a council, once per database version, council and measure."""
    return _compare_series(db_identity(), organisation_id, code)


@st.cache_resource(max_entries=256, show_spinner=False)
def _comparators_figure(identity: tuple[str, int, int], organisation_id: str, code: str, council: str, name: str,
                        unit: str, polarity: str, decimals, whole_council: bool) -> go.Figure:
    args = (organisation_id,) if whole_council else (organisation_id, code)
    rows = compare.series(_run(queries.council_benchmarks, identity, args, ()), code)
    return comparators_over_time(rows, council, name, unit, polarity, decimals)


def comparators_figure(organisation_id: str, code: str, council: str, name: str, unit: str, polarity: str,
                       decimals, whole_council: bool = False) -> go.Figure:
    """charts.compare.comparators_over_time of a council's published measure (shared: do not modify it). With
    `whole_council`, drawn from the council's cached rows of every measure (a page that has read them already)."""
    return _comparators_figure(db_identity(), organisation_id, code, council, name, unit, polarity, decimals,
                               whole_council)


@st.cache_resource(max_entries=256, show_spinner=False)
def _spread_figure(identity: tuple[str, int, int], organisation_id: str, code: str, period_start, period_end,
                   council: str, name: str, period: str, unit: str, polarity: str, england, decimals) -> go.Figure:
    spread = _run(queries.benchmark_spread, identity, (code, period_start, period_end), ())
    return council_spread(spread, organisation_id, council, name, period, unit, polarity, england, decimals)


def spread_figure(organisation_id: str, code: str, period_start, period_end, council: str, name: str, period: str,
                  unit: str, polarity: str, england, decimals) -> go.Figure:
    """charts.compare.council_spread of every council's figure in one period (shared: do not modify it)."""
    return _spread_figure(db_identity(), organisation_id, code, period_start, period_end, council, name, period, unit,
                          polarity, england, decimals)


@st.cache_data(max_entries=64, show_spinner=False)
def source_lines(doc_id: str, line: int) -> str | None:
    """The text of a cited line of a source document (with the next line, as tables split cells), or None."""
    files = {row["Document"]: row["File"] for row in frame(queries.documents_list).to_dict("records")}
    path = DOCUMENTS_DIR / files.get(doc_id, "")
    if doc_id not in files or not path.is_file():
        return None
    return quote(read_document(path), line)


@st.cache_resource(show_spinner="Preparing the data (first visit after a start)…")
def _prepared(path: str) -> str:
    return prepare(Path(path), SEED_DIR, PUBLISHED_DIR)


def prepare_database() -> None:
    """Build the database from data/ when missing, or migrate it, once per server process before any page reads it
    (a fresh host such as Streamlit Community Cloud starts without the file)."""
    try:
        _prepared(str(default_db_path()))
    except (SeedError, CommitError, BuildError, duckdb.Error, OSError) as error:
        st.error(f"The data could not be prepared: {faults.cause(error, default_db_path()) or error}")
        st.stop()


def board_pack_bytes(organisation_id: str, plan_id: str, as_at) -> bytes:
    """The board pack PDF for a plan and date, from the current data (a pack carries no 'as they were' banner)."""
    from dashboard.presenting import board_pack  # only a download needs the PDF and chart-export libraries

    cursor = open_cursor(_connection(*db_identity()[:3]))
    try:
        return board_pack.build(cursor, organisation_id, plan_id, as_at)
    finally:
        cursor.close()
