"""Efficiency: gains by directorate and category, detail lines, the cumulative position and IEG gains by year."""
import streamlit as st

from dashboard.charts.efficiency import gains_bars, ieg_figure
from dashboard.reading import efficiency_position
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state
from dashboard.ui.data import frame, query

sel = st.session_state["selection"]
st.title("Efficiency gains")
years = query(queries.efficiency_years, sel.organisation_id)
ieg = frame(queries.ieg_finance, sel.organisation_id)
if not years and ieg.empty:
    st.info("This council has no efficiency figures.")
    st.stop()

if years:
    year = st.selectbox("Statement year", years, key="efficiency_year",
                        index=years.index(url_state.initial("year", years[0], years)))
    url_state.remember("year", year)
    by_directorate = frame(queries.efficiency_by, sel.organisation_id, year, "directorate")
    summaries = frame(queries.efficiency_summaries, sel.organisation_id, year)
    pos = efficiency_position.position(by_directorate, summaries)
    cols = st.columns(4)
    cols[0].metric("Gains (£000)", f"{pos.total_k:,.0f}")
    cols[1].metric("Cashable (£000)", f"{pos.cashable_k:,.0f}")
    cols[2].metric("Non-cashable (£000)", f"{pos.non_cashable_k:,.0f}")
    if pos.cashable_share is not None:
        cols[3].metric("Cashable share", f"{pos.cashable_share:.1%}")
    st.markdown(render.bullets(pos.sentences()))  # figures and fixed words only

    downloads.figure(gains_bars(by_directorate, f"Gains by directorate {year} (£000)"), key="by-directorate",
                     empty=f"No gain line for {year} names an amount.")
    by_category = efficiency_position.gains_by(frame(queries.efficiency_by, sel.organisation_id, year, "category"),
                                               summaries, "by_category")
    downloads.figure(gains_bars(by_category.rows, f"Gains by efficiency category {year} (£000)"), key="by-category",
                     empty=f"No gain line for {year} names an amount.")
    st.caption(by_category.basis)
    downloads.table(render.with_source(by_category.rows).rename(
        columns={"name": "Category", "cashable_k": "Cashable £000", "non_cashable_k": "Non-cashable £000",
                 "total_k": "Total £000", "lines": "Lines"}), f"Gains by efficiency category {year}",
        "by-category-table", hide_index=True)

    st.header("Printed totals")
    downloads.table(render.with_source(summaries[["summary", "label", "cashable_k", "non_cashable_k", "total_k",
                                               "source_doc", "source_line"]]).rename(
        columns={"summary": "Line", "label": "Label", "cashable_k": "Cashable £000",
                 "non_cashable_k": "Non-cashable £000", "total_k": "Total £000"}), f"Printed totals {year}",
        "printed-totals", hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="localized") for c in
                       ("Cashable £000", "Non-cashable £000", "Total £000")})

    st.header("Detail lines")
    search = st.text_input("Search the lines", key="efficiency_search", placeholder="e.g. transport, vacancy",
                           value=url_state.initial("search", ""))
    url_state.remember("search", search)
    lines = frame(queries.efficiency_lines, sel.organisation_id, year, search)
    st.caption(f"{len(lines)} line(s)" + (f" containing '{render.plain(search)}'" if search else "") + "; £000.")
    downloads.table(render.with_source(lines).rename(
        columns={"directorate": "Directorate", "category": "Category", "description": "Description",
                 "cashable_k": "Cashable £000", "non_cashable_k": "Non-cashable £000", "total_k": "Total £000",
                 "stage": "Stage"}), f"Efficiency lines {year}", "efficiency-lines", hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="localized") for c in
                       ("Cashable £000", "Non-cashable £000", "Total £000")})

if not ieg.empty:
    st.header("E-government (IEG) gains over the years")
    downloads.figure(ieg_figure(ieg), key="ieg", empty="The IEG returns give no gain or expenditure figure.")
