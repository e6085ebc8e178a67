"""The officers' journey in a real headless Chromium, on the fictional council: sign in from a real secrets file,
upload a quarterly refresh, read the preview, confirm, see the new data on an open dashboard without a restart, then
roll it back from the history page; every officer page passes the WCAG 2.2 AA scan; a visitor who is not signed in
finds no way to upload."""
from __future__ import annotations

import pytest

from browser_support import (  # noqa: F401 (fixtures)
    browser,
    exceptions,
    main_text,
    officers_server,
    page,
    serious_accessibility_violations,
    sign_in,
    wait_for_app,
)
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from upload_support import data_checksums

pytestmark = pytest.mark.browser

REFRESH = ("Indicator Code,Organisation,Period,Measure,Value\n"
           "NI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"
           "NI 65,nowhere-borough,2009/10,actual,12%\n")


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory, browser):
    """The dashboard on a copy of the fictional fixture, with one officer in its own secrets file."""
    folder = tmp_path_factory.mktemp("officer")
    running = officers_server(folder, build(folder / "dashboard.duckdb", FIXTURE_SEED))
    yield running
    running.stop()


def _go(tab, server, path: str) -> None:
    tab.goto(f"{server.url}/{path}")
    wait_for_app(tab)


def _sign_in(tab, server) -> None:
    _go(tab, server, "sign-in")
    assert serious_accessibility_violations(tab) == []
    sign_in(tab, server, go=False)


def _open_indicator_upload(tab, server) -> None:
    """Sign in and open the upload page on indicator values."""
    _sign_in(tab, server)
    tab.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data").click()
    wait_for_app(tab)
    tab.get_by_text("Indicator values", exact=True).click()
    wait_for_app(tab)


def test_a_visitor_who_is_not_signed_in_finds_no_upload(page, officer_server):
    _go(page, officer_server, "")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Officer sign-in" in nav and "Upload data" not in nav and "Upload history" not in nav
    # Typing the upload page's address lands on the overview instead: the page is not in a visitor's navigation.
    _go(page, officer_server, "upload")
    assert "Upload data" not in page.locator("h1").first.inner_text()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_officer_uploads_previews_confirms_and_rolls_back(page, officer_server, browser):
    before = data_checksums(officer_server.db_path)
    _sign_in(page, officer_server)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data").click()
    wait_for_app(page)
    page.get_by_text("Indicator values").click()
    wait_for_app(page)
    source = officer_server.db_path.parent / "q1.csv"
    source.write_text(REFRESH, encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
    page.get_by_text("What this upload changes").wait_for(timeout=60_000)
    wait_for_app(page)
    text = main_text(page)
    assert "q1.csv: 1 row(s) to add, 1 to change, 0 to remove (0 unchanged)." in text
    assert "Indicators whose RAG or direction changes" in text
    assert exceptions(page) == []
    assert serious_accessibility_violations(page) == []
    assert data_checksums(officer_server.db_path) == before  # nothing has changed before the confirmation

    # A cabinet member has the overview open in another browser throughout.
    viewer = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    _go(viewer, officer_server, "")
    assert "from q1.csv" not in main_text(viewer)

    page.get_by_role("button", name="Confirm and update the dashboard").click()
    page.get_by_text("Saved as upload 2.").wait_for(timeout=60_000)
    assert data_checksums(officer_server.db_path) != before
    viewer.reload()
    wait_for_app(viewer)
    assert "from q1.csv" in main_text(viewer)  # the new data, with no restart of the server

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Upload history").click()
    wait_for_app(page)
    assert serious_accessibility_violations(page) == []
    page.get_by_text("I understand; roll back upload 2").click()
    wait_for_app(page)
    page.get_by_role("button", name="Roll back").click()
    page.get_by_text("Upload 2 rolled back (recorded as 3).").wait_for(timeout=60_000)
    assert exceptions(page) == []
    assert data_checksums(officer_server.db_path) == before
    viewer.reload()
    wait_for_app(viewer)
    assert "from q1.csv" not in main_text(viewer)
    viewer.context.close()


def test_the_template_with_the_current_data_downloads_when_clicked(page, officer_server):
    # The file is written when the button is clicked (not on every rerun of the page): it must still arrive whole.
    from pathlib import Path

    from dashboard.loading import templates
    from dashboard.store.connection import connect

    _open_indicator_upload(page, officer_server)
    page.get_by_text("CSV", exact=True).click()  # Excel with drop-downs is offered first
    wait_for_app(page)
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="Template with the current data (CSV)").click()
    con = connect(officer_server.db_path, read_only=True)
    try:
        expected = templates.prefilled(con, "indicators")
    finally:
        con.close()
    assert download_info.value.suggested_filename == "indicators-current.csv"
    assert Path(download_info.value.path()).read_bytes() == expected


def test_a_refused_files_problems_download_whole_and_neutralised(page, officer_server):
    # The page lists one mistake on 1,200 rows once; the CSV, written when clicked, has every row's problem, and a
    # cell the officer typed as a formula comes back as text a spreadsheet will not run.
    import csv
    import io
    from pathlib import Path

    _open_indicator_upload(page, officer_server)
    source = officer_server.db_path.parent / "bad.csv"
    source.write_text("indicator_code,organisation,period,measure,value\n"
                      + "".join(f"NI 65,nowhere-borough,quarter {n},actual,10%\n" for n in range(1_200))
                      + "NI 65,nowhere-borough,2009/10,actual,=1+1\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
    page.get_by_text("Problems to fix").wait_for(timeout=60_000)
    wait_for_app(page)
    assert "rows 2-1201" in page.locator('[data-testid="stDataFrame"]').first.locator("td").all_inner_texts()
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="All as CSV").click()
    assert download_info.value.suggested_filename == "bad-csv-problems-to-fix.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1_201 and [row["Row"] for row in rows[:2]] == ["2", "3"]
    assert rows[-1]["Row"] == "1202" and rows[-1]["Value"] == "'=1+1" and rows[-1]["Column"] == "value"
    assert exceptions(page) == []


def test_at_1024_px_a_status_upload_shows_before_and_after_on_one_screen(browser, officer_server):
    # A tablet or a small laptop: the preview's status moves lead with the item and its before and after, fit the
    # width, and sit within one screen of the preview's heading (screenshots of this were looked at by eye).
    tab = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    try:
        _sign_in(tab, officer_server)
        tab.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data").click()
        wait_for_app(tab)
        source = officer_server.db_path.parent / "statuses-1024.csv"
        source.write_text("plan_id,code,status,as_at,commentary\n"
                          "nowhere-plan,2.1,Amber,30/06/2010,Owner found for the attendance data\n", encoding="utf-8")
        tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
        tab.get_by_text("Actions whose status changes").wait_for(timeout=60_000)
        wait_for_app(tab)
        heading = tab.get_by_text("What this upload changes").bounding_box()
        grid = tab.locator('[data-testid="stDataFrame"]').first
        box = grid.bounding_box()
        assert box["x"] + box["width"] <= 1024
        assert box["y"] + box["height"] - heading["y"] <= 768
        assert grid.locator("th").all_inner_texts()[:3] == ["Code", "Status before", "Status after"]
        assert serious_accessibility_violations(tab) == []
    finally:
        tab.context.close()
