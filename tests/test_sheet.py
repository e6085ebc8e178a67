"""The columnar reader (Arrow) gives exactly what the row-by-row reader (the csv module) gives: cells, row numbers
and problems; and values are parsed the same whether Arrow's plain-number path or parse_value reads them."""
from __future__ import annotations

import pyarrow as pa
import pytest

from dashboard.importer.cells import value_of
from dashboard.importer.columnar import _values
from dashboard.importer.read import read_csv_text, unmark
from dashboard.importer.sheet import _needs_cleaning, read_sheet

TRICKY = (
    "Code,Name, name ,Value,Note\n"
    'A1,"Two\nlines",x,"1,774","He said ""hi"""\n'
    'A2,"quoted"after,  spaced  ,\u00a011.8%\u00a0,\x1cctrl\x1c\n'
    "\n"
    ",,,,\n"
    " , \t ,,,\n"
    "A3,'=SUM(A1),'plain,'-12,'+x\n"
    "A4,ab\"c,<b>x</b>,-,javascript:alert(1)\n"
    "A5,last,,(12),\n"
)


def _as_rows(sheet):
    keys = list(sheet.columns)
    columns = [sheet.columns[key].to_pylist() for key in keys]
    return [dict(zip(keys, cells), __row__=str(row)) for row, cells in zip(sheet.rows.to_pylist(), zip(*columns))]


@pytest.mark.parametrize("text, reader", [
    (TRICKY, "arrow"),
    (TRICKY + "A6,too,many,cells,here,and more\n", "csv"),   # a ragged row: the csv module reads the file
    (TRICKY + "A7,fewer\n", "csv"),
    ("Code,Value\n" + "".join(f"C{n},{n}\n" for n in range(5000)), "arrow"),
    # Unquoted files, whose text alone can say that no cell needs cleaning: each of these has one cell that does.
    ("Code,Value\nA1,x\nA2, y\n", "arrow"),
    ("Code,Value\nA1,x \nA2,y\n", "arrow"),
    ("Code,Value\nA1,x\nA2,y ", "arrow"),
    ("Code,Value\n A1,x\n", "arrow"),
    ("Code,Value\n'=A1,x\n", "arrow"),
    ("Code,Value\nA1,x\n'=A2,y\n", "arrow"),
    ("Code,Value\nA1,'-3\n", "arrow"),
    ("Code,Value\nA1 ,x\n", "arrow"),
    ("Code,Value\nA1,x\n ,\n", "arrow"),
    ("Code,Value\nA1,x\tx\t\n", "arrow"),
    ("Code,Value\nA1,\u00a0x\n", "arrow"),
    ("Code,Value\nA1,x\x0b\n", "arrow"),
    ("Code,Value\nA1,x y\n\nA2,'z\n", "arrow"),  # nothing to clean: a space inside a cell and a plain mark
])
def test_the_columnar_reader_reads_what_the_row_reader_reads(text, reader):
    sheet = read_sheet(text, "f.csv")
    headers, rows, problems = read_csv_text(text, "f.csv")
    assert sheet.reader == reader
    assert sheet.headers == headers
    assert _as_rows(sheet) == rows
    assert sheet.problems == problems


def test_a_blank_line_and_blank_cells_are_skipped_but_keep_their_row_numbers():
    sheet = read_sheet(TRICKY, "f.csv")
    assert sheet.reader == "arrow"
    assert sheet.rows.to_pylist() == [2, 3, 7, 8, 9]  # rows 4-6 are blank; row 2's cell spans two lines
    assert sheet.columns["note"].to_pylist()[1] == "ctrl"  # \x1c is whitespace to Python's strip
    assert sheet.columns["name"].to_pylist()[2] == "'plain"  # a repeated header: its last cell; the mark stays
    assert sheet.columns["value"].to_pylist()[2] == "-12"  # the text mark before a formula-like cell is dropped


def test_plain_numbers_and_everything_else_parse_as_parse_value_parses_them():
    written = ["1,774", "-12", "11.8%", "-", "(12)", "1e5", "1.", ".5", "0,5", "5,", "--5", "-,431", "£1.5m", "n/a",
               "12.5 %", "007", "-0", "3.14159265358979323846", "1,2,3", "nil", "+5", ""]
    number, text = _values(pa.array(written, pa.string()))
    assert number.to_pylist() == [value_of(w).number for w in written]
    assert text.to_pylist() == [value_of(w).text for w in written]


def test_the_cells_to_clean_are_found_from_their_first_and_last_bytes():
    cells = ["", "x", " x", "x ", "'=1", "'x", "x'", "\u00a0x", "x\u00e9", "\u00e9x", "a b", "\t", "~!", "\x7f", "'",
             "ab", " ", "x\x1c", "\u00a35"] * 3
    array = pa.array(cells, pa.string())
    for part in (array, array.slice(5, 30)):  # a slice starts part-way into the buffers
        texts = part.to_pylist()
        found = _needs_cleaning(part).tolist()
        assert found == [bool(t) and not ("!" <= t[0] <= "~" and "!" <= t[-1] <= "~" and t[0] != "'") for t in texts]
        # Every cell left alone is one that cleaning would not change.
        assert all(unmark(t.strip()) == t for t, flagged in zip(texts, found) if not flagged)
