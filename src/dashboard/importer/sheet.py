"""Read an uploaded CSV into columns of text (one Arrow array per header) instead of a dict per row: the same
cells, row numbers and problems as `read.read_csv_text`, which it falls back to for any file Arrow reads differently."""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.importer.notes import trailing_notes
from dashboard.importer.problems import Problem
from dashboard.importer.quotes import runaway_in_columns
from dashboard.importer.read import read_csv_text, unmark

# A cell needs Python's strip or the text mark dropped only when it starts or ends with something other than a
# printable ASCII character (! to ~), or starts with the mark: its first and last bytes say so, and Python cleans
# those few cells.
_PRINTABLE_FIRST, _PRINTABLE_LAST, _MARK = ord("!"), ord("~"), ord("'")


@dataclass
class Sheet:
    """A file's normalised headers (as written, a repeated one twice), each distinct header's cells (stripped,
    text mark dropped; as in read_csv_text, a repeated header's last cell wins), the spreadsheet row number of each
    data row (blank rows skipped), and problems with the file's shape."""

    headers: list[str]
    columns: dict[str, pa.Array]
    rows: pa.Array
    problems: list[Problem]
    reader: str = "arrow"  # or "csv": which reader read the file (the tests check both agree)

    def __len__(self) -> int:
        return len(self.rows)


def read_sheet(text: str, file_name: str = "") -> Sheet:
    """The file as columns. Arrow reads it when every record has as many cells as the header (it then numbers
    records exactly as the csv module does, quoted line breaks included); otherwise the row-by-row reader does,
    so ragged rows and unreadable quotes get its problems."""
    header_line, _, body = text.partition("\n")
    # A carriage return or a NUL is read differently by the two readers (uploads arrive with line ends made "\n").
    if body and '"' not in header_line and "\x00" not in text and "\r" not in text:
        headers, _, problems = read_csv_text(header_line + "\n", file_name)
        table = _arrow_table(body, len(headers)) if headers else None
        if table is not None:
            return _from_arrow(headers, table, problems, file_name, '"' in body)
    headers, rows, problems = read_csv_text(text, file_name)
    distinct = list(dict.fromkeys(headers))
    columns = {key: pa.array([row[key] for row in rows], pa.string()) for key in distinct}
    return Sheet(headers, columns, pa.array([int(row["__row__"]) for row in rows], pa.int64()), problems, "csv")


def _arrow_table(body: str, width: int) -> pa.Table | None:
    names = [f"c{n}" for n in range(width)]
    try:
        return pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20),
            # Blank lines are kept as rows (of empty cells), so every record keeps its number.
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, null_values=[],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:  # a record with more or fewer cells than the header, or a quote that does not close
        return None


def _from_arrow(headers: list[str], table: pa.Table, problems: list[Problem], file_name: str = "",
                quoted: bool = False) -> Sheet:
    cleaned = [_clean(table.column(n).combine_chunks()) for n in range(len(headers))]
    rows = pa.array(range(2, table.num_rows + 2), pa.int64())
    last = {key: n for n, key in enumerate(headers)}  # a repeated header: its last cell wins, as in a dict
    columns = {key: cleaned[last[key]] for key in dict.fromkeys(headers)}
    # A blank row has every cell empty, so only the rows whose first cell is empty need the other cells looked at.
    candidates = pc.indices_nonzero(pc.equal(pc.utf8_length(cleaned[0]), 0))
    if len(candidates):
        blank = np.ones(len(candidates), dtype=bool)
        for cells in cleaned[1:]:
            blank &= pc.equal(pc.utf8_length(cells.take(candidates)), 0).to_numpy(zero_copy_only=False)
        if blank.any():
            keep = np.ones(table.num_rows, dtype=bool)
            keep[candidates.to_numpy()[blank]] = False
            rows = rows.filter(pa.array(keep))
            columns = {key: cells.filter(pa.array(keep)) for key, cells in columns.items()}
    if quoted:  # a quoted cell somewhere: a runaway one may have swallowed rows
        problems = problems + runaway_in_columns(headers, cleaned, pa.array(range(2, table.num_rows + 2)), file_name)
    # Notes under the data, as read_csv_text finds them: only the last rows are looked at, one by one.
    notes, found = trailing_notes(lambda i: [cells[i].as_py() for cells in columns.values()], len(rows),
                                  lambda i: rows[i].as_py(), file_name)
    if notes:
        rows = rows.slice(0, len(rows) - notes)
        columns = {key: cells.slice(0, len(rows)) for key, cells in columns.items()}
    return Sheet(headers, columns, rows, problems + found)


def edge_bytes(cells: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each text cell's first and last byte in UTF-8 (0 for an empty cell) and whether it has any, read off the
    array's buffers: a look at two bytes of a million cells, not a pass of Python or of a pattern over each."""
    if cells.type != pa.string():  # the buffers read below are those of a string array (32-bit offsets)
        raise TypeError(f"edge_bytes reads string arrays, not {cells.type}")
    _, offsets, data = cells.buffers()
    offsets = np.frombuffer(offsets, np.int32, len(cells) + 1, cells.offset * 4)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if not filled.any():  # every cell empty (the data buffer may be missing or empty)
        none = np.zeros(len(cells), np.uint8)
        return filled, none, none
    data = np.frombuffer(data, np.uint8)
    first = np.where(filled, data[np.where(filled, starts, 0)], 0)
    last = np.where(filled, data[np.where(filled, ends - 1, 0)], 0)
    return filled, first, last


def _needs_cleaning(cells: pa.Array) -> np.ndarray:
    """Which cells start or end with a byte outside printable ASCII, or start with the mark (a character outside
    ASCII starts and ends with such a byte in UTF-8)."""
    filled, first, last = edge_bytes(cells)
    outside = (first < _PRINTABLE_FIRST) | (first > _PRINTABLE_LAST) | (first == _MARK) | \
        (last < _PRINTABLE_FIRST) | (last > _PRINTABLE_LAST)
    return filled & outside


def _clean(cells: pa.Array) -> pa.Array:
    needs = _needs_cleaning(cells)
    if not needs.any():
        return cells
    mask = pa.array(needs)
    fixed = [unmark(cell.strip()) for cell in pc.filter(cells, mask).to_pylist()]
    return pc.replace_with_mask(cells, mask, pa.array(fixed, pa.string()))
