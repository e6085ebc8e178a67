"""Every page through Streamlit's AppTest on the embedded data: no exception, and the key figures present."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES = ("views/overview.py", "views/rag_by_area.py", "views/indicators.py", "views/efficiency.py",
         "views/method.py")
HEREFORDSHIRE = "herefordshire-council"
APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture()
def app(seed_db, monkeypatch):
    """The real app on the embedded data."""
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _open(at: AppTest, page: str, org: str | None = None, plan: str | None = None) -> AppTest:
    at.switch_page(page)
    at.run()
    if org:
        at.selectbox(key="org").set_value(org)
        at.run()
    if plan:
        at.selectbox(key=f"plan:{at.selectbox(key='org').value}").set_value(plan)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [h.value for h in at.header]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [h.value for h in at.subheader]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_council(app, page):
    for org in app.selectbox(key="org").options:
        _open(app, page, org=org)
        assert app.title, f"{page} has no title for {org}"


def test_efficiency_page_shows_the_2006_07_statement(app):
    _open(app, "views/efficiency.py", org=HEREFORDSHIRE)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Gains (£000)"] == "3,465"
    assert metrics["Cashable (£000)"] == "1,774"
    assert metrics["Non-cashable (£000)"] == "1,691"
    text = _text(app)
    assert "cumulative position is £6,633k" in text
    assert "a surplus of £14k" in text
    assert "meets the rule that at least 50% must be cashable" in text


def test_efficiency_search_filters_the_detail_lines(app):
    _open(app, "views/efficiency.py", org=HEREFORDSHIRE)
    app.text_input(key="efficiency_search").input("school transport").run()
    lines = app.dataframe[-1].value
    assert len(lines) == 1 and "school transport" in lines.iloc[0]["Description"]


def test_overview_shows_efficiency_and_refresh(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Gains identified (£000)"] == "3,465"
    assert "Last loaded" in _text(app) or any("Last loaded" in m.value for m in app.markdown)


def test_method_page_renders_the_rule_from_code(app):
    _open(app, "views/method.py")
    assert "Amber: 3.1 points below target, tolerance 5%, higher is better." in _text(app)
