"""Links that never lie: the version arithmetic (uploads and rollbacks since a link's version), the figures as they
were rebuilt from the upload journal, and the pages that say so (AppTest on the fictional council); a filtered RAG
view says what it is filtered by above the figures."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.loading import refresh
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading import action_filters
from dashboard.reading.data_version import since
from dashboard.reading.indicator_status import assess
from dashboard.store import queries
from dashboard.store.as_of import connect_as_of
from dashboard.store.connection import connect

APP = Path(__file__).resolve().parents[1] / "app.py"
PLAN = "nowhere-plan"
ON = date(2010, 6, 30)


def _load(upload_id: int, kind: str = "actions", rolls_back=None, rolled_back_by=None) -> dict:
    return {"upload_id": upload_id, "kind": kind, "rolls_back": rolls_back, "rolled_back_by": rolled_back_by}


# --- The version arithmetic, pure ---------------------------------------------------------------------------------

THREE_AND_A_ROLLBACK = [_load(1, "seed"), _load(2), _load(3, "indicators"), _load(4, rolled_back_by=5),
                        _load(5, "rollback", rolls_back=4)]


def test_three_uploads_and_a_rollback_since_the_link():
    seen = since(THREE_AND_A_ROLLBACK, 1)
    assert (seen.uploads, seen.rollbacks, seen.undone, seen.latest) == ((2, 3, 4), (5,), (), 5)
    assert seen.words() == "The data have changed since this link was made: 3 uploads, 1 rollback."
    assert seen.changed and seen.reconstructable


def test_counts_only_what_came_after_the_link_in_the_singular_when_one():
    seen = since(THREE_AND_A_ROLLBACK, 3)
    assert seen.words() == "The data have changed since this link was made: 1 upload, 1 rollback."
    assert since(THREE_AND_A_ROLLBACK, 4).words() == "The data have changed since this link was made: 1 rollback."
    assert since(THREE_AND_A_ROLLBACK[:3], 2).words() == "The data have changed since this link was made: 1 upload."


def test_a_current_link_has_nothing_to_say():
    seen = since(THREE_AND_A_ROLLBACK, 5)
    assert not seen.changed and not seen.reconstructable and seen.words() == ""


def test_a_rollback_of_an_upload_the_link_included_cannot_be_rebuilt():
    # Made at version 4, while upload 4 was in force; rollback 5 deleted upload 4's rows without a copy.
    seen = since(THREE_AND_A_ROLLBACK, 4)
    assert seen.undone == (4,) and seen.changed and not seen.reconstructable
    assert seen.why_not_as_they_were() == (
        "The figures as they were cannot be rebuilt: upload 4, which this link's figures included, was rolled back "
        "since, and a rollback keeps no copy of the rows it removes.")


def test_an_upload_already_rolled_back_when_the_link_was_made_does_not_count():
    history = THREE_AND_A_ROLLBACK + [_load(6)]
    seen = since(history, 5)
    assert seen.undone == () and seen.uploads == (6,) and seen.reconstructable


def test_a_version_the_database_never_had_says_the_data_were_rebuilt():
    seen = since(THREE_AND_A_ROLLBACK, 17)
    assert seen.unknown and seen.changed and not seen.reconstructable
    assert all(since(THREE_AND_A_ROLLBACK, v).unknown for v in (0, -1))
    assert seen.words().startswith("This link was made on data version 17, which this dashboard does not hold")


def test_missing_rollback_ids_as_pandas_gives_them():
    history = pd.DataFrame(THREE_AND_A_ROLLBACK).astype({"rolls_back": "Int64", "rolled_back_by": "Int64"})
    for version in range(1, 6):
        assert since(history.to_dict("records"), version) == since(THREE_AND_A_ROLLBACK, version)


# --- The filters in words, pure -----------------------------------------------------------------------------------

def test_filters_in_words():
    assert action_filters.describe([], [], False, False, STATUS_LABELS, 4, 4) == ""
    assert action_filters.describe(["A. Officer"], ["red", "amber"], True, True, STATUS_LABELS, 0, 4) == (
        "Filtered by lead officer A. Officer; status Red or Amber; only overdue items; only items past their "
        "date: showing 0 of 4 items.")


# --- The figures as they were, from the journal -------------------------------------------------------------------

def _commit(db: Path, kind: str, text: str) -> int:
    preview = refresh.stage(db, kind, f"{kind}.csv", text.encode(), "tester")
    assert not preview.errors, [str(p) for p in preview.errors]
    return refresh.commit(preview, db)


def _figures(con) -> dict:
    return {"actions": queries.actions_at(con, PLAN, ON)[["code", "status", "commentary"]].values.tolist(),
            "ni65": queries.indicator_series(con, "NI 65", "nowhere-borough")[["period_text", "measure",
                                                                                "value_num"]].values.tolist(),
            "dates": queries.status_dates(con, PLAN),
            "assessed": assess(queries.indicator_positions(con, "nowhere-borough", PLAN))[
                ["indicator_code", "rag", "rag_explanation"]].values.tolist()}


def _now(db: Path) -> dict:
    con = connect(db, read_only=True)
    try:
        return _figures(con)
    finally:
        con.close()


def three_uploads_and_a_rollback(db: Path) -> None:
    """Upload 2 a status, 3 an indicator value, 4 another status, then roll 4 back (recorded as 5)."""
    assert _commit(db, "actions",
                   f"plan_id,code,status,as_at,commentary\n{PLAN},2.1,Green,30/06/2010,Owner found\n") == 2
    assert _commit(db, "indicators", "indicator_code,organisation,period,measure,value\n"
                                     "NI 65,nowhere-borough,2009/10,actual,15%\n") == 3
    assert _commit(db, "actions", f"plan_id,code,status,as_at\n{PLAN},1.1.1,Red,30/06/2010\n") == 4
    assert refresh.roll_back(db, 4, "tester") == 5


def test_the_journal_rebuilds_every_version_the_link_could_carry(fixture_db):
    then = {1: _now(fixture_db)}
    _commit(fixture_db, "actions", f"plan_id,code,status,as_at,commentary\n{PLAN},2.1,Green,30/06/2010,Owner found\n")
    then[2] = _now(fixture_db)
    _commit(fixture_db, "indicators", "indicator_code,organisation,period,measure,value\n"
                                      "NI 65,nowhere-borough,2009/10,actual,15%\n")
    then[3] = _now(fixture_db)
    _commit(fixture_db, "actions", f"plan_id,code,status,as_at\n{PLAN},1.1.1,Red,30/06/2010\n")
    refresh.roll_back(fixture_db, 4, "tester")
    assert then[1] != then[2] != then[3]  # each upload changed what a page shows
    for version, figures in then.items():
        con = connect_as_of(fixture_db, version)
        try:
            assert _figures(con) == figures, version
            assert con.execute("SELECT max(upload_id) FROM v_uploads").fetchall() == [(version,)]
            with pytest.raises(duckdb.CatalogException):  # not rebuilt, so not shown as it is now either
                con.execute("SELECT * FROM v_indicator_assessment")
        finally:
            con.close()
    assert _now(fixture_db) == then[3]  # the rollback of 4 put back version 3's figures


# --- The pages --------------------------------------------------------------------------------------------------

def _drill_down(at: AppTest) -> dict:
    table = next(d.value for d in at.dataframe if {"Code", "Status", "Action"} <= set(d.value.columns))
    return dict(zip(table["Code"], table["Status"]))


def test_an_old_link_says_the_data_changed_and_offers_both_figures(fixture_db, monkeypatch):
    three_uploads_and_a_rollback(fixture_db)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"org": "nowhere-borough", "plan": PLAN, "as_at": "2010-06-30", "area": "Learning",
                            "v": "1"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == ["The data have changed since this link was made: 3 uploads, 1 rollback."]
    kinds = _kinds(at)
    assert kinds.index("warning") < kinds.index("radio") < kinds.index("title")  # at the top, before the page
    choice = at.radio(key="data_version_choice")
    assert choice.options == ["The current figures (data version 5)",
                              "The figures as they were when the link was made (data version 1)"]
    assert choice.value == "current"
    assert at.query_params["v"] == "5"  # the link now offered is to the figures on screen
    overview_now = [m.value for m in at.markdown]
    assert not any("as of upload" in i.value for i in at.info)

    choice.set_value("then")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(i.value for i in at.info).startswith("These are the figures as of upload 1, rebuilt from the upload "
                                                    "journal: not the current ones.")
    assert at.query_params["v"] == "1"
    # Action 2.1 was Red at version 1; upload 2 made it Green. The overview's red list says so.
    red_now = "No action or item is red at this date."
    assert red_now in overview_now and red_now not in [m.value for m in at.markdown]
    board_pack = "The board pack is made from the current figures, not the figures as they were shown above."
    assert board_pack in [c.value for c in at.caption]

    # The choice holds on the other pages: the RAG drill-down shows 2.1 as it was, under the same banner.
    at.switch_page("views/rag_by_area.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.info[0].value.startswith("These are the figures as of upload 1")
    assert _drill_down(at)["2.1"] == "Red"
    # A page without the choice (officer sign-in) works on the current data; back on a viewer page, the choice held.
    at.switch_page("views/sign_in.py")
    at.run()
    assert not at.radio and at.query_params["v"] == "5"
    at.switch_page("views/rag_by_area.py")
    at.run()
    assert at.info[0].value.startswith("These are the figures as of upload 1")
    assert _drill_down(at)["2.1"] == "Red" and at.query_params["v"] == "1"
    at.radio(key="data_version_choice").set_value("current")
    at.run()
    assert _drill_down(at)["2.1"] == "Green"
    assert at.query_params["v"] == "5"


def test_a_link_made_while_a_later_rolled_back_upload_was_in_force_says_why_only_current(fixture_db, monkeypatch):
    three_uploads_and_a_rollback(fixture_db)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["v"] = "4"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["The data have changed since this link was made: 1 rollback."]
    assert not at.radio  # no choice to offer: only the current figures are shown
    assert any(c.value.startswith("The figures as they were cannot be rebuilt: upload 4") for c in at.caption)


def test_a_current_link_and_a_link_without_a_version_show_no_notice(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    for params in ({"v": "1"}, {}):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params.update(params)
        at.run()
        assert not at.exception and not at.warning and not at.radio
        assert at.query_params["v"] == "1"  # every link carries its version from now on


def _kinds(at: AppTest) -> list[str]:
    """The type of every element of the main area, in the order drawn."""
    out = []

    def walk(node):
        out.append(getattr(node, "type", None))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at.main)
    return out


def _texts_in_order(at: AppTest) -> list[str]:
    """The main area's notices, charts and tables in the order they are drawn."""
    out = []

    def walk(node):
        kind = getattr(node, "type", None)
        if kind == "info":
            out.append(f"Info:{node.value}")
        elif kind in ("plotly_chart", "dataframe"):
            out.append(kind)
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at.main)
    return out


def test_a_filtered_rag_view_says_what_it_is_filtered_by_above_the_figures(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("views/rag_by_area.py")
    at.run()
    assert not [i for i in at.info if i.value.startswith("Filtered by")]  # no filter, no notice
    at.multiselect(key="statuses").set_value(["red"])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notice = [i.value for i in at.info if i.value.startswith("Filtered by")]
    assert notice == ["Filtered by status Red: showing 1 of 2 items. Change them in the box above."]
    order = _texts_in_order(at)
    # The notice comes before the chart and the status table with its 'Green or better' share.
    assert order[:2] == [f"Info:{notice[0]}", "plotly_chart"], order
    shares = next(d.value for d in at.dataframe if "Green or better" in d.value.columns)
    assert shares["Green or better"].tolist() == ["0% of 1"]  # the share the notice stands above
    at.checkbox(key="overdue").check()
    at.run()
    assert [i.value for i in at.info if i.value.startswith("Filtered by")] == [
        "Filtered by status Red; only overdue items: showing 0 of 2 items. Change them in the box above."]


def test_a_searched_efficiency_list_says_what_it_was_searched_for(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["search"] = "taxis"
    at.run()
    at.switch_page("views/efficiency.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 line(s) containing 'taxis'; £000." in [c.value for c in at.caption]
    at.text_input(key="efficiency_search").input("").run()
    assert "2 line(s); £000." in [c.value for c in at.caption]


VIEWER_PAGES = ("overview", "rag_by_area", "indicators", "compare", "efficiency", "method", "meeting")


def test_every_viewer_page_opens_as_it_was_under_the_banner(fixture_db, monkeypatch):
    three_uploads_and_a_rollback(fixture_db)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["v"] = "2"
    at.run()
    assert [w.value for w in at.warning] == ["The data have changed since this link was made: 2 uploads, 1 rollback."]
    at.radio(key="data_version_choice").set_value("then").run()
    for name in VIEWER_PAGES:
        at.switch_page(f"views/{name}.py")
        at.run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert at.info[0].value.startswith("These are the figures as of upload 2, rebuilt from the upload journal"), \
            name
        assert at.query_params["v"] == "2", name
