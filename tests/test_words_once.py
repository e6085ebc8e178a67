"""Each word stated once: a status's word comes from the scale wherever it is shown (the actions query, the RAG rule,
the legend), and 'document 002, line 343' is written by one function for pages, board pack and reading flags."""
from __future__ import annotations

import pandas as pd

from dashboard.parsing.statuses import BY_KEY, SCALE
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading import reading_flags
from dashboard.reading.sources import source_words
from dashboard.rules.rag import indicator_rag
from dashboard.store import queries
from dashboard.store.connection import connect
from dashboard.ui.render import with_source


def test_an_action_with_no_status_reported_gets_the_scales_word(fixture_db):
    con = connect(fixture_db, read_only=True)
    try:
        plan = con.execute("SELECT plan_id FROM actions a WHERE NOT EXISTS (SELECT 1 FROM action_statuses s "
                           "WHERE s.plan_id = a.plan_id AND s.action_code = a.code) LIMIT 1").fetchone()
        assert plan, "the fixture has an action with no status reported"
        actions = queries.actions_at(con, plan[0], pd.Timestamp("2100-01-01").date())
    finally:
        con.close()
    unreported = actions[actions["status_reported"].isna()]
    assert not unreported.empty
    assert set(unreported["status"]) == {"not_assessed"}
    assert set(unreported["status_label"]) == {BY_KEY["not_assessed"].label}
    assert set(actions["status_label"]) <= {status.label for status in SCALE}


def test_the_analysts_view_of_actions_takes_its_words_from_the_scale(fixture_db):
    con = connect(fixture_db, read_only=True)
    try:
        pairs = con.execute("SELECT DISTINCT status, status_label FROM v_actions").fetchall()
    finally:
        con.close()
    assert ("not_assessed", BY_KEY["not_assessed"].label) in pairs
    assert all(label == BY_KEY[status].label for status, label in pairs)


def test_the_rag_rule_and_the_legend_use_the_scales_words():
    assert {key: STATUS_LABELS[key] for key in BY_KEY} == {status.key: status.label for status in SCALE}
    for actual, target, polarity in ((10, 10, "higher"), (9.7, 10, "higher"), (5, 10, "higher"), (None, 10, "higher"),
                                     (10, None, "higher"), (10, 10, "none")):
        result = indicator_rag(actual, target, polarity)
        assert result.label == STATUS_LABELS[result.status]
        assert result.explanation.startswith(f"{result.label}: ")


def test_one_sentence_says_where_a_row_came_from():
    assert source_words("002", 343.0) == "document 002, line 343"
    assert source_words(None, None, 7, 14) == "upload 7, row 14"
    assert source_words(None, None) == "not recorded"
    frame = pd.DataFrame({"source_doc": ["002", None], "source_line": [343, None], "upload_id": [None, 7],
                          "upload_row": [None, 14]})
    assert list(with_source(frame)["Source"]) == ["document 002, line 343", "upload 7, row 14"]
    conflict = reading_flags.Conflict("002", "P1", "1.1", "due", "March 2006", 343, "March 2007", 350)
    assert f"As loaded: March 2006 ({source_words('002', 343)})." in conflict.words()
