"""Shared chart styling: one explicit template (fonts, colours, margins) so a chart never depends on Plotly's
process-wide default, large legible type for screen-sharing, and PNG download settings."""
from __future__ import annotations

import numbers
import textwrap
from html import unescape

import plotly.graph_objects as go

from dashboard.presenting.palette import CHART_COLOURS, CHART_TEXT, GRID

FONT_SIZE = 16
# Plotly never wraps text: a line longer than the chart is cut at its edge. Titles and category labels are broken
# into lines of at most these many characters, which fit a phone (a 356 px chart at 390 px wide holds about 36
# characters of 20 px title type); wider screens show the same lines with room to spare.
TITLE_CHARS = 34
LABEL_CHARS = 20
AXIS_TITLE_CHARS = 36  # an axis title at 16 px across the plot of a phone
LINE_BREAK = "<br>"
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


def wrap(text: str, width: int) -> str:
    """Text (already escaped for Plotly) broken at spaces into lines of at most `width` characters, joined by
    Plotly's line break; a word longer than a line is kept whole rather than split."""
    lines = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False)
    return LINE_BREAK.join(lines) if lines else str(text)


def title_of(figure: go.Figure, default: str = "") -> str:
    """A chart's title as plain words on one line (for its file name, its table's heading and its alt text)."""
    text = figure.layout.title.text if figure.layout.title and figure.layout.title.text else default
    return unescape(" ".join(text.replace(LINE_BREAK, " ").split()))


def style(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the dashboard's template and common layout: readable type, a title (escaped: it names data) wrapped to
    fit a phone, and the legend below the plot, where it can take as many rows as it needs without covering the
    title."""
    title_text = wrap(chart_text(title), TITLE_CHARS)
    lines = title_text.count(LINE_BREAK) + 1
    # Plotly wraps a legend to the plot's width, which on a phone holds one entry a row: the figure is made taller
    # by a row for each entry after the first, so the legend never squeezes the plot itself flat.
    entries = sum(1 for trace in figure.data if trace.name and trace.showlegend is not False)
    figure.update_layout(
        template=TEMPLATE,
        # The title sits in the top margin, which grows with its lines (automargin keeps it off the plot too).
        title={"text": title_text, "x": 0, "xanchor": "left", "xref": "container", "yref": "container",
               "y": 1, "yanchor": "top", "pad": {"t": 24, "l": 10},
               "font": _font(FONT_SIZE + 4)},
        font=_font(), height=height + 26 * (lines - 1) + 24 * max(entries - 1, 0),
        margin={"l": 10, "r": 10, "t": 30 + 26 * lines, "b": 10, "autoexpand": True},
        # Below the plot, under the x axis: Plotly grows the bottom margin to hold it, in however many rows the
        # chart's width allows.
        legend={"orientation": "h", "yanchor": "bottom", "y": 0, "yref": "container", "x": 0, "xanchor": "left",
                "xref": "container",
                "font": _font(), "traceorder": "normal"},
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF",
    )
    figure.update_xaxes(automargin=True, gridcolor=GRID, tickfont=_font(), title_font=_font())
    figure.update_yaxes(automargin=True, gridcolor=GRID, tickfont=_font(), title_font=_font())
    # A long x-axis title ("Councils, lowest to highest (no direction is better)") was cut at a phone's edge.
    figure.for_each_xaxis(lambda axis: axis.update(title_text=wrap(axis.title.text, AXIS_TITLE_CHARS))
                          if axis.title.text and LINE_BREAK not in axis.title.text else None)
    return figure


MEETING_FONT_SIZE = 22  # meeting mode's charts, read on a projected screen from the back of a room


def presented(figure: go.Figure) -> go.Figure:
    """A copy of a styled figure with its type enlarged for a projector (meeting mode): axis, legend and bar labels
    at 22 px, the title larger, the figure taller by the same proportion so the bars keep their room."""
    shown = go.Figure(figure)
    scale = MEETING_FONT_SIZE / FONT_SIZE
    lines = (figure.layout.title.text or "").count(LINE_BREAK) + 1
    shown.update_layout(font=_font(MEETING_FONT_SIZE), title_font=_font(MEETING_FONT_SIZE + 4),
                        legend_font=_font(MEETING_FONT_SIZE), margin_t=30 + 34 * lines, uniformtext_minsize=18,
                        height=int((figure.layout.height or 420) * scale))
    shown.update_xaxes(tickfont=_font(MEETING_FONT_SIZE), title_font=_font(MEETING_FONT_SIZE))
    shown.update_yaxes(tickfont=_font(MEETING_FONT_SIZE), title_font=_font(MEETING_FONT_SIZE))
    shown.update_traces(textfont_size=MEETING_FONT_SIZE - 2, selector={"type": "bar"})
    return shown


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
