"""Pure view logic: filters, counting modes, the status matrix, indicator assessment and efficiency position."""
import pandas as pd

from dashboard.reading import action_filters, efficiency_position, indicator_status, status_matrix
from dashboard.store import queries
from dashboard.store.connection import connect


def _actions(fixture_db, as_at):
    con = connect(fixture_db, read_only=True)
    try:
        return queries.actions_at(con, "nowhere-plan", as_at)
    finally:
        con.close()


def test_status_as_at_a_date_follows_the_reports(fixture_db):
    early = _actions(fixture_db, pd.Timestamp("2010-01-15").date()).set_index("code")
    late = _actions(fixture_db, pd.Timestamp("2010-04-01").date()).set_index("code")
    assert early.loc["1.1.1", "status"] == "amber" and early.loc["2.1", "status"] == "not_assessed"
    assert late.loc["1.1.1", "status"] == "green" and late.loc["2.1", "status"] == "red"
    assert late.loc["1.1.1", "days_at_status"] == (pd.Timestamp("2010-04-01") - pd.Timestamp("2010-02-01")).days


def test_overdue_and_counting_modes(fixture_db):
    actions = _actions(fixture_db, pd.Timestamp("2010-04-01").date())
    assert action_filters.filter_actions(actions, overdue_only=True)["code"].tolist() == ["1.1.1"]
    assert action_filters.filter_actions(actions, leads=["B. Officer"])["code"].tolist() == ["2.1"]
    leaves = action_filters.count_by_area(actions, "leaves")
    parents = action_filters.count_by_area(actions, "parents")
    assert leaves["items"].sum() == 2 and set(leaves["status"]) == {"not_assessed", "red"}
    assert parents["items"].sum() == 2 and set(parents["status"]) == {"green", "red"}


def test_matrix_keeps_not_assessed_out_of_the_denominator():
    counts = pd.DataFrame({"top_title": ["A", "A", "A"], "status": ["green", "red", "not_assessed"],
                           "items": [3, 1, 6]})
    row = status_matrix.matrix(counts).iloc[0]
    assert row["Total"] == 10 and row["Assessed"] == 4 and row["Green or better"] == "75% of 4"
    assert row["Not assessed"] == 6


def test_indicator_assessment_uses_latest_period_with_actual_and_target(fixture_db):
    con = connect(fixture_db, read_only=True)
    assessed = indicator_status.assess(queries.indicator_positions(con, "nowhere-borough")).set_index(
        "indicator_code")
    ni65 = assessed.loc["NI 65"]
    assert (ni65["rag_period"], ni65["rag_actual"], ni65["rag_target"]) == ("2009/10", 11.4, 11.0)
    assert ni65["rag"] == "amber" and ni65["travel"] == "improving"
    attend = assessed.loc["LOCAL NB-ATTEND"]
    assert attend["rag"] == "no_target"  # its only target is the text 'New indicator'


def test_a_series_without_a_numeric_actual_or_target_is_still_listed(fixture_db):
    # The positions are aggregated over every period with any value: a forecast alone, or a text target alone,
    # still lists the indicator (not assessed), and leaves the council's other positions as they were.
    con = connect(fixture_db)
    before = indicator_status.assess(queries.indicator_positions(con, "nowhere-borough")).set_index("indicator_code")
    code = "NI 65"
    con.execute("DELETE FROM observations WHERE organisation_id = 'nowhere-borough' AND indicator_code = ?", [code])
    con.execute("""INSERT INTO observations (indicator_code, organisation_id, period_text, period_type, period_start,
                                             period_end, measure, value_num, value_written)
                   VALUES (?, 'nowhere-borough', '2010/11', 'financial_year', DATE '2010-04-01', DATE '2011-03-31',
                           'forecast', 12.0, '12'),
                          (?, 'nowhere-borough', '2010/11', 'financial_year', DATE '2010-04-01', DATE '2011-03-31',
                           'target', NULL, 'To be set')""", [code, code])
    after = indicator_status.assess(queries.indicator_positions(con, "nowhere-borough")).set_index("indicator_code")
    assert after.loc[code, "rag"] == "not_assessed" and pd.isna(after.loc[code, "latest_actual"])
    others = before.index.drop(code)
    def plain(frame):  # a column that is all blank comes back as objects rather than text: compare the values
        return frame.loc[others].astype(object).where(frame.loc[others].notna(), None)
    pd.testing.assert_frame_equal(plain(after), plain(before))


def test_efficiency_position_in_words():
    by_directorate = pd.DataFrame({"cashable_k": [1774.0], "non_cashable_k": [1691.0]})
    summaries = pd.DataFrame({"summary": ["brought_forward", "required"], "total_k": [3168.0, 6619.0]})
    pos = efficiency_position.position(by_directorate, summaries)
    assert pos.total_k == 3465 and pos.cumulative_k == 6633 and pos.surplus_k == 14
    assert "a surplus of £14k" in " ".join(pos.sentences())
    assert "51.2%: meets the rule" in " ".join(pos.sentences())
