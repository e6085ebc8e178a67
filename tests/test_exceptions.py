"""The exceptions scorecard (exceptions.py): which rows need attention, in what order, with words and links."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.reading import exceptions

AS_AT = date(2009, 4, 1)


def _indicators(*rows):
    return pd.DataFrame([{"indicator_code": code, "name": f"Indicator {code}", "rag": rag, "travel": travel,
                          "rag_explanation": f"{rag} because", "travel_explanation": f"{travel} because",
                          "area_title": "Staying safe"} for code, rag, travel in rows])


def _actions(*rows):
    return pd.DataFrame([{"code": code, "text": f"Action {code}", "status": status, "status_since": since,
                          "commentary": commentary, "top_title": "Be healthy"}
                         for code, status, since, commentary in rows])


@pytest.mark.parametrize("rag, travel, listed", [
    ("red", "improving", True), ("amber", "no change", True), ("not_on_course", "unknown", True),
    ("worse", "unknown", True), ("green", "worsening", True), ("no_target", "worsening", True),
    ("green", "improving", False), ("on_course", "improving", False), ("no_target", "unknown", False),
    ("not_assessed", "no change", False), ("better", "improving", False),
])
def test_which_indicators_need_attention(rag, travel, listed):
    table = exceptions.scorecard(_indicators(("X", rag, travel)), _actions(), "fictional", "p", AS_AT)
    assert (len(table) == 1) is listed


def test_most_urgent_first_and_worsening_ranks_above_the_same_verdict_alone():
    table = exceptions.scorecard(
        _indicators(("W", "green", "worsening"), ("A", "amber", "improving"), ("N", "not_on_course", "improving"),
                    ("N2", "not_on_course", "worsening"), ("R", "red", "improving")),
        _actions(("1.1", "red", pd.Timestamp("2009-01-05"), "Funding withdrawn"), ("1.2", "green", None, None)),
        "fictional", "p", AS_AT)
    assert table["Code"].tolist() == ["R", "1.1", "N2", "N", "A", "W"]
    action = table.set_index("Code").loc["1.1"]
    assert (action["Since"], action["Why"], action["Verdict"]) == (date(2009, 1, 5), "Funding withdrawn", "Red")
    assert action["Detail"] == "rag?org=fictional&plan=p&as_at=2009-04-01&area=Be+healthy"
    assert table.set_index("Code").loc["R", "Detail"] == \
        "indicators?org=fictional&plan=p&as_at=2009-04-01&find=R&indicator=R"


def test_a_red_action_without_commentary_says_so_and_the_headline_counts():
    table = exceptions.scorecard(_indicators(("R", "red", "worsening")),
                                 _actions(("2", "red", None, None)), "fictional", "p", AS_AT)
    assert table.set_index("Code").loc["2", "Why"] == "No commentary was reported with this status."
    assert exceptions.headline(table) == "Indicators: 1 red against target, 1 worsening. 1 action red."
    assert exceptions.headline(table.iloc[0:0]).startswith("Nothing needs attention")


def _published(*rows):
    """Rows of a council's whole assessment: published measures (family LAIT) with their band, and one of a plan."""
    return pd.DataFrame([{"indicator_code": code, "name": f"Measure {code}", "family": family, "rag": rag,
                          "quartile_band": band, "travel": travel, "rag_explanation": f"Band {band} because",
                          "travel_explanation": f"{travel} because", "area_title": None}
                         for code, family, rag, band, travel in rows])


WHOLE = _published(("D1", "LAIT", "worse", "D", "improving"), ("D2", "LAIT", "worse", "D", "worsening"),
                   ("C1", "LAIT", "level", "C", "worsening"), ("N1", "EES", "worse", None, "worsening"),
                   ("P1", "NI", "red", None, "worsening"))


def test_published_measures_in_the_bottom_quartile_are_listed_worsening_first_with_a_link():
    table = exceptions.scorecard(_indicators(("R", "red", "improving")), _actions(), "fictional", "p", AS_AT, WHOLE)
    # Band D only (not band C, not 'worse than neighbours' with no band); a plan's indicators come from `assessed`.
    assert table["Code"].tolist() == ["R", "D2", "D1"]
    d2 = table.set_index("Code").loc["D2"]
    assert (d2["Kind"], d2["Verdict"], d2["Direction"]) == ("Published measure", "Worse than comparator", "worsening")
    assert d2["Why"] == "Band D because worsening because"
    assert d2["Detail"] == "compare?org=fictional&plan=p&as_at=2009-04-01&measure=D2"
    assert exceptions.bottom_and_worsening(table)["Code"].tolist() == ["D2"]
    assert exceptions.headline(table) == ("Indicators: 1 red against target. Published measures: 2 in the bottom "
                                          "quartile of councils, 1 of them worsening. No action is red at this date.")


def test_without_a_plan_published_measures_are_listed_by_band_not_twice():
    table = exceptions.scorecard(WHOLE, _actions(), "fictional", None, AS_AT, WHOLE)
    assert sorted(table["Code"]) == ["D1", "D2", "P1"]
