"""How we compare charts: a council's published measure against England, its region and its statistical neighbours
over time, and the spread of every council in one period with the council marked. Template and fonts are set
here, so a figure looks the same whatever Plotly's process-wide default template is."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import TEMPLATE, style
from dashboard.presenting.palette import SERIES_COLOURS
from dashboard.rules.rag import POLARITY_WORDS

REGION_COLOUR, OTHERS_COLOUR = "#E69F00", "#BDBDBD"


def _figure() -> go.Figure:
    return go.Figure(layout={"template": TEMPLATE})


def off_scale(reference, values: pd.Series, times: float = 5) -> bool:
    """True when a comparator (England's figure) is more than `times` the largest of the councils' `values`, as a
    count's national total is: on the same axis it would leave the councils' figures a flat line at zero."""
    largest = values.abs().max()
    return bool(pd.notna(reference) and pd.notna(largest) and largest > 0 and abs(reference) > times * largest)


def _hover_format(decimals) -> str:
    return f":,.{int(decimals)}f" if decimals is not None and not pd.isna(decimals) else ":,"


def comparators_over_time(rows: pd.DataFrame, council: str, name: str, unit: str, polarity: str,
                          decimals=None) -> go.Figure:
    """Rows of compare.series: the council's figures (solid, thick) with England, the region and the neighbours'
    mean (each its own colour and dash) by period end on a true time axis; hover gives the period as published."""
    figure = _figure()
    x = pd.to_datetime(rows["period_end"])
    number = _hover_format(decimals)
    region = next((r for r in rows["region_name"].dropna()), "Region")
    lines = (("value", council, {"width": 4, "color": SERIES_COLOURS["actual"]}, "circle", 10),
             ("england", "England", {"width": 2, "color": SERIES_COLOURS["england"], "dash": "dash"}, "diamond", 9),
             ("region", region, {"width": 2, "color": REGION_COLOUR, "dash": "dot"}, "square", 8),
             ("statistical_neighbours", "Statistical neighbours' mean",
              {"width": 2, "color": SERIES_COLOURS["statistical_neighbours"], "dash": "dashdot"}, "triangle-up", 9))
    for column, label, line, symbol, size in lines:
        if rows[column].notna().any():
            # A count's England and region figures are totals: drawn, they flatten the council's line to zero.
            # They stay in the legend (click to show) and in the table of figures, named as off the scale.
            hidden = column in ("england", "region") and off_scale(rows[column].min(), rows["value"])
            figure.add_scatter(x=x, y=rows[column], name=f"{label} (off this scale)" if hidden else label,
                               mode="lines+markers", line=line, visible="legendonly" if hidden else True,
                               marker={"symbol": symbol, "size": size}, customdata=rows[["period"]],
                               hovertemplate=f"{label} %{{customdata[0]}}: %{{y{number}}}<extra></extra>",
                               connectgaps=False)
    # A true time axis, each tick labelled with the period as published ('2024' is LAIT's year, not its end date).
    figure.update_xaxes(type="date", title="Period", tickvals=x, ticktext=rows["period"].tolist())
    figure.update_yaxes(title=unit)
    return style(figure, f"{name} ({POLARITY_WORDS.get(polarity, 'no direction is better')})")


def council_spread(spread: pd.DataFrame, organisation_id: str, council: str, name: str, period: str, unit: str,
                   polarity: str, england=None, decimals=None) -> go.Figure:
    """Rows of queries.benchmark_spread: one bar per council with a figure, lowest to highest, the council's bar in
    colour and labelled with its name and figure, England as a dashed line."""
    numeric = spread[spread["value"].notna()].reset_index(drop=True)
    figure = _figure()
    mine = numeric["organisation_id"] == organisation_id
    colours = [SERIES_COLOURS["actual"] if m else OTHERS_COLOUR for m in mine]
    number = _hover_format(decimals)
    figure.add_bar(x=list(range(1, len(numeric) + 1)), y=numeric["value"], marker={"color": colours},
                   customdata=numeric[["name"]], name="Councils", showlegend=False,
                   hovertemplate=f"%{{customdata[0]}}: %{{y{number}}}<extra></extra>")
    if mine.any():
        position = int(mine.idxmax())
        value = numeric.loc[position, "value"]
        shown = f"{value:,.{int(decimals)}f}" if decimals is not None and not pd.isna(decimals) else f"{value:,g}"
        figure.add_annotation(x=position + 1, y=value, text=f"{council}: {shown}", showarrow=True, arrowhead=2,
                              ax=0, ay=-40, bgcolor="#FFFFFF", bordercolor=SERIES_COLOURS["actual"],
                              font={"color": "#1A1A1A"})
    if england is not None and not pd.isna(england) and off_scale(england, numeric["value"]):
        figure.add_annotation(x=1, xref="paper", xanchor="right", y=1, yref="paper", yanchor="bottom",
                              showarrow=False, text=f"England: {england:,g}, beyond this scale")
    elif england is not None and not pd.isna(england):
        figure.add_hline(y=england, line={"color": SERIES_COLOURS["england"], "dash": "dash", "width": 2},
                         annotation_text="England", annotation_position="top right")
    figure.update_xaxes(title=f"Councils, lowest to highest ({POLARITY_WORDS.get(polarity, 'no direction is better')})",
                        showticklabels=False, range=[0.5, len(numeric) + 0.5])
    figure.update_yaxes(title=unit)
    return style(figure, f"{name}, {period}: all councils")
