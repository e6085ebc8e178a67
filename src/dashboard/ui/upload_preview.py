"""The upload page's preview: problems, changed rows and RAG or status moves, the first rows shown and every row as
CSV (written when clicked, neutralised, and recorded in the audit trail)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.importer.problems import grouped, grouped_note, problems_table
from dashboard.loading import refresh
from dashboard.loading.changes import PREVIEW_COLUMNS, TABLE_WORDS, moves_first, rows_frame
from dashboard.presenting import exports
from dashboard.ui import render
from dashboard.ui.auth import record_later
from dashboard.ui.downloads import file_stem

SHOWN_ROWS = 1_000  # rows of changes and problems shown; a national file changes a million, which no one reads


def problems(preview: refresh.Preview, found, heading: str) -> None:
    """A heading and the first problems or warnings (one mistake on many rows listed once, with its rows), with
    all of them, row by row, as CSV."""
    st.subheader(heading)
    shown = grouped(found, preview.row_count)
    note = grouped_note(len(found), len(shown))
    if note:
        st.caption(note)
    _first_rows(preview, heading, len(shown), pd.DataFrame(problems_table(shown[:SHOWN_ROWS])),
                lambda: pd.DataFrame(problems_table(found)), "in the file's order",
                "row by row, to work through them beside the file", len(found),
                # What to do is the point: a long value must not push it off a 1024 px screen.
                column_config={"Value": st.column_config.TextColumn(width="small"),
                               "Problem": st.column_config.TextColumn(width="large")})


def moves(preview: refresh.Preview, frame: pd.DataFrame, heading: str, none: str, order: str) -> None:
    """A heading and the first RAG or status moves, with all of them as CSV; `none` when there are none."""
    st.subheader(heading)
    if frame.empty:
        st.markdown(none)
    else:
        frame = moves_first(frame)
        _first_rows(preview, heading, len(frame), frame.head(SHOWN_ROWS), lambda: frame, order,
                    "to read beside the preview")


def changes(preview: refresh.Preview) -> None:
    """Each table's counts and its first changed rows."""
    for table, change in preview.changes.items():
        added, changed, removed = change.counts
        st.markdown(f"**{TABLE_WORDS[table].capitalize()}**: {added:,} added, {changed:,} changed, {removed:,} "
                    f"removed, {change.unchanged:,} unchanged.")
        if not change.is_empty:
            render.table(rows_frame(change, PREVIEW_COLUMNS[table], limit=SHOWN_ROWS, words=True),
                         hide_index=True, width="stretch", key=f"changes:{table}")
            if added + changed + removed > SHOWN_ROWS:
                st.caption(f"The first {SHOWN_ROWS:,} of {added + changed + removed:,} rows; the counts above are "
                           "for the whole file.")


def _exported(every, audit) -> bytes:
    # Rows of an officer's file leave the server here: the audit trail says who took them, when and from where.
    audit()
    return exports.to_csv(every())


def _first_rows(preview: refresh.Preview, heading: str, count: int, first: pd.DataFrame, every, order: str,
                purpose: str, every_count: int | None = None, **table_args) -> None:
    # The first rows, as for the changes: a national file's 165,000 warnings were 31 MB for the browser and a second
    # of the server's time on every rerun (ticking the box that accepts them is one), and its RAG moves 5.4 MB.
    # Every row goes in the CSV, written when clicked and neutralised like every export.
    render.table(first, hide_index=True, width="stretch", key=f"table:{heading}", **table_args)
    if count > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS:,} of {count:,}, {order}; the CSV has them all.")
    stem = file_stem(f"{preview.file_name} {heading}")
    audit = record_later("export", target=f"{stem}.csv", detail=f"{heading} of the {preview.kind} file "
                         f"{preview.file_name}, from the upload page")
    st.download_button("All as CSV", lambda: _exported(every, audit), file_name=f"{stem}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key=f"csv:{heading}",
                       help=f"Download every one of the {every_count or count:,} as CSV, {purpose}")


def effects(preview: refresh.Preview, warnings: bool = True) -> None:
    """Everything a staged upload changes, for the upload page and the draft approver alike: its sentence (and
    source), what moves, RAG and status changes first (where a 1024 px screen shows them without scrolling), then
    the rows table by table, then its warnings unless the caller shows them itself."""
    st.markdown(preview.summary(render.plain))
    if preview.source:  # a published import names its files' source
        st.caption(f"Source: {render.plain(preview.source)}")
    if preview.moves:
        st.subheader("What moves")
        st.markdown("\n".join(f"- {render.plain(sentence)}" for sentence in preview.moves))
    if preview.rag_changes is not None:
        moves(preview, preview.rag_changes, "Indicators whose RAG or direction changes",
              "None: every indicator keeps its RAG and direction of travel.", "council by council")
    if preview.status_changes is not None:
        moves(preview, preview.status_changes, "Actions whose status changes",
              "None: every action keeps its latest status.", "plan by plan")
    st.subheader("Rows added, changed and removed")
    changes(preview)
    if warnings and preview.warnings:
        problems(preview, preview.warnings, "Warnings")
