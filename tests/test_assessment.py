"""The indicator assessment's rules (rules.assessment), table-driven on synthetic series and on the embedded
documents' indicators, each seed case checked by hand against its document line."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from dashboard.reading import indicator_status
from dashboard.rules.assessment import BAND_EXAMPLE, RULES, Comparator, Period, assess_indicator
from dashboard.store import queries
from dashboard.store.connection import connect


def fy(start_year: int, actual=None, target=None, text=None) -> Period:
    """A financial year April-March."""
    return Period(text or f"{start_year}/{(start_year + 1) % 100:02d}", date(start_year, 4, 1),
                  date(start_year + 1, 3, 31), actual=actual, target=target)


def month(year: int, number: int, actual=None, target=None, text=None) -> Period:
    end = date(year + (number == 12), number % 12 + 1, 1).toordinal() - 1
    return Period(text or f"{date(year, number, 1):%B %Y}", date(year, number, 1), date.fromordinal(end),
                  actual=actual, target=target)


CASES = [
    # (name, periods, comparators, polarity, status, rule)
    ("same period, met", [fy(2005, actual=70, target=65)], [], "higher", "green", "same_period"),
    ("same period, just missed", [fy(2005, actual=62, target=65)], [], "higher", "amber", "same_period"),
    ("same period, lower is better, missed", [fy(2005, actual=12, target=10)], [], "lower", "red", "same_period"),
    ("by a date inside the actual's year", [fy(2004, actual=83), month(2005, 12, target=100, text="by December 2005"),
                                            fy(2005, actual=98.95)], [], "higher", "amber", "deadline_in_period"),
    ("by the month the year ends", [fy(2002, actual=90), month(2003, 3, target=100, text="by March 2003")], [],
     "higher", "red", "deadline_in_period"),
    ("a year's target and a snapshot on its last day",
     [Period("31.3.02", date(2002, 3, 31), date(2002, 3, 31), actual=5),
      fy(2001, target=6)], [], "lower", "green", "same_end"),
    ("deadline passed: the nearest earlier actual",
     [month(2000, 12, actual=40), month(2001, 3, target=50, text="by March 2001"), month(2001, 9, actual=55)],
     [], "higher", "red", "nearest_before"),
    ("trajectory on course", [fy(2006, actual=40), fy(2007, actual=50), fy(2009, target=65)], [], "higher",
     "on_course", "trajectory"),
    ("trajectory not on course", [fy(2006, actual=47.9), fy(2007, actual=42.5), fy(2008, target=53)], [], "higher",
     "not_on_course", "trajectory"),
    ("one actual already meeting a later target", [fy(2007, actual=81), fy(2009, target=75)], [], "higher",
     "on_course", "trajectory"),
    ("one actual short of a later target", [fy(2007, actual=50), fy(2009, target=75)], [], "higher",
     "not_assessed", "not_assessed"),
    ("comparator when no target applies", [fy(2007, actual=55.2), fy(2009, target=65)],
     [Comparator("statistical_neighbours", date(2007, 4, 1), date(2008, 3, 31), 71.1)], "higher", "worse",
     "comparator"),
    ("comparator, lower is better", [fy(2007, actual=21.6)],
     [Comparator("england", date(2007, 4, 1), date(2008, 3, 31), 25)], "lower", "better", "comparator"),
    ("a bottom quartile band comes before a figure",
     [fy(2007, actual=21.6)], [Comparator("england", date(2007, 4, 1), date(2008, 3, 31), 25),
                               Comparator("quartile", date(2007, 4, 1), date(2008, 3, 31), None, "bottom")],
     "lower", "worse", "comparator"),
    ("no numeric target", [fy(2006, actual=5), fy(2007, actual=6)], [], "higher", "no_target", "no_target"),
    ("a target in words only", [fy(2007, actual=5), Period("2008/09", date(2008, 4, 1), date(2009, 3, 31),
                                                          target_text="To be set")], [], "higher", "no_target",
     "no_target"),
    ("no actual", [fy(2008, target=5)], [], "higher", "not_assessed", "not_assessed"),
    ("no better direction", [fy(2007, actual=5, target=5)], [], "none", "not_assessed", "not_assessed"),
    ("an old target with no actual of its own", [fy(2000, target=5), fy(2006, actual=3), fy(2007, actual=4)], [],
     "higher", "no_target", "no_target"),
]


@pytest.mark.parametrize("name, periods, comparators, polarity, status, rule", CASES, ids=[c[0] for c in CASES])
def test_each_rule_gives_its_verdict(name, periods, comparators, polarity, status, rule):
    verdict = assess_indicator(periods, comparators, polarity, None, "percent")
    assert (verdict.status, verdict.rule) == (status, rule), verdict.explanation
    # Every verdict states its rule in words; a trajectory says so and is never a RAG word.
    if verdict.basis == "trajectory":
        assert "(trajectory)" in verdict.explanation and "Red" not in verdict.explanation
    assert verdict.explanation


def band(letter, year=2024, of_n=151):
    """A published quartile band for a financial year, as v_benchmarks gives it (A the best quarter)."""
    return Comparator("quartile", date(year, 4, 1), date(year + 1, 3, 31), None, letter, of_n)


def figure(group, value, year=2024):
    return Comparator(group, date(year, 4, 1), date(year + 1, 3, 31), value)


BESIDE = [figure("statistical_neighbours", 65.7), figure("england", 67)]
BAND_CASES = [
    # (name, periods, comparators, polarity, status, band, words in the explanation)
    ("band A is better", [fy(2024, actual=80)], [band("A")] + BESIDE, "higher", "better", "A",
     "Band A, the best quarter of 151 councils (higher is better): 80% for 2024/25; neighbours' mean 65.7%; "
     "England 67%."),
    ("band B is level", [fy(2024, actual=68)], [band("B")], "higher", "level", "B", "the second-best quarter"),
    ("band C is level", [fy(2024, actual=9)], [band("C")], "lower", "level", "C", "the second-worst quarter"),
    ("band D is worse, lower is better", [fy(2024, actual=12)], [band("D", of_n=152)] + BESIDE, "lower", "worse",
     "D", "Band D, the worst quarter of 152 councils (lower is better): 12% for 2024/25"),
    ("the band, not the neighbours' mean, decides", [fy(2024, actual=70)], [band("D")] + BESIDE, "higher",
     "worse", "D", "neighbours' mean 65.7%; England 67%"),
    ("a band without a count of councils", [fy(2024, actual=12)], [band("D", of_n=None)], "lower", "worse", "D",
     "the worst quarter of English councils"),
    ("the older band names", [fy(2024, actual=12)], [band("bottom")], "lower", "worse", "D", "Band D"),
    ("a band of another period is not compared", [fy(2024, actual=12)], [band("D", year=2023)], "lower",
     "no_target", None, "No target"),
    ("no band: the neighbours' mean", [fy(2024, actual=60)], BESIDE, "higher", "worse", None,
     "Worse than statistical neighbours"),
    ("not a band letter", [fy(2024, actual=60)], [band("E")], "higher", "no_target", None, "No target"),
    ("the band of the latest actual only", [fy(2023, actual=50), fy(2024, actual=60)], [band("A", year=2023)],
     "higher", "no_target", None, "No target"),
]


@pytest.mark.parametrize("name, periods, comparators, polarity, status, letter, words", BAND_CASES,
                         ids=[c[0] for c in BAND_CASES])
def test_the_band_rule(name, periods, comparators, polarity, status, letter, words):
    verdict = assess_indicator(periods, comparators, polarity, None, "percent")
    assert (verdict.status, verdict.band) == (status, letter), verdict.explanation
    assert words in verdict.explanation
    if letter:  # a comparison with other councils, never dressed as a measured result
        assert verdict.basis == "comparator" and verdict.rule == "comparator"
        assert not any(word in verdict.explanation for word in ("Red", "Amber", "Green"))


def test_a_target_comes_before_the_band_which_is_stated_beside_it():
    verdict = assess_indicator([fy(2024, actual=70, target=65)], [band("D")] + BESIDE, "higher", None, "percent")
    assert (verdict.status, verdict.rule, verdict.band) == ("green", "same_period", "D")
    assert verdict.comparator.startswith("Band D, the worst quarter of 151 councils")


def test_the_methods_band_example_is_a_comparator_verdict_in_words():
    periods, comparators, polarity, unit = BAND_EXAMPLE
    verdict = assess_indicator(list(periods), list(comparators), polarity, None, unit)
    assert (verdict.status, verdict.basis) == ("worse", "comparator")
    assert verdict.explanation.startswith("Band D, the worst quarter of 151 councils (higher is better): 55% for "
                                          "2024/25; neighbours' mean 65.7%; England 67%.")


def test_the_rules_are_ordered_and_every_one_has_words():
    keys = [rule.key for rule in RULES]
    assert keys.index("same_period") < keys.index("trajectory") < keys.index("comparator") < keys.index("no_target")
    assert all(len(rule.words) > 40 for rule in RULES)


def test_a_trajectory_of_a_share_never_projects_past_100_percent():
    verdict = assess_indicator([fy(1999, actual=79), fy(2000, actual=86), month(2004, 12, target=95, text="By 2004")],
                               [], "higher", None, "percent")
    assert verdict.status == "on_course" and "projects 100%" in verdict.explanation


# Seed indicators, each checked by hand against the document line cited (data/sources/<doc>_*.txt).
SEED = [
    # BVPI 157: 98.95% for 05/06 (002 line 2403) against 100% e-enablement by December 2005 (002 line 2090).
    ("herefordshire-council", "BVPI 157", "amber", "deadline_in_period", "98.95%"),
    # NI 72: 47.9% 2006-07, 42.5% 2007-08, target 53% 2008-09 (004 line 492): falling away from a higher target.
    ("herefordshire-council", "NI 72", "not_on_course", "trajectory", "projects 37.11%"),
    # NI 59: 55.2% 2007/08 against statistical neighbours' 71.1%, next target 65% 2009/10 (004 line 456).
    ("herefordshire-council", "NI 59", "worse", "comparator", "71.1%"),
    # Initial assessments in 7 working days: currently 71% in 2000/2001, planned 80% by March 2001 (001 line 869).
    ("hertfordshire-cc", "LOCAL HCC-INITIAL-7D", "red", "deadline_in_period", "71%"),
    # PAF A1 placement stability 13%, 10%, 8% (97/98-99/00; 001 line 19), target 6% in 2001/2002 (001 line 55).
    ("hertfordshire-cc", "PAF A1", "on_course", "trajectory", "against the target of 6%"),
    # Bullied at school 29% in 2007/08 against 25% nationally (003 line 218); no target.
    ("hertfordshire-childrens-trust", "NI 69", "worse", "comparator", "25%"),
]


@pytest.mark.parametrize("organisation, code, status, rule, words", SEED, ids=[s[1] for s in SEED])
def test_seed_indicators_get_the_verdict_their_documents_support(seed_db, organisation, code, status, rule, words):
    con = connect(seed_db, read_only=True)
    try:
        row = indicator_status.assess(queries.indicator_positions(con, organisation)).set_index(
            "indicator_code").loc[code]
    finally:
        con.close()
    assert (row["rag"], row["rule"]) == (status, rule), row["rag_explanation"]
    assert words in row["rag_explanation"]


# Indicators with a verdict (measured, trajectory or comparator) on the embedded data: none had one before this
# assessment (docs/decisions.md records both counts).
VERDICT_COUNTS = {"herefordshire-council": (146, 49), "hertfordshire-cc": (55, 13),
                  "hertfordshire-childrens-trust": (11, 2)}


@pytest.mark.parametrize("organisation", VERDICT_COUNTS)
def test_how_many_seed_indicators_get_a_verdict(seed_db, organisation):
    con = connect(seed_db, read_only=True)
    try:
        assessed = indicator_status.assess(queries.indicator_positions(con, organisation))
    finally:
        con.close()
    assert (len(assessed), int((assessed["basis"] != "none").sum())) == VERDICT_COUNTS[organisation]
    # A measured verdict always names the period and target it compared; no verdict ever lacks its reason.
    measured = assessed[assessed["basis"] == "measured"]
    assert measured["rag_period"].notna().all() and measured["rag_target"].notna().all()
    assert assessed["rag_explanation"].str.len().gt(20).all()


def test_the_assessment_view_holds_what_the_pages_compute_and_exports(seed_db):
    con = connect(seed_db, read_only=True)
    try:
        view = queries.export_view(con, "v_indicator_assessment").set_index(["organisation_id", "indicator_code"])
        pages = indicator_status.assess(queries.indicator_positions(con, "herefordshire-council"))
    finally:
        con.close()
    assert len(view) == sum(total for total, _ in VERDICT_COUNTS.values())
    mine = view.loc["herefordshire-council"].loc[pages["indicator_code"]]
    assert mine["verdict"].tolist() == pages["rag"].tolist()
    assert mine["explanation"].tolist() == pages["rag_explanation"].tolist()
    bvpi = mine.loc["BVPI 157"]
    assert (bvpi["verdict"], bvpi["basis"], bvpi["period"], bvpi["value"], bvpi["target"], bvpi["target_period"],
            bvpi["polarity"], bvpi["direction"]) == ("amber", "measured", "05/06", 98.95, 100.0, "by December 2005",
                                                     "higher", "improving")
    assert bvpi["rule_words"].startswith("A target due by a date")


def test_an_upload_and_its_rollback_rewrite_the_stored_assessment(fixture_db, tmp_path):
    from upload_support import cli

    def verdict():
        con = connect(fixture_db, read_only=True)
        try:
            return con.execute("SELECT verdict, basis, period FROM v_indicator_assessment "
                               "WHERE indicator_code = 'NI 65'").fetchall()
        finally:
            con.close()

    assert verdict() == [("amber", "measured", "2009/10")]
    path = tmp_path / "q.csv"
    path.write_text("indicator_code,organisation,period,measure,value\n" + "NI 65,nowhere-borough,2010/11,actual,11%\nNI 65,nowhere-borough,2010/11,target,10%\n")
    result = cli(fixture_db, "import", str(path), "--yes")
    assert result.returncode == 0, result.stderr
    assert verdict() == [("red", "measured", "2010/11")]  # 11% against 10%, lower is better, beyond 5%
    assert cli(fixture_db, "rollback", "2", "--yes").returncode == 0
    assert verdict() == [("amber", "measured", "2009/10")]


def test_no_indicator_says_no_target_where_its_chart_shows_a_target(seed_db):
    # Issue 20: 'No target' under a chart with a target for that period: no 'No target' or 'Not assessed'
    # indicator has a numeric target falling in the period of one of its actuals.
    con = connect(seed_db, read_only=True)
    try:
        rows = con.execute("""
            SELECT a.organisation_id, a.indicator_code FROM indicator_assessment a
            JOIN observations t USING (organisation_id, indicator_code)
            JOIN observations x USING (organisation_id, indicator_code)
            WHERE a.basis = 'none' AND a.value IS NOT NULL
                AND t.measure = 'target' AND t.value_num IS NOT NULL AND t.comparator_group IS NULL
                AND x.measure = 'actual' AND x.value_num IS NOT NULL
                AND t.period_end BETWEEN x.period_start AND x.period_end""").fetchall()
    finally:
        con.close()
    assert rows == []


_days = st.integers(min_value=730_000, max_value=740_000)


@st.composite
def _untargeted_series(draw):
    """Periods with actuals and no target of any kind, unique by (start, end) as the positions query groups them,
    and comparators for some of them."""
    spans = draw(st.lists(st.tuples(_days, st.integers(0, 400)), min_size=1, max_size=8,
                          unique_by=lambda span: span))
    periods = [Period(f"p{n}", date.fromordinal(start), date.fromordinal(start + length),
                      actual=draw(st.floats(-50, 150, allow_nan=False)), conflict=draw(st.booleans()))
               for n, (start, length) in enumerate(spans)]
    comparators = []
    for period in draw(st.lists(st.sampled_from(periods), max_size=4)):
        group = draw(st.sampled_from(["england", "statistical_neighbours", "quartile", "region"]))
        comparators.append(Comparator(group, period.start, period.end,
                                      None if group == "quartile" else draw(st.floats(-50, 150, allow_nan=False)),
                                      draw(st.sampled_from(["A", "B", "C", "D", "top", "bottom"]))
                                      if group == "quartile" else None, draw(st.none() | st.integers(1, 160))))
    return periods, comparators


@given(_untargeted_series(), st.sampled_from(["higher", "lower", "band", None, ""]),
       st.sampled_from(["percent", "number", ""]))
@settings(max_examples=300, deadline=None)
def test_a_series_with_no_target_is_decided_by_its_latest_actual_alone(series, polarity, unit):
    """The positions query sends only the latest actual of a series with no target (store/queries.py): every other
    period of such a series must be unable to change its verdict."""
    periods, comparators = series
    latest = max(periods, key=lambda p: (p.end, p.start or p.end))
    assert assess_indicator([latest], comparators, polarity, None, unit) == \
        assess_indicator(periods, comparators, polarity, None, unit)


def test_the_positions_query_gives_the_rules_the_latest_actual_they_would_choose(fixture_db):
    """The query sends a series with no target as its latest actual alone, unsorted otherwise: the period it picks
    must be the one the rules pick from every period, where a missing start, a tie of ends or a NaN would differ."""
    con = connect(fixture_db)
    con.execute("INSERT INTO indicators (indicator_code, name, unit, polarity, family) VALUES "
                "('FIC TIE', 'Tie of ends (fictional)', 'number', 'higher', 'local'), "
                "('FIC NAN', 'NaN last (fictional)', 'number', 'higher', 'local'), "
                "('FIC TGT', 'Targets and a missing start (fictional)', 'number', 'higher', 'local')")
    rows = [  # (indicator, period as written, start, end, measure, value)
        ("FIC TIE", "2020/21", "2020-04-01", "2021-03-31", "actual", 10.0),
        ("FIC TIE", "31 March 2021", "2021-03-31", "2021-03-31", "actual", 11.0),
        ("FIC TIE", "at March 2021", None, "2021-03-31", "actual", 12.0),  # latest: a missing start sorts last
        ("FIC NAN", "2020/21", "2020-04-01", "2021-03-31", "actual", 5.0),
        ("FIC NAN", "2021/22", "2021-04-01", "2022-03-31", "actual", float("nan")),
        ("FIC TGT", "2020/21", "2020-04-01", "2021-03-31", "actual", 40.0),
        ("FIC TGT", "at March 2022", None, "2022-03-31", "actual", 60.0),
        ("FIC TGT", "2021/22", "2021-04-01", "2022-03-31", "actual", 50.0),
        ("FIC TGT", "2022/23", "2022-04-01", "2023-03-31", "target", 70.0),
    ]
    for code, text, start, end, measure, value in rows:
        con.execute("INSERT INTO observations (indicator_code, organisation_id, period_text, period_type, "
                    "period_start, period_end, measure, value_num, value_written) "
                    "VALUES (?, 'nowhere-borough', ?, 'date', ?, ?, ?, ?, ?)",
                    [code, text, start, end, measure, value, str(value)])
    positions = queries.indicator_positions_of(con, ["nowhere-borough"])
    con.close()
    assessed = indicator_status.assess(positions).set_index("indicator_code")
    tie, nan, targeted = (assessed.loc[code] for code in ("FIC TIE", "FIC NAN", "FIC TGT"))
    sent = positions.set_index("indicator_code")["series"]
    assert len(sent["FIC TIE"]) == 1 and (tie["rag_period"], tie["rag_actual"]) == ("at March 2021", 12.0)
    assert (nan["rag_period"], nan["rag_actual"]) == ("2020/21", 5.0)  # a NaN is no actual; the one before decides
    # A series with a target goes whole, and its projection starts from the latest actual by the same order.
    assert len(sent["FIC TGT"]) == 4
    assert (targeted["rule"], targeted["rag_period"], targeted["rag_actual"]) == ("trajectory", "at March 2022", 60.0)
    # Each verdict is the rules' own on every period, written out here.
    every = {code: [Period(text, start and date.fromisoformat(start), date.fromisoformat(end),
                           actual=value if measure == "actual" and value == value else None,
                           target=value if measure == "target" else None)
                    for c, text, start, end, measure, value in rows if c == code]
             for code in ("FIC TIE", "FIC NAN", "FIC TGT")}
    for code, periods in every.items():
        expected = assess_indicator(periods, [], "higher", None, "number")
        assert (assessed.loc[code, "rag"], assessed.loc[code, "rag_explanation"]) == \
            (expected.status, expected.explanation), code
