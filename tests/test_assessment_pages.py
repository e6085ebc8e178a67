"""The indicator assessment as users read it: the indicator page, the Method page and the overview, through AppTest on
the embedded data."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.rules.assessment import RULES

APP = Path(__file__).resolve().parents[1] / "app.py"
HEREFORDSHIRE = "herefordshire-council"


@pytest.fixture()
def app(seed_db, monkeypatch):
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
    return "\n".join([m.value for m in at.markdown] + [m.value for m in at.caption] + [h.value for h in at.header]
                     + [h.value for h in at.subheader] + [m.value for m in at.info])


def test_bvpi_157_has_a_measured_verdict_with_its_rule_in_words(app):
    _open(app, "views/indicators.py", org=HEREFORDSHIRE)
    app.text_input(key="find").input("BVPI 157").run()
    app.selectbox(key="indicator").set_value("BVPI 157").run()
    text = _text(app)
    assert "Verdict (measured against its target)" in text
    assert ":orange-badge[Amber]" in text and "05/06 actual 98.95% against the target of 100% by December 2005" in text
    assert "Rule applied: A target due by a date" in text
    assert "No target" not in text  # the chart shows the target for this period


def test_a_trajectory_is_labelled_as_one(app):
    _open(app, "views/indicators.py", org=HEREFORDSHIRE)
    app.text_input(key="find").input("NI 72").run()
    app.selectbox(key="indicator").set_value("NI 72").run()
    text = _text(app)
    assert "Verdict (trajectory to its next target (projection))" in text
    assert "Not on course (trajectory)" in text and "Red" not in text.split("Verdict", 1)[1].split("\n")[0]


def test_method_page_renders_every_rule_in_order(app):
    _open(app, "views/method.py")
    rules = app.table[0].value
    assert list(rules["Rule"]) == [rule.title for rule in RULES]
    assert list(rules["How"]) == [rule.words for rule in RULES]
    assert "Amber" in _text(app) and "(trajectory)" in _text(app)  # the worked examples, computed


@pytest.mark.parametrize("org, plan, expected", [
    (HEREFORDSHIRE, "hfd-cyp-directorate-plan-2009-11", {"Not on course (trajectory)", "Worse than comparator"}),
    ("hertfordshire-cc", "herts-qp-map3-2001-02", {"Red", "Not on course (trajectory)"}),
])
def test_overview_shows_what_needs_attention_with_verdicts_and_links(app, org, plan, expected):
    _open(app, "views/overview.py", org=org, plan=plan)
    assert "Needs attention" in [h.value for h in app.header]
    table = app.dataframe[0].value
    assert list(table.columns[:6]) == ["Kind", "Code", "Verdict", "Direction", "Since", "Detail"]
    assert expected <= {word for cell in table["Verdict"] for word in cell}
    assert table["Why"].str.len().gt(30).all()  # each row's verdict in words
    assert table["Detail"].str.match(r"^(indicators|rag)\?org=").all()
    first = table.iloc[0]
    assert f"indicator={first['Code'].replace(' ', '+')}" in first["Detail"] and f"plan={plan}" in first["Detail"]
    assert "Indicators:" in _text(app)  # the headline counts


def test_overview_lists_red_actions_with_since_and_why(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE, plan="hfd-ieg6-2006")
    table = app.dataframe[0].value
    actions = table[table["Kind"] == "Action"]
    assert len(actions) > 0 and actions["Since"].notna().all() and (actions["Why"].str.len() > 0).all()
    assert actions["Detail"].str.startswith("rag?org=herefordshire-council&plan=hfd-ieg6-2006").all()


def test_an_indicator_with_only_words_says_why_its_chart_is_empty(app):
    _open(app, "views/indicators.py", org=HEREFORDSHIRE)
    app.text_input(key="find").input("NI 85").run()
    app.selectbox(key="indicator").set_value("NI 85").run()
    assert not app.get("plotly_chart")
    assert any("nothing to draw. Every figure of this indicator is in words" in m.value for m in app.info)


def test_the_cold_link_opens_on_the_latest_childrens_services_plan_with_verdicts(app):
    # No query string at all: the first council, its newest children's services plan, the latest date with data.
    assert app.selectbox(key="org").value == HEREFORDSHIRE
    assert app.selectbox(key=f"plan:{HEREFORDSHIRE}").value == "hfd-cyp-directorate-plan-2009-11"
    text = _text(app)
    assert "Needs attention" in text and "Indicators: " in text
    assert app.get("plotly_chart")  # the indicators' chart draws: every verdict has its colour


def test_charts_with_nothing_to_draw_are_replaced_by_the_reason():
    import plotly.graph_objects as go

    from dashboard.charts.layout import has_data

    assert not has_data(go.Figure())
    assert not has_data(go.Figure(go.Scatter(x=["2008"], y=[None])))
    assert not has_data(go.Figure(go.Bar(y=["Area"], x=[0], orientation="h")))
    assert has_data(go.Figure(go.Bar(y=["Area"], x=[3], orientation="h")))
    assert has_data(go.Figure(go.Scatter(x=["2008"], y=[0.0])))
    import numpy as np

    assert has_data(go.Figure(go.Bar(y=["Area"], x=np.array([2], dtype="int64"), orientation="h")))


def test_method_page_lists_the_band_rule_with_a_worked_example(app):
    _open(app, "views/method.py")
    rules = app.table[0].value.set_index("Rule")
    assert "band D, the worst quarter, is worse" in rules.loc["Against comparators", "How"]
    assert "A published measure: :violet-badge[Worse than comparator]" in _text(app).replace("\\", "")
    assert "Band D, the worst quarter of 151 councils (higher is better): 55% for 2024/25; neighbours' mean 65.7%; " \
           "England 67%." in _text(app).replace("\\", "")
