"""Series that continue (issue 18, item 5): each pairing in data/seed/series_joins.csv joins a document indicator to
a real LAIT measure and is written down in docs/series-continuity.md; on the seed data with those LAIT measures
imported, Herefordshire's NI 62 runs from the document's 2007/08 outturn to DfE's latest year, the change of
definition marked on the chart and in the table."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from compare_support import LAIT, lait_subset
from streamlit.testing.v1 import AppTest

from dashboard.loading import refresh, series_joins
from dashboard.loading.build import SEED_DIR, build
from dashboard.published.load import stage_published
from dashboard.store import queries
from dashboard.store.connection import connect

REPO = Path(__file__).resolve().parents[1]
HEREFORDSHIRE = "herefordshire-council"


@pytest.fixture(scope="module")
def joined_db(tmp_path_factory) -> Path:
    """The seed data with the LAIT measures the pairings name, imported through the real published import."""
    folder = tmp_path_factory.mktemp("joins")
    db = build(folder / "dashboard.duckdb", SEED_DIR)
    codes = sorted({join.published_code for join in series_joins.joins().values()})
    preview = stage_published(db, [lait_subset(folder / "lait", codes)], uploaded_by="test",
                              dictionary=LAIT / "lait_data_dictionary.csv")
    assert not preview.errors, preview.errors
    refresh.commit(preview, db)
    return db


def test_every_pairing_names_a_real_indicator_and_measure_and_is_written_down():
    pairings = series_joins.joins()
    assert {"PAF A1", "NI 62", "NI 63"} <= set(pairings)
    seed_codes = {row["code"] for path in SEED_DIR.glob("*/indicators.csv")
                  for row in csv.DictReader(path.open(encoding="utf-8"))}
    with (LAIT / "lait_data_dictionary.csv").open(encoding="utf-8-sig") as handle:
        measures = {row["Measure_short"] for row in csv.DictReader(handle)}
    evidence = (REPO / "docs" / "series-continuity.md").read_text(encoding="utf-8")
    for code, join in pairings.items():
        assert code in seed_codes and join.published_code in measures
        assert f"`{code}`" in evidence and f"`{join.published_code}`" in evidence
        assert join.definition.startswith("From ")
    # A rejected pairing is never joined: PAF D35 counted children in care for 4 years, NI 60 a 35-day assessment.
    assert "PAF D35" not in pairings and "NI 60" not in pairings


def test_herefordshires_ni_62_runs_from_the_document_to_dfes_latest_year(joined_db):
    join = series_joins.for_indicator("NI 62")
    con = connect(joined_db, read_only=True)
    try:
        series = series_joins.joined(queries.indicator_series(con, "NI 62", HEREFORDSHIRE),
                                     queries.indicator_series(con, join.published_code, HEREFORDSHIRE), join)
        published = con.execute("SELECT period_text, value_num FROM observations WHERE indicator_code = ? AND "
                                "organisation_id = ? ORDER BY period_end", [join.published_code, HEREFORDSHIRE]
                                ).fetchall()
    finally:
        con.close()
    actuals = series[series["measure"] == "actual"]
    assert actuals["period_text"].iloc[0] == "2007/2008" and actuals["value_written"].iloc[0] == "5%"
    assert actuals["definition"].iloc[0] == series_joins.DOCUMENT_WORDS
    assert actuals[["period_text", "value_num"]].iloc[1:].apply(tuple, axis=1).tolist() == published
    assert published[0][0] == "2016" and len(published) == 10
    assert set(actuals["definition"].iloc[1:]) == {join.definition}
    assert series_joins.change_point(series, join) == pd.Timestamp(
        series.loc[series["definition"] == join.definition, "period_end"].min())
    # The document's targets stay, with its own definition.
    assert set(series.loc[series["measure"] == "target", "definition"]) == {series_joins.DOCUMENT_WORDS}


def test_hertfordshires_paf_a1_runs_from_the_1990s(joined_db):
    join = series_joins.for_indicator("PAF A1")
    con = connect(joined_db, read_only=True)
    try:
        series = series_joins.joined(queries.indicator_series(con, "PAF A1", "hertfordshire-cc"),
                                     queries.indicator_series(con, join.published_code, "hertfordshire-cc"), join)
    finally:
        con.close()
    actuals = series[series["measure"] == "actual"]
    assert actuals["period_text"].tolist()[:3] == ["97/98", "98/99", "99/00"]
    assert pd.Timestamp(actuals["period_end"].max()).year == 2025


def test_the_indicator_page_shows_one_series_with_the_change_marked(joined_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(joined_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/indicators.py")
    at.run()
    at.selectbox(key="org").set_value(HEREFORDSHIRE)
    at.run()
    at.text_input(key="find").input("NI 62").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="indicator").value == "NI 62"
    assert any("continues with the Department for Education's published figure" in box.value for box in at.info)
    figures = next(table.value for table in at.dataframe if "Definition" in table.value.columns)
    actual = figures[figures["Measure"] == "Actual"]
    assert actual["Period"].tolist()[0] == "2007/2008" and actual["Period"].tolist()[-1] == "2025"
    assert actual["Definition"].tolist()[0] == series_joins.DOCUMENT_WORDS
    assert actual["Definition"].tolist()[-1].startswith("From 2016: DfE's published figure")
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [shape["type"] for shape in chart["layout"]["shapes"]] == ["line"]
    assert any(note["text"] == series_joins.CHANGE_LABEL for note in chart["layout"]["annotations"])
    # An indicator with no pairing keeps its own series and no Definition column.
    at.text_input(key="find").input("NI 60").run()
    assert not any("Definition" in table.value.columns for table in at.dataframe)
