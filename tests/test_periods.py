"""Period parsing: the shapes the source documents use, and the errors officers see."""
from datetime import date

import pytest

from dashboard.parsing.periods import PeriodError, parse_period


@pytest.mark.parametrize("written, kind, start, end", [
    ("97/98", "financial_year", date(1997, 4, 1), date(1998, 3, 31)),
    ("99/2000", "financial_year", date(1999, 4, 1), date(2000, 3, 31)),
    ("2000/1", "financial_year", date(2000, 4, 1), date(2001, 3, 31)),
    ("2009/10", "financial_year", date(2009, 4, 1), date(2010, 3, 31)),
    ("01/02", "financial_year", date(2001, 4, 1), date(2002, 3, 31)),  # a year, not 1 February
    ("2007-08", "financial_year", date(2007, 4, 1), date(2008, 3, 31)),
    ("March 2000", "month", date(2000, 3, 1), date(2000, 3, 31)),
    ("31.3.00", "date", date(2000, 3, 31), date(2000, 3, 31)),
    ("31/03/2010", "date", date(2010, 3, 31), date(2010, 3, 31)),
    ("06/2009", "month", date(2009, 6, 1), date(2009, 6, 30)),
    ("by March 09", "month", date(2009, 3, 1), date(2009, 3, 31)),
    ("Sept. 09", "month", date(2009, 9, 1), date(2009, 9, 30)),
    ("2009-2011", "range", date(2009, 4, 1), date(2011, 3, 31)),
    ("01/02 to 03/04", "range", date(2001, 4, 1), date(2004, 3, 31)),  # IEG6 section 5 (002 line 2441ff)
    ("April 2006 to March 2008", "range", date(2006, 4, 1), date(2008, 3, 31)),
    ("Before end Feb 06", "month", date(2006, 2, 1), date(2006, 2, 28)),  # JAR plan, 002
    ("Jan \u2013 Mar 06", "range", date(2006, 1, 1), date(2006, 3, 31)),
    ("Nov - Jan 06", "range", date(2005, 11, 1), date(2006, 1, 31)),
    ("May06", "month", date(2006, 5, 1), date(2006, 5, 31)),
    ("1 st Apr 06", "date", date(2006, 4, 1), date(2006, 4, 1)),
    ("2009/11", "range", date(2009, 4, 1), date(2011, 3, 31)),  # 'CYPP 2009/11' (003)
    ("August '09", "month", date(2009, 8, 1), date(2009, 8, 31)),
    ("2006-08", "range", date(2006, 4, 1), date(2008, 3, 31)),
    ("2009/10 Q2", "quarter", date(2009, 7, 1), date(2009, 9, 30)),
    ("Q4 2009/10", "quarter", date(2010, 1, 1), date(2010, 3, 31)),
    ("2009", "calendar_year", date(2009, 1, 1), date(2009, 12, 31)),
    ("1 April 2009", "date", date(2009, 4, 1), date(2009, 4, 1)),
])
def test_written_periods_parse_to_their_dates(written, kind, start, end):
    period = parse_period(written)
    assert (period.type, period.start, period.end) == (kind, start, end)


def test_academic_year_hint_reads_a_split_year_as_september_to_august():
    period = parse_period("2007/08", "academic_year")
    assert (period.type, period.start, period.end) == ("academic_year", date(2007, 9, 1), date(2008, 8, 31))


@pytest.mark.parametrize("written", ["2009/2", "31/03", "soon", "2010/09", "2009/2019"])
def test_non_periods_are_refused_with_advice(written):
    with pytest.raises(PeriodError, match="not a period; write 2009/10, 2009/10 Q2"):
        parse_period(written)


def test_impossible_date_says_why():
    with pytest.raises(PeriodError, match="not a real date"):
        parse_period("30/02/2009")
