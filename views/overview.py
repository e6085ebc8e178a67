"""Overview: per area, actions by status and indicators by RAG; the efficiency position; recent changes and what
changed since the last refresh."""
import streamlit as st

from dashboard.presenting import exports
from dashboard.reading import efficiency_position, exceptions
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state, versions
from dashboard.ui.data import (
    action_status_figure,
    actions_by_status,
    assessed as assessed_positions,
    board_pack_bytes,
    exceptions_table,
    frame,
    indicator_rag_figure,
    query,
    summary,
)

RED_SHOWN = 5  # red items listed before the rest are folded away

sel = st.session_state["selection"]
st.title(render.plain(sel.organisation_name))
st.caption(f"As at {sel.as_at:%d/%m/%Y}" + (f" · {render.plain(sel.plan_title)}" if sel.plan_title else ""))

st.header("Needs attention")
attention = exceptions_table(sel.organisation_id, sel.plan_id, sel.as_at)
st.markdown(exceptions.headline(attention))
if (attention["Kind"] == exceptions.PUBLISHED).any():
    only_bottom = st.toggle("Only bottom quartile and worsening", key="attention_bottom",
                            value=bool(url_state.initial("bottom", False)),
                            help="Only the published measures in the worst quarter of councils (band D) and worse "
                                 "than the period before.")
    url_state.remember("bottom", only_bottom)
    if only_bottom:
        attention = exceptions.bottom_and_worsening(attention)
        if attention.empty:
            st.info("No published measure of this council is both in the bottom quartile and worsening.")
if not attention.empty:
    st.caption("Indicators off target, not on course, worse than comparators or worsening, red actions, and "
               "published measures in the bottom quartile of councils (band D), most urgent first; click a column "
               "heading to sort, and 'Open' for the detail. A trajectory is a projection to the next target, and a "
               "band a comparison with other councils, not a measured result (Method page).")
    downloads.status_table(attention.drop(columns=["Priority"]), "status", "Verdict", "Needs attention",
                           "exceptions", hide_index=True, height=min(420, 38 + 35 * len(attention)),
                           column_config={
                               "Detail": st.column_config.LinkColumn("Detail", display_text="Open"),
                               "Since": st.column_config.DateColumn(format="DD/MM/YYYY"),
                               "Why": st.column_config.TextColumn("Why", width="large"),
                               "Item": st.column_config.TextColumn("Item", width="medium"),
                               "Direction": st.column_config.TextColumn("Direction", width="small")})

if sel.plan_id:
    st.header("Actions by status")
    table, red_lines = actions_by_status(sel.plan_id, sel.as_at)
    if table.empty:
        st.info("This plan has no actions.")
    else:
        downloads.figure(action_status_figure(sel.plan_id, sel.as_at, "Actions and tasks by status, per area"),
                         key="overview-actions", empty="No action of this plan has a status at this date.")
        downloads.table(table, "Actions by status", "overview-actions", hide_index=True)
        st.caption("Percentages are of assessed items; 'Not assessed' items are counted but left out of them.")
        st.subheader(f"Red now ({len(red_lines)})")
        # One list, not an element per item: a screen reader announces a list of n items, and a national council's
        # hundred red items are one message to the browser, not a hundred (docs/PERFORMANCE.md).
        st.markdown(render.bullets(red_lines[:RED_SHOWN]) if red_lines else "No action or item is red at this date.")
        if len(red_lines) > RED_SHOWN:
            # The rest folded away: on a phone 18 red items were five screens between the chart and the efficiency
            # position. They are all in "Needs attention" above too, and in the board pack.
            with st.expander(f"The other {len(red_lines) - RED_SHOWN} red items"):
                st.markdown(render.bullets(red_lines[RED_SHOWN:]))

st.header("Indicators by RAG")
assessed = assessed_positions(sel.organisation_id, sel.plan_id)
if assessed.empty:
    st.info("No indicator for this plan has figures for this council.")
else:
    downloads.figure(indicator_rag_figure(sel.organisation_id, sel.plan_id, "Indicators by verdict, per area"),
                     key="overview-indicators", empty="No indicator of this plan has a figure for this council.")
    red = assessed[assessed["rag"] == "red"]
    if not red.empty:
        st.subheader(f"Red indicators ({len(red)})")
        st.markdown(render.bullets(f"{render.status_badge('red')} **{render.plain(row.indicator_code)}** "
                                   f"{render.plain(row.name)}: {render.plain(row.rag_explanation)} "
                                   f"({render.plain(row.rag_period)})" for row in red.itertuples()))

years = query(queries.efficiency_years, sel.organisation_id)
if years:
    st.header(f"Efficiency position {render.plain(years[0])}")
    pos = efficiency_position.position(frame(queries.efficiency_by, sel.organisation_id, years[0], "directorate"),
                                       frame(queries.efficiency_summaries, sel.organisation_id, years[0]))
    cols = st.columns(3)
    cols[0].metric("Gains identified (£000)", f"{pos.total_k:,.0f}")
    if pos.surplus_k is not None:
        cols[1].metric("Surplus (£000)" if pos.surplus_k >= 0 else "Shortfall (£000)", f"{abs(pos.surplus_k):,.0f}")
    if pos.cashable_share is not None:
        cols[2].metric("Cashable share", f"{pos.cashable_share:.1%}")
    st.markdown(render.bullets(pos.sentences()))  # figures and fixed words only

st.header("Most recent status changes")
changes = frame(queries.recent_status_changes, sel.organisation_id, sel.as_at)
if changes.empty:
    st.info("No status has changed between reports for this council up to this date.")
else:
    changes["Moved"] = changes["movement"].map({"up": "Improved", "down": "Worsened", "same": "Same"})
    shown = render.with_source(changes[["action_code", "text", "previous_label", "status_label", "Moved",
                                        "effective_date", "commentary", "source_doc", "source_line"]])
    downloads.table(shown.rename(columns={"action_code": "Item", "text": "Description", "previous_label": "Was",
                                       "status_label": "Now", "effective_date": "Since",
                                       "commentary": "Commentary"}),
                    "Recent status changes", "recent-changes", hide_index=True,
                    column_config={"Since": st.column_config.DateColumn(format="DD/MM/YYYY")})

st.header("What changed since the last refresh")
for heading, sentences in summary(sel.organisation_id, sel.plan_id, sel.as_at).sections:
    # The sentences name codes, file names and uploaders from the data: escaped whole, shown as written.
    st.markdown(f"**{heading}**\n" + render.bullets(map(render.plain, sentences)))

no_charts = exports.missing_browser()
if sel.plan_id and no_charts:
    st.warning(f"No board pack on this server: {no_charts}", icon=":material/picture_as_pdf:")
elif sel.plan_id:
    st.download_button("Board pack (PDF)", lambda: board_pack_bytes(sel.organisation_id, sel.plan_id, sel.as_at),
                       file_name=f"board-pack-{sel.plan_id}-{sel.as_at:%Y-%m-%d}.pdf", mime="application/pdf",
                       on_click="ignore", icon=":material/picture_as_pdf:", key="board_pack",
                       help="Cover, RAG by area, exceptions, key indicator charts, the efficiency position, what "
                            "changed and the source of every figure, for this plan and date (takes a few seconds)")
    if versions.as_of() is not None:  # a pack has no room for the 'as they were' banner
        st.caption("The board pack is made from the current figures, not the figures as they were shown above.")

st.header("Data refreshed")
loads = frame(queries.last_refresh)
if not loads.empty:
    latest = loads.iloc[0]
    st.markdown(f"Last loaded {latest['uploaded_at']:%d/%m/%Y %H:%M} from {render.plain(latest['file_name'])} "
                f"({render.plain(latest['kind'])}, {latest['row_count']:,} rows, "
                f"by {render.plain(latest['uploaded_by'])}).")
