"""Upload data (officers only): choose the kind, download a template, upload a file, see its problems and a preview
of what it changes, then confirm or cancel."""
import streamlit as st

from dashboard.importer.officer import KIND_LABELS
from dashboard.loading import drafts, refresh
from dashboard.published import upload as published_upload
from dashboard.published.load import KIND as PUBLISHED
from dashboard.store.connection import default_db_path
from dashboard.ui import render, upload_preview, upload_templates
from dashboard.ui.auth import client_address, grant, record, require_officer, settings

who = require_officer()
person, approval = grant(), settings().approval
db_path = default_db_path()
st.title("Upload data")
if "upload_message" in st.session_state:
    st.success(st.session_state.pop("upload_message"))
if approval:
    st.info("Approval is on here: a confirmed upload is saved as a draft, which viewers do not see, until a second "
            "officer approves it on the Drafts to approve page.")
else:
    st.caption("Approval is off on this deployment (DASHBOARD_APPROVAL is off, or no roles are declared in [access]): "
               "a confirmed upload is published at once.")

# Only the kinds this officer may upload (dashboard.trust.access); the check is made again on the file itself.
LABELS = {kind: label for kind, label in {**KIND_LABELS, PUBLISHED: published_upload.LABEL}.items()
          if person.may_upload(kind=kind)}
if not LABELS:
    st.warning("Your account may not upload any kind of file here. Ask the dashboard's administrator.")
    st.stop()
kind = st.radio("What are you uploading?", list(LABELS), format_func=LABELS.get, horizontal=True, key="upload_kind")
if kind == PUBLISHED:
    st.markdown(published_upload.HELP + " Nothing changes until you confirm.")
else:
    st.markdown("Download a template, fill it in (or edit the copy of the current data) and upload it as CSV or "
                "Excel (.xlsx). Column names are matched ignoring case and spaces. Nothing changes until you "
                "confirm. A new council starts with the set-up workbook: its council, plan, areas, indicators, "
                "actions and values in one upload. The format is described in `docs/csv-format.md`.")
    upload_templates.offer(db_path, kind, person)

# A new uploader key after a commit or a cancel clears the chosen file(s).
round_ = st.session_state.setdefault("upload_round", 0)
if kind == PUBLISHED:  # several files at once: LAIT's values need their dictionary and neighbour workbook
    uploaded = st.file_uploader("Choose the files (Parquet, CSV, Excel)", type=list(published_upload.FILE_TYPES),
                                accept_multiple_files=True, key=f"upload_files:{round_}")
else:
    one = st.file_uploader("Choose a CSV or Excel file", type=["csv", "tsv", "txt", "xlsx"],
                           key=f"upload_file:{round_}")
    uploaded = [one] if one is not None else []


def _forget(discard: bool = True) -> None:
    preview = st.session_state.pop("upload_preview", None)
    st.session_state.pop("upload_token", None)
    if discard and preview is not None:
        refresh.discard(preview)


if not uploaded:
    _forget()
    st.stop()

contents = [(file.name, file.getvalue()) for file in uploaded]
token = (kind, tuple((name, refresh.sha256(data)) for name, data in contents))
if st.session_state.get("upload_token") != token:
    _forget()
    with st.spinner("Checking the files…" if len(contents) > 1 else "Checking the file…"):
        try:
            st.session_state["upload_preview"] = (
                published_upload.stage_uploaded(db_path, contents, who) if kind == PUBLISHED
                else refresh.stage(db_path, kind, *contents[0], who, grant=person))
        except refresh.CommitError as error:  # a full disk, a locked database: in words, nothing changed
            st.error(str(error))
            st.stop()
    st.session_state["upload_token"] = token
preview: refresh.Preview = st.session_state["upload_preview"]


if preview.errors:
    st.error(preview.summary(render.plain))
    upload_preview.problems(preview, preview.problems, "Problems to fix")
    st.stop()
if not preview.can_commit:
    st.info(preview.summary(render.plain))
    if preview.warnings:
        upload_preview.problems(preview, preview.warnings, "Warnings")
    st.stop()

st.header("What this upload changes")
upload_preview.effects(preview, warnings=False)  # the warnings below, with their checkbox

accepted = True
if preview.warnings:
    upload_preview.problems(preview, preview.warnings, "Warnings")
    accepted = st.checkbox(f"I have checked the {len(preview.warnings)} warning(s) and the figures are right",
                           key="accept_warnings")
confirm_col, cancel_col = st.columns(2)
confirm = confirm_col.button("Confirm and send for approval" if approval else "Confirm and update the dashboard",
                             type="primary", disabled=not accepted, key="confirm_upload")
cancel = cancel_col.button("Cancel", key="cancel_upload")
if confirm and approval:
    try:
        draft_id = drafts.save(db_path, preview, contents, client_address())
    except drafts.DraftError as error:
        st.error(render.plain(str(error)))
        _forget(discard=False)
        st.stop()
    _forget(discard=False)
    st.session_state["upload_message"] = (f"Saved as draft {draft_id}. Viewers do not see it until a second officer "
                                          "approves it on the Drafts to approve page.")
    st.session_state["upload_round"] = round_ + 1
    st.rerun()
if confirm:
    try:
        upload_id = refresh.commit(preview, db_path)
    except refresh.CommitError as error:
        st.error(render.plain(str(error)))  # a refresh message may name the file
        _forget(discard=False)
        st.stop()
    _forget(discard=False)
    record("upload", target=f"upload {upload_id}", detail=f"{preview.kind} file {preview.file_name}, "
           f"sha256 {preview.sha256[:12]}")
    st.session_state["upload_message"] = (f"Saved as upload {upload_id}. Every page now shows the new data; "
                                          "the Upload history page can roll it back.")
    st.session_state["upload_round"] = round_ + 1
    st.rerun()
if cancel:
    _forget()
    st.session_state["upload_message"] = "Cancelled: nothing has changed."
    st.session_state["upload_round"] = round_ + 1
    st.rerun()
