"""Drafts to approve (officers): uploads saved as drafts and what each changes; an approver whose scope covers one
(never its uploader) sees it previewed on the current data and approves or rejects it with a comment."""
import streamlit as st

from dashboard.loading import drafts, refresh
from dashboard.store.connection import default_db_path
from dashboard.trust.access import ROLE_WORDS
from dashboard.ui import render, upload_preview
from dashboard.ui.auth import client_address, grant, require_officer

require_officer()
person = grant()
db_path = default_db_path()
st.title("Drafts to approve")
if "drafts_message" in st.session_state:
    st.success(st.session_state.pop("drafts_message"))
st.markdown("An officer's confirmed upload waits here as a draft: viewers, exports and the board pack do not show it "
            "until a second officer approves it. Approving publishes it; rejecting discards it. Either needs a "
            f"comment. Your role: {person.role} ({ROLE_WORDS[person.role]}).")
try:
    visible = drafts.listed(db_path, person)
except drafts.DraftError as error:
    st.error(str(error))
    st.stop()
waiting = [d for d in visible if d.state == drafts.DRAFT]
decided = [d for d in visible if d.state != drafts.DRAFT]


def _forget() -> None:
    held = st.session_state.pop("draft_preview", None)
    if held is not None:
        refresh.discard(held[1])


def _decided_table() -> None:
    st.header("Decided drafts")
    if decided:
        render.table(drafts.decisions_table(decided).drop(columns=["What it changes"]), hide_index=True,
                     width="stretch", key="drafts_decided")
    else:
        st.markdown("No draft has been approved or rejected yet.")


st.header("Waiting for approval")
if not waiting:
    st.markdown("There are no drafts waiting for approval.")
    _forget()
    _decided_table()
    st.stop()
render.table(drafts.decisions_table(waiting)[["Draft", "State", "Kind", "File", "Councils", "Uploaded by",
                                               "Uploaded", "What it changes"]],
             hide_index=True, width="stretch", key="drafts_waiting")
labels = {d.draft_id: f"Draft {d.draft_id}: {d.file_name} ({d.kind}, by {d.uploaded_by})" for d in waiting}
chosen = st.selectbox("Draft to look at", list(labels), format_func=labels.get, key="draft_choice")
draft = next(d for d in waiting if d.draft_id == chosen)

# What the draft changes now, computed once per draft on the data as it is (approval commits exactly this).
held = st.session_state.get("draft_preview")
if held is None or held[0] != chosen:
    _forget()
    with st.spinner("Checking the draft against the current data…"):
        try:
            st.session_state["draft_preview"] = (chosen, drafts.restage(db_path, draft))
        except (drafts.DraftError, refresh.CommitError) as error:
            st.error(render.plain(str(error)))
            st.stop()
preview: refresh.Preview = st.session_state["draft_preview"][1]
st.subheader(f"Draft {chosen}: what it changes now")
if preview.errors:
    st.error(preview.summary(render.plain) + " It cannot be approved as it is; reject it with a comment.")
    upload_preview.problems(preview, preview.problems, "Problems to fix")
else:
    upload_preview.effects(preview)

if drafts.may_decide(person, draft):
    comment = st.text_area("Comment (kept with the decision)", key=f"draft_comment:{chosen}")
    approve_col, reject_col = st.columns(2)
    approve = approve_col.button("Approve and publish", type="primary", key="approve_draft",
                                 disabled=not preview.can_commit or not comment.strip())
    reject = reject_col.button("Reject", key="reject_draft", disabled=not comment.strip())
    try:
        if approve:
            upload_id = drafts.approve(db_path, chosen, preview, person, comment, client_address())
            st.session_state["drafts_message"] = (f"Draft {chosen} approved and published as upload {upload_id}. "
                                                  "Every page now shows it.")
        elif reject:
            drafts.reject(db_path, chosen, person, comment, client_address())
            st.session_state["drafts_message"] = f"Draft {chosen} rejected: nothing has changed in the dashboard."
    except (drafts.DraftError, refresh.CommitError) as error:
        st.error(render.plain(str(error)))
        _forget()  # stale or decided: computed again on the next run
        st.stop()
    if approve or reject:
        _forget()
        st.rerun()
else:
    st.info("You cannot approve or reject this draft: " + drafts.why_not(person, draft))
_decided_table()
