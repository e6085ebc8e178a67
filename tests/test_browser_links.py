"""A link that never lies, in a real headless Chromium: a link copied before three uploads and a rollback reopens
with the notice in words and the choice between the current figures and the figures as they were."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from test_links import three_uploads_and_a_rollback

from browser_support import (  # noqa: F401 (fixture)
    ARTIFACTS,
    Server,
    browser,
    exceptions,
    require_browser,
    serious_accessibility_violations,
    wait_for_app,
)

pytestmark = pytest.mark.browser


def test_a_link_made_before_three_uploads_and_a_rollback_reopens_with_the_notice(browser, fixture_db, tmp_path):
    require_browser()
    server = Server(fixture_db, tmp_path / "streamlit.log")
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        tab.goto(f"{server.url}/rag")
        wait_for_app(tab)
        tab.wait_for_function("() => new URLSearchParams(location.search).get('v') === '1'")
        link = tab.url  # what the officer copies from the address bar
        assert "The data have changed" not in tab.locator('[data-testid="stMain"]').inner_text()

        three_uploads_and_a_rollback(fixture_db)

        colleague = browser.new_context(viewport={"width": 1280, "height": 800})
        other = colleague.new_page()
        other.goto(link)
        wait_for_app(other)
        assert exceptions(other) == []
        main = other.locator('[data-testid="stMain"]')
        assert "The data have changed since this link was made: 3 uploads, 1 rollback." in main.inner_text()
        current = other.get_by_role("radio", name="The current figures (data version 5)")
        then = other.get_by_role("radio", name="The figures as they were when the link was made (data version 1)")
        assert current.is_checked() and not then.is_checked()
        assert parse_qs(urlparse(other.url).query)["v"] == ["5"]

        other.get_by_text("The figures as they were when the link was made").click()
        wait_for_app(other)
        assert "These are the figures as of upload 1, rebuilt from the upload journal" in main.inner_text()
        other.wait_for_function("() => new URLSearchParams(location.search).get('v') === '1'")
        assert exceptions(other) == []
        serious = serious_accessibility_violations(other)  # the notice and its choice are accessible too
        assert serious == [], "\n".join(serious)
        ARTIFACTS.mkdir(exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "link_reopened_as_it_was.png"))
        colleague.close()
        context.close()
    finally:
        server.stop()
