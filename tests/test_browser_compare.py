"""How we compare in a real headless Chromium, on the seed data with a subset of the real LAIT file: Herefordshire's
2024 percentage of looked-after children in foster care (71) beside England's figure and its neighbours' mean, at a
meeting screen's size and a phone's."""
from __future__ import annotations

import re

import pytest
from compare_support import needs_shared, published_subset_db

from browser_support import ARTIFACTS, Server, browser, exceptions, serious_accessibility_violations, wait_for_app  # noqa: F401 (fixtures)
from dashboard.store.connection import connect

pytestmark = [pytest.mark.browser, needs_shared]
HEREFORDSHIRE = "herefordshire-council"


@pytest.fixture(scope="module")
def subset_server(tmp_path_factory):
    from browser_support import require_browser

    require_browser()
    folder = tmp_path_factory.mktemp("compare-browser")
    db = published_subset_db(folder)
    running = Server(db, folder / "streamlit.log", timeout=120)
    yield running, db
    running.stop()


def _grid_rows(scope) -> list[list[str]]:
    """The cells of a Streamlit table, read from the grid's accessible table (the grid itself draws on a canvas)."""
    rows = scope.locator('table[role="grid"] tr')
    return [[cell.text_content() for cell in row.locator("td, th").all()] for row in rows.all()]


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_herefordshire_foster_care_2024_beside_england_and_neighbours(browser, subset_server, width, height):
    server, db = subset_server
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/compare?org={HEREFORDSHIRE}")
        wait_for_app(page, 120_000)
        main = page.locator('[data-testid="stMain"]')
        assert page.locator("h1").first.inner_text() == "How we compare"
        assert "Contains public sector information licensed under the Open Government Licence v3.0" in \
            main.inner_text()
        assert "Local Authority Interactive Tool (LAIT), updated" in main.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"how-we-compare-top-{width}x{height}.png"))
        measure = page.get_by_role("combobox", name=re.compile("^Measure"))
        measure.click()
        page.keyboard.type("foster")
        page.get_by_role("option", name=re.compile("in foster care")).first.click()
        wait_for_app(page)
        page.get_by_text("The figures over time").click()
        wait_for_app(page)
        rows = _grid_rows(page.locator('[data-testid="stExpander"]').filter(has_text="The figures over time").first)
        header = rows[0]
        year = next(row for row in rows if row[0] == "2024")
        figures = dict(zip(header, year))
        con = connect(db, read_only=True)
        england, neighbours = con.execute(
            "SELECT england, statistical_neighbours FROM v_benchmarks WHERE organisation_id = ? "
            "AND indicator_code = 'LAC_Foster_Placements' AND period = '2024'", [HEREFORDSHIRE]).fetchall()[0]
        con.close()
        assert figures["Herefordshire Council"] == "71"
        assert float(figures["England"]) == england
        # On a phone the grid draws (and lists) only the columns on screen; the rest scroll in.
        if width > 1000 or "Neighbours' mean" in figures:
            assert float(figures["Neighbours' mean"]) == round(neighbours, 2)
        assert page.locator(".js-plotly-plot").count() == 2
        page.locator('[data-testid="stPlotlyChart"]').nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"how-we-compare-spread-{width}x{height}.png"))
        # One click: the measures in the worst quarter and worse than before, in words.
        page.get_by_text("Bottom quartile and worsening", exact=True).click()
        wait_for_app(page)
        assert "band D (worst quarter)" in main.inner_text() and "worsening from" in main.inner_text()
        assert exceptions(page) == []
        if width > 1000:
            serious = serious_accessibility_violations(page)
            assert serious == [], "\n".join(serious)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"how-we-compare-{width}x{height}.png"), full_page=True)
        context.close()
