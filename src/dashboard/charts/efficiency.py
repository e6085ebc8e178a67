"""Efficiency charts: cashable and non-cashable gains stacked by directorate or category, and IEG gains by year."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import LABEL_CHARS, LINE_BREAK, chart_text, style, wrap
from dashboard.presenting.palette import CASHABLE, CHART_TEXT, NON_CASHABLE


def gains_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Stacked horizontal bars of cashable and non-cashable £000 per row of (name, cashable_k, non_cashable_k)."""
    figure = go.Figure()
    for column, label, colour, text in (("cashable_k", "Cashable", CASHABLE, "#FFFFFF"),
                                        ("non_cashable_k", "Non-cashable", NON_CASHABLE, "#1A1A1A")):
        figure.add_bar(y=[wrap(chart_text(name), LABEL_CHARS) for name in frame["name"]], x=frame[column], name=f"{label} (£000)", orientation="h",
                       marker={"color": colour}, texttemplate="%{x:,.0f}", textposition="inside",
                       textangle=0, textfont={"color": text}, hovertemplate="%{y}<br>" + label + ": £%{x:,.0f}k<extra></extra>")
    # A label too narrow to read across its bar is hidden, not turned on its side: the table beside gives it.
    figure.update_layout(barmode="stack", yaxis={"autorange": "reversed"}, xaxis_title="£000",
                         uniformtext={"minsize": 13, "mode": "hide"})
    lines = max([label.count(LINE_BREAK) + 1 for label in figure.data[0].y] if len(frame) else [1])
    return style(figure, title, height=max(260, 90 + max(50, 24 * lines + 14) * len(frame)))


def ieg_figure(frame: pd.DataFrame) -> go.Figure:
    """IEG efficiency gains by year, gross and net of e-government implementation expenditure (£000)."""
    years = list(dict.fromkeys(frame["year_text"]))
    gains = frame[frame["line_type"] == "gain"].groupby("year_text")["total_k"].sum().reindex(years).fillna(0)
    spend = frame[frame["line_type"] == "expenditure"].groupby("year_text")["total_k"].sum().reindex(years).fillna(0)
    figure = go.Figure()
    # Stacked, a bar's "outside" label may be drawn inside it: each label's colour reads on its bar and on white.
    figure.add_bar(x=years, y=gains.values, name="Gross gains (£000)", marker={"color": CASHABLE},
                   texttemplate="%{y:,.1f}", textposition="outside", insidetextfont={"color": "#FFFFFF"},
                   outsidetextfont={"color": CHART_TEXT})
    figure.add_bar(x=years, y=-spend.values, name="Implementation spend (£000)", marker={"color": NON_CASHABLE},
                   texttemplate="%{y:,.1f}", textposition="outside", insidetextfont={"color": CHART_TEXT},
                   outsidetextfont={"color": CHART_TEXT})
    figure.add_scatter(x=years, y=(gains - spend).values, name="Net gains (£000)", mode="lines+markers+text",
                       line={"color": "#1A1A1A", "width": 3}, text=[f"{v:,.1f}" for v in (gains - spend).values],
                       textposition="top center")
    figure.update_layout(barmode="relative", yaxis_title="£000")
    return style(figure, "E-government (IEG) efficiency gains by year, gross and net of spend")
