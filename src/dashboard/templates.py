"""Upload templates as CSV bytes: blank (the header row), or pre-filled with the current data so an officer can edit
it and upload it back. Cells that a spreadsheet would run as a formula are neutralised."""
from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.importer.officer import OFFICER_KINDS
from dashboard.importer.read import neutralise_cell
from dashboard.store import queries

_QUERIES = {"actions": queries.actions_template, "indicators": queries.indicators_template,
            "efficiency": queries.efficiency_template}


def columns(kind: str) -> list[str]:
    """A kind's columns in template order: the required ones first."""
    definition = OFFICER_KINDS[kind]
    return list(definition.required) + list(definition.optional)


def _csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte order mark: Excel then opens £ and accented names correctly; the reader accepts both.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.12g}"


def blank(kind: str) -> bytes:
    """The header row alone."""
    return _csv(pd.DataFrame(columns=columns(kind)))


def prefilled(con: duckdb.DuckDBPyConnection, kind: str) -> bytes:
    """Every current row of the kind, written so that uploading the file unchanged changes nothing."""
    frame = _QUERIES[kind](con)
    for column in ("cashable", "non_cashable", "total"):
        if column in frame:
            frame[column] = frame[column].map(_number)
    # Seed data may hold text such as "-31pp" or "=x" that officers' uploads would refuse: a spreadsheet opening
    # the template must not run it.
    return _csv(frame.reindex(columns=columns(kind)).map(neutralise_cell))
