"""RAG charts: items by status per area as stacked horizontal bars, each segment labelled with its count."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import LABEL_CHARS, LINE_BREAK, chart_text, style, wrap
from dashboard.parsing.statuses import SCALE
from dashboard.presenting.palette import STATUS_LABELS, background, text_colour

# The actions' scale, worst first, with the indicators' "No target" before "Not assessed": without it a council whose
# indicators all lack targets drew an empty chart.
STATUS_ORDER = [status.key for status in SCALE if status.key != "not_assessed"] + ["no_target", "not_assessed"]


def status_bars(counts: pd.DataFrame, title: str = "Items by status and area",
                order: tuple[str, ...] | list[str] = tuple(STATUS_ORDER)) -> go.Figure:
    """Stacked bars from rows of (top_title, status, items) in the statuses' `order` (the action scale unless
    given); legend entries carry the status word."""
    figure = go.Figure()
    areas = list(dict.fromkeys(counts["top_title"]))
    for status in order:
        rows = counts[counts["status"] == status]
        if rows.empty:
            continue
        by_area = rows.groupby("top_title")["items"].sum().reindex(areas).fillna(0)
        figure.add_bar(
            y=[wrap(chart_text(_short(area)), LABEL_CHARS) for area in areas], x=by_area.values, orientation="h",
            name=STATUS_LABELS[status],
            marker={"color": background(status), "line": {"color": "#FFFFFF", "width": 1}},
            text=[f"{int(v)} {STATUS_LABELS[status]}" if v else "" for v in by_area.values],
            textposition="inside", insidetextanchor="middle", textangle=0,
            textfont={"color": text_colour(status)},
            hovertemplate="%{y}<br>" + STATUS_LABELS[status] + ": %{x}<extra></extra>",
        )
    # A label too small to read at meeting size is hidden, not shrunk: the legend and the table beside give the word.
    figure.update_layout(barmode="stack", yaxis={"autorange": "reversed"}, xaxis_title="Number of items",
                         uniformtext={"minsize": 13, "mode": "hide"})
    # Each area's bar is tall enough for its name's lines (names are wrapped to fit a phone).
    lines = max([label.count(LINE_BREAK) + 1 for label in figure.data[0].y] if figure.data else [1])
    return style(figure, title, height=max(260, 90 + max(60, 24 * lines + 20) * len(areas)))


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
