"""Upload data (officers only): choose the kind, download a template, upload a file, see its problems and a preview
of what it changes, then confirm or cancel."""
import pandas as pd
import streamlit as st

from dashboard import exports, refresh, templates
from dashboard.changes import TABLE_WORDS, rows_frame
from dashboard.importer.officer import KIND_LABELS, SETUP
from dashboard.importer.problems import problems_table
from dashboard.published import upload as published_upload
from dashboard.published.load import KIND as PUBLISHED
from dashboard.store import queries
from dashboard.store.connection import connect, default_db_path
from dashboard.ui import render
from dashboard.ui.auth import record, record_later, require_officer
from dashboard.ui.downloads import file_stem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 1_000  # rows of changes and problems shown; a national file changes a million, which no one reads
who = require_officer()
db_path = default_db_path()
st.title("Upload data")
if "upload_message" in st.session_state:
    st.success(st.session_state.pop("upload_message"))

LABELS = {**KIND_LABELS, PUBLISHED: published_upload.LABEL}
kind = st.radio("What are you uploading?", list(LABELS), format_func=LABELS.get, horizontal=True, key="upload_kind")
if kind == PUBLISHED:
    st.markdown(published_upload.HELP + " Nothing changes until you confirm.")
else:
    st.markdown("Download a template, fill it in (or edit the copy of the current data) and upload it as CSV or "
                "Excel (.xlsx). Column names are matched ignoring case and spaces. Nothing changes until you "
                "confirm. A new council starts with the set-up workbook: its council, plan, areas, indicators, "
                "actions and values in one upload. The format is described in `docs/csv-format.md`.")
    with connect(db_path, read_only=True) as scope_con:
        councils = queries.all_organisations(scope_con)
        council_names = dict(zip(councils["organisation_id"], councils["name"]))
        scope_org = st.selectbox("Templates for", [None, *council_names], key="template_council",
                                 format_func=lambda org: "Every council" if org is None else council_names[org])
        plan_titles = {} if scope_org is None else \
            dict(queries.plans(scope_con, scope_org)[["plan_id", "title"]].values)
    # Offered once a council is chosen (a disabled picker's faint text fails the contrast check).
    scope_plan = st.selectbox("Plan", [None, *plan_titles], key="template_plan",
                              format_func=lambda plan: "Every plan" if plan is None else plan_titles[plan]) \
        if plan_titles else None
    left, right = st.columns(2)
    workbook = kind == SETUP
    suffix, mime = ("xlsx", XLSX) if workbook else ("csv", "text/csv")
    scope_name = "-".join(part for part in (kind, scope_org, scope_plan) if part)
    left.download_button("Set-up workbook with an example council (Excel)" if workbook else "Blank template (CSV)",
                         templates.workbook if workbook else templates.blank(kind),
                         file_name=f"{kind}-template.{suffix}", mime=mime, key="blank_template")

    def _current_template(chosen: str = kind) -> bytes:
        # Written when the officer clicks, not on every rerun: at national scale it is every indicator value of
        # every council (millions of rows), which took longer than everything else on the page together.
        with connect(db_path, read_only=True) as con:
            if chosen == SETUP:
                return templates.workbook(con, scope_org, scope_plan, current_data=True)
            return templates.prefilled(con, chosen, scope_org, scope_plan)

    right.download_button("Set-up workbook with the current data (Excel)" if workbook else
                          "Template with the current data (CSV)", _current_template,
                          file_name=f"{file_stem(scope_name)}-current.{suffix}", mime=mime, key="current_template")

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
                else refresh.stage(db_path, kind, *contents[0], who))
        except refresh.CommitError as error:  # a full disk, a locked database: in words, nothing changed
            st.error(str(error))
            st.stop()
    st.session_state["upload_token"] = token
preview: refresh.Preview = st.session_state["upload_preview"]


def _problems(problems, heading: str) -> None:
    st.subheader(heading)
    _first_rows(heading, len(problems), pd.DataFrame(problems_table(problems[:SHOWN_ROWS])).astype({"Row": "Int64"}),
                lambda: pd.DataFrame(problems_table(problems)), "in the file's order",
                "to work through them beside the file")


def _moves(frame: pd.DataFrame, heading: str, none: str, order: str) -> None:
    st.subheader(heading)
    if frame.empty:
        st.markdown(none)
    else:
        _first_rows(heading, len(frame), frame.head(SHOWN_ROWS), lambda: frame, order, "to read beside the preview")


def _exported(every, audit) -> bytes:
    # Rows of an officer's file leave the server here: the audit trail says who took them, when and from where.
    audit()
    return exports.to_csv(every())


def _first_rows(heading: str, count: int, first: pd.DataFrame, every, order: str, purpose: str) -> None:
    # The first rows, as for the changes: a national file's 165,000 warnings were 31 MB for the browser and a second
    # of the server's time on every rerun (ticking the box that accepts them is one), and its RAG moves 5.4 MB.
    # Every row goes in the CSV, written when clicked and neutralised like every export.
    render.table(first, hide_index=True, width="stretch", key=f"table:{heading}")
    if count > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS:,} of {count:,}, {order}; the CSV has them all.")
    stem = file_stem(f"{preview.file_name} {heading}")
    audit = record_later("export", target=f"{stem}.csv", detail=f"{heading} of the {preview.kind} file "
                         f"{preview.file_name}, from the upload page")
    st.download_button("All as CSV", lambda: _exported(every, audit), file_name=f"{stem}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key=f"csv:{heading}",
                       help=f"Download every one of the {count:,} as CSV, {purpose}")


if preview.errors:
    st.error(preview.summary(render.plain))
    _problems(preview.problems, "Problems to fix")
    st.stop()
if not preview.can_commit:
    st.info(preview.summary(render.plain))
    if preview.warnings:
        _problems(preview.warnings, "Warnings")
    st.stop()

st.header("What this upload changes")
st.markdown(preview.summary(render.plain))
if kind == PUBLISHED:
    st.caption(f"Source: {render.plain(preview.source)}")
for table, change in preview.changes.items():
    added, changed, removed = change.counts
    st.markdown(f"**{TABLE_WORDS[table].capitalize()}**: {added:,} added, {changed:,} changed, {removed:,} removed, "
                f"{change.unchanged:,} unchanged.")
    if not change.is_empty:
        columns = {"actions": ["plan_id", "code", "text", "lead_officer", "due_text"],
                   "action_statuses": ["plan_id", "action_code", "status_text", "effective_text", "as_at_text",
                                       "commentary"],
                   "observations": ["indicator_code", "organisation_id", "period_text", "measure",
                                    "comparator_group", "value_written"],
                   "efficiency_lines": ["organisation_id", "year_text", "directorate", "category", "description",
                                        "cashable_k", "non_cashable_k", "total_k", "stage"],
                   "organisations": ["organisation_id", "name", "kind", "ons_code", "la_number", "region"],
                   "organisation_aliases": ["alias", "organisation_id"],
                   "plans": ["plan_id", "organisation_id", "title", "period_text", "status"],
                   "areas": ["plan_id", "code", "parent_code", "level", "title"],
                   "indicators": ["indicator_code", "name", "unit", "polarity", "tolerance", "tolerance_units",
                                  "owner", "retired"],
                   "indicator_aliases": ["alias", "indicator_code"],
                   "indicator_areas": ["indicator_code", "plan_id", "area_code"]}[table]
        render.table(rows_frame(change, columns, limit=SHOWN_ROWS), hide_index=True, width="stretch",
                     key=f"changes:{table}")
        if added + changed + removed > SHOWN_ROWS:
            st.caption(f"The first {SHOWN_ROWS:,} of {added + changed + removed:,} rows; the counts above are for "
                       "the whole file.")
if preview.moves:
    st.subheader("What moves")
    st.markdown("\n".join(f"- {render.plain(sentence)}" for sentence in preview.moves))
if preview.rag_changes is not None:
    _moves(preview.rag_changes, "Indicators whose RAG or direction changes",
           "None: every indicator keeps its RAG and direction of travel.", "council by council")
if preview.status_changes is not None:
    _moves(preview.status_changes, "Actions whose status changes", "None: every action keeps its latest status.",
           "plan by plan")

accepted = True
if preview.warnings:
    _problems(preview.warnings, "Warnings")
    accepted = st.checkbox(f"I have checked the {len(preview.warnings)} warning(s) and the figures are right",
                           key="accept_warnings")
confirm_col, cancel_col = st.columns(2)
confirm = confirm_col.button("Confirm and update the dashboard", type="primary", disabled=not accepted,
                             key="confirm_upload")
cancel = cancel_col.button("Cancel", key="cancel_upload")
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
