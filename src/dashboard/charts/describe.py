"""A chart in words: the figures a chart draws, read from the figure itself, for alt text and summaries."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def _number(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "none"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def _when(value) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp:%d/%m/%Y}"


def _seq(values) -> list:
    return [] if values is None else list(values)


def describe(figure: go.Figure) -> str:
    """'<title>. <category>: <series> <value>, …; …' for bars, '<series>: <period> <value>, …' for lines."""
    title = figure.layout.title.text if figure.layout.title and figure.layout.title.text else "Chart"
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
                    by_category.setdefault(str(category), []).append(f"{trace.name} {_number(abs(value))}")
        parts += [f"{category}: {', '.join(values)}" for category, values in by_category.items()]
    for trace in lines:
        if trace.customdata is not None:
            points = [f"{row[0]} {row[1]}" for row in trace.customdata]
        else:
            xs = _seq(trace.x)
            points = [f"{_when(x) if not isinstance(x, str) else x} {_number(y)}" for x, y in zip(xs, _seq(trace.y))]
        if points:
            parts.append(f"{trace.name}: {', '.join(points)}")
    if not parts:
        return f"{title}: no figures to show."
    return f"{title}. " + "; ".join(parts) + "."
