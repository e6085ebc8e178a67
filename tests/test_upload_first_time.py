"""Issue 21, item 5: uploads an officer gets right first time. One mistake on every row is reported once for its
column, on the page and the command line; notes under the data are skipped with a warning, not refused."""
from __future__ import annotations

from pathlib import Path

from dashboard import refresh
from dashboard.importer.problems import Problem, grouped, row_ranges
from dashboard.importer.read import read_csv_text
from dashboard.importer.sheet import read_sheet
from upload_support import cli, data_checksums

IND = "indicator_code,organisation,period,measure,value\n"
# Eleven rows of the fictional council, every one with the same wrong measure word.
SAME_MISTAKE = IND + "".join(f"NI 65,nowhere-borough,{2000 + n}/{(n + 1) % 100:02d},Actual value,{10 + n}\n"
                             for n in range(11))


def _stage(db: Path, kind: str, text: str, name: str = "f.csv") -> refresh.Preview:
    """The officer's file checked; `could_commit` says whether it could be committed (the staged copy is discarded)."""
    preview = refresh.stage(db, kind, name, text.encode(), "a.officer")
    preview.could_commit = preview.can_commit
    if preview.staged is not None:
        refresh.discard(preview)
    return preview


def test_row_ranges_in_words():
    assert row_ranges(list(range(2, 13)), 11) == "all 11 rows"
    assert row_ranges(list(range(2, 13)), 12) == "rows 2-12"
    assert row_ranges([2, 3, 4, 6, 9, 10]) == "rows 2-4, 6 and 9-10"
    assert row_ranges([7]) == "row 7"


def test_a_mistake_on_a_few_rows_stays_row_by_row_and_on_many_is_one_problem():
    two = [Problem(row, "measure", "x", "not a measure") for row in (2, 3)]
    assert grouped(two, 5) == two
    many = [Problem(row, "period", str(row), "not a period") for row in (2, 3, 4, 8)] + [Problem(5, "value", "y", "no")]
    shown = [str(problem) for problem in grouped(many, 10)]
    assert shown == ["Rows 2-4 and 8, column 'period' ('2', '3', '4' and 1 more): not a period",
                     "Row 5, column 'value' ('y'): no"]


def test_every_row_with_the_same_mistake_is_one_problem_on_the_command_line(fixture_db, tmp_path):
    preview = _stage(fixture_db, "indicators", SAME_MISTAKE)
    assert len(preview.errors) == 11 and preview.row_count == 11  # each row is still checked
    [one] = grouped(preview.errors, preview.row_count)
    assert str(one).startswith("f.csv, All 11 rows, column 'measure' ('Actual value'): ")
    path = tmp_path / "values.csv"
    path.write_text(SAME_MISTAKE)
    before = data_checksums(fixture_db)
    result = cli(fixture_db, "import", str(path), "--kind", "indicators", "--yes")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: values.csv, All 11 rows, column 'measure' ('Actual "
                                                     "value'): "), result.stderr
    assert data_checksums(fixture_db) == before


NOTES = ("\n,,,,\n\"Source: Fictional Borough Council, children's services\",,,,\n"
         "Note: figures provisional, to be revised,,,\n")


def test_notes_under_the_data_are_skipped_with_a_warning_and_the_data_load(fixture_db):
    text = IND + "NI 65,nowhere-borough,2010/11,actual,9.5\nNI 65,nowhere-borough,2011/12,actual,9.0\n" + NOTES
    preview = _stage(fixture_db, "indicators", text)
    assert not preview.errors, [str(p) for p in preview.errors]
    assert [str(p) for p in preview.warnings] == [
        "f.csv, Row 6: This row (\"Source: Fictional Borough Council, children's services\") looks like a note under "
        "the data, not a row of data, so it was skipped; if it is data, fill in its other columns (a note can go on "
        "another sheet, or be deleted, to clear this warning).",
        "f.csv, Row 7: This row (\"Note: figures provisional to be revised\") looks like a note under the data, not a "
        "row of data, so it was skipped; if it is data, fill in its other columns (a note can go on another sheet, or "
        "be deleted, to clear this warning)."]
    assert preview.row_count == 2 and preview.could_commit


def test_both_readers_skip_the_same_notes_and_keep_a_note_between_rows_as_data():
    text = IND + "NI 65,nowhere-borough,2010/11,actual,9.5\nNote: mid-file,,,,\nNI 65,nowhere-borough,2011/12," \
        "actual,9.0\n" + NOTES
    sheet = read_sheet(text, "f.csv")
    _, rows, problems = read_csv_text(text, "f.csv")
    assert sheet.rows.to_pylist() == [int(row["__row__"]) for row in rows] == [2, 3, 4]
    assert [p.row for p in sheet.problems] == [p.row for p in problems] == [7, 8]


def test_a_file_of_one_row_under_its_header_is_checked_as_data(fixture_db):
    preview = _stage(fixture_db, "indicators", IND + "NI 65,,,,\n")
    assert preview.errors and not preview.warnings
