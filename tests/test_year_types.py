"""Academic and financial years: a split year with no period_type, for an indicator reported by academic year, gets
a warning naming both readings."""
from __future__ import annotations

import pytest

from dashboard.importer.columnar import validate_indicators
from dashboard.store import queries
from dashboard.store.connection import connect

HEAD = "indicator_code,organisation,period,period_type,measure,value\n"


@pytest.fixture()
def con(seed_db):
    connection = connect(seed_db, read_only=True)
    yield connection
    connection.close()


def _warnings(con, rows: str) -> list[str]:
    batch = validate_indicators(con, HEAD + rows, "q.csv")
    assert not batch.errors, [str(p) for p in batch.errors]
    return [f"row {p.row}, {p.column}: {p.message}" for p in batch.warnings if p.column == "period"]


def test_year_types_come_from_the_definition_or_the_stored_figures(con):
    types = queries.indicator_year_types(con)
    assert types["NI 72"] == "academic"  # Foundation stage profile: 2006-2007, 2007-2008 in document 004
    assert types["NI 117"] == "financial"  # NEET: 2007/2008, 2008/2009
    assert "BVPI 157" in types and "LOCAL HCT-Y6-OWOB-BOYS" not in types  # a calendar year only: no year type


@pytest.mark.parametrize("row, warned", [
    ("NI 72,herefordshire-council,2009/10,,actual,55%", True),           # a split year, no type given
    ("NI 72,herefordshire-council,09/10,,actual,55%", True),
    ("NI 72,herefordshire-council,2009/10,financial_year,actual,55%", False),  # stated: no guess to warn about
    ("NI 72,herefordshire-council,2009/10,academic_year,actual,55%", False),
    ("NI 72,herefordshire-council,March 2010,,actual,55%", False),       # one reading only
    ("NI 117,herefordshire-council,2009/10,,actual,5%", False),          # a financial-year indicator
])
def test_an_ambiguous_year_for_an_academic_year_indicator_is_warned(con, row, warned):
    found = _warnings(con, row + "\n")
    assert bool(found) is warned, found
    if warned:
        assert "is read as the financial year (01/04/2009 to 31/03/2010)" in found[0]
        assert "NI 72 is reported by academic year (01/09/2009 to 31/08/2010" in found[0]
        assert found[0].startswith("row 2, period:")
