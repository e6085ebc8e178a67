"""The upload page with the set-up workbook, through Streamlit's AppTest: an officer downloads the workbook, uploads
it whole, sees one preview of everything it creates, confirms, and the new council's overview shows its RAG."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from test_upload_pages import _open, _sign_in, app, secrets  # noqa: F401  (fixtures)

from dashboard.loading import templates
from dashboard.store.connection import connect
from upload_support import data_checksums


def _upload_workbook(at, name: str, data: bytes):
    _open(at, "views/upload.py")
    at.radio(key="upload_kind").set_value("setup")
    at.run()
    at.file_uploader[0].upload(name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_set_up_workbook_creates_a_council_in_one_upload_on_the_page(app, fixture_db):
    before = data_checksums(fixture_db)
    _sign_in(app)
    _open(app, "views/upload.py")
    app.radio(key="upload_kind").set_value("setup")
    app.run()
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Set-up workbook with an example council (Excel)", "Set-up workbook with the current data (Excel)"]
    _upload_workbook(app, "setup.xlsx", templates.workbook())
    text = "\n".join(m.value for m in app.markdown)
    assert "setup.xlsx: 15 row(s) to add, 0 to change, 0 to remove (0 unchanged)." in text
    for words in ("**Councils (organisations)**: 1 added", "**Plans**: 1 added", "**Plan areas**: 3 added",
                  "**Indicator definitions**: 1 added", "**Actions**: 1 added", "**Indicator values**: 2 added"):
        assert words in text, words
    assert data_checksums(fixture_db) == before  # nothing changes before the confirmation
    app.button(key="confirm_upload").click()
    app.run()
    assert [s.value for s in app.success] == [
        "Saved as upload 2. Every page now shows the new data; the Upload history page can roll it back."]
    con = connect(fixture_db, read_only=True)
    try:
        assert con.execute("SELECT name, is_fictional FROM organisations WHERE organisation_id = "
                           "'fictional-borough'").fetchall() == [("Fictional Borough Council", True)]
        assert con.execute("SELECT count(*) FROM areas WHERE plan_id = 'fbc-plan'").fetchall() == [(3,)]
    finally:
        con.close()
    _open(app, "views/history.py")
    assert app.dataframe[0].value[["Upload", "State"]].values.tolist()[0] == [2, "In force"]
    app.checkbox(key="rollback_confirm").check()
    app.run()
    app.button(key="rollback_button").click()
    app.run()
    assert [s.value for s in app.success] == ["Upload 2 rolled back (recorded as 3)."]
    assert data_checksums(fixture_db) == before


def test_a_workbook_with_a_cycle_is_refused_on_the_page_naming_sheet_and_row(app, fixture_db):
    before = data_checksums(fixture_db)
    book = load_workbook(io.BytesIO(templates.workbook()))
    book["Areas"]["D2"] = "1.1.1"  # the top area's parent is its own grandchild
    out = io.BytesIO()
    book.save(out)
    _sign_in(app)
    _upload_workbook(app, "setup.xlsx", out.getvalue())
    assert next(e.value for e in app.error).startswith("setup.xlsx was not loaded: 1 problem(s) to fix.")
    problems = app.dataframe[0].value
    assert problems[["Row", "Column", "Value"]].values.tolist() == [["2", "parent_code", "1.1.1"]]
    assert "would sit inside itself (1 › 1.1.1 › 1.1 › 1; rows 2, 3, 4 of this file make it)" in problems["Problem"][0]
    assert data_checksums(fixture_db) == before


def test_the_new_councils_overview_shows_red_amber_and_green(fixture_db, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    from test_upload_pages import APP

    from dashboard.loading import refresh
    from upload_support import filled_workbook

    setup = Path(__file__).parent / "data" / "setup"
    files = {kind: (setup / f"{kind}.csv").read_text() for kind in templates.SHEET_TITLES}
    preview = refresh.stage(fixture_db, "setup", "fbc.xlsx", filled_workbook(files), "tester")
    refresh.commit(preview, fixture_db)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["org"] = "fictional-borough"
    at.query_params["plan"] = "fbc-plan"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Fictional Borough Council"]
    assert [h.value for h in at.subheader][:2] == ["Red now (2)", "Red indicators (1)"]
    by_status = next(d.value for d in at.dataframe if {"Area", "Complete"} <= set(d.value.columns))
    assert by_status[["Area", "Red", "Amber", "Green", "Complete"]].values.tolist() == [
        ["Safe at home", 1, 1, 2, 1], ["Learning", 1, 2, 2, 0]]


def test_moving_an_area_on_the_page_says_what_moves_and_templates_can_be_scoped(app, fixture_db):
    from pathlib import Path

    from dashboard.loading import refresh
    from upload_support import filled_workbook

    setup = Path(__file__).parent / "data" / "setup"
    files = {kind: (setup / f"{kind}.csv").read_text() for kind in templates.SHEET_TITLES}
    refresh.commit(refresh.stage(fixture_db, "setup", "fbc.xlsx", filled_workbook(files), "tester"), fixture_db)
    _sign_in(app)
    _open(app, "views/upload.py")
    assert "template_plan" not in [box.key for box in app.selectbox]  # a plan is chosen once a council is
    app.selectbox(key="template_council").set_value("fictional-borough")
    app.run()
    assert app.selectbox(key="template_plan").options == ["Every plan", "Fictional Borough Children's Plan (fictional)"]
    app.radio(key="upload_kind").set_value("areas")
    app.run()
    app.file_uploader[0].upload("move.csv", b"plan_id,code,title,parent_code\nfbc-plan,1.1.a,Family help,2\n",
                                "text/csv")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert "What moves" in [h.value for h in app.subheader]
    text = "\n".join(m.value for m in app.markdown)
    assert "- Area 1.1.a moves from 1.1 to 2 of plan fbc-plan; 2 action\\(s\\) and 1 indicator\\(s\\) go with it, " \
           "their statuses and values kept." in text  # shown as written: Markdown's marks escaped
