"""Published statistics on the officers' Upload data page, through Streamlit's AppTest on the fictional council:
LAIT's values with their dictionary and neighbour workbook and an EES tidy CSV uploaded together, the same preview as
`import-published`, confirmed, listed in the history and rolled back to the very bytes of the data before; a file
that is not one of them, or LAIT's values without their dictionary, refused with words and nothing changed."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from compare_support import LAIT, ees_subset, lait_subset
from streamlit.testing.v1 import AppTest

from dashboard.published.upload import stage_uploaded
from dashboard.store.connection import connect
from dashboard.trust.auth import add_officer
from upload_support import data_checksums

APP = Path(__file__).resolve().parents[1] / "app.py"
PASSWORD = "a long password for tests"
PARQUET = "application/octet-stream"


@pytest.fixture()
def officer_app(fixture_db, tmp_path, monkeypatch) -> AppTest:
    """The app on the fictional council, signed in as an officer, on the upload page's published kind."""
    secrets = tmp_path / "secrets.toml"
    add_officer(secrets, "jo.officer", PASSWORD)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets = tomllib.loads(secrets.read_text())
    at.run()
    at.switch_page("views/sign_in.py")
    at.run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input(PASSWORD)
    at.button[0].click()
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    at.radio(key="upload_kind").set_value("published")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, paths: list[Path]) -> AppTest:
    uploader = at.file_uploader[0]
    for path in paths:
        uploader.upload(path.name, path.read_bytes(), PARQUET if path.suffix == ".parquet" else "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_lait_and_ees_upload_together_preview_commit_and_roll_back(officer_app, fixture_db, tmp_path):
    at = officer_app
    before = data_checksums(fixture_db)
    assert at.file_uploader[0].proto.multiple_files
    values = lait_subset(tmp_path / "lait", ("LAC_Foster_Placements",))
    _upload(at, [values, LAIT / "lait_data_dictionary.csv", LAIT / "sn_may_2025.xlsx", ees_subset(tmp_path / "ees")])
    text = "\n".join(m.value for m in at.markdown).replace("\\_", "_")  # names as written, not read as Markdown
    assert "bds_long_0.parquet, lait_data_dictionary.csv, sn_may_2025.xlsx, la_cla_placement_stability.csv: " \
           "1,860 row(s) to add, 0 to change, 0 to remove (0 unchanged)." in text
    assert "New: 170 organisations, 343 organisation aliases, 446 indicators" in text
    assert "**Indicator values**: 1,860 added, 0 changed, 0 removed, 0 unchanged." in text
    assert any("Open Government Licence v3.0" in c.value for c in at.caption)
    # The dictionary's real faults, each with its file, row, column and why, as the command line prints them.
    changes, warnings = (table.value for table in at.dataframe)
    assert len(changes) == 1_000 and set(changes["What happens"]) == {"added"}  # the first 1,000 of 1,860
    assert len(warnings) == 14 and warnings.iloc[0]["Row"] == "355" \
           and warnings.iloc[0]["Column"] == "Measure_short"
    assert warnings.iloc[0]["Problem"] == "repeats the measure of row 169; the first is used."
    assert data_checksums(fixture_db) == before  # nothing has changed before the confirmation
    assert at.button(key="confirm_upload").disabled
    at.checkbox(key="accept_warnings").check()
    at.run()
    at.button(key="confirm_upload").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Saved as upload 2. Every page now shows the new data; the Upload history page can roll it back."]
    con = connect(fixture_db, read_only=True)
    try:
        assert con.execute("SELECT organisation_name, value FROM v_benchmarks WHERE organisation_name LIKE 'Herefordshire%' AND "
                           "indicator_code = 'LAC_Foster_Placements' AND period = '2024'").fetchall() == [("Herefordshire", 71.0)]
        assert con.execute("SELECT count(*) FROM v_benchmarks WHERE indicator_code LIKE 'EES %'").fetchone()[0] > 0
    finally:
        con.close()
    at.switch_page("views/history.py")
    at.run()
    history = at.dataframe[0].value
    assert history[["Upload", "State", "Kind", "By"]].values.tolist()[0] == [2, "In force", "published",
                                                                              "jo.officer"]
    at.checkbox(key="rollback_confirm").check()
    at.run()
    at.button(key="rollback_button").click()
    at.run()
    assert [s.value for s in at.success] == ["Upload 2 rolled back (recorded as 3)."]
    assert data_checksums(fixture_db) == before


def test_lait_values_without_their_dictionary_are_refused_in_words(officer_app, fixture_db, tmp_path):
    before = data_checksums(fixture_db)
    _upload(officer_app, [lait_subset(tmp_path / "lait", ("LAC_Foster_Placements",))])
    assert [e.value.replace("\\_", "_") for e in officer_app.error] == [
        "bds_long_0.parquet was not loaded: 1 problem(s) to fix. Nothing has changed in the dashboard."]
    problems = officer_app.dataframe[0].value
    assert "give lait_data_dictionary.csv with it" in problems.to_string()
    assert not [b for b in officer_app.button if b.key == "confirm_upload"]
    assert data_checksums(fixture_db) == before


def test_a_file_that_is_not_published_data_is_named_with_what_is_wrong(fixture_db, tmp_path):
    before = data_checksums(fixture_db)
    preview = stage_uploaded(fixture_db, [("plan.csv", b"code,title\n1,Keep children safe\n")], "jo.officer")
    assert [(p.file, p.severity) for p in preview.problems] == [("plan.csv", "error")]
    assert "time_period, time_identifier, geographic_level" in preview.problems[0].message
    assert preview.staged is None and data_checksums(fixture_db) == before


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(fixture_db):
    preview = stage_uploaded(fixture_db, [("big.csv", b"x" * 2048)], "jo.officer", max_bytes=1024)
    assert [p.message for p in preview.problems] == ["The file is 0.0 MB; the limit is 0 MB."]
    assert preview.staged is None
