"""Indicator trend chart: actuals solid, targets as steps with markers, forecasts dashed, comparators dotted."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import chart_text, style
from dashboard.presenting.palette import SERIES_COLOURS
from dashboard.rules.rag import POLARITY_WORDS

COMPARATOR_NAMES = {"statistical_neighbours": "Statistical neighbours", "england": "England",
                    "shire_counties": "Shire counties", "region": "Region",
                    "similar_authorities": "Similar authorities", "national_top_quartile": "National top quartile"}


def comparator_name(group: str) -> str:
    """A comparator group in words."""
    return COMPARATOR_NAMES.get(group, group.replace("_", " ").capitalize())


def trend_figure(series: pd.DataFrame, name: str, unit: str, polarity: str) -> go.Figure:
    """One indicator over time. x is each period's end date (a true time axis); hover shows the period as written."""
    figure = go.Figure()
    numeric = series[series["value_num"].notna()].copy()
    numeric["x"] = pd.to_datetime(numeric["period_end"])
    styles = {
        "actual": {"mode": "lines+markers", "line": {"width": 4, "color": SERIES_COLOURS["actual"]}},
        "target": {"mode": "lines+markers", "line": {"width": 2, "color": SERIES_COLOURS["target"], "shape": "hv",
                                                     "dash": "dot"},
                   "marker": {"symbol": "diamond", "size": 12}},
        "forecast": {"mode": "lines+markers", "line": {"width": 3, "color": SERIES_COLOURS["forecast"],
                                                       "dash": "dash"}},
        "baseline": {"mode": "markers", "marker": {"symbol": "square", "size": 11,
                                                   "color": SERIES_COLOURS["baseline"]}},
    }
    for measure, spec in styles.items():
        rows = numeric[numeric["measure"] == measure]
        if not rows.empty:
            figure.add_scatter(x=rows["x"], y=rows["value_num"], name=measure.capitalize(),
                               customdata=rows[["period_text", "value_written"]].map(chart_text),
                               hovertemplate=measure.capitalize() + " %{customdata[0]}: %{customdata[1]}<extra></extra>",
                               **spec)
    comparators = numeric[numeric["measure"] == "comparator"]
    for group, rows in comparators.groupby("comparator_group", sort=True):
        colour = SERIES_COLOURS.get(group, SERIES_COLOURS["comparator"])
        label = chart_text(comparator_name(group))
        figure.add_scatter(x=rows["x"], y=rows["value_num"], name=label, mode="lines+markers",
                           line={"width": 2, "dash": "dashdot", "color": colour}, marker={"size": 9},
                           customdata=rows[["period_text", "value_written"]].map(chart_text),
                           hovertemplate=label + " %{customdata[0]}: %{customdata[1]}<extra></extra>")
    # Periods end on days: ticks as months and years. With one period end alone Plotly zooms to milliseconds, so
    # the axis then spans a year either side of it.
    figure.update_xaxes(type="date", title="Period end", tickformat="%b %Y", hoverformat="%d/%m/%Y")
    ends = numeric["x"].dropna().unique()
    if len(ends) == 1:
        end = pd.Timestamp(ends[0])
        figure.update_xaxes(range=[end - pd.DateOffset(years=1), end + pd.DateOffset(years=1)])
    figure.update_yaxes(title=_unit_words(unit), rangemode="tozero" if unit == "percent" else "normal")
    return style(figure, f"{name} ({POLARITY_WORDS.get(polarity, 'direction not stated')})")


def mark_definition_change(figure: go.Figure, at, words: str) -> go.Figure:
    """A copy of a trend figure with a vertical line where the series' definition changes, labelled in words (the
    table beside the chart says which definition each figure was counted under)."""
    marked = go.Figure(figure)
    marked.add_vline(x=pd.Timestamp(at).timestamp() * 1000, line={"width": 2, "dash": "dot", "color": "#444444"})
    marked.add_annotation(x=pd.Timestamp(at), y=1, yref="paper", yanchor="bottom", xanchor="left", showarrow=False,
                          text=chart_text(words), font={"size": 13})
    return marked


def _unit_words(unit: str) -> str:
    return {"percent": "Per cent", "number": "Number", "rate_per_10000": "Rate per 10,000",
            "rate_per_1000": "Rate per 1,000", "days": "Days", "weeks": "Weeks", "pounds": "£",
            "pounds_000": "£000"}.get(unit, unit.replace("_", " ").capitalize())
