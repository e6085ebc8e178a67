"""Every page through Streamlit's AppTest on the embedded data: no exception, and the key figures present."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.presenting.palette import STATUS_LABELS, background
from dashboard.store.connection import connect

PAGES = ("views/overview.py", "views/rag_by_area.py", "views/indicators.py", "views/compare.py", "views/efficiency.py",
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
def test_every_page_renders_for_every_council(app, seed_db, page):
    con = connect(seed_db, read_only=True)
    organisations = [row[0] for row in con.execute("SELECT organisation_id FROM organisations").fetchall()]
    con.close()
    assert len(organisations) == 3
    for org in organisations:
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


def _table_with(app, column: str):
    """The first table on the page with this column (each chart is followed by a table of its figures too)."""
    return next(table.value for table in app.dataframe if column in table.value.columns)


def test_efficiency_search_filters_the_detail_lines(app):
    _open(app, "views/efficiency.py", org=HEREFORDSHIRE)
    app.text_input(key="efficiency_search").input("school transport").run()
    lines = _table_with(app, "Stage")
    assert len(lines) == 1 and "school transport" in lines.iloc[0]["Description"]


def test_overview_shows_efficiency_and_refresh(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Gains identified (£000)"] == "3,465"
    assert "Last loaded" in _text(app) or any("Last loaded" in m.value for m in app.markdown)


def test_method_page_renders_the_rule_from_code(app):
    _open(app, "views/method.py")
    assert "Amber: 3.1 points below target, tolerance 5%, higher is better." in _text(app)


def test_method_page_quotes_a_cited_line(app):
    _open(app, "views/method.py")
    app.selectbox(key="source_doc").set_value("002").run()
    app.number_input(key="source_line").set_value(313).run()
    quoted = app.main.code[-1].value  # the sidebar has a code block too: the link to this view
    assert "313:" in quoted and "3,465" in quoted


IEG6 = "hfd-ieg6-2006"


def test_rag_page_compares_the_two_ieg6_status_reports(app):
    _open(app, "views/rag_by_area.py", org=HEREFORDSHIRE, plan=IEG6)
    assert app.selectbox(key="compare_from").value.strftime("%d/%m/%Y") == "31/12/2005"
    assert app.selectbox(key="compare_to").value.strftime("%d/%m/%Y") == "31/03/2006"
    moved = {h.value for h in app.subheader}
    assert "Moved up: 4" in moved and "Moved down: 0" in moved  # R4, G2, G6 and CM8 improved (002 NOTES.md)
    up = app.dataframe[-1].value
    assert set(up["Item"]) == {"R4", "G2", "G6", "CM8"}


def test_rag_page_drills_down_to_an_area_with_sources(app):
    _open(app, "views/rag_by_area.py", org=HEREFORDSHIRE, plan=IEG6)
    area = app.selectbox(key="area")
    area.set_value(area.options[0]).run()
    items = _table_with(app, "Lead")
    assert {"Lead", "Due", "Status", "Since", "Days at status", "Progress reported", "Reading flag",
            "Source"} <= set(items.columns)
    assert items["Source"].str.match(r"document 002, line \d+").all()
    assert items["Lead"].isna().any()  # the return names no lead officer: shown blank, as the document has it
    assert all(table.proto.HasField("placeholder") and table.proto.placeholder == "" for table in app.dataframe)


def test_rag_page_filters_by_status(app):
    _open(app, "views/rag_by_area.py", org=HEREFORDSHIRE, plan=IEG6)
    app.multiselect(key="statuses").set_value(["red"]).run()
    assert not app.exception
    area = app.selectbox(key="area")
    area.set_value(area.options[0]).run()
    statuses = _table_with(app, "Days at status")["Status"]
    assert [list(cell) for cell in statuses] == [["Red"]] * len(statuses)  # one word per row, shown on its colour


def test_overview_says_what_is_red_since_when_and_why(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE, plan=IEG6)
    # One bulleted list, an item per red action (a list, for screen readers).
    red = [line for m in app.markdown if m.value.startswith("- :red-badge[Red]") for line in m.value.split("\n")]
    assert red and all(line.startswith("- :red-badge[Red] **") for line in red)
    assert any("**G16**" in line and "since 01/11/2004" in line and "Why:" in line for line in red)
    assert f"Red now ({len(red)})" in [h.value for h in app.subheader]
    # The first five listed, the rest folded away so the efficiency position is not screens below on a phone.
    assert len(red) == 18
    assert [e.label for e in app.expander if e.label.startswith("The other")] == ["The other 13 red items"]


def test_overview_says_so_when_nothing_is_red(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE, plan="hfd-jar-improvement-plan-2006")  # no red item
    assert "Red now (0)" in [h.value for h in app.subheader]
    assert "No action or item is red at this date." in [m.value for m in app.markdown]
    assert not any(m.value.startswith("- :red-badge[Red]") for m in app.markdown)


def test_a_council_opens_on_its_most_recent_childrens_services_plan(app):
    _open(app, "views/overview.py", org=HEREFORDSHIRE)  # no plan chosen: the default
    # Issue 20: the 2009-11 directorate plan, not the 2006 e-government return (which has more statuses).
    assert app.selectbox(key=f"plan:{HEREFORDSHIRE}").value == "hfd-cyp-directorate-plan-2009-11"
    assert app.date_input(key="as_at:hfd-cyp-directorate-plan-2009-11").value.isoformat() == "2009-04-01"


def test_status_tables_show_the_word_on_the_palette_colour(app):
    _open(app, "views/indicators.py", org=HEREFORDSHIRE)
    table = app.dataframe[-1]
    words = {word for cell in table.value["Verdict"] for word in cell}
    assert {"No target", "Not assessed"} <= words  # Herefordshire's local survey indicators
    assert {"Amber", "On course (trajectory)", "Not on course (trajectory)"} <= words
    options = json.loads(table.proto.columns)["Verdict"]["type_config"]["options"]
    assert {option["value"]: option["color"] for option in options} == {
        STATUS_LABELS[status]: background(status) for status in STATUS_LABELS}


def test_indicator_figures_carry_their_marks_and_the_area_table_its_trends(app):
    _open(app, "views/indicators.py", org="hertfordshire-cc")
    app.text_input(key="find").input("LOCAL HCC-LAC-FOSTER").run()
    figures = _table_with(app, "Marks")
    assert (figures["Marks"] == "revised").sum() == 2  # the two figures the source marks as revised
    assert set(figures["Marks"]) <= {"", "revised"}
    trends = [cell for cell in app.dataframe[-1].value["Trend"] if cell is not None]  # None: no actual at all
    assert all(isinstance(value, float) for cell in trends for value in cell) and any(len(cell) > 1 for cell in trends)


def test_indicator_search_finds_bvpi_157_and_states_polarity(app):
    _open(app, "views/indicators.py", org=HEREFORDSHIRE)
    app.text_input(key="find").input("BVPI 157").run()
    assert app.selectbox(key="indicator").value == "BVPI 157"
    text = _text(app)
    assert "**Polarity:** higher is better." in text
    assert "Improving" in text
