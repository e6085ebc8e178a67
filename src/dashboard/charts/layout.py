"""Shared chart styling: one explicit template (fonts, colours, margins) so a chart never depends on Plotly's
process-wide default, large legible type for screen-sharing, and PNG download settings."""
from __future__ import annotations

import numbers

import plotly.graph_objects as go

from dashboard.palette import CHART_COLOURS, CHART_TEXT, GRID

FONT_SIZE = 16
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"
DOWNLOAD_CONFIG = {  # Plotly's own camera button downloads a PNG at twice the on-screen resolution
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _font(size: int = FONT_SIZE) -> dict:
    return {"family": FONT_FAMILY, "size": size, "color": CHART_TEXT}


# Every axis grows its margin to fit its labels (automargin): Streamlit's own template, which importing Streamlit
# makes Plotly's default for the whole server process, leaves it off, and a board pack drawn there printed NI 65's
# 14 and 16 as "4" and "6" and area names as one letter (issue 21). Nothing here is left to the default template.
_AXIS = {"automargin": True, "gridcolor": GRID, "linecolor": CHART_TEXT, "zerolinecolor": "#BDBDBD",
         "tickfont": _font(), "title": {"font": _font(), "standoff": 12}, "ticks": "", "showline": False}
TEMPLATE = go.layout.Template(layout={
    "font": _font(), "title": {"font": _font(FONT_SIZE + 4), "x": 0, "xanchor": "left"},
    "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF", "colorway": list(CHART_COLOURS),
    "xaxis": _AXIS, "yaxis": _AXIS, "legend": {"font": _font(), "bgcolor": "rgba(255,255,255,0)"},
    "hoverlabel": {"font": {"family": FONT_FAMILY, "size": FONT_SIZE}, "bgcolor": "#FFFFFF",
                   "bordercolor": CHART_TEXT},
    "hovermode": "closest", "separators": ".,",
})


def chart_text(text) -> str:
    """Text from the data for a chart: Plotly reads '<a href>', '<b>' and the like in any label as its own markup
    (a link drawn on a shared screen), so '&', '<' and '>' are written as entities, which it shows as typed."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def style(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the dashboard's template and common layout: readable type, a title (escaped: it names data), room for
    the legend."""
    figure.update_layout(
        template=TEMPLATE,
        title={"text": chart_text(title), "x": 0, "xanchor": "left", "font": _font(FONT_SIZE + 4)},
        font=_font(), height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10, "autoexpand": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": _font(), "traceorder": "normal"},
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF",
    )
    figure.update_xaxes(automargin=True, gridcolor=GRID, tickfont=_font(), title_font=_font())
    figure.update_yaxes(automargin=True, gridcolor=GRID, tickfont=_font(), title_font=_font())
    return figure


def has_data(figure: go.Figure) -> bool:
    """True when some trace has a number to draw (a chart of empty axes says nothing, so pages say why instead)."""
    for trace in figure.data:
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is None:
                continue
            for value in values:
                if isinstance(value, numbers.Number) and not isinstance(value, bool) and value == value \
                        and (getattr(trace, "type", "") != "bar" or value != 0):
                    return True
    return False
