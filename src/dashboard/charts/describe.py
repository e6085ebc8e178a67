"""A chart in words and as a table: the figures a chart draws, read from the figure itself, for the board pack's alt
text and the table under every chart on the pages."""
from __future__ import annotations

from html import unescape

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import LINE_BREAK, title_of


def _number(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "none"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def _when(value) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp:%d/%m/%Y}"


def _label(text) -> str:
    """A category label as words on one line (the chart breaks long ones into lines)."""
    return " ".join(str(text).replace(LINE_BREAK, " ").split())


def _seq(values) -> list:
    return [] if values is None else list(values)


def describe(figure: go.Figure) -> str:
    """'<title>. <category>: <series> <value>, …; …' for bars, '<series>: <period> <value>, …' for lines."""
    title = title_of(figure, "Chart").replace("&", "&amp;")  # read once more below, with the rest
    bars = [t for t in figure.data if t.type == "bar"]
    lines = [t for t in figure.data if t.type == "scatter"]
    parts: list[str] = []
    if bars:
        by_category: dict[str, list[str]] = {}
        for trace in bars:
            flat = trace.orientation == "h"
            categories, values = (trace.y, trace.x) if flat else (trace.x, trace.y)
            for category, value in zip(_seq(categories), _seq(values)):
                if value:  # an empty segment says nothing
                    by_category.setdefault(_label(category), []).append(f"{trace.name} {_number(abs(value))}")
        parts += [f"{category}: {', '.join(values)}" for category, values in by_category.items()]
    for trace in lines:
        if trace.customdata is not None:
            # customdata is [label, value as written] or just [label] (then the plotted value is the figure)
            points = [f"{row[0]} {row[1] if len(row) > 1 else _number(y)}"
                      for row, y in zip(trace.customdata, _seq(trace.y))]
        else:
            xs = _seq(trace.x)
            points = [f"{_when(x) if not isinstance(x, str) else x} {_number(y)}" for x, y in zip(xs, _seq(trace.y))]
        if points:
            parts.append(f"{trace.name}: {', '.join(points)}")
    # Text from the data is escaped for Plotly (charts.layout.chart_text); the words are read as typed.
    if not parts:
        return unescape(f"{title}: no figures to show.")
    return unescape(f"{title}. " + "; ".join(parts) + ".")


def figure_table(figure: go.Figure) -> pd.DataFrame:
    """The chart's figures as a table: one row per bar category or period, one column per series, values as the
    chart shows them (a line's value as written where the figure carries it)."""
    rows: dict[str, dict[str, object]] = {}
    when: dict[str, object] = {}  # a line's period end, to list the periods in time order
    label = "Period"
    for trace in figure.data:
        if trace.type == "bar":
            flat = trace.orientation == "h"
            label = "Area" if flat else "Year"
            categories, values = (trace.y, trace.x) if flat else (trace.x, trace.y)
            for category, value in zip(_seq(categories), _seq(values)):
                rows.setdefault(unescape(_label(category)), {})[unescape(str(trace.name))] = \
                    abs(float(value)) if value is not None else None
        elif trace.type == "scatter":
            xs = _seq(trace.x)
            if trace.customdata is not None:
                points = [(str(row[0]), row[1] if len(row) > 1 else y, x)
                          for row, x, y in zip(trace.customdata, xs, _seq(trace.y))]
            else:
                points = [(_when(x) if not isinstance(x, str) else x, y, x) for x, y in zip(xs, _seq(trace.y))]
            for key, value, x in points:
                key = unescape(key)
                rows.setdefault(key, {})[unescape(str(trace.name))] = value
                if not isinstance(x, str):
                    when.setdefault(key, pd.Timestamp(x))
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if when and len(when) == len(frame):
        frame = frame.loc[sorted(frame.index, key=when.get)]
    return frame.rename_axis(label).reset_index()
