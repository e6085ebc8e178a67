"""Upload history (officers only): every load of data, and rolling an upload back after confirmation."""
import contextlib

import pandas as pd
import streamlit as st

from dashboard.loading import drafts, refresh
from dashboard.store.connection import default_db_path
from dashboard.store.uploads import OFFICER_KINDS
from dashboard.ui import render
from dashboard.ui.auth import grant, record, require_officer

who = require_officer()
db_path = default_db_path()
st.title("Upload history")
if "history_message" in st.session_state:
    st.success(st.session_state.pop("history_message"))

try:
    history = refresh.history(db_path)
except refresh.CommitError as error:  # a database locked by another program, or its migration on a full disk
    st.error(str(error))
    st.stop()


def _state(row) -> str:
    if row.kind == "seed":
        return "Embedded data"
    if row.kind == "rollback":
        return f"Rollback of upload {int(row.rolls_back)}"
    if pd.notna(row.rolled_back_by):
        return f"Rolled back (by {int(row.rolled_back_by)})"
    return "In force"


table = pd.DataFrame({
    "Upload": history["upload_id"], "State": [_state(r) for r in history.itertuples()], "Kind": history["kind"],
    "File": history["file_name"], "By": history["uploaded_by"],
    "When": pd.to_datetime(history["uploaded_at"]).dt.strftime("%d/%m/%Y %H:%M"), "Rows": history["row_count"],
    "Added": history["rows_added"], "Changed": history["rows_changed"], "Removed": history["rows_removed"],
    "SHA-256": history["sha256"].str[:12], "Note": history["note"].fillna("")})
render.table(table, hide_index=True, width="stretch", key="history_table")
# Who approved or rejected officers' drafts, when and why (the drafts in this officer's scope).
with contextlib.suppress(drafts.DraftError):
    decided = [d for d in drafts.listed(db_path, grant()) if d.state != drafts.DRAFT]
    if decided:
        st.subheader("Approved and rejected drafts")
        render.table(drafts.decisions_table(decided).drop(columns=["What it changes"]), hide_index=True,
                     width="stretch", key="history_drafts")

in_force = history[history["kind"].isin(OFFICER_KINDS) & history["rolled_back_by"].isna()]
st.header("Roll back an upload")
if in_force.empty:
    st.markdown("There are no officers' uploads in force to roll back.")
    st.stop()
labels = {int(r.upload_id): f"Upload {int(r.upload_id)}: {r.file_name} ({r.kind}, by {r.uploaded_by})"
          for r in in_force.itertuples()}
chosen = st.selectbox("Upload to roll back", list(labels), format_func=labels.get, key="rollback_choice")
try:
    plan = refresh.rollback_plan(db_path, chosen)
except (refresh.CommitError, ValueError) as error:  # ValueError: uploads.RollbackError (rolled back meanwhile)
    st.error(render.plain(f"Cannot roll back: {error}" if isinstance(error, ValueError) else str(error)))
    st.stop()
st.markdown(render.plain(plan.words()))
# The tick confirms this plan only: another choice, a plan that grew, or a rollback just done clears it (the widget
# is told so before it is drawn; deleting its state would leave the browser showing it ticked).
if st.session_state.get("rollback_confirmed_for") != plan.undone:
    st.session_state["rollback_confirm"] = False
    st.session_state["rollback_confirmed_for"] = plan.undone
sure = st.checkbox(plan.confirm_label(), key="rollback_confirm")
if st.button("Roll back", type="primary", disabled=not sure, key="rollback_button"):
    try:
        rollback_id = refresh.roll_back(db_path, chosen, who, expected=list(plan.undone))
    except refresh.CommitError as error:
        st.error(render.plain(str(error)))  # a refresh message may name the file
        st.stop()
    record("rollback", target=f"upload {chosen}",
           detail=f"undoes upload(s) {', '.join(map(str, plan.undone))}; recorded as upload {rollback_id}")
    st.session_state["history_message"] = (f"Upload {chosen} rolled back" + (
        f" with upload(s) {', '.join(map(str, plan.others))}" if plan.others else "")
        + f" (recorded as {rollback_id}).")
    st.session_state.pop("rollback_confirmed_for", None)
    st.rerun()
