"""Problems found in an uploaded file, worded for the officer who has to fix them."""
from __future__ import annotations

from dataclasses import dataclass, replace

# One mistake on at least this many rows is reported once for its column ("rows 2-12: ..."), not once per row.
GROUP_FROM = 3
SHOWN_VALUES = 3  # the distinct values a grouped problem quotes; more are counted


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (file, spreadsheet row, column), the value, and what to do about it; a problem
    repeated on several rows (`grouped`) names them in `rows` and their count in `row_count`."""

    row: int | None          # the row number as a spreadsheet shows it (the header is row 1); None: whole file
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # error blocks the commit; warning is shown and can be accepted
    file: str = ""
    rows: str = ""           # a grouped problem's rows in words ("all 11 rows", "rows 2-6, 9 and 12")
    row_count: int = 1       # how many rows the problem stands for
    values: tuple[str, ...] = ()  # a grouped problem's distinct values, when they differ from row to row

    @property
    def value_text(self) -> str:
        """The value as the officer wrote it, or a grouped problem's first few values ('a', 'b' and 4 more)."""
        if self.values:
            shown = ", ".join(f"'{value}'" for value in self.values[:SHOWN_VALUES])
            more = len(self.values) - SHOWN_VALUES
            return shown + (f" and {more} more" if more > 0 else "")
        return "" if self.value in (None, "") else f"'{self.value}'"

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.rows:
            where.append(self.rows[0].upper() + self.rows[1:])
        elif self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'" + (f" ({self.value_text})" if self.value_text else ""))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


def row_ranges(rows: list[int], total: int | None = None) -> str:
    """Row numbers in words: "all 11 rows" (when they are every one of `total` data rows), "rows 2-12",
    "rows 2-6, 9 and 12"."""
    rows = sorted(set(rows))
    if total is not None and len(rows) == total and total > 1:
        return f"all {total} rows"
    spans: list[str] = []
    start = previous = rows[0]
    for row in rows[1:] + [None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if row is not None:
            start = previous = row
    if len(spans) == 1:
        return f"rows {spans[0]}" if "-" in spans[0] else f"row {spans[0]}"
    return "rows " + ", ".join(spans[:-1]) + " and " + spans[-1]


def grouped(problems: list[Problem], data_rows: int | None = None) -> list[Problem]:
    """The problems as an officer reads them: one mistake (same file, column, severity and words) on GROUP_FROM or
    more rows becomes one problem naming the rows ("all 11 rows" when `data_rows` says that is every row) and
    quoting the first few distinct values; others stay as they are. Each stands where its first row stood."""
    by_key: dict[tuple, list[Problem]] = {}
    for problem in problems:
        if problem.row is not None and problem.row > 1 and not problem.rows:
            by_key.setdefault((problem.file, problem.column, problem.severity, problem.message), []).append(problem)
    out: list[Problem] = []
    placed: set[tuple] = set()
    for problem in problems:
        key = (problem.file, problem.column, problem.severity, problem.message)
        same = by_key.get(key) if problem.row is not None and problem.row > 1 and not problem.rows else None
        if not same or len(same) < GROUP_FROM:
            out.append(problem)
            continue
        if key in placed:
            continue
        placed.add(key)
        values = tuple(dict.fromkeys(p.value for p in same if p.value not in (None, "")))
        out.append(replace(problem, value=values[0] if len(values) == 1 else None,
                           values=values if len(values) > 1 else (), rows=row_ranges([p.row for p in same], data_rows),
                           row_count=len(same)))
    return out


def problems_table(problems: list[Problem]) -> list[dict]:
    """Problems as rows for a table: kind in words (never colour alone), row(s), column, value and what to do."""
    return [{"Kind": "Error" if p.severity == "error" else "Warning",
             "Row": p.rows or ("" if p.row is None else str(p.row)), "Column": p.column or "",
             "Value": p.values and p.value_text or p.value or "", "Problem": p.message} for p in problems]


def grouped_note(found: int, shown: int) -> str | None:
    """A sentence when grouping listed fewer problems than were found (the summary counts every row's), else None."""
    if shown >= found:
        return None
    return (f"{found:,} problems listed as {shown:,}: a mistake repeated on many rows is listed once, with its rows; "
            "the CSV lists every row.")

