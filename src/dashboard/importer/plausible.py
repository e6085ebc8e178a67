"""Periods that parse but cannot be right for the measure (issue 24): an actual figure for a period that has not
started yet would be shown as the latest outturn. (Years outside 1950 to 2100 are refused by parse_period.)"""
from __future__ import annotations

from datetime import date

from dashboard.importer.cells import Cells
from dashboard.importer.kinds import Records


def future_actual_message(period_text: str, start: date) -> str:
    """The error for an actual figure whose period starts after today."""
    return (f"this is an actual figure for {period_text}, which has not started yet (it starts on "
            f"{start:%d/%m/%Y}); check the period, or give the figure as a forecast or target.")


def checked_period(cells: Cells, records: Records, today: date | None = None) -> Records:
    """An indicator row's records, or none when an actual is dated in the future."""
    today = today or date.today()
    for _, record in records:
        if record.get("measure") == "actual" and record.get("period_start") and record["period_start"] > today:
            cells.problem("period", future_actual_message(record["period_text"], record["period_start"]))
            return []
    return records
