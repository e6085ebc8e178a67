"""Read an uploaded CSV into a header and rows of text, forgiving about header case and spacing."""
from __future__ import annotations

import csv
import io
import re

from dashboard.importer.notes import trailing_notes
from dashboard.importer.problems import Problem
from dashboard.importer.quotes import runaway_in_rows


def header_key(name: str) -> str:
    """Normalise a column header so 'Lead Officer', ' lead_officer ' and 'LEAD-OFFICER' match."""
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lstrip("\ufeff").lower())


# A leading apostrophe is a spreadsheet's "this is text, not a formula" mark. Templates and exports put it before
# a cell that begins like a formula; reading a file back drops it, so the cell's own value is checked and stored.
TEXT_MARK = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """A text cell a spreadsheet would run as a formula, behind the apostrophe so it stays text (the inverse of
    `unmark`). Numbers, also negative ones, and text that reads as a number ("-12") are left alone."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value.replace(",", ""))
        return value  # "-12" or "+3.5" is a number in any spreadsheet, never a formula
    except ValueError:
        return TEXT_MARK + value


def unmark(cell: str) -> str:
    """A cell without the apostrophe that kept it from being read as a formula ("'=x" is "=x"; "'x" stays)."""
    return cell[1:] if len(cell) > 1 and cell[0] == TEXT_MARK and cell[1] in FORMULA_STARTS else cell


def read_csv_text(text: str, file_name: str = "") -> tuple[list[str], list[dict[str, str]], list[Problem]]:
    """Parse CSV text; returns normalised headers, rows keyed by them, and problems with the file's shape."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [], [Problem(None, None, None, "The file is empty: it has no header row.", file=file_name)]
    except csv.Error as error:
        return [], [], [_unreadable(1, error, file_name)]
    if not "".join(header).strip():
        return [], [], [_no_header(text, file_name)]
    keys = [header_key(name) for name in header]
    seen: set[str] = set()
    for name, key in zip(header, keys):
        if key and key in seen:  # (a blank header, as Excel leaves after the last column, names nothing twice)
            problems.append(Problem(1, name, None, "This column appears twice; keep one.", file=file_name))
        seen.add(key)
    rows: list[dict[str, str]] = []
    try:
        records = list(reader)
    except csv.Error as error:
        # A damaged quote or a stray NUL: the whole file is refused, with the row where reading stopped.
        return keys, [], problems + [_unreadable(reader.line_num, error, file_name)]
    width = len(keys)
    for number, cells in enumerate(records, start=2):
        joined = "".join(cells)
        if not joined.strip():  # every cell blank (or only spaces): skipped
            continue
        if len(cells) > width:
            problems.append(Problem(number, None, None,
                                    f"This row has {len(cells)} cells but the header has {len(keys)}.",
                                    file=file_name))
            continue
        row = dict(zip(keys, map(str.strip, cells)))
        if TEXT_MARK in joined:  # only then can a cell carry the text mark (most rows do not: no call per cell)
            row = {key: unmark(cell) for key, cell in row.items()}
        if len(cells) < width:
            for key in keys[len(cells):]:  # missing cells are blank; as before, a repeated header's last cell wins
                row[key] = ""
        row["__row__"] = str(number)
        rows.append(row)
        if "\n" in joined:  # a quoted line break: a quote that did not close may have swallowed rows
            problems.extend(runaway_in_rows(keys, [row], file_name))
    distinct = list(dict.fromkeys(keys))
    notes, found = trailing_notes(lambda i: [rows[i][key] for key in distinct], len(rows),
                                  lambda i: rows[i]["__row__"], file_name)
    return keys, rows[:len(rows) - notes], problems + found


def _no_header(text: str, file_name: str) -> Problem:
    if not text.strip(" \t\r\n,;\"\ufeff"):
        return Problem(None, None, None, "The file has no data: every line is blank.", file=file_name)
    return Problem(1, None, None, "The first row is blank; it must hold the column names (see the template).",
                   file=file_name)


def _unreadable(row: int, error: csv.Error, file_name: str) -> Problem:
    if "field larger than field limit" in str(error):  # in words: the csv module's own words mean nothing here
        why = ("a cell runs on for more than 131,072 characters, which is almost always a quote (\") that opens a "
               "cell and is not closed")
    else:
        why = "its quotes or separators are damaged"
    return Problem(row, None, None, f"This row cannot be read as CSV: {why}; check its quotes (a quote inside a "
                   "cell is written twice, \"\"), or save the file again from Excel as 'CSV UTF-8'.", file=file_name)
