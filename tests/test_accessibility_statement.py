"""The accessibility statement through AppTest: every section of the GOV.UK model, reachable from the navigation
and the foot of the sidebar on every page, by a visitor who is not signed in too, and naming the deployment's
contact where one is set."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.render import WORD_JOINER

APP = Path(__file__).resolve().parents[1] / "app.py"
SECTIONS = ["How accessible this dashboard is", "Content that is not accessible", "Feedback and contact information",
            "Enforcement procedure", "How we tested this dashboard", "Preparation of this accessibility statement"]


def _app(db: Path, monkeypatch, **env) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def test_the_statement_has_every_section_and_says_what_is_not_accessible(seed_db, monkeypatch):
    at = _app(seed_db, monkeypatch)
    at.switch_page("views/accessibility.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Accessibility statement"]
    assert [h.value for h in at.main.header] == SECTIONS
    text = "\n".join(m.value for m in at.markdown)
    assert "partially compliant" in text and "WCAG" in text
    # Known gaps stated with why, not hidden: canvas tables, charts as pictures, the PDF unchecked against PDF/UA.
    for gap in ("data grid on a canvas", "Charts are pictures", "not been checked against the PDF/UA standard"):
        assert gap in text, gap
    assert "Equality Advisory and Support Service" in text
    assert "390×844" in text and "prepared on" in text
    # No contact set: the statement says so and names the setting, rather than inventing an address.
    assert "DASHBOARD_ACCESSIBILITY_CONTACT" in text


def test_the_statement_names_the_councils_contact(seed_db, monkeypatch):
    at = _app(seed_db, monkeypatch, DASHBOARD_ACCESSIBILITY_CONTACT="access@fictional-borough.example")
    at.switch_page("views/accessibility.py").run()
    # The address is shown as written (a word joiner before '@' only stops Markdown making it a link).
    text = "\n".join(m.value for m in at.markdown).replace(WORD_JOINER, "").replace("\\", "")
    assert "access@fictional-borough.example" in text and "DASHBOARD_ACCESSIBILITY_CONTACT" not in text


@pytest.mark.parametrize("page", ["views/overview.py", "views/efficiency.py", "views/method.py"])
def test_every_page_links_to_the_statement_from_the_sidebar(seed_db, monkeypatch, page):
    at = _app(seed_db, monkeypatch)
    at.switch_page(page).run()
    assert not at.exception
    assert "Accessibility statement" in _links(at)


def test_a_visitor_who_must_sign_in_can_still_read_the_statement(seed_db, monkeypatch):
    at = _app(seed_db, monkeypatch, DASHBOARD_VIEWING="signed-in")
    assert [t.value for t in at.title] != ["Accessibility statement"]  # the sign-in page comes first
    at.switch_page("views/accessibility.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Accessibility statement"]
