"""Issue 5 in a real Chromium: a link opened in a new browser reopens the same widgets on every page and after
switching pages; meeting mode stepped through by keyboard at 1366×768, screenshotted and scanned for WCAG AA."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from browser_support import ARTIFACTS, browser, exceptions, serious_accessibility_violations, server, wait_for_app  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
HEREFORDSHIRE, IEG6 = "herefordshire-council", "hfd-ieg6-2006"


def _params(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def _rag_view(page) -> tuple:
    main = page.locator('[data-testid="stMain"]')
    return (page.get_by_role("combobox", name="Council").input_value(),
            page.get_by_role("combobox", name="From").input_value(),
            page.get_by_role("combobox", name="To").input_value(),
            [t for t in main.locator('[data-testid="stMultiSelect"]').filter(has_text="Status").inner_text()
             .split("\n")[1:] if t.strip()])


def _title_starts(page, text: str) -> None:
    page.wait_for_function("t => (document.querySelector('[data-testid=stMain] h1') || {}).innerText?.startsWith(t)",
                           arg=text, timeout=30_000)
    wait_for_app(page)


def test_a_link_keeps_its_view_across_pages_and_in_a_new_browser(browser, server):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(f"{server.url}/rag?org={HEREFORDSHIRE}&plan={IEG6}&status=red&from=2005-12-31&to=2006-03-31")
    wait_for_app(page)
    page.get_by_text("Filters and counting").click()
    view = _rag_view(page)
    assert view == ("Herefordshire Council", "31/12/2005", "31/03/2006", ["Red"])
    # Move to another page through the navigation, then back: the view comes along in the link.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Efficiency").click()
    page.wait_for_url("**/efficiency?*")
    wait_for_app(page)
    assert urlparse(page.url).path.endswith("/efficiency") and _params(page)["status"] == ["red"]
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("3,465", timeout=30_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("RAG by strategic area").click()
    page.wait_for_url("**/rag?*")
    wait_for_app(page)
    page.get_by_text("Filters and counting").click()
    assert _rag_view(page) == view
    shown_link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Link to this view").get_attribute(
        "href")
    assert shown_link.startswith(server.url + "/rag?org=herefordshire-council")
    assert exceptions(page) == []
    # A colleague opens the offered link in their own browser.
    other_context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = other_context.new_page()
    other.goto(shown_link.strip())
    wait_for_app(other)
    other.get_by_text("Filters and counting").click()
    assert _rag_view(other) == view
    other.screenshot(path=str(ARTIFACTS / "link-reopened-in-a-new-browser.png"))
    other_context.close()
    context.close()


def test_meeting_mode_steps_by_keyboard_at_1366x768(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{server.url}/meeting?org={HEREFORDSHIRE}&plan={IEG6}&as_at=2006-03-31")
    wait_for_app(page)
    page.get_by_role("button", name="Start presenting").click()
    _title_starts(page, "Area: Section 1")
    ARTIFACTS.mkdir(exist_ok=True)
    title = page.locator("h1").first
    assert title.inner_text().startswith("Area: Section 1")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # no clutter when presenting
    assert _params(page)["step"] == ["1"] and _params(page)["mode"] == ["present"]
    page.screenshot(path=str(ARTIFACTS / "meeting-1366x768-step-1.png"))
    serious = serious_accessibility_violations(page)
    assert serious == [], "\n".join(serious)
    page.keyboard.press("ArrowRight")
    _title_starts(page, "Area: Section 2")
    assert _params(page)["step"] == ["2"]
    page.screenshot(path=str(ARTIFACTS / "meeting-1366x768-step-2.png"))
    page.keyboard.press("ArrowRight")
    _title_starts(page, "Efficiency position")
    assert "3,465" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "meeting-1366x768-step-3.png"))
    page.keyboard.press("ArrowLeft")
    _title_starts(page, "Area: Section 2")
    assert exceptions(page) == []
    # The link reopens the meeting at the same item in another browser.
    other_context = browser.new_context(viewport={"width": 1366, "height": 768})
    other = other_context.new_page()
    other.goto(page.url)
    _title_starts(other, "Area: Section 2")
    other_context.close()
    context.close()
