"""RAG by strategic area: counts by status, filters, drill-down to each action, and two-date comparison."""
import streamlit as st

from dashboard.charts.rag import status_bars
from dashboard.parsing.dues import DUE_POSITION_LABELS, OVERDUE_RULE
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading import action_filters, reading_flags, status_matrix
from dashboard.reading.sources import PROVENANCE, STATUS_PROVENANCE
from dashboard.store import queries
from dashboard.ui import downloads, render, url_state
from dashboard.ui.data import frame, query

sel = st.session_state["selection"]
st.title("RAG by strategic area")
if not sel.plan_id:
    st.info("This council has no plan with actions.")
    st.stop()
st.caption(f"{render.plain(sel.plan_title)} · as at {sel.as_at:%d/%m/%Y}")

actions = frame(queries.actions_at, sel.plan_id, sel.as_at)
with st.expander("Filters and counting", expanded=False):
    modes = ["leaves", "parents"]
    mode = st.radio("Count", modes, index=modes.index(url_state.initial("count", "leaves", modes)), horizontal=True,
                    key="count_mode",
                    format_func={"leaves": "Every task (leaves)", "parents": "Actions, tasks rolled up"}.get)
    lead_options = sorted(actions["lead_officer"].dropna().unique())
    leads = st.multiselect("Lead officer", lead_options, default=url_state.initial("lead", [], lead_options),
                           key="leads")
    status_options = list(STATUS_LABELS)[:7]
    statuses = st.multiselect("Status", status_options, format_func=STATUS_LABELS.get, key="statuses",
                              default=url_state.initial("status", [], status_options))
    overdue = st.checkbox(f"Only overdue items ({OVERDUE_RULE})", key="overdue",
                          value=url_state.initial("overdue", False))
    past = st.checkbox("Only items past their date (overdue, or no status reported)", key="past",
                       value=url_state.initial("past", False))
for param, value in (("count", None if mode == "leaves" else mode), ("lead", leads), ("status", statuses),
                     ("overdue", overdue), ("past", past)):
    url_state.remember(param, value)
shown = action_filters.filter_actions(actions, leads, statuses, overdue, past)
counts = action_filters.count_by_area(shown, mode)
filtered = action_filters.describe(leads, statuses, overdue, past, STATUS_LABELS, int(counts["items"].sum()),
                                   int(action_filters.count_by_area(actions, mode)["items"].sum()))
if filtered:  # above the figures: a share of a filtered subset must say it is one
    st.info(filtered + " Change them in the box above.", icon=":material/filter_alt:")
if counts.empty:
    st.info("No items match these filters.")
else:
    downloads.figure(status_bars(counts), key="rag-bars", empty="No item matches these filters at this date.")
    downloads.table(status_matrix.matrix(counts), "Status by area", "rag-matrix", hide_index=True)
    st.caption("Percentages are of assessed items; 'Not assessed' is grey and outside every percentage.")

st.header("Drill down")
areas = list(dict.fromkeys(shown["top_title"]))
area = st.selectbox("Area", areas, index=areas.index(url_state.initial("area", areas[0], areas)) if areas else 0,
                    key="area") if areas else None
url_state.remember("area", area)
if area:
    items = shown[shown["top_title"] == area].assign(
        due_position=lambda f: f["due_position"].map(DUE_POSITION_LABELS),
        reading_flag=lambda f: reading_flags.flag_items(f, sel.plan_id))
    table = render.with_source(items[[
        "area_title", "code", "kind", "text", "lead_officer", "due_text", "due_position", "status", "status_label",
        "status_since", "days_at_status", "commentary", "reading_flag", *PROVENANCE, *STATUS_PROVENANCE]])
    table = table.rename(columns={"area_title": "Priority", "code": "Code", "kind": "Kind", "text": "Action",
                                  "lead_officer": "Lead", "due_text": "Due", "due_position": "Past its date",
                                  "status_label": "Status", "status_since": "Since",
                                  "days_at_status": "Days at status", "commentary": "Progress reported",
                                  "reading_flag": "Reading flag"})
    downloads.status_table(table, "status", "Status", f"Items of {area}", "drill-down", hide_index=True,
                           column_config={"Since": st.column_config.DateColumn(format="DD/MM/YYYY"),
                                          "Action": st.column_config.TextColumn(width="large")})

st.header("Compare two dates")
snapshots = query(queries.status_dates, sel.plan_id)
if len(snapshots) < 2:
    st.info("This plan has fewer than two status reports, so there is nothing to compare.")
else:
    cols = st.columns(2)
    before = cols[0].selectbox("From", snapshots, format_func=lambda d: f"{d:%d/%m/%Y}", key="compare_from",
                               index=snapshots.index(url_state.initial("from", snapshots[-2], snapshots)))
    after = cols[1].selectbox("To", snapshots, format_func=lambda d: f"{d:%d/%m/%Y}", key="compare_to",
                              index=snapshots.index(url_state.initial("to", snapshots[-1], snapshots)))
    url_state.remember("from", before)
    url_state.remember("to", after)
    changes = frame(queries.status_changes, sel.plan_id, before, after)
    for movement, heading in (("up", "Moved up"), ("down", "Moved down")):
        moved = changes[changes["movement"] == movement]
        st.subheader(f"{heading}: {len(moved)}")
        if not moved.empty:
            downloads.table(render.with_source(moved[["code", "text", "label_before", "label_after", "status_since",
                                                   "commentary", *PROVENANCE, *STATUS_PROVENANCE]]).rename(
                columns={"code": "Item", "text": "Description", "label_before": f"{before:%d/%m/%Y}",
                         "label_after": f"{after:%d/%m/%Y}", "status_since": "Since", "commentary": "Commentary"}),
                f"{heading} {before:%d-%m-%Y} to {after:%d-%m-%Y}", f"moved-{movement}", hide_index=True)
    same = int((changes["movement"] == "same").sum())
    st.caption(f"{same} item(s) kept the same status.")
