"""The main journeys in a real headless Chromium: every page opens clean and accessible, links reopen the same view,
drill-down, comparison, indicator search and PNG download work on the embedded data."""
from __future__ import annotations

import io
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from browser_support import Server, browser, exceptions, page, serious_accessibility_violations, server, wait_for_app  # noqa: F401 (fixtures)
from dashboard.presenting.palette import background

pytestmark = pytest.mark.browser

HEREFORDSHIRE = "herefordshire-council"
IEG6 = "hfd-ieg6-2006"
PAGES = {"": "Overview", "rag": "RAG by strategic area", "indicators": "Indicator trends",
         "efficiency": "Efficiency gains", "method": "Method"}


def _open(page, server, path: str = "", **params) -> None:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    page.goto(f"{server.url}/{path}" + (f"?{query}" if query else ""))
    wait_for_app(page)


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox the way a user does: open it, click the option."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).first.click()
    wait_for_app(page)


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_opens_without_error_and_meets_wcag_aa(page, server, path):
    _open(page, server, path, org=HEREFORDSHIRE)
    assert exceptions(page) == []
    assert PAGES[path] in page.locator("h1").first.inner_text() or path == ""
    serious = serious_accessibility_violations(page)
    assert serious == [], "\n".join(serious)


def test_a_link_reopens_exactly_the_same_view(page, server):
    _open(page, server, "efficiency", org=HEREFORDSHIRE)
    assert "3,465" in page.locator('[data-testid="stMain"]').inner_text()
    url = page.url
    params = parse_qs(urlparse(url).query)
    assert params["org"] == [HEREFORDSHIRE] and params["as_at"]
    # A colleague opens the shared link in their own browser: same page, same council, same figures.
    colleague = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    other = colleague.new_page()
    other.goto(url)
    wait_for_app(other)
    assert urlparse(other.url).path.endswith("/efficiency")
    assert other.get_by_role("combobox", name="Council").input_value() == "Herefordshire Council"
    assert "3,465" in other.locator('[data-testid="stMain"]').inner_text()
    colleague.close()


def test_a_deep_link_is_the_first_thing_a_freshly_started_server_sees(browser, seed_db, tmp_path):
    """A hosted app wakes from sleep when someone follows a shared link (see docs/decisions.md, views/)."""
    fresh = Server(seed_db, tmp_path / "fresh.log")
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        _open(tab, fresh, "efficiency", org=HEREFORDSHIRE)
        assert exceptions(tab) == []
        assert tab.locator("h1").first.inner_text() == "Efficiency gains"
        assert "3,465" in tab.locator('[data-testid="stMain"]').inner_text()
        context.close()
    finally:
        fresh.stop()


def test_changing_the_council_updates_the_link(page, server):
    _open(page, server, "", org=HEREFORDSHIRE)
    _choose(page, "Council", "Hertfordshire County Council")
    page.wait_for_function("() => new URLSearchParams(location.search).get('org') === 'hertfordshire-cc'")
    assert "Hertfordshire County Council" in page.locator("h1").first.inner_text()


def _colours_drawn(table, statuses: tuple[str, ...], timeout: float = 10) -> set[str]:
    """Which of these statuses' colours a table has drawn (the grid draws on a canvas: read its pixels)."""
    wanted = {tuple(int(background(status)[i:i + 2], 16) for i in (1, 3, 5)): status for status in statuses}
    deadline = time.monotonic() + timeout
    while True:
        rgb = Image.open(io.BytesIO(table.screenshot())).convert("RGB").tobytes()
        pixels = set(zip(rgb[0::3], rgb[1::3], rgb[2::3]))
        drawn = {status for colour, status in wanted.items() if colour in pixels}
        if drawn == set(statuses) or time.monotonic() > deadline:
            return drawn
        time.sleep(0.5)


def test_rag_drill_down_and_two_date_comparison(page, server):
    _open(page, server, "rag", org=HEREFORDSHIRE, plan=IEG6)
    main = page.locator('[data-testid="stMain"]')
    assert exceptions(page) == []
    text = main.inner_text()
    # The IEG6 return's two status columns: four items moved up between them, none down (002 NOTES.md).
    assert page.get_by_role("combobox", name="From").input_value() == "31/12/2005"
    assert page.get_by_role("combobox", name="To").input_value() == "31/03/2006"
    assert "Moved up: 4" in text and "Moved down: 0" in text
    # Drill-down: choosing an area shows its items' table (Streamlit draws tables on a canvas, so AppTest checks
    # their contents; here we check the journey works in a real browser).
    # The page's own tables, not those of each chart's figures (in collapsed expanders).
    tables = main.locator('[data-testid="stDataFrame"]:not([data-testid="stExpander"] *)')
    tables_before = tables.count()
    # The first area's items (IEG6 return, document 002): each status word on its colour; R1 and G1 amber, R2 green.
    drill_down = tables.nth(1)
    drill_down.scroll_into_view_if_needed()
    assert _colours_drawn(drill_down, ("amber", "green")) == {"amber", "green"}
    areas = page.get_by_role("combobox", name="Area")
    # Scroll first: the list closes on a scroll, and the click's own scroll-into-view would close it again.
    areas.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    areas.click()
    options = page.get_by_role("option")
    assert options.count() >= 1
    options.last.click()
    wait_for_app(page)
    assert main.locator('[data-testid="stDataFrame"]').count() >= tables_before >= 1
    page.get_by_text("Filters and counting").click()
    page.get_by_text("Actions, tasks rolled up").click()
    wait_for_app(page)
    assert exceptions(page) == []


def test_indicator_search_shows_chart_polarity_and_rule(page, server):
    _open(page, server, "indicators", org=HEREFORDSHIRE)
    search = page.get_by_label("Find by code, name or area")
    search.fill("157")
    search.press("Enter")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert "BVPI 157" in page.get_by_role("combobox", name=re.compile("Indicator")).input_value() or \
        "BVPI 157" in main.inner_text()
    assert "Polarity:" in main.inner_text()
    assert page.locator(".js-plotly-plot").count() >= 1
    assert exceptions(page) == []


def test_chart_downloads_as_png(page, server):
    _open(page, server, "efficiency", org=HEREFORDSHIRE)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.hover()
    with page.expect_download(timeout=30_000) as download_info:
        chart.locator('[data-title="download plot as a png" i]').click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
