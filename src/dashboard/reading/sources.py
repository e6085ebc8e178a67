"""Where a figure or status came from, and since when a status holds, in words: the one wording for the pages, the
exports and the board pack."""
from __future__ import annotations

import pandas as pd


def _given(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and value != ""


def source_words(doc, line, upload_id=None, upload_row=None, uploaded_by=None) -> str:
    """'document 002, line 343', or an officer's 'upload 12, row 5, by a.officer'; 'not recorded' otherwise."""
    if _given(doc) and _given(line):
        return f"document {doc}, line {int(line)}"
    if _given(upload_id) and _given(upload_row):
        by = f", by {uploaded_by}" if _given(uploaded_by) else ""
        return f"upload {int(upload_id)}, row {int(upload_row)}{by}"
    return "not recorded"


PROVENANCE = ("source_doc", "source_line", "upload_id", "upload_row", "uploaded_by")
STATUS_PROVENANCE = tuple(f"status_{column}" for column in PROVENANCE)  # of an item's status report (actions_at)


def item_source(row) -> str:
    """Where an item's figure came from: its status report when it has one (queries.actions_at gives both), else
    the row itself; `row` is a mapping or a named tuple with the PROVENANCE (and STATUS_PROVENANCE) fields."""
    get = row.get if hasattr(row, "get") else lambda name, default=None: getattr(row, name, default)
    status = [get(column) for column in STATUS_PROVENANCE]
    if _given(status[0]) or _given(status[2]):
        return source_words(*status)
    return source_words(*(get(column) for column in PROVENANCE))


def since_words(since, reported: bool = False) -> str:
    """A status's date: '01/05/2010'; '30/06/2010 (date of the report)' when no report said when it took effect,
    so the date is that of the first report giving it; 'not stated' when there is none."""
    if not _given(since):
        return "not stated"
    return f"{since:%d/%m/%Y}" + (" (date of the report)" if _given(reported) and bool(reported) else "")
