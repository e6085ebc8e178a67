"""Chart builders, without Streamlit: the status word is on every RAG segment, time is a true axis, each series says
what it is, and money is labelled £000."""
from __future__ import annotations

import pandas as pd

from dashboard.charts.describe import describe, figure_table
from dashboard.charts.efficiency import gains_bars, ieg_figure
from dashboard.charts.layout import FONT_FAMILY, title_of
from dashboard.charts.rag import status_bars
from dashboard.charts.trends import trend_figure
from dashboard.presenting.palette import CHART_TEXT, STATUS_COLOURS, background, contrast_ratio, luminance


def test_every_status_colour_reads_at_wcag_aa_with_our_text_and_with_the_grids():
    for status, (back, text) in STATUS_COLOURS.items():
        assert contrast_ratio(text, back) >= 4.5, status
        # Streamlit's grid writes a coloured label in black when the colour's luminance is over 0.5, else white.
        grid_text = "#000000" if luminance(back) > 0.5 else "#FFFFFF"
        assert contrast_ratio(grid_text, back) >= 4.5, status
    assert contrast_ratio("#000000", "#FFFFFF") == 21.0 and round(luminance("#808080"), 3) == 0.216


def test_status_bars_carry_the_word_and_the_palette_colour():
    counts = pd.DataFrame({"top_title": ["Staying safe", "Staying safe", "Enjoy and achieve"],
                           "status": ["red", "not_assessed", "green"], "items": [2, 5, 1]})
    figure = status_bars(counts)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name) == ["Red", "Green", "Not assessed"]  # the scale's order, worst first; unrated last
    assert by_name["Red"].marker.color == background("red")
    assert list(by_name["Red"].text) == ["2 Red", ""]
    assert list(by_name["Not assessed"].x) == [5, 0]
    assert figure.layout.barmode == "stack"


def test_trend_figure_uses_period_end_dates_and_names_every_series():
    series = pd.DataFrame({
        "period_text": ["97/98", "98/99", "98/99", "99/2000", "98/99"],
        "period_end": pd.to_datetime(["1998-03-31", "1999-03-31", "1999-03-31", "2000-03-31", "1999-03-31"]),
        "measure": ["actual", "actual", "target", "forecast", "comparator"],
        "comparator_group": [None, None, None, None, "statistical_neighbours"],
        "value_num": [13.0, 11.0, 12.0, 10.0, 14.0],
        "value_written": ["13%", "11%", "12%", "10%", "14%"],
    })
    figure = trend_figure(series, "PAF A1 Re-registrations", "percent", "lower")
    names = [trace.name for trace in figure.data]
    assert names == ["Actual", "Target", "Forecast", "Statistical neighbours"]
    assert figure.layout.xaxis.type == "date"
    actual, target, forecast, _ = figure.data
    assert pd.Timestamp(actual.x[0]) == pd.Timestamp("1998-03-31")
    assert actual.line.dash is None and forecast.line.dash == "dash" and target.line.shape == "hv"
    assert "lower is better" in title_of(figure)
    assert figure.layout.yaxis.title.text == "Per cent"


def test_trend_figure_leaves_text_values_off_the_axis():
    series = pd.DataFrame({"period_text": ["2008/09"], "period_end": pd.to_datetime(["2009-03-31"]),
                           "measure": ["target"], "comparator_group": [None], "value_num": [None],
                           "value_written": ["New indicator"]})
    assert trend_figure(series, "NI 59", "percent", "higher").data == ()


def test_gains_bars_stack_cashable_and_non_cashable_in_thousands():
    frame = pd.DataFrame({"name": ["Children's Services", "Resources"], "cashable_k": [397.0, 166.0],
                          "non_cashable_k": [646.0, 31.0]})
    figure = gains_bars(frame, "Gains by directorate 2006/07 (£000)")
    assert [trace.name for trace in figure.data] == ["Cashable (£000)", "Non-cashable (£000)"]
    assert list(figure.data[1].x) == [646.0, 31.0]
    assert figure.layout.barmode == "stack" and figure.layout.xaxis.title.text == "£000"


def test_ieg_figure_nets_spend_off_gross_gains_per_year():
    frame = pd.DataFrame({"year_text": ["04/05", "04/05", "05/06", "05/06"],
                          "line_type": ["gain", "expenditure", "gain", "expenditure"],
                          "total_k": [33.5, 3237.0, 512.5, 1652.0]})
    figure = ieg_figure(frame)
    gross, spend, net = figure.data
    assert list(gross.y) == [33.5, 512.5]
    assert list(spend.y) == [-3237.0, -1652.0]
    assert list(net.y) == [33.5 - 3237.0, 512.5 - 1652.0]  # 002 line 2498 prints -3,203,500 and -1,139,500 (£)


def _every_chart() -> list:
    counts = pd.DataFrame({"top_title": ["Staying safe", "Enjoy and achieve"], "status": ["red", "green"],
                           "items": [2, 5]})
    series = pd.DataFrame({"period_text": ["2007/2008", "2008/09"],
                           "period_end": pd.to_datetime(["2008-03-31", "2009-03-31"]), "measure": ["actual"] * 2,
                           "comparator_group": [None] * 2, "value_num": [14.0, 16.0], "value_written": ["14%", "16%"]})
    gains = pd.DataFrame({"name": ["Resources"], "cashable_k": [166.0], "non_cashable_k": [31.0]})
    ieg = pd.DataFrame({"year_text": ["04/05", "04/05"], "line_type": ["gain", "expenditure"],
                        "total_k": [33.5, 3237.0]})
    return [status_bars(counts), trend_figure(series, "NI 65", "percent", "lower"), gains_bars(gains, "Gains"),
            ieg_figure(ieg)]


def test_every_chart_is_the_same_whatever_plotlys_process_wide_default_template():
    # Importing Streamlit makes its own template Plotly's default in the whole server process (issue 21: the pack
    # from the page clipped NI 65's axis to "4-6"); no chart may depend on that default.
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401  (registers the "streamlit" template)

    before = pio.templates.default
    try:
        pio.templates.default = "plotly"
        plain = [figure.to_json() for figure in _every_chart()]
        pio.templates.default = "streamlit"
        under_streamlit = [figure.to_json() for figure in _every_chart()]
    finally:
        pio.templates.default = before
    assert plain == under_streamlit
    for figure in _every_chart():
        layout = figure.layout
        assert layout.template.layout.yaxis.automargin is True and layout.yaxis.automargin is True
        assert layout.font.family == FONT_FAMILY and layout.font.color == CHART_TEXT


def test_chart_text_reads_at_wcag_aa_on_the_chart_background():
    # Axis, tick, legend and title text, and the labels written on bars, each on what is behind it.
    for figure in _every_chart():
        layout = figure.layout
        for colour in (layout.font.color, layout.title.font.color, layout.xaxis.tickfont.color,
                       layout.yaxis.tickfont.color, layout.legend.font.color, layout.xaxis.title.font.color):
            assert contrast_ratio(colour, layout.paper_bgcolor) >= 4.5, colour
        for trace in figure.data:
            if trace.type == "bar" and trace.textfont.color and trace.textposition == "inside":
                assert contrast_ratio(trace.textfont.color, trace.marker.color) >= 4.5, trace.name


def test_describe_puts_every_figure_of_a_chart_in_words():
    bars, trend, gains, ieg = _every_chart()
    assert describe(bars) == ("Items by status and area. Staying safe: Red 2; Enjoy and achieve: Green 5.")
    assert describe(trend) == "NI 65 (lower is better). Actual: 2007/2008 14%, 2008/09 16%."
    assert describe(gains) == "Gains. Resources: Cashable (£000) 166, Non-cashable (£000) 31."
    assert describe(ieg).startswith("E-government (IEG) efficiency gains by year, gross and net of spend. "
                                    "04/05: Gross gains (£000) 33.5, Implementation spend (£000) 3,237; "
                                    "Net gains (£000): 04/05 -3,203.5.")


def test_status_bars_draw_indicators_without_a_target():
    # Every one of a council's indicators can be "No target" (Herefordshire's IEG6 return): the chart drew nothing.
    counts = pd.DataFrame({"top_title": ["Section 1", "Section 1"], "status": ["no_target", "not_assessed"],
                           "items": [36, 2]})
    assert [trace.name for trace in status_bars(counts).data] == ["No target", "Not assessed"]


def test_figure_table_gives_a_row_per_category_or_period_and_a_column_per_series():
    bars, trend, gains, ieg = _every_chart()
    assert figure_table(bars).to_dict("records") == [{"Area": "Staying safe", "Red": 2.0, "Green": 0.0},
                                                     {"Area": "Enjoy and achieve", "Red": 0.0, "Green": 5.0}]
    assert figure_table(trend).to_dict("records") == [{"Period": "2007/2008", "Actual": "14%"},
                                                      {"Period": "2008/09", "Actual": "16%"}]
    assert list(figure_table(ieg).columns) == ["Year", "Gross gains (£000)", "Implementation spend (£000)",
                                               "Net gains (£000)"]
    assert figure_table(trend_figure(pd.DataFrame(columns=["period_text", "period_end", "measure",
                                                           "comparator_group", "value_num", "value_written"]),
                                     "NI 59", "percent", "higher")).empty


def test_long_titles_and_area_names_wrap_to_fit_a_phone_and_the_legend_sits_below():
    """Issue 21: Plotly cuts a line at the chart's edge, so titles and names are broken into lines a 390 px phone
    holds; the legend is under the plot, where it cannot cover the title."""
    from dashboard.charts.layout import LABEL_CHARS, LINE_BREAK, TITLE_CHARS

    name = "Best Value Performance Indicator (BVPI) 157 for Electronic Service Delivery (Corporate)"
    series = pd.DataFrame({"period_text": ["04/05", "05/06"], "period_end": pd.to_datetime(["2005-03-31",
                                                                                           "2006-03-31"]),
                           "measure": ["actual", "actual"], "comparator_group": [None, None],
                           "value_num": [83.17, 98.95], "value_written": ["83.17 %", "98.95 %"]})
    figure = trend_figure(series, f"BVPI 157 {name}", "percent", "higher")
    lines = figure.layout.title.text.split(LINE_BREAK)
    assert len(lines) > 1 and all(len(line) <= TITLE_CHARS for line in lines)
    assert title_of(figure) == f"BVPI 157 {name} (higher is better)"  # whole, for the table and the alt text
    assert figure.layout.legend.yref == "container" and figure.layout.legend.y == 0  # at the foot
    assert figure.layout.margin.t >= 30 + 26 * len(lines)  # the title's lines have room above the plot
    counts = pd.DataFrame({"top_title": ["Section 1 - Priority Outcomes (self-assessment)"] * 2,
                           "status": ["red", "green"], "items": [2, 34]})
    bars = status_bars(counts)
    label = bars.data[0].y[0]
    assert all(len(part) <= LABEL_CHARS for part in label.split(LINE_BREAK)) and LINE_BREAK in label
    assert figure_table(bars)["Area"].tolist() == ["Section 1 - Priority Outcomes (self-assessment)"]
    assert "Section 1 - Priority Outcomes (self-assessment): Red 2, Green 34" in describe(bars)


def test_meeting_mode_charts_are_drawn_in_larger_type():
    from dashboard.charts.layout import MEETING_FONT_SIZE, presented

    frame = pd.DataFrame({"name": ["Children's Services"], "cashable_k": [397.0], "non_cashable_k": [646.0]})
    figure = gains_bars(frame, "Gains by directorate 2006/07 (£000)")
    shown = presented(figure)
    assert shown.layout.xaxis.tickfont.size == shown.layout.yaxis.tickfont.size == MEETING_FONT_SIZE
    assert shown.layout.legend.font.size == MEETING_FONT_SIZE and shown.layout.title.font.size > MEETING_FONT_SIZE
    assert shown.layout.height > figure.layout.height
    assert figure.layout.xaxis.tickfont.size < MEETING_FONT_SIZE  # the page's own figure is left as it was


def test_a_counts_england_total_does_not_flatten_the_councils_figures():
    """England's figure for a count is the whole country's (3,040 adoptions against Herefordshire's 16): it is left
    off the scale, in words on the spread and clickable in the legend over time, and kept in the figures' table."""
    from dashboard.charts.compare import comparators_over_time, council_spread

    spread = pd.DataFrame({"organisation_id": ["a", "hfd", "b"], "name": ["A", "Herefordshire", "B"],
                           "value": [10.0, 16.0, 60.0]})
    figure = council_spread(spread, "hfd", "Herefordshire", "Adoptions", "2025", "Number", "none", england=3040)
    assert not figure.layout.shapes  # no England line stretching the axis to 3,040
    assert any(a.text == "England: 3,040, beyond this scale" for a in figure.layout.annotations)
    assert "<br>" in figure.layout.xaxis.title.text  # the long axis title wraps on a phone
    rows = pd.DataFrame({"period": ["2024", "2025"], "period_end": ["2024-03-31", "2025-03-31"],
                         "value": [29.0, 16.0], "england": [3010.0, 3040.0], "region": [440.0, 450.0],
                         "region_name": ["West Midlands"] * 2, "statistical_neighbours": [30.0, 33.0]})
    over_time = comparators_over_time(rows, "Herefordshire", "Adoptions", "Number", "none")
    england = next(t for t in over_time.data if t.name.startswith("England"))
    assert england.visible == "legendonly" and england.name == "England (off this scale)"
    assert "England (off this scale)" in figure_table(over_time).columns
    assert next(t for t in over_time.data if t.name.startswith("West Midlands")).visible == "legendonly"
    # A rate's England figure is on the same scale as the council's: drawn.
    rate = rows.assign(value=[70.0, 71.0], england=[68.0, 67.0])
    assert next(t for t in comparators_over_time(rate, "Herefordshire", "Foster care", "%", "higher").data
                if t.name == "England").visible is True
