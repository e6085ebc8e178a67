"""Reading mistakes of issue 20, one class per test: start dates, typo and impossible dates, signs and blanks,
dated targets, findings loaded as actions, the efficiency categories, past-date items with no status, conflicts."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_pages import APP, _open

from dashboard.charts.efficiency import gains_bars
from dashboard.loading.build import SEED_DIR, build
from dashboard.loading.provenance import check_folder
from dashboard.loading.seed import DOCUMENTS_DIR
from dashboard.parsing.dues import Due, parse_due
from dashboard.reading import efficiency_position, reading_flags
from dashboard.store import queries
from dashboard.store.connection import connect
from dashboard.ui import render

JAR, IEG6 = "hfd-jar-improvement-plan-2006", "hfd-ieg6-2006"
HERTS_CYPP = "herts-cypp-2009-11-action-plans"


@pytest.fixture(scope="module")
def con(seed_db):
    connection = connect(seed_db, read_only=True)
    yield connection
    connection.close()


# --- 1. A due written "From ..." is a start, not a deadline ---------------------------------------------------------

@pytest.mark.parametrize("written, start", [
    ("From April 2009", date(2009, 4, 1)), ("From Sept 2008", date(2008, 9, 1)), ("From 15 Mar 06", date(2006, 3, 15)),
    ("From 6/09", date(2009, 6, 1)), ("From 2009", date(2009, 1, 1)), ("Commencing Jan 06", date(2006, 1, 1)),
    ("April 2009 onwards", date(2009, 4, 1)),
])
def test_a_due_written_from_a_date_is_a_start(written, start):
    assert parse_due(written) == Due("start", start)


def test_a_recurring_or_ongoing_due_that_starts_from_a_date_keeps_its_kind():
    assert parse_due("From Apr 06 - no less than bi monthly (to be reviewed Dec 06)").kind == "recurring"
    assert parse_due("Ongoing From April 2009").kind == "ongoing"
    assert parse_due("By April 2009").kind == "date"


def test_no_item_due_from_a_date_is_ever_overdue_in_the_embedded_plans(con):
    plans = [row[0] for row in con.execute("SELECT plan_id FROM plans").fetchall()]
    started = 0
    for plan in plans:
        actions = queries.actions_at(con, plan, date(2012, 1, 1))  # after every plan has ended
        from_dues = actions[actions["due_text"].fillna("").str.match(r"(?i)\s*from\b")]
        started += int((from_dues["due_kind"] == "start").sum())
        assert from_dues["due_position"].isna().all(), from_dues[["code", "due_text", "due_position"]]
    assert started == 17  # 003: 10, 004: 5, 002: 2 (the others are 'ongoing' or 'recurring')


def test_hertfordshire_cypp_on_1_july_2009_has_no_start_date_overdue(con):
    actions = queries.actions_at(con, HERTS_CYPP, date(2009, 7, 1))
    # Before: 15 'overdue', 8 of them start dates. After: the 7 deadlines that passed, none with a status reported.
    assert int(actions["overdue"].sum()) == 0
    past = actions[actions["due_position"] == "past_date_no_status"]
    assert sorted(past["code"]) == ["1.1a", "1.5a", "13.1c-M1", "4.4-M1", "6.2-M1", "6.2-M2", "9.2"]


# --- 7. Past its date with no status reported is not 'overdue' ------------------------------------------------------

def _with_items(fixture_seed_copy, tmp_path, actions: str, statuses: str):
    folder = fixture_seed_copy / "900"
    with (folder / "actions.csv").open("a", encoding="utf-8") as handle:
        handle.write(actions)
    with (folder / "statuses.csv").open("a", encoding="utf-8") as handle:
        handle.write(statuses)
    return build(tmp_path / "items.duckdb", fixture_seed_copy)


def test_overdue_needs_a_passed_deadline_and_a_reported_status(fixture_seed_copy, tmp_path):
    db = _with_items(fixture_seed_copy, tmp_path,
                     "nowhere-plan,3.1,,2,action,Open the hub,C. Officer,,From April 2009,11\n"
                     "nowhere-plan,3.2,,2,action,Train the staff,C. Officer,,June 2009,12\n"
                     "nowhere-plan,3.3,,2,action,Write the guide,C. Officer,,June 2009,13\n"
                     "nowhere-plan,3.4,,2,action,Close the old office,C. Officer,,June 2009,14\n",
                     "nowhere-plan,3.1,Red,01/05/2009,30/09/2009,Not started,11\n"
                     "nowhere-plan,3.3,Amber,01/05/2009,30/09/2009,Behind,13\n"
                     "nowhere-plan,3.4,Complete,01/06/2009,30/09/2009,,14\n")
    con = connect(db, read_only=True)
    try:
        items = queries.actions_at(con, "nowhere-plan", date(2009, 10, 1)).set_index("code")
    finally:
        con.close()
    assert items.loc["3.1", "due_kind"] == "start" and not items.loc["3.1", "overdue"]
    assert items.loc["3.2", "due_position"] == "past_date_no_status" and not items.loc["3.2", "overdue"]
    assert items.loc["3.3", "due_position"] == "overdue" and items.loc["3.3", "overdue"]
    assert pd.isna(items.loc["3.4", "due_position"]) and not items.loc["3.4", "overdue"]


def test_the_jar_plan_at_31_march_2006_is_past_its_dates_not_overdue(con):
    actions = queries.actions_at(con, JAR, date(2006, 3, 31))
    past = actions[actions["due_position"] == "past_date_no_status"]
    # Before: 43 'overdue', 41 of them with progress text. JAR-3.8 'From 15 Mar 06' is a start: 42 left.
    assert int(actions["overdue"].sum()) == 0 and len(past) == 42
    assert int(past["commentary"].notna().sum()) == 41
    assert past.set_index("code").loc["JAR-1.1", "commentary"] == "Discussion paper prepared Dec 05."


# --- 2. Typo and impossible dates: flagged with both readings, never a negative day count --------------------------

def test_days_at_status_are_never_negative_and_a_status_dated_after_its_report_is_flagged(con):
    for plan, in con.execute("SELECT plan_id FROM plans").fetchall():
        for as_at in queries.status_dates(con, plan):
            days = queries.actions_at(con, plan, as_at)["days_at_status"].dropna()
            assert (days >= 0).all(), (plan, as_at)
    items = queries.actions_at(con, IEG6, date(2006, 3, 31))
    g9 = items[items["code"] == "G9"].iloc[0]
    assert g9["effective_after_report"] and pd.isna(g9["days_at_status"])
    flags = reading_flags.flag_items(items, IEG6).set_axis(items["code"])
    assert "line 2190" in flags["G9"] and "line 2185" in flags["G9"]


@pytest.mark.parametrize("plan, as_at, code, lines", [
    (JAR, date(2006, 3, 31), "JAR-10.5", ("line 766", "line 500", "June 2006")),
    (HERTS_CYPP, date(2009, 7, 1), "1.5a", ("line 100", "line 5", "June 2009")),
])
def test_typo_dues_carry_both_readings(con, plan, as_at, code, lines):
    items = queries.actions_at(con, plan, as_at)
    flag = reading_flags.flag_items(items, plan).set_axis(items["code"])[code]
    assert all(part in flag for part in lines), flag


def test_a_conflict_does_not_follow_an_item_into_an_officers_upload(con):
    items = queries.actions_at(con, JAR, date(2006, 3, 31)).assign(source_doc=None)
    assert (reading_flags.flag_items(items, JAR) == "").all()


# --- 7 and 8 as a user sees them: the RAG drill-down ---------------------------------------------------------------

def test_rag_drill_down_shows_progress_past_dates_and_reading_flags(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    _open(app, "views/rag_by_area.py", org="herefordshire-council", plan=JAR)
    area = app.selectbox(key="area")
    area.set_value(area.options[0]).run()
    items = next(d.value for d in app.dataframe if {"Code", "Past its date"} <= set(d.value.columns)).set_index("Code")
    assert items.loc["JAR-1.1", "Past its date"] == "Past its date, no status reported"
    assert items.loc["JAR-1.1", "Progress reported"] == "Discussion paper prepared Dec 05."
    assert "line 447" in items.loc["JAR-1", "Reading flag"] and "line 852" in items.loc["JAR-1", "Reading flag"]
    assert "Overdue" not in set(items["Past its date"].dropna())
    app.checkbox(key="past").check().run()
    past = next(d.value for d in app.dataframe if {"Code", "Past its date"} <= set(d.value.columns))
    assert len(past) < len(items) and set(past["Past its date"]) == {"Past its date, no status reported"}
    app.checkbox(key="overdue").check().run()
    assert any("No items match" in info.value for info in app.info)


# --- 6. The efficiency category chart uses the statement's printed categories --------------------------------------

def test_gains_by_category_are_the_printed_categories_not_one_unstated_bar(con):
    org, year = "herefordshire-council", "2006/07"
    breakdown = efficiency_position.gains_by(queries.efficiency_by(con, org, year, "category"),
                                             queries.efficiency_summaries(con, org, year), "by_category")
    figure = gains_bars(breakdown.rows, "Gains by efficiency category")
    assert len(figure.data[0].y) == 14 and "Not stated" not in list(figure.data[0].y)
    rows = breakdown.rows.set_index("name")
    assert rows.loc["Non-School Educational Services", "total_k"] == 1009
    assert rows["total_k"].sum() == 3465 and "lines 318-331" in breakdown.basis


def test_efficiency_page_shows_the_category_table_beside_its_chart(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    _open(app, "views/efficiency.py", org="herefordshire-council")
    table = next(d.value for d in app.dataframe if "Category" in d.value.columns and "Directorate" not in d.value.columns)
    assert list(table["Category"])[:2] == ["Adult Social Services", "Children's Services"] and len(table) == 14
    assert any("lines 318-331" in caption.value for caption in app.caption)


# --- 3. Signs and blanks: a fall is not a rise, a blank is not 0 ----------------------------------------------------

def test_a_fall_written_as_a_positive_figure_sits_under_an_indicator_of_the_fall(con):
    falls = con.execute("""
        SELECT o.indicator_code, o.value_written, o.note FROM observations o
        WHERE o.value_num > 0 AND regexp_matches(lower(o.note), '\\b(fall|drop|decrease|decline)\\b')
          AND NOT regexp_matches(o.indicator_code, 'FALL|DROP|DECREASE|DECLINE|REDUCTION')
          AND NOT regexp_matches(lower(o.note), 'drop to|fall to')""").fetchall()
    assert falls == []  # LOCAL HFD-POP-0-19-CHANGE held 'fall by 10%' as +10 (002 line 1258)


def test_efficiency_lines_with_no_figure_have_no_total(con):
    grant = dict(con.execute("""SELECT year_text, total_k FROM v_efficiency_lines
                                WHERE source_doc = '002' AND source_line = 2445""").fetchall())
    assert grant == {"01/02 to 03/04": 400, "04/05": 350, "05/06": 150, "06/07": None, "07/08": None}
    zeros = con.execute("""SELECT count(*) FROM v_efficiency_lines v JOIN efficiency_lines e USING (source_doc,
                               source_line, year_text, description)
                           WHERE v.total_k IS NOT NULL AND e.total_k IS NULL AND e.cashable_k IS NULL
                             AND e.non_cashable_k IS NULL""").fetchall()[0][0]
    assert zeros == 0


# --- 4. Dated targets are target observations, cited ---------------------------------------------------------------

@pytest.mark.parametrize("indicator, period, value, line", [
    ("LOCAL HCC-LAC-FOSTER", "by March 2001", "78%", 1319),
    ("LOCAL HCC-LAC-FOSTER-YOUNG", "by March 2001", "89%", 1319),
    ("LOCAL HCC-LAC-FOSTER-YOUNG", "by March 2003", "91%", 1357),
    ("LOCAL HCC-YOT-SUPERVISION-ASSESSED", "2001/2002", "100%", 349),
    ("LOCAL HCC-YOT-ASSET-PROGRESS", "2001/2002", "80%", 349),
    ("LOCAL HCC-CL-HE-FE", "by March 2004", "by at least 50%", 713),
    ("LOCAL HCC-CH-INSPECTIONS", "2001/2002", "100%", 1100),
    ("LOCAL HCC-U18-CONCEPTION-REDUCTION", "by 2010", "45%", 571),
])
def test_dated_targets_of_the_2001_plan_are_target_observations(con, indicator, period, value, line):
    rows = con.execute("""SELECT value_written FROM observations WHERE indicator_code = ? AND period_text = ?
                          AND measure = 'target' AND source_doc = '001' AND source_line = ?""",
                       [indicator, period, line]).fetchall()
    assert rows == [(value,)]


# --- 5. Statistics and findings are not actions --------------------------------------------------------------------

def test_statistics_and_findings_of_the_2001_plan_are_not_actions(con):
    lines = [128, 239, 1116, 1117, 1118, 1137, 1248, 1384, 1385, 1386, 1387, 1389]
    loaded = con.execute("SELECT source_line FROM actions WHERE source_doc = '001' AND list_contains(?, source_line)",
                         [lines]).fetchall()
    assert loaded == []
    # The class, not only the lines: no 001 action opens with a count or a past result ('So far we have had').
    opening = con.execute(r"""SELECT source_line, text FROM actions WHERE source_doc = '001'
                              AND regexp_matches(text, '^(Of the \d+|So far|Reduction in .* from \d)')""").fetchall()
    assert opening == []


# --- 8. Known conflicts: every row names a loaded item, and both its lines are checked -----------------------------

def test_every_known_conflict_names_an_item_loaded_from_its_document(con):
    conflicts = reading_flags.known_conflicts()
    assert len(conflicts) >= 8
    for conflict in conflicts:
        found = con.execute("SELECT count(*) FROM actions WHERE plan_id = ? AND code = ? AND source_doc = ?",
                            [conflict.plan_id, conflict.code, conflict.doc]).fetchall()[0][0]
        assert found == 1, conflict


def test_a_conflicts_second_line_is_checked_against_the_document(tmp_path):
    folder = Path(shutil.copytree(SEED_DIR / "003", tmp_path / "003"))
    text = (folder / "conflicts.csv").read_text(encoding="utf-8")
    (folder / "conflicts.csv").write_text(text.replace(",16 January 2009,5,", ",16 January 2009,7,"), encoding="utf-8")
    _, mismatches = check_folder(folder, next(DOCUMENTS_DIR.glob("003_*.txt")))
    assert [(m.column, m.line) for m in mismatches] == [("other_written", 7)]


def test_the_red_list_says_when_a_red_status_is_dated_after_its_report(con):
    items = queries.actions_at(con, IEG6, date(2006, 3, 31))
    lines = render.red_action_lines(items[items["status"] == "red"])
    g9 = next(line for line in lines if "**G9**" in line)
    assert "since 01/04/2006, a date after the report it is in (31/03/2006): in doubt" in g9
