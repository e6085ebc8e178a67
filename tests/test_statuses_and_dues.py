"""The status scale, written statuses, and due dates including the kinds that are never overdue."""
from datetime import date

import pytest

from dashboard.parsing.dues import DEADLINE_KINDS, parse_due
from dashboard.parsing.statuses import StatusError, movement, parse_status, split_status_and_date


@pytest.mark.parametrize("written, key", [
    ("Amber / Green", "amber_green"), ("Amber/Green", "amber_green"), ("Dark Green", "dark_green"),
    ("RED", "red"), ("Complete", "complete"), ("", "not_assessed"),
])
def test_written_statuses_map_to_the_scale(written, key):
    assert parse_status(written).key == key


def test_unknown_status_lists_the_scale():
    with pytest.raises(StatusError, match="not a status; use one of: Red, Amber, Amber/Green, Green"):
        parse_status("Purple")


def test_status_cell_with_date_splits():
    assert split_status_and_date("Amber 01/11/2004") == ("Amber", "01/11/2004")
    assert split_status_and_date("Green") == ("Green", None)


def test_movement_uses_the_order_and_keeps_not_assessed_outside_it():
    assert movement("amber", "green") == "up"
    assert movement("green", "red") == "down"
    assert movement("not_assessed", "red") == "unrated"


@pytest.mark.parametrize("written, kind", [
    ("ongoing", "ongoing"), ("On-going", "ongoing"), ("tbc", "tbc"), ("TBC", "tbc"),
    ("every 6 months", "recurring"), ("March 2004", "date"), ("2009-2011", "range"), ("", "none"),
    ("When funding allows", "unparsed"),
])
def test_due_kinds(written, kind):
    assert parse_due(written).kind == kind


@pytest.mark.parametrize("written, due", [
    ("5/09", date(2009, 5, 31)), ("3/11", date(2011, 3, 31)), ("01/10", date(2010, 1, 31)),  # 003 deadlines
    ("09/10", date(2010, 3, 31)),  # consecutive years: the 2009/10 financial year, as everywhere else
    ("by March 09", date(2009, 3, 31)),
])
def test_short_month_year_dues_are_months_unless_they_are_a_year(written, due):
    assert parse_due(written).date == due


def test_only_deadlines_are_dated_kinds():
    """Which kinds can be overdue; the rule itself is the actions query's (tests/test_reading_fixes.py)."""
    assert parse_due("March 2010").kind in DEADLINE_KINDS and parse_due("2009-2011").kind in DEADLINE_KINDS
    for written in ("ongoing", "tbc", "every 6 months", "From April 2009", "", "When funding allows"):
        assert parse_due(written).kind not in DEADLINE_KINDS
