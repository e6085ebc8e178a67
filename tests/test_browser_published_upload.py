"""Published statistics from the officers' page to How we compare, in a real headless Chromium (issue 18): on the
embedded seed data with no published figures, an officer signs in, uploads a subset of LAIT's real values with its
dictionary and neighbour workbook and a subset of a real EES tidy CSV in one choice of files, reads the preview,
accepts its warnings and confirms, then walks to How we compare, where Herefordshire's 2024 percentage of
looked-after children in foster care (71) and its EES placement stability figure show; the clicks are counted."""
from __future__ import annotations

import re
import shutil

import pytest
from compare_support import LAIT, ees_subset, lait_subset, needs_shared

from browser_support import (  # noqa: F401 (fixtures)
    PASSWORD,
    browser,
    exceptions,
    main_text,
    officers_server,
    page,
    serious_accessibility_violations,
    wait_for_app,
)
from dashboard.loading.build import SEED_DIR, build
from dashboard.store.connection import connect
from upload_support import data_checksums

pytestmark = [pytest.mark.browser, needs_shared]

HEREFORDSHIRE = "herefordshire-council"
SAME_CARER = "Living with the same carer for at least 2 years: percentage"
# Sign in 1, upload page 1, the published kind 1, the files 1, accept warnings 1, confirm 1, How we compare 1,
# measure 2, figures over time 1, the EES measure 2 and its figures over time 1 (a new measure closes them).
CLICKS_AT_MOST = 13


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory, browser):
    """The dashboard on the seed data alone (no published figures), with one officer in its own secrets file."""
    folder = tmp_path_factory.mktemp("published-upload")
    running = officers_server(folder, build(folder / "dashboard.duckdb", SEED_DIR), timeout=120)
    yield running
    running.stop()


class Clicks:
    """Every click, choice of files and typed search the officer makes, counted."""

    def __init__(self, tab):
        self.tab, self.count = tab, 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()
        wait_for_app(self.tab, 120_000)

    def choose_files(self, paths) -> None:
        self.count += 1  # one file dialog, several files chosen in it
        self.tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(p) for p in paths])

    def choose(self, name, typed: str, option) -> None:
        """Open a picker, type to narrow it and take the option: two actions."""
        self.count += 2
        self.tab.get_by_role("combobox", name=name).click()
        self.tab.keyboard.type(typed)
        self.tab.get_by_role("option", name=option).first.click()
        wait_for_app(self.tab, 120_000)


def _grid_rows(scope) -> list[list[str]]:
    """The cells of a Streamlit table, read from the grid's accessible table (the grid itself draws on a canvas)."""
    return [[cell.text_content() for cell in row.locator("td, th").all()]
            for row in scope.locator('table[role="grid"] tr').all()]


def _figure_2024(tab, council: str) -> str:
    rows = _grid_rows(tab.locator('[data-testid="stExpander"]', has_text="The figures over time"))
    return dict(zip(rows[0], next(row for row in rows if row[0] == "2024"), strict=True))[council]


def _benchmark(db_path, code_like: str) -> float:
    con = connect(db_path, read_only=True)
    try:
        return con.execute("SELECT value FROM v_benchmarks WHERE organisation_id = ? AND period = '2024' AND "
                           "indicator_code LIKE ? AND indicator_name LIKE ?",
                           [HEREFORDSHIRE, code_like, f"%{SAME_CARER}" if code_like.startswith("EES") else "%"]
                           ).fetchall()
    finally:
        con.close()


def test_an_officer_uploads_lait_and_ees_then_finds_the_figures_on_how_we_compare(page, officer_server):
    folder = officer_server.folder
    files = [lait_subset(folder / "lait", ("LAC_Foster_Placements",)),
             shutil.copy(LAIT / "lait_data_dictionary.csv", folder / "lait"),
             shutil.copy(LAIT / "sn_may_2025.xlsx", folder / "lait"), ees_subset(folder / "ees")]
    before = data_checksums(officer_server.db_path)
    clicks = Clicks(page)
    page.goto(f"{officer_server.url}/sign-in")
    wait_for_app(page, 120_000)
    page.get_by_label("Username").fill("jo.officer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    clicks.click(page.get_by_role("button", name="Sign in"))
    clicks.click(page.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data", exact=True))
    clicks.click(page.get_by_text("Published national statistics (LAIT, EES)", exact=True))
    clicks.choose_files(files)
    page.get_by_text("What this upload changes").wait_for(timeout=120_000)
    wait_for_app(page, 120_000)
    text = main_text(page)
    assert re.search(r"bds_long_0\.parquet, lait_data_dictionary\.csv, sn_may_2025\.xlsx, "
                     r"la_cla_placement_stability\.csv: [\d,]+ row\(s\) to add, 0 to change, 0 to remove", text)
    assert "New: " in text and "Open Government Licence v3.0" in text and "Warnings" in text
    assert exceptions(page) == []
    assert serious_accessibility_violations(page) == []
    assert data_checksums(officer_server.db_path) == before  # nothing has changed before the confirmation
    clicks.click(page.get_by_text(re.compile(r"I have checked the \d+ warning\(s\)")))
    clicks.click(page.get_by_role("button", name="Confirm and update the dashboard"))
    page.get_by_text(re.compile(r"Saved as upload \d+\.")).wait_for(timeout=120_000)
    assert _benchmark(officer_server.db_path, "LAC_Foster_Placements") == [(71.0,)]

    clicks.click(page.locator('[data-testid="stSidebarNav"]').get_by_text("How we compare", exact=True))
    assert page.locator("h1").first.inner_text() == "How we compare"
    # The sidebar's council (Herefordshire, the seed's first) is the page's: no click to choose it.
    assert page.locator('[data-testid="stMain"]').get_by_role("combobox", name="Council").input_value() == \
        "Herefordshire Council"
    clicks.choose(re.compile("^Measure"), "foster", re.compile("in foster care"))
    clicks.click(page.get_by_text("The figures over time"))
    assert _figure_2024(page, "Herefordshire Council") == "71"
    # The EES file's series is a measure of its own, beside the same comparators.
    clicks.choose(re.compile("^Measure"), "same carer", re.compile(re.escape(SAME_CARER)))
    if not page.locator('[data-testid="stExpander"]', has_text="The figures over time").locator(
            'table[role="grid"]').is_visible():
        clicks.click(page.get_by_text("The figures over time"))
    [(ees,)] = _benchmark(officer_server.db_path, "EES %")
    assert float(_figure_2024(page, "Herefordshire Council")) == ees
    assert exceptions(page) == []
    print(f"clicks: {clicks.count}")
    assert clicks.count <= CLICKS_AT_MOST
