"""Officers' uploads on the fictional council: bad files are refused with exact messages and leave the database as it
was; good files are previewed, committed, recorded once, and rolled back to exactly the state before."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import table_checksums
from dashboard.importer.files import read_upload
from dashboard.loading import refresh, templates
from dashboard.reading.indicator_status import assess
from dashboard.store import queries
from dashboard.store.connection import _MIGRATIONS, connect
from dashboard.trust.auth import add_officer, check_officer, hash_password, verify_password
from upload_support import REPO, cli, data_checksums, rows as _rows

BAD = Path(__file__).parent / "data" / "bad"
IND = "indicator_code,organisation,period,measure,value\n"

# Each bad file: its kind and the exact problems the officer sees (str(problem): file, row, column, value, why).
BAD_FILES = {
    "wrong_encoding_utf16.csv": ("indicators", [
        "wrong_encoding_utf16.csv: This file is not a CSV in UTF-8 or Windows-1252 (it looks like UTF-16 'Unicode "
        "text' or a binary file); in Excel choose Save As, 'CSV UTF-8 (comma delimited)'."]),
    "missing_column.csv": ("indicators", [
        "missing_column.csv, Row 1, column 'measure': This column is missing; the file needs it."]),
    "duplicated_column.csv": ("indicators", [
        "duplicated_column.csv, Row 1, column 'Value': This column appears twice; keep one."]),
    "duplicate_keys.csv": ("indicators", [
        "duplicate_keys.csv, Row 3: this row repeats row 2 (same indicator, council, period, measure and comparator "
        "group); keep one of them."]),
    "impossible_period.csv": ("indicators", [
        "impossible_period.csv, Row 2, column 'period' ('2009/2'): not a period; write 2009/10, 2009/10 Q2, March "
        "2010 or 31/03/2010",
        "impossible_period.csv, Row 3, column 'period' ('2010/11 Q5'): not a period; write 2009/10, 2009/10 Q2, "
        "March 2010 or 31/03/2010"]),
    "impossible_date.csv": ("actions", [
        "impossible_date.csv, Row 2, column 'as_at' ('31/02/2010'): not a real date: February 2010 has no day 31",
        "impossible_date.csv, Row 3, column 'as_at' ('31/13/2010'): not a real date: there is no month 13 (the date "
        "is day first, 31/03/2010)"]),
    "text_in_number.csv": ("efficiency", [
        "text_in_number.csv, Row 2, column 'cashable' ('about 40'): 'about 40' is not an amount; write digits such "
        "as 1,774 (or - for nil)."]),
    "negative_money.csv": ("efficiency", [
        "negative_money.csv, Row 2, column 'cashable' ('-40'): an amount cannot be negative here; a gain or a spend "
        "is written as a positive amount."]),
    "unknown_status.csv": ("actions", [
        "unknown_status.csv, Row 2, column 'status' ('Purple'): not a status; use one of: Red, Amber, Amber/Green, "
        "Green, Dark Green, Complete, Not assessed"]),
    "unknown_reference.csv": ("indicators", [
        "unknown_reference.csv, Row 2, column 'indicator_code' ('NI 99'): there is no indicator 'NI 99'; add it to "
        "the indicators list first.",
        "unknown_reference.csv, Row 3, column 'organisation' ('somewhere-else'): 'somewhere-else' is not a known "
        "organisation; use one of: nowhere-borough."]),
    "formula_cell.csv": ("actions", [
        "formula_cell.csv, Row 2, column 'commentary' ('=HYPERLINK(\"http://example.invalid\")'): this cell begins "
        "with '=', so a spreadsheet would treat it as a formula; type the value itself (not a formula), without "
        "that first character.",
        "formula_cell.csv, Row 3, column 'commentary' ('@SUM(A1)'): this cell begins with '@', so a spreadsheet "
        "would treat it as a formula; type the value itself (not a formula), without that first character."]),
    "empty.csv": ("indicators", ["empty.csv: The file is empty: it has no header row."]),
    "header_only.csv": ("indicators", ["header_only.csv: The file has a header but no data rows."]),
}


def _xlsx(sheets: dict[str, list[list]], percent_cells: tuple = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in percent_cells:
            sheet[ref].number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stage(db: Path, kind: str | None, name: str, data: bytes, who: str = "tester") -> refresh.Preview:
    return refresh.stage(db, kind, name, data, who)


def _commit(db: Path, kind: str, name: str, text: str) -> int:
    preview = _stage(db, kind, name, text.encode())
    assert not preview.errors, [str(p) for p in preview.errors]
    return refresh.commit(preview, db)


def test_every_file_in_the_bad_corpus_is_covered():
    assert {p.name for p in BAD.glob("*.csv")} - {"html_script.csv"} == set(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_exact_messages_and_the_database_is_unchanged(fixture_db, name):
    kind, expected = BAD_FILES[name]
    before = table_checksums(fixture_db)
    preview = _stage(fixture_db, kind, name, (BAD / name).read_bytes())
    assert [str(p) for p in preview.errors] == expected
    assert not preview.can_commit and preview.staged is None
    with pytest.raises(refresh.CommitError):
        refresh.commit(preview, fixture_db)
    assert table_checksums(fixture_db) == before
    assert not list(fixture_db.parent.glob("*.staged-*"))


def test_a_workbook_with_several_sheets_is_refused_unless_one_is_named_for_the_kind(fixture_db):
    before = table_checksums(fixture_db)
    rows = [IND.strip().split(","), ["NI 65", "nowhere-borough", "2010/11 Q1", "actual", "10%"]]
    data = _xlsx({"Data": rows, "Notes": [["Read me"]], "Sheet3": []})
    preview = _stage(fixture_db, "indicators", "book.xlsx", data)
    assert [str(p) for p in preview.errors] == [
        "book.xlsx: This workbook has 3 sheets ('Data', 'Notes', 'Sheet3'); keep only the data sheet, or name the "
        "sheet to read 'indicators'."]
    assert table_checksums(fixture_db) == before
    named = _stage(fixture_db, "indicators", "book.xlsx", _xlsx({"Notes": [["Read me"]], "Indicators": rows}))
    assert not named.errors and named.can_commit
    refresh.discard(named)


def test_xlsx_cells_read_as_an_officer_sees_them():
    data = _xlsx({"Sheet1": [["indicator_code", "period", "value", "as_at"],
                             ["NI 65", "2010/11 Q1", 0.102, __import__("datetime").date(2010, 6, 30)],
                             ["NI 65", "2010/11 Q2", 12, "=1+1"]]}, percent_cells=("C2",))
    text, problems = read_upload("f.xlsx", data, "indicators")
    assert problems == []
    assert text.splitlines() == ["indicator_code,period,value,as_at", "NI 65,2010/11 Q1,10.2%,30/06/2010",
                                 "NI 65,2010/11 Q2,12,=1+1"]


def test_a_formula_in_a_workbook_is_refused(fixture_db):
    data = _xlsx({"Sheet1": [IND.strip().split(","), ["NI 65", "nowhere-borough", "2010/11 Q1", "actual", "=B2*2"]]})
    preview = _stage(fixture_db, "indicators", "f.xlsx", data)
    assert [str(p) for p in preview.errors] == [
        "f.xlsx, Row 2, column 'value' ('=B2*2'): this cell begins with '=', so a spreadsheet would treat it as a "
        "formula; type the value itself (not a formula), without that first character."]


def test_html_and_script_are_a_warning_kept_as_plain_text(fixture_db):
    before = table_checksums(fixture_db)
    result = cli(fixture_db, "import", str(BAD / "html_script.csv"), "--kind", "actions")
    assert result.returncode == 3, result.stderr
    assert ("warning: html_script.csv, Row 2, column 'commentary' ('<script>alert('x')</script> Owner found'): this "
            "text contains HTML or script; it will be stored and shown as plain text, never run.") in result.stdout
    assert "Not committed: there are warnings" in result.stderr
    assert table_checksums(fixture_db) == before
    accepted = cli(fixture_db, "import", str(BAD / "html_script.csv"), "--kind", "actions", "--yes")
    assert accepted.returncode == 0, accepted.stderr
    assert _rows(fixture_db, "SELECT commentary FROM action_statuses WHERE upload_row = 2") == [
        ("<script>alert('x')</script> Owner found",)]


def test_a_file_over_the_size_limit_is_refused_by_the_command_line(fixture_db, tmp_path):
    limit = refresh.max_upload_bytes()
    assert limit == 20 * 1024 * 1024  # .streamlit/config.toml server.maxUploadSize, shared with the page
    big = tmp_path / "big.csv"
    row = "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n"
    with big.open("w") as handle:
        handle.write(IND)
        handle.write(row * (limit // len(row) + 1))
    before = table_checksums(fixture_db)
    result = cli(fixture_db, "import", str(big), "--kind", "indicators", "--yes")
    assert result.returncode == 1
    assert result.stderr.strip() == ("big.csv: the file is 20.0 MB; the limit is 20 MB (server.maxUploadSize in "
                                     ".streamlit/config.toml). Nothing has changed.")
    preview = _stage(fixture_db, "indicators", "big.csv", big.read_bytes())
    assert [str(p) for p in preview.errors] == [
        "big.csv: The file is 20.0 MB; the limit is 20 MB. Split it into smaller files."]
    assert table_checksums(fixture_db) == before


def test_a_large_file_under_the_limit_loads_every_row(fixture_db):
    # Forecasts: an actual for a month that has not started is refused (issue 24).
    lines = [f"NI 65,nowhere-borough,{month} {year},forecast,{(year + month_no) % 90}%"
             for year in range(1950, 2030) for month_no, month in enumerate(
                 ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"))]
    preview = _stage(fixture_db, "indicators", "many.csv", (IND + "\n".join(lines)).encode())
    assert not preview.errors
    assert len(preview.changes["observations"].added) == len(lines) == 960
    refresh.commit(preview, fixture_db)
    assert _rows(fixture_db, "SELECT count(*) FROM observations WHERE upload_id IS NOT NULL "
                             "AND source_doc IS NULL") == [(960,)]


def test_encodings_and_separators_are_read(fixture_db):
    text = ("organisation;year;directorate;description;cashable;non_cashable;stage\n"
            "nowhere-borough;2010/11;Children's Services;Caf\u00e9 contract \u00a3 saving;30;;forward_look\n")
    for data in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode("utf-8"),
                 text.replace(";", "\t").encode("utf-8")):
        preview = _stage(fixture_db, "efficiency", "e.csv", data)
        assert not preview.problems, [str(p) for p in preview.problems]
        assert preview.changes["efficiency_lines"].added[0]["description"] == "Caf\u00e9 contract \u00a3 saving"
        refresh.discard(preview)


def test_headers_match_forgivingly_and_unknown_columns_are_warned(fixture_db):
    data = b"Indicator Code;ORGANISATION;Period;Measure;Value;Colour\nNI65;nowhere-borough;2010/11 Q1;actual;10%;red\n"
    preview = _stage(fixture_db, None, "f.csv", data)
    assert preview.kind == "indicators"
    assert [str(p) for p in preview.problems] == [
        "f.csv, Row 1, column 'colour': Unknown column; it will be ignored."]
    refresh.discard(preview)


def test_warnings_for_a_loose_target_a_percentage_over_100_and_a_future_status(fixture_db):
    preview = _stage(fixture_db, "indicators", "w.csv",
                     (IND + "NI 65,nowhere-borough,2010/11,target,12%\nNI 65,nowhere-borough,2010/11 Q1,actual,"
                            "104%\n").encode())
    assert [str(p) for p in preview.warnings] == [
        "w.csv, Row 2, column 'value' ('12%'): this target is looser than the last outturn (11.4% in 2009/10) and "
        "lower is better; check it (accept the warning if it is right).",
        "w.csv, Row 3, column 'value' ('104%'): this is a percentage over 100; check it (accept the warning if it is "
        "right)."]
    assert preview.can_commit  # warnings may be accepted
    refresh.discard(preview)
    future = _stage(fixture_db, "actions", "s.csv", b"plan_id,code,status,as_at\nnowhere-plan,2.1,Green,31/03/2099\n")
    assert [str(p) for p in future.warnings] == [
        "s.csv, Row 2, column 'as_at' ('31/03/2099'): this status is dated in the future (31/03/2099); check the "
        "date."]
    refresh.discard(future)


@pytest.mark.slow
def test_quarterly_indicator_refresh_through_the_command_line_then_rollback(fixture_db, tmp_path):
    before = data_checksums(fixture_db)
    refresh_file = tmp_path / "ni65-q1-q2.csv"
    refresh_file.write_text(IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"
                                  "NI 65,nowhere-borough,2010/11 Q2,actual,9.8%\n"
                                  "NI 65,nowhere-borough,2009/10,actual,11.0%\n")
    dry = cli(fixture_db, "import", str(refresh_file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "ni65-q1-q2.csv: 2 row(s) to add, 1 to change, 0 to remove (0 unchanged)." in dry.stdout
    assert "Dry run: nothing has changed." in dry.stdout
    assert data_checksums(fixture_db) == before
    done = cli(fixture_db, "import", str(refresh_file), "--kind", "indicators")
    assert done.returncode == 0, done.stderr
    assert "Committed as upload 2." in done.stdout
    rows = _rows(fixture_db, "SELECT period_text, value_num, upload_id, upload_row, source_doc FROM observations "
                             "WHERE upload_id = 2 ORDER BY upload_row")
    assert rows == [("2010/11 Q1", 10.2, 2, 2, None), ("2010/11 Q2", 9.8, 2, 3, None), ("2009/10", 11.0, 2, 4, None)]
    assert _rows(fixture_db, "SELECT kind, file_name, uploaded_by, row_count, rows_added, rows_changed, length(sha256) "
                             "FROM uploads WHERE upload_id = 2") == [
        ("indicators", "ni65-q1-q2.csv", f"{os.environ.get('USER') or __import__('getpass').getuser()} "
                                         "(command line)", 3, 2, 1, 64)]
    after = table_checksums(fixture_db)
    again = cli(fixture_db, "import", str(refresh_file))
    assert again.returncode == 0
    assert "ni65-q1-q2.csv is the same file as upload 2 (ni65-q1-q2.csv" in again.stdout
    assert table_checksums(fixture_db) == after
    undo = cli(fixture_db, "rollback", "2", "--yes")
    assert undo.returncode == 0, undo.stderr
    assert "Rolled back; recorded as upload 3." in undo.stdout
    assert data_checksums(fixture_db) == before
    assert _rows(fixture_db, "SELECT upload_id, kind, rolled_back_by, rolls_back FROM uploads WHERE upload_id >= 2 "
                             "ORDER BY 1") == [(2, "indicators", 3, None), (3, "rollback", None, 2)]
    # Rolled back, the same file counts as new again.
    assert cli(fixture_db, "import", str(refresh_file), "--yes").returncode == 0


def test_action_status_update_through_the_command_line_shows_status_changes(fixture_db, tmp_path):
    before = data_checksums(fixture_db)
    update = tmp_path / "statuses.csv"
    update.write_text("plan_id,code,status,as_at,commentary\nnowhere-plan,2.1,Amber,30/06/2010,Owner found\n"
                      "nowhere-plan,1.1.1,Green,30/06/2010,\n")
    result = cli(fixture_db, "import", str(update), "--kind", "actions", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Actions whose status changes:" in result.stdout
    assert " 2.1           Red        Amber nowhere-plan Publish attendance data" in result.stdout  # move first
    assert _rows(fixture_db, "SELECT code, status FROM v_actions ORDER BY sort_order") == [
        ("1.1.1", "green"), ("1.1.1a", "not_assessed"), ("2.1", "amber")]
    assert cli(fixture_db, "rollback", "2", "--yes").returncode == 0
    assert data_checksums(fixture_db) == before


def test_new_years_efficiency_lines_through_the_command_line(fixture_db, tmp_path):
    before = data_checksums(fixture_db)
    lines = tmp_path / "efficiency-2010-11.csv"
    lines.write_text("organisation,year,directorate,category,description,cashable,non_cashable,stage\n"
                     "nowhere-borough,2010/11,Children's Services,Procurement,Fewer taxis,120,,forward_look\n"
                     "nowhere-borough,2010/11,Resources,Corporate Services,Shared payroll,45,65,forward_look\n")
    result = cli(fixture_db, "import", str(lines))
    assert result.returncode == 0, result.stderr
    assert _rows(fixture_db, "SELECT year_text, description, cashable_k, non_cashable_k FROM v_efficiency_gains "
                             "WHERE upload_id = 2 ORDER BY description") == [
        ("2010/11", "Fewer taxis", 120.0, None), ("2010/11", "Shared payroll", 45.0, 65.0)]
    assert cli(fixture_db, "rollback", "2", "--yes").returncode == 0
    assert data_checksums(fixture_db) == before


def test_rolling_back_an_earlier_upload_undoes_the_later_ones_that_changed_the_same_rows(fixture_db):
    start = data_checksums(fixture_db)
    first = _commit(fixture_db, "indicators", "a.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    after_first = data_checksums(fixture_db)
    # The second upload changes the row the first added and replaces a seed figure.
    second = _commit(fixture_db, "indicators", "b.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,9%\n"
                                                             "NI 65,nowhere-borough,2009/10,target,10%\n")
    assert refresh.rollback_scope(fixture_db, first) == [second, first]
    assert refresh.rollback_plan(fixture_db, first).words() == (
        "Rolling back upload 2 puts back the rows it changed, as they were before it. It also undoes upload 3, "
        "because upload 3 also changed 1 of the same indicator values as upload 2.")
    assert refresh.rollback_scope(fixture_db, second) == [second]
    refresh.roll_back(fixture_db, second, "tester")
    assert data_checksums(fixture_db) == after_first
    refresh.roll_back(fixture_db, first, "tester")
    assert data_checksums(fixture_db) == start
    with pytest.raises(refresh.CommitError, match="was already rolled back"):
        refresh.roll_back(fixture_db, first, "tester")
    with pytest.raises(refresh.CommitError, match="is a seed load"):
        refresh.roll_back(fixture_db, 1, "tester")


def test_rolling_back_a_status_upload_keeps_a_later_unrelated_comparator_upload(fixture_db):
    """Issue 21's case: undoing a status upload also undid a later comparator upload that touched other rows."""
    statuses = _commit(fixture_db, "actions", "s.csv", "plan_id,code,status,as_at\nnowhere-plan,2.1,Green,30/06/2010\n")
    comparator = _commit(fixture_db, "indicators", "c.csv", "indicator_code,organisation,period,measure,value,"
                         "comparator_group\nNI 65,nowhere-borough,2009/10,comparator,12.5%,england\n")
    plan = refresh.rollback_plan(fixture_db, statuses)
    assert plan.undone == (statuses,) and plan.kept == (comparator,)
    assert plan.words() == ("Rolling back upload 2 puts back the rows it changed, as they were before it. Upload 3, "
                            "which changed other rows, stays in force.")
    assert plan.confirm_label() == "I understand; roll back upload 2"
    rollback_id = refresh.roll_back(fixture_db, statuses, "tester", expected=[statuses])
    assert _rows(fixture_db, "SELECT code, status FROM v_actions WHERE code = '2.1'") == [("2.1", "red")]
    assert _rows(fixture_db, "SELECT value_num, upload_id FROM observations WHERE measure = 'comparator' AND "
                             "period_text = '2009/10'") == [(12.5, comparator)]
    assert _rows(fixture_db, "SELECT upload_id, rolled_back_by FROM uploads WHERE upload_id IN (?, ?) ORDER BY 1",
                 [statuses, comparator]) == [(statuses, rollback_id), (comparator, None)]
    assert _rows(fixture_db, "SELECT rolls_back, note FROM uploads WHERE upload_id = ?", [rollback_id]) == [
        (statuses, "Rolled back upload 2")]


def test_a_later_upload_that_gave_the_same_rows_again_is_undone_with_it(fixture_db):
    """A later file that repeats a row unchanged writes nothing, yet says that value: rolling back the upload that
    wrote it must undo the later one too, or the data would contradict a file still in force (schema 8)."""
    first = _commit(fixture_db, "indicators", "a.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    second = _commit(fixture_db, "indicators", "b.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n"
                                                             "NI 65,nowhere-borough,2010/11 Q2,actual,9%\n")
    unrelated = _commit(fixture_db, "efficiency", "e.csv", "organisation,year,description,stage,cashable\n"
                        "nowhere-borough,2010/11,Fewer taxis,forward_look,120\n")
    plan = refresh.rollback_plan(fixture_db, first)
    assert plan.undone == (second, first) and plan.kept == (unrelated,)
    assert "upload 3 has 1 indicator values row(s) that rely on upload 2 (given again unchanged" in plan.words()
    assert plan.confirm_label() == "I understand; roll back uploads 2 and 3"
    with pytest.raises(refresh.CommitError, match="have changed since you confirmed"):
        refresh.roll_back(fixture_db, first, "tester", expected=[first])
    refresh.roll_back(fixture_db, first, "tester", expected=[second, first])
    assert _rows(fixture_db, "SELECT count(*) FROM observations WHERE period_text LIKE '2010/11%'") == [(0,)]
    assert _rows(fixture_db, "SELECT count(*) FROM efficiency_lines WHERE upload_id = ?", [unrelated]) == [(1,)]
    assert _rows(fixture_db, "SELECT count(*) FROM upload_restated") == [(0,)]


def test_a_removal_that_found_nothing_but_names_an_added_indicator_is_undone_with_it(fixture_db):
    """A removal row for an indicator an earlier upload added writes nothing (there is no such value), yet the file
    was accepted only because the indicator existed: rolling back the upload that added it undoes this one too, or
    the data would hold a file that could not be uploaded now (found by tests/test_rollback_property.py)."""
    added = _commit(fixture_db, "indicator_definitions", "d.csv", "code,name,unit,polarity,tolerance\n"
                    "FBC 9,Measure FBC 9,percent,higher is better,5%\n")
    later = _commit(fixture_db, "indicators", "v.csv", "indicator_code,organisation,period,measure,value,remove\n"
                    "NI 65,nowhere-borough,2010/11 Q1,actual,10%,\nFBC 9,nowhere-borough,2010/11 Q1,actual,,yes\n")
    plan = refresh.rollback_plan(fixture_db, added)
    assert plan.undone == (later, added)
    assert f"upload {later} has 1 indicator values row(s) that rely on upload {added}" in plan.words()


def test_a_later_upload_needing_an_action_the_earlier_one_added_is_undone_with_it(fixture_db):
    added = _commit(fixture_db, "actions", "a.csv", "plan_id,code,text,area_code\nnowhere-plan,3.1,New action,2\n")
    status = _commit(fixture_db, "actions", "s.csv", "plan_id,code,status,as_at\nnowhere-plan,3.1,Green,30/06/2010\n")
    plan = refresh.rollback_plan(fixture_db, added)
    assert plan.undone == (status, added)
    assert "upload 3 has 1 action statuses row(s) that need what upload 2 added" in plan.words()
    refresh.roll_back(fixture_db, added, "tester")
    assert _rows(fixture_db, "SELECT count(*) FROM action_statuses WHERE action_code = '3.1'") == [(0,)]


def test_the_command_line_says_which_uploads_and_why_and_needs_yes(fixture_db, tmp_path):
    for name, value in (("a.csv", "10%"), ("b.csv", "9%")):
        (tmp_path / name).write_text(IND + f"NI 65,nowhere-borough,2010/11 Q1,actual,{value}\n")
        assert cli(fixture_db, "import", str(tmp_path / name), "--kind", "indicators", "--yes").returncode == 0
    before = table_checksums(fixture_db)
    asked = cli(fixture_db, "rollback", "2")
    assert asked.returncode != 0 and "Not rolled back (use --yes to confirm)." in asked.stderr
    assert asked.stdout.startswith("Rolling back upload 2 puts back the rows it changed, as they were before it. "
                                   "It also undoes upload 3, because upload 3 also changed 1 of the same indicator "
                                   "values as upload 2.")
    assert table_checksums(fixture_db) == before
    done = cli(fixture_db, "rollback", "2", "--yes")
    assert done.returncode == 0, done.stderr
    assert _rows(fixture_db, "SELECT upload_id, rolled_back_by FROM uploads WHERE upload_id IN (2, 3) ORDER BY 1") \
        == [(2, 4), (3, 4)]


@pytest.mark.slow
def test_removing_rows_and_a_rollback_restore_exactly_and_keep_a_later_unrelated_upload(fixture_db):
    a = _commit(fixture_db, "indicators", "a.csv", IND.replace("value", "value,remove")
                + "NI 65,nowhere-borough,2008/09,actual,,yes\n")
    assert _rows(fixture_db, "SELECT rows_removed FROM uploads WHERE upload_id = ?", [a]) == [(1,)]
    _commit(fixture_db, "actions", "s.csv", "plan_id,code,text,status,as_at\nnowhere-plan,3.1,New action,Green,"
                                             "30/06/2010\nnowhere-plan,2.1,Renamed,,\n")
    assert _rows(fixture_db, "SELECT code, text, sort_order FROM actions ORDER BY sort_order") == [
        ("1.1.1", "Audit repeat referrals", 1), ("1.1.1a", "Sample 50 cases", 2), ("2.1", "Renamed", 3),
        ("3.1", "New action", 4)]
    after_both = _rows(fixture_db, "SELECT * EXCLUDE (upload_id) FROM actions ORDER BY sort_order")
    start = _rows(fixture_db, "SELECT * FROM observations ORDER BY ALL")
    refresh.roll_back(fixture_db, a, "tester")
    # The removed figure is back; the later actions upload, which touched other rows, stays.
    restored = _rows(fixture_db, "SELECT * FROM observations ORDER BY ALL")
    assert len(restored) == len(start) + 1 and ("2008/09", "actual") in {(r[2], r[6]) for r in restored}
    assert _rows(fixture_db, "SELECT * EXCLUDE (upload_id) FROM actions ORDER BY sort_order") == after_both


def test_a_prefilled_template_uploaded_unchanged_changes_nothing(fixture_db):
    con = connect(fixture_db, read_only=True)
    try:
        files = {kind: templates.prefilled(con, kind) for kind in ("actions", "indicators", "efficiency")}
    finally:
        con.close()
    assert files["indicators"].startswith(b"\xef\xbb\xbfindicator_code,organisation,period,measure,value,")
    for kind, data in files.items():
        preview = _stage(fixture_db, kind, f"{kind}.csv", data)
        assert not preview.problems, [str(p) for p in preview.problems]
        assert preview.staged is None
        assert preview.summary() == f"{kind}.csv matches the data already in the dashboard; nothing to change."
    assert templates.blank("efficiency").decode("utf-8-sig").strip() == (
        "organisation,year,description,stage,directorate,category,line_type,unit,cashable,non_cashable,total,remove")


@pytest.mark.slow
def test_a_preview_made_before_another_commit_is_refused(fixture_db):
    one = _stage(fixture_db, "indicators", "one.csv", (IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n").encode())
    two = _stage(fixture_db, "indicators", "two.csv", (IND + "NI 65,nowhere-borough,2010/11 Q2,actual,9%\n").encode())
    refresh.commit(one, fixture_db)
    after_one = table_checksums(fixture_db)
    with pytest.raises(refresh.CommitError, match="The data changed after this preview"):
        refresh.commit(two, fixture_db)
    assert table_checksums(fixture_db) == after_one
    assert not list(fixture_db.parent.glob("*.staged-*"))


@pytest.mark.slow
def test_two_changes_at_once_are_serialised_by_the_lock(fixture_db):
    with refresh.change_lock(fixture_db), pytest.raises(refresh.CommitError, match="still being saved"), \
            refresh.change_lock(fixture_db, timeout=0.2):
        pass
    # Two imports started together both succeed, one after the other.
    files = [(IND + f"NI 65,nowhere-borough,2010/11 Q{q},actual,1{q}%\n").encode() for q in (1, 2)]
    results = []

    def run(data, name):
        path = fixture_db.parent / name
        path.write_bytes(data)
        results.append(cli(fixture_db, "import", str(path), "--yes").returncode)

    threads = [threading.Thread(target=run, args=(data, f"q{i}.csv")) for i, data in enumerate(files)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [0, 0]
    assert _rows(fixture_db, "SELECT count(*) FROM uploads WHERE kind = 'indicators'") == [(2,)]


def test_a_killed_import_leaves_the_previous_version_and_the_next_import_works(fixture_db, tmp_path):
    before = table_checksums(fixture_db)
    script = tmp_path / "killed.py"
    script.write_text(
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from dashboard.loading import refresh\n"
        f"db = Path({str(fixture_db)!r})\n"
        "data = b'indicator_code,organisation,period,measure,value\\nNI 65,nowhere-borough,2010/11 Q1,actual,10%\\n'\n"
        "preview = refresh.stage(db, 'indicators', 'k.csv', data, 'tester')\n"
        "with refresh.change_lock(db):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)  # killed mid-commit, holding the lock, before the swap\n")
    child = subprocess.run([sys.executable, str(script)], env={**os.environ, "PYTHONPATH": str(REPO / "src")},
                           capture_output=True, timeout=120)
    assert child.returncode == -signal.SIGKILL
    assert table_checksums(fixture_db) == before
    _commit(fixture_db, "indicators", "k.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    assert _rows(fixture_db, "SELECT count(*) FROM observations WHERE upload_id = 2") == [(1,)]


def test_a_viewer_keeps_its_data_during_a_commit_and_a_new_read_sees_the_new_data(fixture_db):
    viewer = connect(fixture_db, read_only=True)  # as the dashboard holds it, cached per file identity
    try:
        count = "SELECT count(*) FROM observations"
        assert viewer.execute(count).fetchall() == [(7,)]
        _commit(fixture_db, "indicators", "v.csv", IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
        assert viewer.execute(count).fetchall() == [(7,)]
        assert _rows(fixture_db, count) == [(8,)]
    finally:
        viewer.close()


def test_passwords_are_salted_scrypt_hashes(tmp_path):
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first != second and first.startswith("scrypt$131072$8$1$")
    assert verify_password("correct horse battery", first) and not verify_password("wrong", first)
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    add_officer(secrets, "a.officer", "first password 1")
    add_officer(secrets, "a.officer", "second password 2")
    import tomllib

    loaded = tomllib.loads(secrets.read_text())
    assert list(loaded["officers"]) == ["a.officer"]
    assert check_officer(loaded, "a.officer", "second password 2")
    assert not check_officer(loaded, "a.officer", "first password 1")
    assert not check_officer(loaded, "nobody", "second password 2")
    with pytest.raises(ValueError):
        add_officer(secrets, 'bad" = "x', "whatever password")


@pytest.mark.slow
def test_add_officer_command_reads_the_password_from_standard_input(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[auth]\nredirect_uri = \"http://localhost:8501/oauth2callback\"\n")
    result = cli(tmp_path / "unused.duckdb", "add-officer", "b.officer", "--secrets", str(secrets),
                 stdin="a long enough password\n")
    assert result.returncode == 0, result.stderr
    import tomllib

    loaded = tomllib.loads(secrets.read_text())
    assert loaded["auth"]["redirect_uri"] == "http://localhost:8501/oauth2callback"
    assert check_officer(loaded, "b.officer", "a long enough password")
    short = cli(tmp_path / "unused.duckdb", "add-officer", "c", "--secrets", str(secrets), stdin="short\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr


def test_a_database_built_before_uploads_existed_is_migrated_on_first_upload(fixture_db):
    con = connect(fixture_db)
    try:
        for table in ("actions", "action_statuses", "observations", "efficiency_lines"):
            con.execute(f"DROP TABLE superseded_{table}")
        con.execute("DROP VIEW v_upload_history")
        for column in ("rows_added", "rows_changed", "rows_removed", "rolled_back_by", "rolls_back"):
            con.execute(f"ALTER TABLE uploads DROP COLUMN {column}")
        con.execute("UPDATE schema_info SET version = 1")  # as a file built before schema version 2
        con.execute("CHECKPOINT")
    finally:
        con.close()
    def data(db):  # schema_info records the migration itself
        return {table: value for table, value in data_checksums(db).items() if table != "schema_info"}

    before = data(fixture_db)
    path = fixture_db.parent / "m.csv"
    path.write_text(IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    result = cli(fixture_db, "import", str(path))  # the command line migrates, then takes the lock
    assert result.returncode == 0, result.stderr
    assert _rows(fixture_db, "SELECT version FROM schema_info ORDER BY 1") == [(1,)] + [(s,) for s in sorted(_MIGRATIONS)]
    refresh.roll_back(fixture_db, 2, "tester")
    assert data(fixture_db) == before


def test_an_upload_larger_than_a_row_group_finds_the_rows_it_replaces(tmp_path):
    # DuckDB stores 122,880 rows per row group; a regression once matched nothing past it inside the transaction.
    from datetime import date

    from dashboard.store import uploads
    from dashboard.store.connection import create_schema

    con = connect(tmp_path / "big.duckdb")
    create_schema(con)
    con.execute("""
        INSERT INTO observations (indicator_code, organisation_id, period_text, period_type, period_start, period_end,
                                  measure, value_written)
        SELECT 'FICT ' || (i % 250), 'fictional-' || (i // 250), '2024/25', 'financial_year', DATE '2024-04-01',
               DATE '2025-03-31', 'actual', '1' FROM range(130000) t(i)""")
    keys = {"indicator_code": [f"FICT {i % 250}" for i in range(130000)],
            "organisation_id": [f"fictional-{i // 250}" for i in range(130000)],
            "period_type": ["financial_year"] * 130000, "period_start": [date(2024, 4, 1)] * 130000,
            "period_end": [date(2025, 3, 31)] * 130000, "measure": ["actual"] * 130000,
            "comparator_group": [None] * 130000}
    con.execute("BEGIN TRANSACTION")
    assert len(uploads.current_rows(con, "observations", keys)) == 130000
    con.execute("ROLLBACK")
    con.close()


def test_the_positions_before_an_upload_kept_from_the_files_pairs_are_those_of_its_changed_pairs(seed_db):
    # The worker assesses every pair the file names; the preview keeps the pairs the upload changed. That must be
    # exactly what asking for those pairs alone gives (a position depends on its own pair's values).
    live = connect(seed_db, read_only=True)
    try:
        named = live.execute("SELECT DISTINCT organisation_id, indicator_code FROM observations ORDER BY 1, 2")\
            .fetchall()
        records = pa.table({"organisation_id": [org for org, _ in named],
                            "indicator_code": [code for _, code in named]})
        organisations = sorted({org for org, _ in named})
        for pairs in (named[::3], named[:1], None):
            before = refresh._PositionsBefore(live)
            before.start(records)
            try:
                kept = before.result(organisations, pairs)
            finally:
                before.close()
            asked = assess(queries.indicator_positions_of(live, organisations, pairs=pairs))
            assert len(kept) == len(asked) > 0
            pd.testing.assert_frame_equal(kept, asked)
    finally:
        live.close()
