"""The import pipeline on a fictional council: records land with provenance; bad rows say where and why."""
from pathlib import Path

import pytest

from conftest import table_checksums
from dashboard.importer.kinds import Known
from dashboard.importer.pipeline import validate_text
from dashboard.loading.build import build
from dashboard.loading.seed import SeedError
from dashboard.store import queries
from dashboard.store.connection import connect


def test_fixture_loads_with_provenance(fixture_db):
    con = connect(fixture_db, read_only=True)
    actions = con.execute("SELECT code, status, due_kind, source_doc, source_line FROM v_actions "
                          "ORDER BY sort_order").fetchall()
    assert actions == [("1.1.1", "green", "date", "900", 5), ("1.1.1a", "not_assessed", "ongoing", "900", 6),
                       ("2.1", "red", "tbc", "900", 7)]
    aliases = con.execute("SELECT indicator_code FROM indicator_aliases WHERE alias_key = 'NI65'").fetchall()
    assert aliases == [("NI 65",)]
    text_value = con.execute("SELECT value_num, value_text FROM observations WHERE value_written = 'New indicator'"
                             ).fetchall()
    assert text_value == [(None, "New indicator")]


def _known(db: Path) -> Known:
    con = connect(db, read_only=True)
    try:
        return queries.known_references(con)
    finally:
        con.close()


def test_every_bad_cell_is_reported_with_row_column_and_reason(fixture_db):
    text = ("indicator_code,organisation,period,measure,value\n"
            "NI 65,nowhere-borough,2009/2,actual,12\n"
            "NI 99,nowhere-borough,2009/10,actual,12\n"
            "NI 65,nowhere-borough,2009/10,guess,12\n"
            "NI 65,nowhere-borough,2009/10,comparator,12\n")
    batch = validate_text("observations", text, "refresh.csv", _known(fixture_db))
    messages = [str(problem) for problem in batch.errors]
    assert messages == [
        "refresh.csv, Row 2, column 'period' ('2009/2'): not a period; write 2009/10, 2009/10 Q2, March 2010 or "
        "31/03/2010",
        "refresh.csv, Row 3, column 'indicator_code' ('NI 99'): there is no indicator 'NI 99'; add it to the "
        "indicators list first.",
        "refresh.csv, Row 4, column 'measure' ('guess'): 'guess' is not allowed here; use one of: actual, target, "
        "forecast, baseline, comparator.",
        "refresh.csv, Row 5, column 'comparator_group': a comparator needs its group, such as "
        "statistical_neighbours or england.",
    ]
    assert batch.records == {}


def test_headers_match_forgivingly_and_unknown_columns_are_reported(fixture_db):
    text = "Indicator Code, ORGANISATION ,Period,Measure,Value,Colour\nni65,nowhere-borough,2010/11,target,10,blue\n"
    batch = validate_text("observations", text, "f.csv", _known(fixture_db))
    assert not batch.errors
    assert [str(p) for p in batch.warnings] == ["f.csv, Row 1, column 'colour': Unknown column; it will be ignored."]
    assert batch.records["observations"][0]["indicator_code"] == "NI 65"


def test_missing_column_and_empty_files_are_refused(fixture_db):
    known = _known(fixture_db)
    assert [p.message for p in validate_text("observations", "", "e.csv", known).errors] == [
        "The file is empty: it has no header row."]
    assert [p.message for p in validate_text("observations", "indicator_code,organisation,period,measure,value\n",
                                             "h.csv", known).errors] == ["The file has a header but no data rows."]
    missing = validate_text("observations", "indicator_code,period\nNI 65,2009/10\n", "m.csv", known)
    assert {(p.column, p.message) for p in missing.errors} == {
        ("organisation", "This column is missing; the file needs it."),
        ("measure", "This column is missing; the file needs it."),
        ("value", "This column is missing; the file needs it.")}


def test_a_broken_seed_leaves_the_existing_database_untouched(fixture_db, fixture_seed_copy):
    before = table_checksums(fixture_db)
    actions = fixture_seed_copy / "900" / "actions.csv"
    actions.write_text(actions.read_text() + "nowhere-plan,9.9,,no-such-area,action,Orphan,,,,8\n")
    with pytest.raises(SeedError, match="there is no area 'no-such-area'"):
        build(fixture_db, fixture_seed_copy)
    assert table_checksums(fixture_db) == before
