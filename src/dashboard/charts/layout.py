"""Shared chart styling: large legible type for screen-sharing, and PNG download settings."""
from __future__ import annotations

import numbers

import plotly.graph_objects as go

FONT_SIZE = 16
DOWNLOAD_CONFIG = {  # Plotly's own camera button downloads a PNG at twice the on-screen resolution
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def style(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the dashboard's common layout: readable type, a title, room for the legend."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif", "color": "#1A1A1A"},
        height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF",
    )
    figure.update_xaxes(gridcolor="#E5E5E5")
    figure.update_yaxes(gridcolor="#E5E5E5")
    return figure


def has_data(figure: go.Figure) -> bool:
    """True when some trace has a number to draw (a chart of empty axes says nothing, so pages say why instead)."""
    for trace in figure.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is None:
                continue
            for value in values:
                if isinstance(value, numbers.Number) and not isinstance(value, bool) and value == value:
                    if getattr(trace, "type", "") != "bar" or value != 0:
                        return True
    return False
