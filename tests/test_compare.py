"""How we compare: the pure module and chart builders on fictional figures, the one-council query against
v_benchmarks, and the page through AppTest on a database holding a subset of the real LAIT file."""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from compare_support import MEASURES, needs_shared, published_subset_db
from streamlit.testing.v1 import AppTest

from dashboard.charts.compare import comparators_over_time, council_spread
from dashboard.charts.layout import TEMPLATE
from dashboard.presenting import board_pack, exports
from dashboard.published.reading import LICENCE
from dashboard.reading import compare
from dashboard.store import queries
from dashboard.store.connection import connect

APP = Path(__file__).resolve().parents[1] / "app.py"
HEREFORDSHIRE = "herefordshire-council"
FICTIONAL = "Fictional Borough Council"


def history(rows) -> pd.DataFrame:
    """queries.council_benchmarks-shaped rows of the fictional council: (code, polarity, period, value, band, rank,
    england, neighbours), yearly periods unless the period says otherwise."""
    records = []
    for code, polarity, period, value, band, rank, england, neighbours in rows:
        year = int(str(period)[:4])
        kind, start, end = ("range", date(year, 1, 1), date(year + 2, 12, 31)) if "-" in str(period) else \
            ("calendar_year", date(year, 1, 1), date(year, 12, 31))
        records.append({
            "organisation_id": "fictional", "organisation_name": FICTIONAL, "indicator_code": code,
            "indicator_name": f"{code} measure", "topic": "Fictional topic" if code != "OTHER" else "Other topic",
            "unit": "%", "polarity": polarity, "decimals": 1, "period": str(period), "period_type": kind,
            "period_start": pd.Timestamp(start), "period_end": pd.Timestamp(end),
            "value": value if isinstance(value, float) else None,
            "value_text": value if isinstance(value, str) else None,
            "value_written": value if isinstance(value, str) else f"{value:g}", "is_revised": False,
            "is_provisional": False, "england": england, "region_name": "Nowhere Region", "region": england,
            "statistical_neighbours": neighbours, "neighbours_with_value": 10, "neighbour_model": "sn_june_2024",
            "neighbour_model_name": "Statistical neighbours, June 2024", "quartile_band": band, "rank": rank,
            "of_n": 150, "source": "LAIT", "loaded_at": pd.Timestamp("2026-03-05 10:00")})
    return pd.DataFrame(records)


FIGURES = history([
    ("HIGH", "higher", 2022, 60.0, "C", 80, 65.0, 64.0),
    ("HIGH", "higher", 2023, 55.0, "D", 130, 65.0, 64.0),
    ("HIGH", "higher", 2024, "c", None, None, 66.0, 64.5),      # suppressed: the latest number is 2023's
    ("LOW", "lower", 2023, 10.0, "D", 120, 8.0, 9.0),
    ("LOW", "lower", 2024, 9.0, "D", 118, 8.0, 9.0),            # lower is better and it fell: improving
    ("RANGE", "lower", "2021-23", 4.0, "A", 3, 5.0, 5.0),
    ("RANGE", "lower", 2024, 6.0, "D", 140, 5.0, 5.0),          # the range ended before 2024: it is the previous
    ("OTHER", "none", 2024, 3.0, None, 20, 5.0, None),
])


def test_each_measure_has_its_latest_figure_and_direction_by_polarity():
    table = compare.measures(FIGURES).set_index("indicator_code")
    assert table.loc["HIGH", ["period", "value", "previous_period", "travel"]].tolist() == \
        ["2023", 55.0, "2022", "worsening"]
    assert table.loc["LOW", ["period", "travel", "shown"]].tolist() == ["2024", "improving", "9.0"]
    # The previous figure is of the same kind of period: the three-year range is not compared with 2024.
    assert table.loc["RANGE", "travel"] == "unknown"
    assert table.loc["OTHER", "travel"] == "unknown" and table.loc["OTHER", "topic"] == "Other topic"
    assert list(compare.bottom_and_worsening(table.reset_index())["indicator_code"]) == ["HIGH"]


def test_bottom_quartile_and_worsening_in_words():
    words = compare.worsening_in_words(compare.measures(FIGURES), FICTIONAL)
    assert words == ["HIGH measure: 55.0 in 2023 (%); band D (worst quarter); ranked 130 of 150 councils (1 is best); "
                     "worsening from 60.0 in 2022; England 65.0, statistical neighbours' mean 64.0."]
    none = compare.worsening_in_words(compare.measures(FIGURES[FIGURES["indicator_code"] == "LOW"]), FICTIONAL)
    assert none == [f"{FICTIONAL} has no published measure both in the worst quarter of councils and worse than the "
                    "period before."]


def test_a_measure_with_only_a_marker_shows_the_marker():
    only = history([("MARK", "higher", 2024, "x", None, None, 5.0, None)])
    row = compare.measures(only).iloc[0]
    assert (row["shown"], row["travel"]) == ("x", "unknown")


def test_the_measures_table_puts_the_comparison_first_and_rounds_the_mean():
    table = compare.measures_table(compare.measures(FIGURES), FICTIONAL)
    assert list(table.columns[:10]) == ["Measure", "Period", FICTIONAL, "Band", "Rank", "Of", "Neighbours' mean",
                                        "England", "Region", "Direction"]
    high = table.set_index("Code").loc["HIGH"]
    assert (high["Band"], high["Direction"], high[FICTIONAL]) == ("D (worst quarter)", "Worsening", "55.0")
    means = compare.rounded(pd.Series([65.55555, 70.11111, None]), pd.Series([None, 0, 1]))
    assert means.tolist()[:2] == [65.56, 70.0] and pd.isna(means.tolist()[2])


def test_source_licence_and_neighbour_model_lines():
    # No date from the publisher: the date of the load here, called that, never passed off as DfE's.
    assert compare.attribution(FIGURES) == [
        "Source: Department for Education, Local Authority Interactive Tool (LAIT), loaded 5 March 2026.",
        "Contains public sector information licensed under the Open Government Licence v3.0."]
    # The publisher's own dates (LAIT's dictionary, per measure): the latest of them.
    dated = FIGURES.assign(source_updated=[pd.Timestamp("2025-11-01")] * 3 + [pd.NaT] * 4 +
                           [pd.Timestamp("2026-02-03")])
    assert compare.source_line(dated) == ("Source: Department for Education, Local Authority Interactive Tool "
                                          "(LAIT), updated 3 February 2026.")
    assert "Statistical neighbours, June 2024" in compare.neighbour_model_words(FIGURES)
    assert compare.neighbour_model_words(FIGURES.assign(neighbour_model_name=None)).startswith("No statistical")


def test_exports_carry_the_source_and_licence_after_the_table():
    table = pd.DataFrame({"Measure": ["=1+1 trick"], "Value": [3.5]})
    lines = compare.attribution(FIGURES)
    csv = exports.to_csv(exports.with_notes(table, lines)).decode("utf-8-sig").splitlines()
    assert csv[1].startswith("'=1+1 trick") and csv[-2].startswith('"Source: Department for Education')
    assert csv[-1].startswith(LICENCE)
    book = pd.read_excel(io.BytesIO(exports.to_xlsx(exports.with_notes(table, lines))))
    assert book["Measure"].tolist()[-1] == LICENCE + "."


def test_series_and_spread_in_words():
    rows = compare.series(FIGURES, "HIGH")
    assert compare.series_in_words(rows, FICTIONAL, "HIGH measure", 1) == (
        "HIGH measure: Fictional Borough Council 55.0 in 2023 (from 60.0 in 2022); England 65.0, Nowhere Region "
        "65.0, statistical neighbours' mean 64.0.")
    spread = pd.DataFrame({"organisation_id": ["a", "fictional", "b", "c"], "name": ["A", FICTIONAL, "B", "C"],
                           "value": [1.0, 2.0, 3.0, None], "value_text": [None, None, None, "c"]})
    assert compare.spread_in_words(spread, "fictional", FICTIONAL, "HIGH measure", "2024", "higher", 1) == (
        "HIGH measure, 2024: 3 councils from 1.0 (A) to 3.0 (B); Fictional Borough Council 2.0, ranked 2 "
        "(1 is best).")
    assert compare.figure(1234.5) == "1,234.5" and compare.figure(None) == "" and compare.figure(7.0, 0) == "7"


def test_charts_set_their_own_template_and_mark_the_council():
    before = pio.templates.default
    pio.templates.default = "plotly_dark"  # a process default set elsewhere must not change these charts
    try:
        over_time = comparators_over_time(compare.series(FIGURES, "LOW"), FICTIONAL, "LOW measure", "%", "lower", 1)
        spread = council_spread(pd.DataFrame({"organisation_id": ["a", "fictional", "b"], "name": ["A", FICTIONAL, "B"],
                                              "value": [1.0, 2.0, 3.0], "value_text": [None] * 3}),
                                "fictional", FICTIONAL, "LOW measure", "2024", "%", "lower", england=2.5, decimals=1)
    finally:
        pio.templates.default = before
    for fig in (over_time, spread):
        assert fig.layout.template.layout.paper_bgcolor == TEMPLATE.layout.paper_bgcolor
        assert fig.layout.font.family.startswith("Source Sans Pro")
    assert [trace.name for trace in over_time.data] == [FICTIONAL, "England", "Nowhere Region",
                                                        "Statistical neighbours' mean"]
    assert list(over_time.layout.xaxis.ticktext) == ["2023", "2024"]
    colours = list(spread.data[0].marker.color)
    assert colours[1] != colours[0] == colours[2]
    assert spread.layout.annotations[0].text == f"{FICTIONAL}: 2.0"


def test_board_pack_gives_the_licence_only_for_published_loads_it_shows():
    published = pd.DataFrame({"upload_id": [6], "uploaded_at": [datetime(2026, 3, 5)],
                              "note": ["Department for Education, Local Authority Interactive Tool (LAIT); "
                                       f"{LICENCE}."]})
    assert board_pack.published_lines(published, {1, 2}) == []
    [line] = board_pack.published_lines(published, {6})
    assert line.startswith("Published national statistics (upload 6, loaded 05/03/2026): Department for Education")
    assert line.endswith(LICENCE + ".")


# --- The real LAIT file: a subset of its measures, every council and year ------------------------------------------

@pytest.fixture(scope="module")
def subset_db(tmp_path_factory) -> Path:
    return published_subset_db(tmp_path_factory.mktemp("compare"))


def _rows(db: Path, name: str, *args):
    con = connect(db, read_only=True)
    try:
        return getattr(queries, name)(con, *args)
    finally:
        con.close()


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell a plain object, each missing value None: the same figures compare equal whatever their dtypes."""
    return frame.reset_index(drop=True).astype(object).where(frame.reset_index(drop=True).notna(), None)


@needs_shared
def test_the_series_table_shows_lait_raw_text_rounded_to_the_measures_decimals():
    rows = history([("HIGH", "higher", 2023, 32.700000000000003, "C", 50, 65.04999999, 64.123),
                    ("HIGH", "higher", 2024, "c", None, None, 66.0, 64.5)])
    rows.loc[0, "value_written"] = "32.700000000000003"  # as LAIT's parquet writes it
    table = compare.series_table(compare.series(rows, "HIGH"), FICTIONAL, 1)
    assert table[FICTIONAL].tolist() == ["32.7", "c"]
    assert table["England"].tolist() == [65.0, 66.0] and table["Neighbours' mean"].tolist() == [64.1, 64.5]


def test_one_councils_benchmarks_are_the_views_rows_with_the_model_and_load(subset_db):
    mine = _rows(subset_db, "council_benchmarks", HEREFORDSHIRE)
    assert set(mine["indicator_code"]) == set(MEASURES) and len(mine) > 30
    assert set(mine["organisation_id"]) == {HEREFORDSHIRE}
    assert set(mine["neighbour_model_name"]) == {"Statistical neighbours, May 2025"} and mine["loaded_at"].notna().all()
    # LAIT's dictionary dates each measure (Last Update, an Excel serial number)
    assert mine["source_updated"].notna().all() and mine["source_updated"].min() > pd.Timestamp("2015-01-01")
    one = _rows(subset_db, "council_benchmarks", HEREFORDSHIRE, "LAC_Foster_Placements")
    pd.testing.assert_frame_equal(_plain(one), _plain(mine[mine["indicator_code"] == "LAC_Foster_Placements"]),
                                  check_dtype=False)


@needs_shared
def test_herefordshire_foster_care_2024_over_time_and_in_the_spread(subset_db):
    rows = compare.series(_rows(subset_db, "council_benchmarks", HEREFORDSHIRE), "LAC_Foster_Placements")
    year = rows[rows["period"] == "2024"].iloc[0]
    assert year["value"] == 71.0 and year["england"] == 67.0 and 60 < year["statistical_neighbours"] < 70
    spread = _rows(subset_db, "benchmark_spread", "LAC_Foster_Placements", year["period_start"], year["period_end"])
    assert len(spread) > 140 and spread.loc[spread["organisation_id"] == HEREFORDSHIRE, "value"].tolist() == [71.0]
    assert spread["value"].dropna().is_monotonic_increasing


def _page(db: Path, monkeypatch, org: str = HEREFORDSHIRE) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/compare.py")
    at.run()
    at.selectbox(key="org").set_value(org)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption).replace("\\", "")


@needs_shared
def test_page_lists_every_measure_with_source_licence_and_model(subset_db, monkeypatch):
    at = _page(subset_db, monkeypatch)
    text = _captions(at)
    assert "Source: Department for Education, Local Authority Interactive Tool (LAIT), updated" in text
    assert LICENCE in text and "model: Statistical neighbours, May 2025" in text
    table = at.dataframe[0].value
    assert set(table["Code"]) == set(MEASURES)
    assert {"Herefordshire Council", "Band", "Rank", "Of", "Neighbours' mean", "England", "Region",
            "Direction"} <= set(table.columns)
    at.selectbox(key="compare_topic").set_value("Child Protection").run()
    assert at.dataframe[0].value["Code"].tolist() == ["Continue_Assess_Comp"]
    assert at.query_params["topic"] == "Child Protection"


@needs_shared
def test_bottom_quartile_and_worsening_is_one_toggle_away(subset_db, monkeypatch):
    at = _page(subset_db, monkeypatch)
    at.toggle(key="compare_worse").set_value(True).run()
    assert not at.exception
    # Herefordshire's 2025 continuous assessments in time and its children in need's persistent absence.
    assert set(at.dataframe[0].value["Code"]) == {"Continue_Assess_Comp", "CINPermAbsent_3Term"}
    words = at.markdown[0].value.replace("\\", "").splitlines()
    assert len(words) == 2 and all("band D (worst quarter)" in w and "worsening from" in w for w in words)
    assert any(w.startswith("- Continuous assessments") for w in words)
    assert at.query_params["worse"] == "1"


def _table_with(at, *columns):
    """The first table on the page with these columns (each chart is followed by a table of its figures too)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


@needs_shared
def test_picking_a_measure_shows_both_charts_with_their_figures(subset_db, monkeypatch):
    at = _page(subset_db, monkeypatch)
    at.selectbox(key="compare_measure").set_value("LAC_Foster_Placements").run()
    assert not at.exception
    over_time = _table_with(at, "Period", "Neighbours with a figure").set_index("Period")
    assert [float(v) for v in over_time.loc["2024", ["Herefordshire Council", "England"]]] == [71.0, 67.0]
    assert 60 < over_time.loc["2024", "Neighbours' mean"] < 70
    assert len(at.get("plotly_chart")) == 2
    text = _captions(at)
    assert "% of CLA in foster care: Herefordshire Council" in text and "councils from" in text
    assert at.query_params["measure"] == "LAC_Foster_Placements"


@needs_shared
def test_a_council_without_published_figures_can_choose_any_that_has(subset_db, monkeypatch):
    at = _page(subset_db, monkeypatch, org="hertfordshire-childrens-trust")  # a partnership: no LA number
    assert "Hertfordshire Children's Trust has no published national figures" in _captions(at).replace("'", "'")
    picker = at.selectbox(key="peer:hertfordshire-childrens-trust")
    assert len(picker.options) > 140 and "Herefordshire Council" in picker.options
    picker.set_value(HEREFORDSHIRE).run()
    assert not at.exception
    assert "Herefordshire Council" in at.dataframe[0].value.columns
    assert at.query_params["peer"] == HEREFORDSHIRE


@needs_shared
def test_indicator_page_shows_a_published_measures_comparators(subset_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(subset_db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/indicators.py")
    at.run()
    at.selectbox(key="org").set_value(HEREFORDSHIRE).run()
    at.text_input(key="find").input("LAC_Foster_Placements").run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(s.value for s in at.subheader) == "Against England, the region and statistical neighbours"
    comparators = _table_with(at, "Period", "West Midlands").set_index("Period")
    assert comparators.loc["2024", "England"] == 67.0 and "West Midlands" in comparators.columns
    assert LICENCE in _captions(at)


@needs_shared
def test_the_loads_that_brought_published_figures_carry_the_licence(subset_db):
    loads = _rows(subset_db, "published_uploads")
    assert len(loads) == 1 and LICENCE in loads.iloc[0]["note"]
    # The seed's own loads brought no published figure, so a pack of documents' figures carries no licence line.
    assert board_pack.published_lines(loads, {1, 2, 3, 4, 5}) == []


# --- Published measures against comparators: the assessment, the overview's exceptions, the indicator page -------

@needs_shared
def test_the_stored_assessment_gives_published_measures_a_comparator_verdict(subset_db):
    con = connect(subset_db, read_only=True)
    try:
        rows = con.execute("""SELECT indicator_code, verdict, basis, rule, explanation, direction
                              FROM v_indicator_assessment WHERE organisation_id = ?
                              AND indicator_code IN (SELECT unnest(?::VARCHAR[]))""",
                           [HEREFORDSHIRE, list(MEASURES)]).df().set_index("indicator_code")
    finally:
        con.close()
    late = rows.loc["Continue_Assess_Comp"]
    assert (late["verdict"], late["basis"], late["rule"], late["direction"]) == \
        ("worse", "comparator", "comparator", "worsening")
    assert late["explanation"].startswith("Band D, the worst quarter of 15")
    assert "(higher is better): 71.1 for 2025; neighbours' mean" in late["explanation"]
    assert "; England 85.7." in late["explanation"]
    assert rows.loc["LAC_Foster_Placements", "explanation"].startswith("Band A, the best quarter")
    # Adoptions have no better direction, so no band and no verdict against comparators.
    assert rows.loc["No_of LAC Adopted", "verdict"] == "not_assessed"


def _overview(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.selectbox(key="org").set_value(HEREFORDSHIRE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@needs_shared
def test_overview_lists_bottom_quartile_measures_and_filters_to_worsening_in_one_click(subset_db, monkeypatch):
    at = _overview(subset_db, monkeypatch)
    table = at.dataframe[0].value
    published = table[table["Kind"] == "Published measure"].set_index("Code")
    assert set(published.index) == {"Continue_Assess_Comp", "CINPermAbsent_3Term"}
    late = published.loc["Continue_Assess_Comp"]
    assert (late["Verdict"], late["Direction"]) == ("Worse than comparator", "worsening")
    assert late["Why"].startswith("Band D, the worst quarter of 15") and "England 85.7" in late["Why"]
    assert late["Detail"].startswith("compare?org=herefordshire-council") and "measure=Continue_Assess_Comp" in \
        late["Detail"]
    assert (table["Kind"] != "Published measure").any()  # the plan's own exceptions are still there
    assert "Published measures: 2 in the bottom quartile of councils, 2 of them worsening." in at.markdown[0].value
    at.toggle(key="attention_bottom").set_value(True).run()
    assert not at.exception
    assert set(at.dataframe[0].value["Code"]) == {"Continue_Assess_Comp", "CINPermAbsent_3Term"}
    assert at.query_params["bottom"] == "1"


@needs_shared
def test_indicator_page_gives_a_published_measure_its_comparator_verdict(subset_db, monkeypatch):
    at = _overview(subset_db, monkeypatch)
    at.switch_page("views/indicators.py").run()
    at.text_input(key="find").input("Continue_Assess_Comp").run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Verdict (against comparators (no target applies))" in text
    assert "Worse than comparator" in text and "Band D, the worst quarter of 15" in text
    assert "Red" not in text.split("Verdict", 1)[1].split("\n")[0]
