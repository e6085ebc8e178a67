"""Every table with CSV and Excel downloads, and every chart with a server-drawn PNG download beside Plotly's own."""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.layout import title_of
from dashboard.presenting import exports
from dashboard.presenting.palette import STATUS_LABELS, background
from dashboard.ui import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_stem(name: str) -> str:
    """A download's file name (without extension) from a title: letters and digits joined by hyphens."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "table"


def table(frame: pd.DataFrame, name: str, key: str, notes: list[str] | None = None, **dataframe_args) -> None:
    """Show a table and offer it as CSV and as Excel, formula-like cells made safe; `notes` (a source, a licence)
    are written after the table in both files."""
    render.table(frame, **dataframe_args)
    _offer(exports.with_notes(frame, notes) if notes else frame, name, key)


def status_table(frame: pd.DataFrame, status_column: str, label_column: str, name: str, key: str,
                 **dataframe_args) -> None:
    """As `table`, with each row's status word (`label_column`) shown on its status colour (`status_column`, which
    is not shown): the word is always there, the colour supports it; the downloads have the word alone."""
    plain = frame.drop(columns=[status_column])
    # The grid's coloured labels, not pandas' Styler: a Styler is rendered cell by cell in Python on every rerun,
    # half of the indicator page's server time (docs/PERFORMANCE.md). The grid picks black or white text by the
    # colour's luminance; tests/test_charts.py holds every status colour to AA contrast under that rule.
    shown = plain.assign(**{label_column: [[label] if isinstance(label, str) else []
                                           for label in plain[label_column].tolist()]})
    config = dict(dataframe_args.pop("column_config", None) or {})
    config[label_column] = st.column_config.MultiselectColumn(
        label_column, options=list(STATUS_LABELS.values()), color=[background(status) for status in STATUS_LABELS])
    render.table(shown, column_config=config, **dataframe_args)
    _offer(plain, name, key)


def _offer(frame: pd.DataFrame, name: str, key: str) -> None:
    stem = file_stem(name)
    with st.container(horizontal=True, gap="small"):
        # Deferred: the file is made only when someone clicks, and the page does not rerun for a download.
        st.download_button("CSV", lambda: exports.to_csv(frame), file_name=f"{stem}.csv", mime="text/csv",
                           key=f"csv:{key}", on_click="ignore", icon=":material/download:",
                           help=f"Download '{name}' as CSV")
        st.download_button("Excel", lambda: exports.to_xlsx(frame, name), file_name=f"{stem}.xlsx", mime=XLSX,
                           key=f"xlsx:{key}", on_click="ignore", icon=":material/download:",
                           help=f"Download '{name}' as an Excel workbook")


def figure(fig: go.Figure, key: str, name: str | None = None, empty: str | None = None) -> None:
    """Show a chart (with Plotly's camera button) and a PNG download drawn on the server by kaleido; a chart with
    nothing to draw is replaced by `empty`, the reason, and offers no download."""
    if not render.figure(fig, key=key, empty=empty):
        return
    title = name or title_of(fig, key)
    no_browser = exports.missing_browser()
    # Without Chromium on the server the button is refused at once and says why; Plotly's own camera button (drawn
    # by the visitor's browser) still works.
    st.download_button("PNG", lambda: exports.figure_png(fig), file_name=f"{file_stem(title)}.png",
                       mime="image/png", key=f"png:{key}", on_click="ignore", icon=":material/image:",
                       disabled=bool(no_browser),
                       help=f"Download the chart '{title}' as a PNG image" if not no_browser else
                       f"No PNG from the server: {no_browser} The camera icon on the chart still saves a PNG.")
