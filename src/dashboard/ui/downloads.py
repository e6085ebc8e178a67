"""Every table with CSV and Excel downloads, and every chart with a server-drawn PNG download beside Plotly's own."""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import exports
from dashboard.ui import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "table"


def table(data, name: str, key: str, **dataframe_args) -> None:
    """Show a table (a DataFrame or a Styler of one) and offer it as CSV and as Excel, formula-like cells made safe."""
    st.dataframe(data, **dataframe_args)
    frame: pd.DataFrame = data.data if hasattr(data, "data") and not isinstance(data, pd.DataFrame) else data
    stem = _file_name(name)
    with st.container(horizontal=True, gap="small"):
        # Deferred: the file is made only when someone clicks, and the page does not rerun for a download.
        st.download_button("CSV", lambda: exports.to_csv(frame), file_name=f"{stem}.csv", mime="text/csv",
                           key=f"csv:{key}", on_click="ignore", icon=":material/download:",
                           help=f"Download '{name}' as CSV")
        st.download_button("Excel", lambda: exports.to_xlsx(frame, name), file_name=f"{stem}.xlsx", mime=XLSX,
                           key=f"xlsx:{key}", on_click="ignore", icon=":material/download:",
                           help=f"Download '{name}' as an Excel workbook")


def figure(fig: go.Figure, key: str, name: str | None = None) -> None:
    """Show a chart (with Plotly's camera button) and a PNG download drawn on the server by kaleido."""
    render.figure(fig, key=key)
    title = name or (fig.layout.title.text if fig.layout.title and fig.layout.title.text else key)
    st.download_button("PNG", lambda: exports.figure_png(fig), file_name=f"{_file_name(title)}.png",
                       mime="image/png", key=f"png:{key}", on_click="ignore", icon=":material/image:",
                       help=f"Download the chart '{title}' as a PNG image")
