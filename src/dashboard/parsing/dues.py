"""Classify a due date as written: a parsed date, or a non-date kind such as 'ongoing', 'tbc' or 'every 6 months'."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dashboard.parsing.periods import PeriodError, parse_period

DUE_KINDS = ("date", "range", "ongoing", "tbc", "recurring", "none", "unparsed")
_ONGOING = re.compile(r"\b(on-?going|continuous|throughout|annual(ly)?|each year)\b", re.IGNORECASE)
_TBC = re.compile(r"\b(tbc|tba|to be (confirmed|agreed|determined|set))\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{2})")
_RECURRING = re.compile(r"\b(every|each)\s+\d*\s*(week|month|year|term|quarter)s?\b|\b(monthly|quarterly|termly|weekly)\b",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Due:
    """A due date: its kind, and the last day it allows when it is a date or range."""

    kind: str
    date: date | None


def parse_due(written: str | None) -> Due:
    """Read a due cell. Dates count to the end of the period written ('March 2004' is due by 31/03/2004)."""
    text = (written or "").strip()
    if not text:
        return Due("none", None)
    if _TBC.search(text):
        return Due("tbc", None)
    if _RECURRING.search(text):
        return Due("recurring", None)
    if _ONGOING.search(text):
        return Due("ongoing", None)
    try:
        period = parse_period(text)
    except PeriodError:
        # In a due column '5/09' or '01/10' is a month (May 2009, January 2010); as a period it is not a year.
        match = _MONTH_YEAR.fullmatch(text)
        if not match or not 1 <= int(match.group(1)) <= 12:
            return Due("unparsed", None)
        period = parse_period(f"{calendar.month_name[int(match.group(1))]} {match.group(2)}")
    return Due("range" if period.type == "range" else "date", period.end)


def is_overdue(due: Due, as_at: date, status: str | None) -> bool:
    """An item is overdue when its due date has passed and it is not complete; undated kinds never are."""
    if due.kind not in ("date", "range") or due.date is None:
        return False
    return due.date < as_at and status != "complete"
