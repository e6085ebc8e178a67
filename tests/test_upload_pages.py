"""The officer pages through Streamlit's AppTest on the fictional council: anonymous sessions cannot reach uploads;
an officer signed in from the local officer list (a real secrets file, real hashes) uploads, previews, confirms and
rolls back, and the database ends exactly as it began."""
from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import table_checksums
from dashboard.store.connection import connect
from dashboard.trust.auth import add_officer
from upload_support import data_checksums

APP = Path(__file__).resolve().parents[1] / "app.py"
UPLOAD = Path(__file__).resolve().parents[1] / "views" / "upload.py"
PASSWORD = "a long password for tests"


@pytest.fixture()
def secrets(tmp_path) -> dict:
    """A temporary secrets.toml with one officer, written by the same code as `python -m dashboard add-officer`."""
    path = tmp_path / "secrets.toml"
    add_officer(path, "jo.officer", PASSWORD)
    return tomllib.loads(path.read_text())


@pytest.fixture()
def app(fixture_db, secrets, monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = secrets
    at.run()
    assert not at.exception
    return at


def _sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.switch_page("views/sign_in.py")
    at.run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input(password)
    at.button[0].click()  # the form's "Sign in"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, kind: str, name: str, text: str) -> AppTest:
    _open(at, "views/upload.py")
    at.radio(key="upload_kind").set_value(kind)
    at.run()
    at.file_uploader[0].upload(name, text.encode(), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frames(at: AppTest) -> dict:
    return {element.proto.id: element.value for element in at.dataframe}


def _confirm_and_roll_back(at: AppTest, fixture_db: Path, before: dict) -> None:
    at.button(key="confirm_upload").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Saved as upload 2. Every page now shows the new data; the Upload history page can roll it back."]
    assert data_checksums(fixture_db) != before
    _open(at, "views/history.py")
    history = at.dataframe[0].value
    assert history[["Upload", "State", "By"]].values.tolist()[:2] == [[2, "In force", "jo.officer"],
                                                                      [1, "Embedded data", "seed"]]
    assert at.button(key="rollback_button").disabled  # nothing happens without the confirmation
    at.checkbox(key="rollback_confirm").check()
    at.run()
    at.button(key="rollback_button").click()
    at.run()
    assert [s.value for s in at.success] == ["Upload 2 rolled back (recorded as 3)."]
    assert data_checksums(fixture_db) == before


def test_an_anonymous_session_cannot_reach_upload_or_rollback(app, fixture_db):
    before = table_checksums(fixture_db)
    _open(app, "views/sign_in.py")
    assert [t.value for t in app.title] == ["Officer sign-in"]
    assert not app.file_uploader
    # A signed-out session asking for the upload page's address gets no upload page (it is not in the navigation).
    for page in ("views/upload.py", "views/history.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(page)
    # Each page refuses too, even run without the navigation that hides it.
    for script in (UPLOAD, UPLOAD.with_name("history.py")):
        page = AppTest.from_file(str(script), default_timeout=60)
        page.run()
        assert [t.value for t in page.title] == ["Officers only"]
        assert [w.value for w in page.warning] == ["Sign in as an officer to upload data or roll an upload back."]
        assert not page.file_uploader and not page.button and not page.dataframe
    assert table_checksums(fixture_db) == before


def test_a_wrong_password_does_not_sign_in(app):
    _sign_in(app, "not the password at all")
    assert [e.value for e in app.error] == ["That username and password do not match an officer on this dashboard."]
    assert app.text_input(key="username")  # still the form


def test_officer_refreshes_quarterly_indicator_actuals_on_the_page_then_rolls_back(app, fixture_db):
    before = data_checksums(fixture_db)
    _sign_in(app)
    assert [s.value for s in app.success] == [
        "Signed in as jo.officer. The Upload data and Upload history pages are in the menu."]
    _upload(app, "indicators", "q1.csv", "Indicator Code,Organisation,Period,Measure,Value\n"
                                          "NI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"
                                          "NI 65,nowhere-borough,2009/10,actual,12%\n")
    text = "\n".join(m.value for m in app.markdown)
    assert "q1.csv: 1 row(s) to add, 1 to change, 0 to remove (0 unchanged)." in text
    frames = [frame.value for frame in app.dataframe]
    assert "RAG before" in frames[0].columns  # what moves first, then the rows
    changes = frames[1]
    # In words, with what changes beside the row number (visible without scrolling at 1024 px).
    assert list(changes.columns[:4]) == ["What happens", "Row", "Before → after", "Indicator"]
    assert not any("_" in column for column in changes.columns)  # no field name such as value_written
    assert changes[["What happens", "Row", "Before → after", "Period", "Value"]].values.tolist() == [
        ["added", 2, "", "2010/11 Q1", "10.2%"], ["changed", 3, "Value: 11.4% → 12%", "2009/10", "11.4% → 12%"]]
    rag = frames[0]
    assert rag[["Indicator", "RAG before", "RAG after"]].values.tolist() == [["NI 65", "Amber", "Red"]]
    assert data_checksums(fixture_db) == before  # nothing changes before the confirmation
    _confirm_and_roll_back(app, fixture_db, before)


def test_officer_updates_action_statuses_on_the_page_then_rolls_back(app, fixture_db):
    before = data_checksums(fixture_db)
    _sign_in(app)
    _upload(app, "actions", "statuses.csv", "plan_id,code,status,as_at,commentary\n"
                                            "nowhere-plan,2.1,Amber,30/06/2010,Owner found\n")
    status = next(frame.value for frame in app.dataframe if "Status before" in frame.value.columns)
    assert list(status.columns[:3]) == ["Code", "Status before", "Status after"]  # before the long action text
    assert status[["Code", "Status before", "Status after"]].values.tolist() == [["2.1", "Red", "Amber"]]
    _confirm_and_roll_back(app, fixture_db, before)


def test_officer_adds_a_new_years_efficiency_lines_accepting_a_warning(app, fixture_db):
    before = data_checksums(fixture_db)
    _sign_in(app)
    _upload(app, "efficiency", "eff.csv", "organisation,year,directorate,description,cashable,stage\n"
                                          "nowhere-borough,2010/11,Resources,<b>Shared</b> payroll,45,forward_look\n")
    warnings = app.dataframe[-1].value
    assert warnings.values.tolist() == [["Warning", "2", "description", "<b>Shared</b> payroll",
                                         "this text contains HTML or script; it will be stored and shown as plain "
                                         "text, never run."]]
    assert app.button(key="confirm_upload").disabled  # a warning must be accepted first
    app.checkbox(key="accept_warnings").check()
    app.run()
    assert not app.button(key="confirm_upload").disabled
    _confirm_and_roll_back(app, fixture_db, before)


def test_one_warning_on_every_row_is_listed_once_and_the_csv_has_every_row(app, fixture_db):
    _sign_in(app)
    days = [date(2011, 1, 1) + timedelta(days=n) for n in range(1_001)]
    _upload(app, "indicators", "daily.csv", "indicator_code,organisation,period,measure,value\n" + "".join(
        f"NI 65,nowhere-borough,{day:%d/%m/%Y},actual,150%\n" for day in days))  # each a percentage over 100
    warnings = app.dataframe[-1].value
    assert warnings[["Kind", "Row", "Column", "Value"]].values.tolist() == [
        ["Warning", "all 1001 rows", "value", "150%"]]
    assert ("1,001 problems listed as 1: a mistake repeated on many rows is listed once, with its rows; the CSV lists "
            "every row.") in [c.value for c in app.caption]
    assert app.get("download_button")[-1].proto.label == "All as CSV"
    assert app.get("download_button")[-1].proto.help == ("Download every one of the 1,001 as CSV, row by row, to work "
                                                         "through them beside the file")
    assert app.checkbox(key="accept_warnings").label.startswith("I have checked the 1001 warning(s)")


def test_a_refused_file_shows_every_problem_and_cancel_changes_nothing(app, fixture_db):
    before = table_checksums(fixture_db)
    _sign_in(app)
    _upload(app, "indicators", "bad.csv", "indicator_code,organisation,period,measure,value\n"
                                          "NI 65,nowhere-borough,2009/2,actual,10%\n"
                                          "NI 99,nowhere-borough,2010/11,actual,=1+1\n")
    assert [e.value for e in app.error] == [
        "bad.csv was not loaded: 3 problem(s) to fix. Nothing has changed in the dashboard."]
    problems = app.dataframe[0].value
    assert problems.values.tolist() == [
        ["Error", "2", "period", "2009/2", "not a period; write 2009/10, 2009/10 Q2, March 2010 or 31/03/2010"],
        ["Error", "3", "indicator_code", "NI 99", "there is no indicator 'NI 99'; add it to the indicators list first."],
        ["Error", "3", "value", "=1+1", "this cell begins with '=', so a spreadsheet would treat it as a formula; type "
                                      "the value itself (not a formula), without that first character."]]
    assert "confirm_upload" not in [b.key for b in app.button]
    _upload(app, "indicators", "ok.csv", "indicator_code,organisation,period,measure,value\n"
                                         "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n")
    app.button(key="cancel_upload").click()
    app.run()
    assert [s.value for s in app.success] == ["Cancelled: nothing has changed."]
    assert table_checksums(fixture_db) == before
    assert not list(fixture_db.parent.glob("*.staged-*"))


def test_templates_download_blank_and_with_current_data(app, fixture_db):
    _sign_in(app)
    _open(app, "views/upload.py")
    app.radio(key="upload_kind").set_value("efficiency")
    app.run()
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Blank template (Excel)", "Template with the current data (Excel)"]  # drop-downs first
    app.radio(key="template_format").set_value("CSV").run()
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Blank template (CSV)", "Template with the current data (CSV)"]
    con = connect(fixture_db, read_only=True)
    try:
        count = con.execute("SELECT count(*) FROM efficiency_lines").fetchall()[0][0]
    finally:
        con.close()
    assert count == 2


def test_an_upload_moving_many_indicators_shows_the_first_thousand_moves_and_offers_them_all(
        tmp_path, secrets, monkeypatch):
    # Five fictional councils of the benchmark's generator, 250 indicators each; the upload gives every one a new
    # quarter, so well over a thousand RAG positions or directions move (a national file moves tens of thousands).
    import sys

    from dashboard.loading.build import build

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.generate import Scale, generate
    from bench.import_time import make_file

    db = build(tmp_path / "five.duckdb", generate(tmp_path / "seed", Scale(
        councils=5, indicators=250, quarters=2, actions=1, status_reports=1, efficiency_lines=1)))
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.secrets = secrets
    app.run()
    _sign_in(app)
    _upload(app, "indicators", "quarter.csv", make_file(tmp_path / "quarter.csv", rows=5 * 250 * 3,
                                                       councils=5).read_text())
    heading = "Indicators whose RAG or direction changes"
    assert heading in [h.value for h in app.subheader]
    shown = next(table.value for table in app.dataframe if "RAG before" in table.value.columns)
    counted = [re.fullmatch(r"The first 1,000 of ([\d,]+), council by council; the CSV has them all\.", c.value)
               for c in app.caption]
    total = int(next(match for match in counted if match).group(1).replace(",", ""))
    assert len(shown) == 1_000 and 1_000 < total <= 5 * 250
    assert shown["Council"].is_monotonic_increasing  # council by council, as the caption says
    assert f"Download every one of the {total:,} as CSV, to read beside the preview" in [
        button.proto.help for button in app.get("download_button")]


def test_rolling_back_says_which_later_uploads_go_too_and_the_box_resets_after(app, fixture_db):
    from dashboard.loading import refresh

    def commit(name: str, kind: str, text: str) -> int:
        return refresh.commit(refresh.stage(fixture_db, kind, name, text.encode(), "jo.officer"), fixture_db)

    ind = "indicator_code,organisation,period,measure,value\nNI 65,nowhere-borough,2010/11 Q1,actual,{}\n"
    first = commit("q1.csv", "indicators", ind.format("10%"))
    commit("statuses.csv", "actions", "plan_id,code,status,as_at\nnowhere-plan,2.1,Green,30/06/2010\n")
    commit("q1-fixed.csv", "indicators", ind.format("9%"))
    _sign_in(app)
    _open(app, "views/history.py")
    app.selectbox(key="rollback_choice").set_value(first).run()
    assert (f"Rolling back upload {first} puts back the rows it changed, as they were before it. It also undoes "
            f"upload 4, because upload 4 also changed 1 of the same indicator values as upload {first}. Upload 3, "
            "which changed other rows, stays in force.") in [m.value.replace("\\", "") for m in app.markdown]
    box = app.checkbox(key="rollback_confirm")
    assert box.label == "I understand; roll back uploads 2 and 4" and not box.value
    assert app.button(key="rollback_button").disabled
    # Ticked for one rollback, then another upload chosen: the tick does not carry over to it, nor back.
    box.check().run()
    assert not app.button(key="rollback_button").disabled
    app.selectbox(key="rollback_choice").set_value(3).run()
    assert app.checkbox(key="rollback_confirm").value is False and app.button(key="rollback_button").disabled
    app.selectbox(key="rollback_choice").set_value(first).run()
    assert app.checkbox(key="rollback_confirm").value is False
    app.checkbox(key="rollback_confirm").check().run()
    app.button(key="rollback_button").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.success] == ["Upload 2 rolled back with upload(s) 4 (recorded as 5)."]
    history = app.dataframe[0].value
    assert history[["Upload", "State"]].values.tolist()[:4] == [
        [5, "Rollback of upload 2"], [4, "Rolled back (by 5)"], [3, "In force"], [2, "Rolled back (by 5)"]]
    # The confirmation belongs to the rollback it was given for: after it, the box is clear and Roll back is off.
    assert app.checkbox(key="rollback_confirm").label == "I understand; roll back upload 3"
    assert app.checkbox(key="rollback_confirm").value is False
    assert app.button(key="rollback_button").disabled
