"""A quote that opens a cell and does not close where it should: the CSV reader then takes the following lines, rows
and all, into that one cell (and a file can end inside it without complaint). Found by the rows it swallowed: a
line inside a cell with as many commas as the header has separators. Reported at the row where the quote opened."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.importer.problems import Problem


def swallowed_lines(cell: str, width: int) -> int:
    """How many lines inside a cell look like whole rows of the file (0 for a cell on one line, or a note that runs
    over a few lines)."""
    if "\n" not in cell or width < 2:
        return 0
    return sum(line.count(",") >= width - 1 for line in cell.split("\n")[1:])


def runaway_message(swallowed: int, lines: int) -> str:
    """The words for a cell whose quote ran over `lines` more lines of the file, `swallowed` of them rows."""
    return (f"a quote (\") opens a cell in this row and is not closed on this line, so the next {lines:,} line(s) "
            f"of the file, {swallowed:,} of them rows, were read into this one cell; close the quote, or write it "
            "twice (\"\") to keep it as a character of the text.")


def runaway_problem(row: int, column: str, cell: str, width: int, file_name: str) -> Problem | None:
    """The problem for one cell, or None when it swallowed no row."""
    swallowed = swallowed_lines(cell, width)
    if not swallowed:
        return None
    return Problem(row, column, cell.split("\n", 1)[0][:60], runaway_message(swallowed, cell.count("\n")),
                   file=file_name)


def runaway_in_rows(keys: list[str], rows: list[dict[str, str]], file_name: str) -> list[Problem]:
    """Runaway quotes in rows read by the row-by-row reader."""
    problems = []
    for row in rows:
        for key in keys:
            cell = row.get(key, "")
            if "\n" in cell:
                problem = runaway_problem(int(row["__row__"]), key, cell, len(keys), file_name)
                if problem:
                    problems.append(problem)
    return problems


def runaway_in_columns(headers: list[str], columns: list[pa.Array], rows: pa.Array, file_name: str) -> list[Problem]:
    """Runaway quotes in columns read by Arrow: only the cells holding a line break are looked at."""
    problems = []
    for header, cells in zip(headers, columns):
        broken = np.flatnonzero(pc.match_substring(cells, "\n").to_numpy(zero_copy_only=False))
        for position in broken.tolist():
            problem = runaway_problem(rows[position].as_py(), header, cells[position].as_py(), len(headers),
                                      file_name)
            if problem:
                problems.append(problem)
    return sorted(problems, key=lambda p: p.row)
