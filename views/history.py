"""Upload history (officers only): every load of data, and rolling an upload back after confirmation."""
import contextlib

import pandas as pd
import streamlit as st

from dashboard import drafts, refresh
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
    scope = refresh.rollback_scope(db_path, chosen)
except refresh.CommitError as error:
    st.error(str(error))
    st.stop()
later = [u for u in scope if u != chosen]
st.markdown(f"Rolling back upload {chosen} restores the data exactly as it was before it."
            + (f" It also undoes the later upload(s) {', '.join(map(str, later))}, which came after it."
               if later else ""))
sure = st.checkbox("I understand; roll it back", key="rollback_confirm")
if st.button("Roll back", type="primary", disabled=not sure, key="rollback_button"):
    try:
        rollback_id = refresh.roll_back(db_path, chosen, who)
    except refresh.CommitError as error:
        st.error(render.plain(str(error)))  # a refresh message may name the file
        st.stop()
    record("rollback", target=f"upload {chosen}",
           detail=f"undoes upload(s) {', '.join(map(str, scope))}; recorded as upload {rollback_id}")
    st.session_state["history_message"] = f"Upload {chosen} rolled back (recorded as {rollback_id})."
    st.session_state.pop("rollback_confirm", None)
    st.rerun()
