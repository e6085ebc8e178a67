"""Shared chart styling: large legible type for screen-sharing, and PNG download settings."""
from __future__ import annotations

import plotly.graph_objects as go

FONT_SIZE = 16
DOWNLOAD_CONFIG = {  # Plotly's own camera button downloads a PNG at twice the on-screen resolution
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart_text(text) -> str:
    """Text from the data for a chart: Plotly reads '<a href>', '<b>' and the like in any label as its own markup
    (a link drawn on a shared screen), so '&', '<' and '>' are written as entities, which it shows as typed."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def style(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the dashboard's common layout: readable type, a title (escaped: it names data), room for the legend."""
    figure.update_layout(
        title={"text": chart_text(title), "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif", "color": "#1A1A1A"},
        height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF",
    )
    figure.update_xaxes(gridcolor="#E5E5E5")
    figure.update_yaxes(gridcolor="#E5E5E5")
    return figure
