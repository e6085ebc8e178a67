"""Audit trail (admins only): who signed in, failed, was locked out, uploaded, rolled back, downloaded officer data
or changed a setting, when and from where, newest first."""
import pandas as pd
import streamlit as st

from dashboard.settings import database_path
from dashboard.trust import audit
from dashboard.ui import render
from dashboard.ui.auth import is_admin

if not is_admin():  # the page is also left out of everyone else's navigation
    st.title("Admins only")
    st.warning("The audit trail is for the dashboard's administrators (the `admins` list in its secrets file, or "
               "the admin role given by `[access]` or your organisation's sign-in).")
    st.stop()
st.title("Audit trail")
st.markdown("Every sign-in, failed sign-in, lockout, upload, rollback, download of officer data and settings "
            "change, newest first. Times are UTC. Nothing here can be changed or deleted, and rolling an upload "
            "back leaves the trail as it is. The same list: `python -m dashboard audit`.")
labels = {"": "Everything"} | audit.ACTIONS
action = st.selectbox("Show", list(labels), format_func=labels.get, key="audit_action")
try:
    events = audit.events(database_path(), actions=(action,) if action else None, limit=5000)
except audit.AuditError as error:
    st.error(str(error))
    st.stop()
if events.empty:
    st.markdown("Nothing recorded yet.")
    st.stop()
table = pd.DataFrame({
    "Event": events["event_id"], "When (UTC)": pd.to_datetime(events["occurred_at"]).dt.strftime("%d/%m/%Y %H:%M:%S"),
    "Who": events["actor"], "What": events["action"].map(audit.ACTIONS).fillna(events["action"]),
    "On": events["target"].fillna(""), "From": events["client"], "Detail": events["detail"].fillna("")})
render.table(table, hide_index=True, width="stretch", key="audit_table")
if len(events) == 5000:
    st.caption("The newest 5,000 events; the command line lists them all.")
