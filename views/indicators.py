"""Indicator trends: find an indicator, see it against target and comparators, with the RAG rule in words."""
import streamlit as st

from dashboard.charts.trends import comparator_name
from dashboard.loading import series_joins
from dashboard.reading import compare
from dashboard.rules.rag import POLARITY_WORDS
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state
from dashboard.ui.data import assessed as assessed_positions, comparators_figure, frame, joined_trend_chart, trend_chart

sel = st.session_state["selection"]
st.title("Indicator trends")
catalogue = frame(queries.indicator_catalogue, sel.organisation_id)
if catalogue.empty:
    st.info("This council has no indicator figures.")
    st.stop()

assessed = assessed_positions(sel.organisation_id, None).set_index("indicator_code")
search = st.text_input("Find by code, name or area", key="find", placeholder="e.g. NI 59, placement, Staying safe",
                       value=url_state.initial("find", ""))
url_state.remember("find", search)
haystack = (catalogue["indicator_code"] + " " + catalogue["aliases"].fillna("") + " " + catalogue["name"] + " "
            + catalogue["areas"].fillna("")).str.lower()
found = catalogue[haystack.str.contains(search.lower(), regex=False)] if search else catalogue
if found.empty:
    st.warning(f"No indicator matches '{render.plain(search)}'.")
    st.stop()
codes = found["indicator_code"].tolist()
names = dict(zip(catalogue["indicator_code"], catalogue["name"]))
code = st.selectbox(f"Indicator ({len(codes)} found)", codes, format_func=lambda c: f"{c}: {names[c]}",
                    key="indicator", index=codes.index(url_state.initial("indicator", codes[0], codes)))
url_state.remember("indicator", code)

info = assessed.loc[code]
series = frame(queries.indicator_series, code, sel.organisation_id)
join = series_joins.for_indicator(code)
if join is not None:  # the same measure as DfE publishes it: the trend continues to the latest year
    series = series_joins.joined(series, frame(queries.indicator_series, join.published_code, sel.organisation_id), join)
    if series_joins.change_point(series, join) is None:
        join = None
chart = joined_trend_chart if join is not None else trend_chart
downloads.figure(chart(code, sel.organisation_id, f"{code} {info['name']}", info["unit"], info["polarity"]),
                 key="trend", empty="Every figure of this indicator is in words (such as 'New indicator'), "
                                    "listed in the table below.")
if join is not None:
    st.info(f"This series continues with the Department for Education's published figure, which is the same "
            f"measure: {render.plain(join.definition)}. The vertical line on the chart marks the change; the table "
            "says which definition each figure was counted under. The verdict below uses the document's own "
            "figures and targets.")
st.markdown(f"**Polarity:** {POLARITY_WORDS.get(info['polarity'], 'not stated')}.")
st.markdown(f"**Verdict ({info['basis_label'].lower()}):** {render.status_badge(info['rag'])} "
            f"{render.plain(info['rag_explanation'])}")
st.caption(f"Rule applied: {info['rule_words']} All rules, in order: Method page.")
if isinstance(info["comparator_explanation"], str) and info["basis"] != "comparator":
    st.markdown(f"**Against comparators:** {render.plain(info['comparator_explanation'])}")
st.markdown(f"**Direction of travel:** {render.plain(info['travel_explanation'])}")
if not (series["measure"] == "baseline").any():
    st.caption("No baseline is recorded for this indicator.")
if not (series["measure"] == "target").any():
    st.caption("No target is recorded for this indicator, so it is not rated red, amber or green.")
if series["is_conflict"].any() or series["is_revised"].any() or (series["values_for_period"] > 1).any():
    st.warning("Some periods have conflicting or revised figures; they are marked in the table below.")

table = series.assign(
    Measure=series["measure"].str.capitalize() + series["comparator_group"].map(
        lambda g: f" ({comparator_name(g)})" if isinstance(g, str) else ""),
    Marks=[", ".join(word for word, marked in (("conflict", conflict or count > 1), ("revised", revised),
                                               ("provisional", provisional), ("estimate", estimate)) if marked)
           for conflict, count, revised, provisional, estimate in zip(
               series["is_conflict"], series["values_for_period"], series["is_revised"], series["is_provisional"],
               series["is_estimate"])])
shown = ["period_text", "Measure", "value_written", "Marks", "note"] + (["definition"] if join is not None else [])
downloads.table(render.with_source(table[shown + ["source_doc", "source_line", "upload_id", "upload_row"]]).rename(
    columns={"period_text": "Period", "value_written": "Value as printed", "note": "Note",
             "definition": "Definition"}), f"{code} figures",
    "indicator-figures", hide_index=True)

family = catalogue.set_index("indicator_code").loc[code, "family"]
if family in compare.SOURCES:  # a published measure: England, the region and the neighbours beside the council
    published = frame(queries.council_benchmarks, sel.organisation_id, code)
    if not published.empty:
        about = published.iloc[-1]
        st.subheader("Against England, the region and statistical neighbours")
        downloads.figure(comparators_figure(sel.organisation_id, code, sel.organisation_name, about["indicator_name"],
                                            about["unit"], about["polarity"], about["decimals"]),
                         key="indicator-comparators")
        over_time = compare.series(published, code)
        st.caption(render.plain(compare.series_in_words(over_time, sel.organisation_name, about["indicator_name"],
                                                        about["decimals"])))
        lines = compare.attribution(published)
        st.caption(render.plain(" ".join(lines + [compare.neighbour_model_words(published)])))
        with st.expander("The comparators over time"):
            downloads.table(compare.series_table(over_time, sel.organisation_name, about["decimals"]),
                            f"{code} comparators", "indicator-comparators-table", notes=lines, hide_index=True)

st.header("All indicators of an area")
areas = sorted(assessed["area_title"].dropna().unique())
area_options = ["All areas"] + areas
area = st.selectbox("Area", area_options, key="indicator_area",
                    index=area_options.index(url_state.initial("ind_area", "All areas", area_options)))
url_state.remember("ind_area", None if area == "All areas" else area)
rows = assessed if area == "All areas" else assessed[assessed["area_title"] == area]
trends = frame(queries.indicator_sparklines, sel.organisation_id).set_index("indicator_code")["trend"]
overview = rows.reset_index().assign(Trend=lambda f: f["indicator_code"].map(trends))
downloads.status_table(overview[["indicator_code", "name", "rag", "rag_label", "rag_explanation", "travel",
                                 "latest_period", "latest_actual", "Trend"]].rename(
    columns={"indicator_code": "Code", "name": "Indicator", "rag_label": "Verdict", "rag_explanation": "Why",
             "travel": "Direction", "latest_period": "Latest period", "latest_actual": "Latest actual"}),
    "rag", "Verdict", f"Indicators {area}", "area-indicators", hide_index=True,
    column_config={"Trend": st.column_config.LineChartColumn("Trend (actuals)")})
