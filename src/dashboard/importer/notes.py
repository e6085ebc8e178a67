"""Note-like rows under the data (a footnote such as "Source: ..." or "Note: figures provisional"): found at the end
of a file, skipped and reported as one warning each, so a footnote is never five errors."""
from __future__ import annotations

import re

from dashboard.importer.problems import Problem

# A row whose first cell opens like a footnote is a note even when its words ran over into a second cell (an
# unquoted comma in "Note: figures provisional, to be revised").
_NOTE_START = re.compile(r"^\s*(?:[*†‡]|please note\b|n\.b\.|(?:sources?|notes?|nb|footnotes?|caveats?)\s*:)",
                         re.IGNORECASE)
NOTE_WORDS = ("looks like a note under the data, not a row of data, so it was skipped; if it is data, fill in "
              "its other columns (a note can go on another sheet, or be deleted, to clear this warning).")
SHOWN_CHARACTERS = 60  # of the note, quoted in the warning


def is_note(cells: list[str]) -> bool:
    """A row of one filled cell (of a file with several columns), or whose first cell opens like a footnote
    ("Source:", "Note:", "*")."""
    filled = [cell for cell in cells if cell]
    return (len(filled) == 1 and len(cells) > 1) or bool(filled and cells[0] and _NOTE_START.match(cells[0]))


def trailing_notes(cells_of, count: int, row_number, file_name: str = "") -> tuple[int, list[Problem]]:
    """How many of the last rows (of `count`; `cells_of(i)` gives row i's cells in column order, `row_number(i)`
    its spreadsheet row) are notes under the data, with a warning for each; the data keep at least one row, so a
    file of notes alone is still checked as data."""
    notes = 0
    while notes < count - 1 and is_note(cells_of(count - 1 - notes)):
        notes += 1
    problems = []
    for position in range(count - notes, count):
        text = " ".join(cell for cell in cells_of(position) if cell)
        short = text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 1] + "…"
        problems.append(Problem(int(row_number(position)), None, text, f"This row (\"{short}\") {NOTE_WORDS}",
                                "warning", file_name))
    return notes, problems
