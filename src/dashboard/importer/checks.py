"""Whole-file checks on an officer's upload: formula-like cells, HTML in text, repeated keys, and warnings that
need the current data (a target looser than the last outturn, a percentage over 100)."""
from __future__ import annotations

import re

from dashboard.importer.officer import KEY_WORDS, TABLE_KEYS
from dashboard.importer.problems import Problem
from dashboard.importer.read import FORMULA_STARTS
from dashboard.parsing.values import parse_number

_HTML = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*(\s[^>]*)?/?\s*>|javascript:", re.IGNORECASE)


def cell_problems(rows: list[dict[str, str]], file_name: str) -> list[Problem]:
    """Cells a spreadsheet would run as a formula when the data is opened again (=, +, -, @ at the start: errors),
    then text with HTML or a script (warnings: kept and shown as plain text, never run); one pass over the cells."""
    formulas, html = [], []
    for row in rows:
        for column, value in row.items():
            if not value or column == "__row__":
                continue
            if value.startswith(FORMULA_STARTS):
                formulas.extend(_formula(row, column, value, file_name))
            # The pattern needs a '<' or the ':' of 'javascript:', so most cells are passed over without it.
            if ("<" in value or ":" in value) and _HTML.search(value):
                html.append(_html(row, column, value, file_name))
    return formulas + html


def _formula(row: dict[str, str], column: str, value: str, file_name: str) -> list[Problem]:
    if value.startswith(("+", "-")) and parse_number(value) is not None:
        return []  # -12, +3.5%, and '-' (nil) are numbers, not formulas
    return [Problem(int(row["__row__"]), column, value,
                    f"this cell begins with '{value[0]}', so a spreadsheet would treat it as a formula; type the "
                    "value itself (not a formula), without that first character.", file=file_name)]


def _html(row: dict[str, str], column: str, value: str, file_name: str) -> Problem:
    return Problem(int(row["__row__"]), column, value,
                   "this text contains HTML or script; it will be stored and shown as plain text, never run.",
                   "warning", file_name)


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
                problems.append(Problem(row, None, None, f"this row repeats row {first[key]} (same "
                                        f"{KEY_WORDS[table]}); keep one of them.", file=file_name))
            first.setdefault(key, row)
    return problems


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + ("%" if unit == "percent" else "")


def target_rows(observations: list[dict]) -> list[tuple[int, str, str, object]]:
    """(position, indicator, organisation, period end) of every target value_warnings compares with the last
    outturn (queries.last_actuals_before finds that outturn)."""
    return [(n, r["indicator_code"], r["organisation_id"], r["period_end"]) for n, r in enumerate(observations)
            if r.get("measure") == "target" and not r.get("_remove") and r.get("value_num") is not None
            and r.get("period_end") is not None]


def value_warnings(observations: list[dict], indicators: dict[str, tuple[str, str]],
                   last_actuals: dict[int, tuple[float, str]], file_name: str) -> list[Problem]:
    """Percentages over 100 and targets looser than the last outturn before their period, as warnings.
    `indicators`: code -> (unit, polarity); `last_actuals`: position of a target in `observations` -> (value, period
    as written) of the last actual before it (see target_rows)."""
    problems = []
    for n, record in enumerate(observations):
        value = record.get("value_num")
        if record.get("_remove") or value is None:
            continue
        unit, polarity = indicators.get(record["indicator_code"], ("", "none"))
        row = record.get("upload_row")
        if unit == "percent" and value > 100 and record["measure"] != "comparator":
            problems.append(Problem(row, "value", record["value_written"], "this is a percentage over 100; "
                                    "check it (accept the warning if it is right).", "warning", file_name))
        if record["measure"] != "target" or polarity not in ("higher", "lower"):
            continue
        if n not in last_actuals:
            continue  # no period end, or no actual ended before its period
        actual, period_text = last_actuals[n]
        looser = value < actual if polarity == "higher" else value > actual
        if looser:
            problems.append(Problem(row, "value", record["value_written"],
                                    f"this target is looser than the last outturn ({_fmt(actual, unit)} in "
                                    f"{period_text}) and {polarity} is better; check it (accept the warning if "
                                    "it is right).", "warning", file_name))
    return problems
