"""Whole-file checks on an officer's upload: formula-like cells, HTML in text, repeated keys; and the words of the
warnings that need the current data (a target looser than the last outturn, a percentage over 100)."""
from __future__ import annotations

import re

from dashboard.importer.control import CONTROL, control_message
from dashboard.importer.officer import KEY_WORDS, TABLE_KEYS
from dashboard.importer.problems import Problem
from dashboard.importer.read import FORMULA_STARTS
from dashboard.parsing.values import parse_number

_HTML = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*(\s[^>]*)?/?\s*>|javascript:", re.IGNORECASE)


def formula_message(value: str) -> str | None:
    """What is wrong with a cell a spreadsheet would run as a formula (=, +, -, @ at the start), or None."""
    if not value.startswith(FORMULA_STARTS):
        return None
    if value.startswith(("+", "-")) and parse_number(value) is not None:
        return None  # -12, +3.5%, and '-' (nil) are numbers, not formulas
    return (f"this cell begins with '{value[0]}', so a spreadsheet would treat it as a formula; type the value "
            "itself (not a formula), without that first character.")


HTML_MESSAGE = "this text contains HTML or script; it will be stored and shown as plain text, never run."


def has_html(value: str) -> bool:
    """True when a cell holds HTML or a script link (kept, and shown as plain text)."""
    # The pattern needs a '<' or the ':' of 'javascript:', so most cells are passed over without it.
    return ("<" in value or ":" in value) and _HTML.search(value) is not None


def cell_problems(rows: list[dict[str, str]], file_name: str) -> list[Problem]:
    """Cells a spreadsheet would run as a formula when the data is opened again (errors), then text with HTML or a
    script (warnings: kept and shown as plain text, never run), then control characters (errors); one pass over
    the cells."""
    formulas, html, controls = [], [], []
    for row in rows:
        for column, value in row.items():
            if not value or column == "__row__":
                continue
            message = formula_message(value)
            if message:
                formulas.append(Problem(int(row["__row__"]), column, value, message, file=file_name))
            if has_html(value):
                html.append(Problem(int(row["__row__"]), column, value, HTML_MESSAGE, "warning", file_name))
            if value.isprintable() is False and CONTROL.search(value):  # (isprintable: one C call for most cells)
                controls.append(Problem(int(row["__row__"]), column, value, control_message(value), file=file_name))
    return formulas + html + controls


def repeat_message(first_row: int, table: str) -> str:
    """The message for a row that repeats an earlier row's key."""
    return f"this row repeats row {first_row} (same {KEY_WORDS[table]}); keep one of them."


def _key(table: str, record: dict) -> tuple:
    return tuple(map(record.get, TABLE_KEYS[table]))


def duplicate_keys(records: dict[str, list[dict]], file_name: str) -> list[Problem]:
    """Two rows of one file saying different things about the same item: the officer must keep one."""
    problems = []
    for table, rows in records.items():
        if table not in TABLE_KEYS:
            continue
        first: dict[tuple, int] = {}
        for record in rows:
            key = _key(table, record)
            row = record.get("upload_row")
            if key in first and first[key] != row:
                problems.append(Problem(row, None, None, repeat_message(first[key], table), file=file_name))
            first.setdefault(key, row)
    return problems


PERCENT_OVER_100 = "this is a percentage over 100; check it (accept the warning if it is right)."


def looser_target_message(actual: float, unit: str, period_text: str, polarity: str) -> str:
    """The message for a target looser than the last outturn before its period."""
    return (f"this target is looser than the last outturn ({_fmt(actual, unit)} in {period_text}) and {polarity} "
            "is better; check it (accept the warning if it is right).")


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + ("%" if unit == "percent" else "")


YEAR_WORDS = {"financial": "financial year", "academic": "academic year"}


def year_type_message(code: str, written: str, year_type: str, read: tuple, other: tuple) -> str:
    """The warning for a split year (2008/09) read as a financial year for an indicator reported by academic year:
    both readings, with their dates, and how to choose the other."""
    return (f"'{written}' is read as the financial year ({read[0]:%d/%m/%Y} to {read[1]:%d/%m/%Y}), but {code} is "
            f"reported by {YEAR_WORDS[year_type]} ({other[0]:%d/%m/%Y} to {other[1]:%d/%m/%Y} for '{written}'): if "
            "that is meant, write academic_year in the period_type column (accept the warning if the financial "
            "year is right).")
