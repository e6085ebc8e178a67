"""Issue 21, item 5: uploads an officer gets right first time. One mistake on every row is reported once for its
column, on the page and the command line; notes under the data are skipped with a warning, not refused."""
from __future__ import annotations

from pathlib import Path

from dashboard.importer.problems import Problem, grouped, row_ranges
from dashboard.importer.read import read_csv_text
from dashboard.importer.sheet import read_sheet
from dashboard.loading import refresh
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
    assert "11 problems listed as 1: a mistake repeated on many rows is listed once, with its rows" in result.stdout
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


# --- Templates: Excel with drop-downs, only the chosen council's and plan's rows ------------------------------


def _with_fictional_borough(db: Path) -> Path:
    """The fixture's council plus Fictional Borough Council, set up from the example workbook as an officer would."""
    from dashboard.loading import templates

    preview = refresh.stage(db, "setup", "setup.xlsx", templates.workbook(), "a.officer")
    assert not preview.errors, [str(p) for p in preview.errors]
    refresh.commit(preview, db)
    return db


def _sheet(data: bytes):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    rules = {sheet.cell(1, next(iter(rule.sqref.ranges)).min_col).value: rule
             for rule in sheet.data_validations.dataValidation}
    values = {name: [row[0].value for row in book["Lists"][rule.formula1.split("!")[1].replace("$", "")]]
              for name, rule in rules.items()}
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    return book.sheetnames, sheet.title, values, rules, rows


def test_an_excel_template_holds_only_the_chosen_council_and_plan_with_drop_downs(fixture_db):
    from dashboard.loading import templates
    from dashboard.store.connection import connect

    db = _with_fictional_borough(fixture_db)
    con = connect(db, read_only=True)
    try:
        actions = templates.kind_workbook(con, "actions", "fictional-borough", "fbc-plan", current_data=True)
        values = templates.kind_workbook(con, "indicators", "fictional-borough", current_data=True)
        definitions = templates.kind_workbook(con, "indicator_definitions", "fictional-borough", "fbc-plan")
    finally:
        con.close()
    names, title, lists, rules, rows = _sheet(actions)
    assert names == ["Actions", "Lists"] and title == "Actions"
    assert [row[:2] for row in rows] == [["fbc-plan", "A1"]]  # not the other council's three actions
    assert lists["status"] == ["Red", "Amber", "Amber/Green", "Green", "Dark Green", "Complete", "Not assessed"]
    assert rules["status"].showErrorMessage  # a closed list: another word is refused, as the upload would
    assert lists["plan_id"] == ["fbc-plan"] and not rules["plan_id"].showErrorMessage
    _, title, lists, _, rows = _sheet(values)
    assert title == "Indicator values" and {row[1] for row in rows} == {"fictional-borough"} and len(rows) == 2
    assert lists["measure"] == ["actual", "target", "forecast", "baseline", "comparator"]
    assert lists["organisation"] == ["fictional-borough"]
    _, _, lists, _, rows = _sheet(definitions)
    assert rows == [] and "polarity" in lists


def test_an_excel_template_uploaded_back_unchanged_changes_nothing(fixture_db):
    from dashboard.loading import templates
    from dashboard.store.connection import connect

    db = _with_fictional_borough(fixture_db)
    con = connect(db, read_only=True)
    try:
        data = templates.kind_workbook(con, "actions", "fictional-borough", "fbc-plan", current_data=True)
    finally:
        con.close()
    preview = refresh.stage(db, "actions", "actions.xlsx", data, "a.officer")
    assert not preview.problems, [str(p) for p in preview.problems]  # the hidden lists sheet is expected
    assert preview.summary() == "actions.xlsx matches the data already in the dashboard; nothing to change."


# --- Uploaded statuses: their own date and source -------------------------------------------------------------

STATUSES = ("plan_id,code,status,effective,as_at,commentary\n"
            "nowhere-plan,1.1.1,Red,,30/06/2010,Slipped\n"
            "nowhere-plan,2.1,Amber,15/05/2010,30/06/2010,\n")


def _upload_statuses(db: Path) -> int:
    preview = refresh.stage(db, "actions", "statuses.csv", STATUSES.encode(), "a.officer")
    assert not preview.errors, [str(p) for p in preview.errors]
    return refresh.commit(preview, db)


def test_an_uploaded_status_keeps_its_date_and_cites_its_upload_and_row(fixture_db):
    from datetime import date

    from dashboard.reading.sources import PROVENANCE, STATUS_PROVENANCE
    from dashboard.store import queries
    from dashboard.store.connection import connect
    from dashboard.ui.render import with_source

    upload = _upload_statuses(fixture_db)
    con = connect(fixture_db, read_only=True)
    try:
        items = queries.actions_at(con, "nowhere-plan", date(2010, 7, 1)).set_index("code")
        before = queries.actions_at(con, "nowhere-plan", date(2010, 4, 1)).set_index("code")
    finally:
        con.close()
    # No date it took effect: the date of its report, said to be that; a date given is kept as given.
    assert items.loc["1.1.1", "status_since"].date() == date(2010, 6, 30) and items.loc["1.1.1", "since_reported"]
    assert items.loc["2.1", "status_since"].date() == date(2010, 5, 15) and not items.loc["2.1", "since_reported"]
    sources = with_source(items[[*PROVENANCE, *STATUS_PROVENANCE]])["Source"]
    assert sources.to_dict() == {"1.1.1": f"upload {upload}, row 2, by a.officer",
                                 "1.1.1a": "document 900, line 6",  # no status: the action's own line
                                 "2.1": f"upload {upload}, row 3, by a.officer"}
    # Before the upload, each item cites its status report's line (900 lines 9 and 10), not the action's.
    assert with_source(before[[*PROVENANCE, *STATUS_PROVENANCE]])["Source"].to_dict() == {"1.1.1": "document 900, line 9", "1.1.1a": "document 900, line 6",
                                "2.1": "document 900, line 10"}


def test_a_status_reported_again_without_a_date_keeps_the_date_it_took_effect(fixture_db):
    from datetime import date

    from dashboard.store import queries
    from dashboard.store.connection import connect

    preview = refresh.stage(fixture_db, "actions", "again.csv", b"plan_id,code,status,as_at\n"
                            b"nowhere-plan,2.1,Red,30/06/2010\n", "a.officer")  # Red since 01/01/2010 already
    refresh.commit(preview, fixture_db)
    con = connect(fixture_db, read_only=True)
    try:
        item = queries.actions_at(con, "nowhere-plan", date(2010, 7, 1)).set_index("code").loc["2.1"]
    finally:
        con.close()
    assert item["status_since"].date() == date(2010, 1, 1) and not item["since_reported"]
    assert item["days_at_status"] == (date(2010, 7, 1) - date(2010, 1, 1)).days


def test_the_board_pack_gives_an_uploaded_red_its_date_and_its_upload(fixture_db, tmp_path):
    import subprocess
    from datetime import date

    from dashboard.presenting import board_pack

    upload = _upload_statuses(fixture_db)
    out = board_pack.write(fixture_db, "nowhere-borough", "nowhere-plan", date(2010, 7, 1), tmp_path / "pack.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    red = text[text.index("Red actions and items (1)"):text.index("Red indicators")]  # cells wrap in the grid
    assert "30/06/2010" in red and "(date of the report)" in red and "not stated" not in red
    assert f"upload {upload}, row 2, by a.officer" in red
    assert f"RAG by area 2.1 Amber upload {upload}, row 3, by a.officer" in text  # the sources of every figure


def test_the_rag_drill_down_shows_an_uploaded_statuss_date_and_source(fixture_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from upload_support import REPO

    upload = _upload_statuses(fixture_db)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    app.switch_page("views/rag_by_area.py")
    app.run()
    assert app.selectbox(key="org").value == "nowhere-borough" and not app.exception
    area = app.selectbox(key="area")
    area.set_value("Keeping children safe").run()
    items = next(frame.value for frame in app.dataframe if "Source" in frame.value.columns).set_index("Code")
    assert items.loc["1.1.1", "Source"] == f"upload {upload}, row 2, by a.officer"
    assert items.loc["1.1.1", "Since"].date().isoformat() == "2010-06-30"
    assert items.loc["1.1.1a", "Source"] == "document 900, line 6"


def test_a_new_status_left_with_the_previous_ones_date_is_a_warning(fixture_db):
    # The template with the current data gives 1.1.1 as Green, effective 01/02/2010; the officer changes the status
    # and the report date and leaves the effective date: Red would read as held since February.
    text = ("plan_id,code,status,effective,as_at\n"
            "nowhere-plan,1.1.1,Red,01/02/2010,30/06/2010\n"
            "nowhere-plan,2.1,Amber,15/05/2010,30/06/2010\n")
    preview = _stage(fixture_db, "actions", text)
    assert [str(p) for p in preview.warnings] == [
        "f.csv, Row 2, column 'effective' ('01/02/2010'): this is the date the previous status (Green) took effect, "
        "so the new one (Red) would read as held since then; write the date it changed, or clear the cell (the "
        "report date is then used)."]
    assert not preview.errors
