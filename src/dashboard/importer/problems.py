"""Problems found in an uploaded file, worded for the officer who has to fix them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (file, spreadsheet row, column), the value, and what to do about it."""

    row: int | None          # the row number as a spreadsheet shows it (the header is row 1); None: whole file
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # error blocks the commit; warning is shown and can be accepted
    file: str = ""

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'" + (f" ('{self.value}')" if self.value not in (None, "") else ""))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


def problems_table(problems: list[Problem]) -> list[dict]:
    """Problems as rows for a table: kind in words (never colour alone), row, column, value and what to do."""
    return [{"Kind": "Error" if p.severity == "error" else "Warning", "Row": p.row, "Column": p.column or "",
             "Value": p.value or "", "Problem": p.message} for p in problems]
