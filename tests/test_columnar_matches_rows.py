"""The columnar checker of indicators files (`importer.columnar`) against the row-by-row converter it replaced
for uploads (`officer._observation_or_removal`, still the rules' plainest statement): on generated and fuzzed files,
both give the same problems (row, column, value, message, severity, order) and the same records. Derandomised, like
the fuzz tests, so every run checks the same files. Then the columnar compare where a key holds two stored figures
(a document's conflict): a change or a removal takes both, and a rollback puts both back."""
from __future__ import annotations

import csv
import io

import duckdb
import numpy as np
import pytest
from hypothesis import given, strategies as st

from dashboard.importer.checks import cell_problems, duplicate_keys
from dashboard.importer.columnar import _cell_problems, _convert, _Found, _repeats
from dashboard.importer.files import read_upload
from dashboard.importer.kinds import Known, alias_key
from dashboard.importer.officer import INDICATORS
from dashboard.importer.pipeline import header_problems, validate_rows
from dashboard.importer.read import read_csv_text
from dashboard.importer.sheet import read_sheet
from test_fuzz_imports import CELL, FUZZ, PLAUSIBLE, csv_files

KEY = ("indicator_code", "organisation_id", "period_type", "period_start", "period_end", "measure",
       "comparator_group")


def _known() -> Known:
    codes = ["NI 65", "LOCAL NB-ATTEND"]
    return Known(organisations={"nowhere-borough"}, aliases={alias_key(code): code for code in codes})


def _by_rows(text: str):
    headers, rows, shape = read_csv_text(text, "f.csv")
    batch = validate_rows(INDICATORS, headers, rows, shape, "f.csv", _known())
    if batch.records or batch.row_count:
        batch.problems.extend(cell_problems(rows, "f.csv"))
        batch.problems.extend(duplicate_keys(batch.records, "f.csv"))
    batch.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return batch.problems, batch.records.get("observations", [])


def _by_columns(text: str):
    sheet = read_sheet(text, "f.csv")
    problems = list(sheet.problems)
    usable = False
    if sheet.headers:
        found_in_header, usable = header_problems(INDICATORS, sheet.headers, "f.csv", has_rows=len(sheet) > 0)
        problems += found_in_header
    if not usable:
        return sorted(problems, key=lambda p: (p.row is not None, p.row or 0)), []
    found = _Found(sheet, "f.csv")
    records = _convert(found, _known())
    records = records.filter(np.asarray(~found.failed))
    _cell_problems(found)
    _repeats(duckdb.connect(), found, records)
    problems += found.sorted()
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return problems, records.drop_columns(["position"]).to_pylist()


@st.composite
def mostly_valid_files(draw) -> str:
    """An indicators file whose cells are mostly ones the checks accept (so most rows become records, some
    repeat, some remove), with a malformed cell now and then, and now and then a ragged row."""
    optional = list(INDICATORS.optional)
    header = draw(st.permutations(list(INDICATORS.required) + draw(
        st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))))
    cell = {column: st.integers(min_value=0, max_value=11).flatmap(
        lambda n, column=column: CELL if n == 0 else st.sampled_from(PLAUSIBLE.get(column, [""])))
        for column in header}
    rows = draw(st.lists(st.tuples(*[cell[column] for column in header]).map(list), min_size=1, max_size=12))
    rows += draw(st.lists(st.sampled_from(rows), max_size=3))  # exact repeats
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        rows.append(rows[0] + ["extra"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + rows)
    return out.getvalue()


def _same(text: str) -> None:
    problems, records = _by_rows(text)
    column_problems, column_records = _by_columns(text)
    assert column_problems == problems
    assert len(column_records) == len(records)
    for expected, got in zip(records, column_records):
        if expected.get("_remove"):  # a removal names its row by key alone
            assert {column: got[column] for column in KEY} | {"_remove": True} == \
                {column: expected[column] for column in KEY} | {"_remove": True}
        else:
            assert {column: got[column] for column in expected} == expected
            assert got["_remove"] is False


@pytest.mark.slow
@FUZZ
@given(text=mostly_valid_files())
def test_the_columnar_checker_finds_what_the_row_converter_finds(text):
    _same(text)


@FUZZ
@given(data=csv_files("indicators"))
def test_the_same_on_the_fuzzers_files(data):
    text, _ = read_upload("f.csv", data, "indicators")
    if text is not None:
        _same(text)


def _conflict(db) -> None:
    """A second stored figure for NI 65's 2008/09 actual, as a document that prints two gives (is_conflict)."""
    from dashboard.store.connection import connect

    con = connect(db)
    try:
        con.execute("INSERT INTO observations SELECT * REPLACE (14.9 AS value_num, '14.9%' AS value_written, "
                    "true AS is_conflict) FROM observations WHERE indicator_code = 'NI 65' AND measure = 'actual' "
                    "AND period_text = '2008/09'")
    finally:
        con.close()


def _stage(db, rows: str):
    from dashboard.loading import refresh

    header = "indicator_code,organisation,period,measure,value,remove\n"
    return refresh.stage(db, "indicators", "f.csv", (header + rows).encode(), "tester")


def test_an_upload_replaces_every_stored_figure_of_its_key_and_a_rollback_puts_them_back(fixture_db):
    from dashboard.loading import refresh
    from dashboard.store.connection import connect

    _conflict(fixture_db)
    preview = _stage(fixture_db, "NI 65,nowhere-borough,2008/09,actual,12.5%,\n")
    change = preview.changes["observations"]
    assert change.counts == (0, 1, 0)
    (olds, new), = change.changed
    assert sorted(old["value_written"] for old in olds) == ["12.0%", "14.9%"] and new["value_num"] == 12.5
    upload = refresh.commit(preview, fixture_db)
    con = connect(fixture_db, read_only=True)
    try:
        query = ("SELECT value_written FROM observations WHERE indicator_code = 'NI 65' AND measure = 'actual' "
                 "AND period_text = '2008/09' ORDER BY 1")
        assert con.execute(query).fetchall() == [("12.5%",)]
        assert con.execute("SELECT count(*) FROM superseded_observations WHERE superseded_by = ?",
                           [upload]).fetchall() == [(2,)]
    finally:
        con.close()
    refresh.roll_back(fixture_db, upload, "tester")
    con = connect(fixture_db, read_only=True)
    try:
        assert con.execute(query).fetchall() == [("12.0%",), ("14.9%",)]
    finally:
        con.close()


def test_a_removal_takes_every_stored_figure_of_its_key_and_says_when_there_is_none(fixture_db):
    _conflict(fixture_db)
    preview = _stage(fixture_db, "NI 65,nowhere-borough,2008/09,actual,,yes\n"
                                 "NI 65,nowhere-borough,2001/02,actual,,yes\n")
    change = preview.changes["observations"]
    assert change.counts == (0, 0, 2)
    assert sorted(old["value_written"] for old in change.removed) == ["12.0%", "14.9%"]
    assert [row["upload_row"] for row in change.not_found] == [3]
    assert [(p.row, p.severity) for p in preview.problems if "no such row" in p.message] == [(3, "warning")]


def test_the_previews_first_rows_are_the_first_rows_of_the_whole_preview(fixture_db):
    from dashboard.loading.changes import rows_frame

    _conflict(fixture_db)
    # Two rows added, one changed, and a removal that takes two stored figures (the conflict): five rows in all.
    preview = _stage(fixture_db, "NI 65,nowhere-borough,2010/11,actual,1%,\n"
                                 "NI 65,nowhere-borough,2011/12,actual,2%,\n"
                                 "NI 65,nowhere-borough,2007/08,actual,99%,\n"
                                 "NI 65,nowhere-borough,2008/09,actual,,yes\n")
    change = preview.changes["observations"]
    assert change.counts == (2, 1, 2)
    columns = ["indicator_code", "period_text", "value_written"]
    whole = rows_frame(change, columns)
    assert list(whole["What happens"]) == ["added", "added", "changed", "removed", "removed"]
    for limit in range(7):
        assert rows_frame(change, columns, limit=limit).to_dict("records") == whole.head(limit).to_dict("records")
