"""Draft, then approve, in a real headless Chromium: an officer uploads a refresh, which lands as a draft a viewer
does not see; a second officer (an approver) signed in from another browser sees it on Drafts to approve with its
preview, approves it with a comment, and the viewer then sees the figure."""
from __future__ import annotations

import pytest

from browser_support import (  # noqa: F401 (fixtures)
    browser,
    exceptions,
    main_text,
    officers_server,
    serious_accessibility_violations,
    sign_in,
    wait_for_app,
)
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from dashboard.trust import audit
from upload_support import data_checksums

pytestmark = pytest.mark.browser

REFRESH = ("Indicator Code,Organisation,Period,Measure,Value\n"
           "NI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"
           "NI 65,nowhere-borough,2009/10,actual,12%\n")
ACCESS = """
[access.people]
"jo.officer" = { role = "officer", organisations = ["nowhere-borough"], kinds = ["indicators"] }
"sam.approver" = { role = "approver", organisations = ["nowhere-borough"] }
"""


@pytest.fixture(scope="module")
def approval_server(tmp_path_factory, browser):
    """The fictional council with an officer and an approver declared in `[access]` (so approval is on)."""
    folder = tmp_path_factory.mktemp("approve")
    running = officers_server(folder, build(folder / "dashboard.duckdb", FIXTURE_SEED),
                              ("jo.officer", "sam.approver"), ACCESS)
    yield running
    running.stop()


def _signed_in(browser, server, name: str):
    tab = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    sign_in(tab, server, name)
    return tab


def _nav(tab, title: str) -> None:
    tab.locator('[data-testid="stSidebarNav"]').get_by_text(title).click()
    wait_for_app(tab)


def test_an_officers_upload_is_a_draft_until_a_second_officer_approves_it(browser, approval_server):
    before = data_checksums(approval_server.db_path)
    officer = _signed_in(browser, approval_server, "jo.officer")
    _nav(officer, "Upload data")
    assert "Approval is on here" in main_text(officer)
    assert officer.get_by_text("Efficiency lines", exact=True).count() == 0  # outside jo's kinds
    source = approval_server.db_path.parent / "q1.csv"
    source.write_text(REFRESH, encoding="utf-8")
    officer.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
    officer.get_by_text("What this upload changes").wait_for(timeout=60_000)
    wait_for_app(officer)
    officer.get_by_role("button", name="Confirm and send for approval").click()
    officer.get_by_text("Saved as draft 1.").wait_for(timeout=60_000)
    assert data_checksums(approval_server.db_path) == before

    viewer = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    viewer.goto(approval_server.url)
    wait_for_app(viewer)
    assert "from q1.csv" not in main_text(viewer)
    assert viewer.locator('[data-testid="stSidebarNav"]').get_by_text("Drafts to approve").count() == 0

    approver = _signed_in(browser, approval_server, "sam.approver")
    _nav(approver, "Drafts to approve")
    approver.get_by_text("Draft 1: what it changes now").wait_for(timeout=60_000)
    wait_for_app(approver)
    text = main_text(approver)
    assert "q1.csv: 1 row(s) to add, 1 to change, 0 to remove (0 unchanged)." in text
    assert exceptions(approver) == []
    assert serious_accessibility_violations(approver) == []
    approver.get_by_label("Comment (kept with the decision)").fill("Matches the quarter's return")
    approver.get_by_label("Comment (kept with the decision)").press("Control+Enter")
    wait_for_app(approver)
    approver.get_by_role("button", name="Approve and publish").click()
    approver.get_by_text("Draft 1 approved and published as upload 2.").wait_for(timeout=60_000)
    assert data_checksums(approval_server.db_path) != before

    viewer.reload()
    wait_for_app(viewer)
    assert "from q1.csv" in main_text(viewer)  # published: the viewer sees the figure
    trail = audit.events(approval_server.db_path, actions=("draft", "approve"))
    assert trail[["actor", "action"]].values.tolist() == [["sam.approver", "approve"], ["jo.officer", "draft"]]
    for tab in (officer, viewer, approver):
        tab.context.close()
