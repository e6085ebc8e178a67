"""Classify a due date as written: a deadline, a start date, or a non-date kind such as 'ongoing' or 'tbc'.

Whether an item is overdue is decided in one place, the actions query (store/queries.py): only the DEADLINE_KINDS
can be overdue, and only when a status other than Complete was reported.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dashboard.parsing.periods import PeriodError, parse_period

DUE_KINDS = ("date", "range", "start", "ongoing", "tbc", "recurring", "none", "unparsed")
# The kinds whose date is a deadline; 'start' ('From April 2009') dates when work begins, so it is never overdue.
DEADLINE_KINDS = ("date", "range")
# The rule the actions query applies, in the words every page says it in.
OVERDUE_RULE = ("an item is overdue when its deadline has passed and a status other than Complete was reported; a "
                "date written 'From ...' is a start date, never a deadline, and 'ongoing' and 'tbc' are never overdue")
# 'From April 2009', 'Commencing Jan 06', 'April 2009 onwards': a start date when the rest is a date.
_START = re.compile(r"^(from|commencing|starting|beginning|start(ing)? from|with effect from|w\.?e\.?f\.?)\s+(?P<rest>.+)$"
                    r"|^(?P<rest2>.+?)\s+onwards?$", re.IGNORECASE)
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
    start = _START.match(text)
    if start:
        period = _period(start.group("rest") or start.group("rest2"))
        # 'From Jan to March 06' is a range with an end; 'From April 2009' only says when work starts.
        if period is not None and period.type != "range":
            return Due("start", period.start)
    period = _period(text)
    if period is None:
        return Due("unparsed", None)
    return Due("range" if period.type == "range" else "date", period.end)


def _period(text: str):
    """The period a due cell's date names, or None when it names none."""
    try:
        return parse_period(text)
    except PeriodError:
        # In a due column '5/09' or '01/10' is a month (May 2009, January 2010); as a period it is not a year.
        match = _MONTH_YEAR.fullmatch(text.strip())
        if not match or not 1 <= int(match.group(1)) <= 12:
            return None
        return parse_period(f"{calendar.month_name[int(match.group(1))]} {match.group(2)}")


# The actions query's due_position keys, in words; no position (blank) means not past a deadline.
DUE_POSITION_LABELS = {"overdue": "Overdue", "past_date_no_status": "Past its date, no status reported"}
