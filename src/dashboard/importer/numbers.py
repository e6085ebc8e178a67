"""Officers' numbers checked against how they are written and what they measure (issue 24): a figure a spreadsheet
or a locale wrote differently ('12,5', '1 234', '#DIV/0!'), a fraction given for a percentage, a count that is
negative or fractional, an efficiency total that is not cashable plus non-cashable. Each says what was read and
what to write instead."""
from __future__ import annotations

from dashboard.importer.cells import Cells, text_problem
from dashboard.importer.kinds import Records
from dashboard.parsing.values import writing_problem

AMOUNTS = (("cashable_k", "cashable"), ("non_cashable_k", "non_cashable"), ("total_k", "total"))
SUM_TOLERANCE_K = 1.0  # £000: printed totals of rounded amounts may be out by one


# An efficiency line in billions is more than any council's whole budget: 'bn' there is a slip, never a figure.
AMOUNT_SUFFIXES = ("k", "m")


def value_problem(written: str, suffixes: tuple[str, ...] = ("k", "m", "bn")) -> str | None:
    """What is wrong with how an indicator value (or, with AMOUNT_SUFFIXES, an amount) is written; None for a plain
    number or a text value."""
    if not written or text_problem(written, False):
        return None
    return writing_problem(written, suffixes)


def checked_value(cells: Cells, records: Records) -> Records:
    """An indicator row's records, or none when its value is written in a way that would be misread."""
    message = value_problem((cells.row.get("value") or "").strip())
    if message:
        cells.problem("value", message)
        return []
    return records


def checked_amounts(cells: Cells, records: Records) -> Records:
    """An efficiency row's records, or none when an amount would be misread or the total is not the sum."""
    already = _columns_with_problems(cells)
    for _, label in AMOUNTS:
        written = (cells.row.get(label) or "").strip()
        message = value_problem(written, AMOUNT_SUFFIXES)
        if message and label not in already:  # one problem a cell ('not an amount' may have said it)
            cells.problem(label, message.replace("the figure", "the amount"))
    if cells.failed:
        return []
    for _, record in records:
        message = sum_problem(record.get("cashable_k"), record.get("non_cashable_k"), record.get("total_k"))
        if message:
            cells.problem("total", message)
    return [] if cells.failed else records


def _columns_with_problems(cells: Cells) -> set[str | None]:
    """The columns of this row that already have a problem (the row's problems are the latest in the list)."""
    columns = set()
    for problem in reversed(cells.problems):
        if problem.row != cells.row_number:
            break
        columns.add(problem.column)
    return columns


def sum_problem(cashable: float | None, non_cashable: float | None, total: float | None) -> str | None:
    """The message for a total that is not cashable + non-cashable (all three given), or None."""
    if cashable is None or non_cashable is None or total is None:
        return None
    if abs(cashable + non_cashable - total) <= SUM_TOLERANCE_K:
        return None
    return (f"the total ({_k(total)}) is not cashable ({_k(cashable)}) plus non-cashable ({_k(non_cashable)}), "
            f"which is {_k(cashable + non_cashable)}; correct one of them, or leave the total empty.")


def _k(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent_fraction_message(written: str, value: float) -> str:
    """The warning for a percentage indicator's value between 0 and 1 written without a % sign."""
    return (f"this indicator is a percentage and '{written}' is read as {value:g}%; if it is a fraction, it is "
            f"{value * 100:g}%: write {value * 100:g}% (accept the warning if {value:g}% is right).")


NEGATIVE_COUNT = "this indicator counts people or things, so it cannot be negative; check the value."


def fractional_count_message(value: float) -> str:
    """The warning for a count indicator's value that is not a whole number."""
    return (f"this indicator counts people or things and {value:g} is not a whole number; check it (accept the "
            "warning if it is right, for example an average).")
