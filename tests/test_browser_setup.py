"""A new council's journey in a real headless Chromium (issue 19): from the embedded fictional data, an officer sets up
Fictional Borough Council from the set-up workbook, uploads its first quarter of statuses and values, sees its
overview with red, amber and green, its RAG and indicator pages, and rolls the values back; the clicks are counted
and kept few."""
from __future__ import annotations

from pathlib import Path

import pytest

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
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from upload_support import data_checksums, filled_workbook

pytestmark = pytest.mark.browser

SETUP = Path(__file__).parent / "data" / "setup"
# Sign in 1, upload page 1, set-up 3, statuses 3, values 3, overview 3, RAG page 1, indicator page 1, roll back 3.
CLICKS_AT_MOST = 19


def _split(name: str, keep) -> str:
    """A file of tests/data/setup with only the rows (and columns) `keep` chooses, as CSV text."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO((SETUP / name).read_text())))
    columns, chosen = keep(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(chosen)
    return out.getvalue()


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory, browser):
    """The dashboard on a copy of the fictional fixture, with one officer in its own secrets file."""
    folder = tmp_path_factory.mktemp("setup")
    running = officers_server(folder, build(folder / "dashboard.duckdb", FIXTURE_SEED))
    yield running
    running.stop()


class Clicks:
    """Every click and file choice the officer makes, counted."""

    def __init__(self, tab):
        self.tab, self.count = tab, 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()
        wait_for_app(self.tab)

    def choose_file(self, path: Path) -> None:
        self.count += 1
        self.tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))

    def nav(self, name: str) -> None:
        self.click(self.tab.locator('[data-testid="stSidebarNav"]').get_by_text(name, exact=True))


def _upload(clicks: Clicks, kind_label: str, path: Path, saved: str, scan: bool = False) -> None:
    tab = clicks.tab
    clicks.click(tab.get_by_text(kind_label, exact=True))
    clicks.choose_file(path)
    tab.get_by_text("What this upload changes").wait_for(timeout=60_000)
    wait_for_app(tab)
    assert exceptions(tab) == []
    if scan:
        assert serious_accessibility_violations(tab) == []
    clicks.click(tab.get_by_role("button", name="Confirm and update the dashboard"))
    tab.get_by_text(saved).wait_for(timeout=60_000)


def test_a_new_council_is_set_up_from_the_workbook_and_shows_its_rag(page, officer_server):
    folder = officer_server.db_path.parent
    # The workbook: the council, its plan of three levels, its indicators, its ten actions and the targets.
    workbook = folder / "fictional-borough-setup.xlsx"
    workbook.write_bytes(filled_workbook({
        "organisations": (SETUP / "organisations.csv").read_text(),
        "plans": (SETUP / "plans.csv").read_text(),
        "areas": (SETUP / "areas.csv").read_text(),
        "indicator_definitions": (SETUP / "indicator_definitions.csv").read_text(),
        "actions": _split("actions.csv", lambda rows: (["plan_id", "code", "area_code", "text", "lead_officer", "due"],
                                                        rows)),
        "indicators": _split("indicators.csv", lambda rows: (list(rows[0]), [r for r in rows
                                                                             if r["measure"] == "target"]))}))
    # The first quarter: statuses, then actual values.
    statuses = folder / "q1-statuses.csv"
    statuses.write_text(_split("actions.csv", lambda rows: (["plan_id", "code", "status", "as_at"], rows)))
    values = folder / "q1-values.csv"
    values.write_text(_split("indicators.csv", lambda rows: (list(rows[0]), [r for r in rows
                                                                             if r["measure"] == "actual"])))
    before = data_checksums(officer_server.db_path)

    clicks = Clicks(page)
    page.goto(f"{officer_server.url}/sign-in")
    wait_for_app(page)
    page.get_by_label("Username").fill("jo.officer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    clicks.click(page.get_by_role("button", name="Sign in"))
    page.get_by_text("Signed in as jo.officer").wait_for()

    clicks.nav("Upload data")
    _upload(clicks, "Set-up workbook (everything)", workbook, "Saved as upload 2.", scan=True)
    assert data_checksums(officer_server.db_path) != before
    _upload(clicks, "Actions and their statuses", statuses, "Saved as upload 3.")
    after_statuses = data_checksums(officer_server.db_path)
    _upload(clicks, "Indicator values", values, "Saved as upload 4.")

    clicks.nav("Overview")
    clicks.click(page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first)
    clicks.click(page.get_by_role("option", name="Fictional Borough Council"))
    page.locator("h1", has_text="Fictional Borough Council").wait_for(timeout=60_000)
    wait_for_app(page)
    text = main_text(page)
    assert "Red now (2)" in text  # two red actions
    assert "Red indicators (1)" in text and "FBC 3" in text
    charts = page.locator(".js-plotly-plot")
    legends = " ".join(chart.inner_text() for chart in charts.all())
    for word in ("Red", "Amber", "Green"):
        assert word in legends, word
    assert exceptions(page) == []

    clicks.nav("RAG by strategic area")  # the council stays chosen from page to page
    rag_text = main_text(page) + " ".join(chart.inner_text() for chart in page.locator(".js-plotly-plot").all())
    clicks.nav("Indicator trends")
    trends_text = main_text(page) + " ".join(chart.inner_text() for chart in page.locator(".js-plotly-plot").all())
    for words in ("1 Red", "2 Amber", "2 Green", "1 Complete", "Safe at home", "Learning"):
        assert words in rag_text, words  # the RAG page: the statuses per area, in words beside the colours
    assert ("Green: 2 below target, lower is better. Measured: 2026/27 Q1 actual 58 against the target of 60"
            in trends_text)
    assert exceptions(page) == []

    clicks.nav("Upload history")
    page.get_by_text("Rolling back upload 4 puts back the rows it changed").wait_for(timeout=60_000)
    clicks.click(page.get_by_text("I understand; roll back upload 4"))
    clicks.click(page.get_by_role("button", name="Roll back"))
    page.get_by_text("Upload 4 rolled back (recorded as 5).").wait_for(timeout=60_000)
    assert data_checksums(officer_server.db_path) == after_statuses
    # The confirmation was for that rollback: the box for the next one shows clear, with Roll back off.
    page.get_by_text("I understand; roll back upload 3").wait_for(timeout=60_000)
    assert not page.get_by_role("checkbox", name="I understand; roll back upload 3").is_checked()
    assert page.get_by_role("button", name="Roll back").is_disabled()
    assert exceptions(page) == []
    print(f"clicks: {clicks.count}")
    assert clicks.count <= CLICKS_AT_MOST
