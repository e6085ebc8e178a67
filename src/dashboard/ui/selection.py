"""The shared sidebar: council, plan and 'as at' date, kept in the URL (ui/url_state.py) so a link reopens the same
view."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.store import queries
from dashboard.ui import url_state
from dashboard.ui.data import frame, query


@dataclass(frozen=True)
class Selection:
    """What the user is looking at."""

    organisation_id: str
    organisation_name: str
    plan_id: str | None
    plan_title: str | None
    as_at: date


def _index(options: list[str], wanted: str | None) -> int:
    return options.index(wanted) if wanted in options else 0


def default_as_at(plan: pd.Series | None, snapshots: list, latest_actual=None) -> date:
    """The latest date with data: the plan's latest status snapshot; without one, the later of the plan's start
    (nothing counts as overdue before it) and the end of the council's latest actual within the plan's period."""
    if snapshots:
        return snapshots[-1]
    dates = [pd.Timestamp(value).date() for value in (
        plan["period_start"] if plan is not None else None, latest_actual) if value is not None and pd.notna(value)]
    return max(dates) if dates else date.today()


def sidebar() -> Selection:
    """Draw the sidebar pickers and return the selection; the URL's query parameters seed and mirror it."""
    orgs = frame(queries.organisations)
    org_ids = orgs["organisation_id"].tolist()
    names = dict(zip(org_ids, orgs["name"]))
    with st.sidebar:
        st.header("Showing")
        org = st.selectbox("Council", org_ids, index=_index(org_ids, url_state.initial("org")), format_func=names.get,
                           key="org")
        plans = frame(queries.plans, org)
        plan_ids = plans["plan_id"].tolist()
        titles = dict(zip(plan_ids, plans["title"] + " (" + plans["period_text"].fillna("") + ")"))
        plan_id = None
        plan_row = None
        if plan_ids:
            plan_id = st.selectbox("Plan", plan_ids, index=_index(plan_ids, url_state.initial("plan")), format_func=titles.get,
                                   key=f"plan:{org}")
            plan_row = plans.set_index("plan_id").loc[plan_id]
        snapshots = query(queries.status_dates, plan_id) if plan_id else []
        until = plan_row["period_end"] if plan_row is not None and pd.notna(plan_row["period_end"]) else date.max
        default = default_as_at(plan_row, snapshots, None if snapshots else query(queries.latest_actual_end, org, until))
        # The link's date belongs to the link's plan: another plan (another council's) opens at its own latest report.
        linked = url_state.initial("as_at", default) if url_state.initial("plan") in (None, plan_id) else default
        as_at = st.date_input("As at", value=linked, format="DD/MM/YYYY", key=f"as_at:{plan_id}",
                              help="Statuses as they stood on this date. Dates are day first.")
        if snapshots:
            st.caption("Status reports on: " + ", ".join(d.strftime("%d/%m/%Y") for d in snapshots))
    for param, value in (("org", org), ("plan", plan_id), ("as_at", as_at)):
        url_state.remember(param, value)
    return Selection(org, names[org], plan_id, titles.get(plan_id), as_at)
