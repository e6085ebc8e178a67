"""Parse periods as councils write them (97/98, 2009/10 Q2, March 2000, 31.3.00, 06/2009, 2009-2011) into dates."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERIOD_TYPES = ("financial_year", "academic_year", "calendar_year", "quarter", "month", "date", "range", "term")

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
_MONTHS["sept"] = 9
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
_PREFIX = re.compile(r"^(by|end of|end|from|before|in|at|until|to|as at|as of|at end of)\s+", re.IGNORECASE)


NOT_A_PERIOD = "not a period; write 2009/10, 2009/10 Q2, March 2010 or 31/03/2010"


class PeriodError(ValueError):
    """A text that is not a period; the message (without the value) says what would be accepted."""


@dataclass(frozen=True)
class Period:
    """A normalised period: its type and the first and last day it covers."""

    type: str
    start: date
    end: date


def expand_year(text: str, after: int | None = None) -> int:
    """Turn a 2- or 4-digit year into 4 digits; a 2-digit year follows `after` when given (99/2000, 2000/1)."""
    value = int(text)
    if len(text) == 4:
        return value
    if after is not None:
        # The second half of 97/98, 2000/1 or 2009/10: the first year after `after` ending in these digits.
        modulus = 10 ** len(text)
        candidate = after - after % modulus + value
        return candidate if candidate > after else candidate + modulus
    return 1900 + value if value >= 50 else 2000 + value


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_span(first: int, type_: str) -> Period:
    if type_ == "academic_year":
        return Period(type_, date(first, 9, 1), date(first + 1, 8, 31))
    return Period("financial_year", date(first, 4, 1), date(first + 1, 3, 31))


# The plausible years of any figure or status (issue 24): a typed '9999' or '1850' is refused, not stored as latest.
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100


def parse_period(written: str, type_hint: str | None = None) -> Period:
    """Parse a written period; `type_hint` ('academic_year') says how to read a split year like 2007/08. A period
    outside the plausible years is refused."""
    period = _parse_period(written, type_hint)
    if period.start.year < EARLIEST_YEAR or period.end.year > LATEST_YEAR:
        year = period.start.year if period.start.year < EARLIEST_YEAR else period.end.year
        raise PeriodError(f"the year {year} is outside {EARLIEST_YEAR} to {LATEST_YEAR}, so it cannot be right; "
                          "check the period")
    return period


def _real_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise PeriodError(f"not a real date: there is no month {month} (the date is day first, "
                              "31/03/2010)") from None
        raise PeriodError(f"not a real date: {calendar.month_name[month]} {year} has no day {day}") from None


def _parse_period(written: str, type_hint: str | None = None) -> Period:
    text = " ".join(str(written).replace("\u2013", "-").replace("\u2014", "-").split())
    previous = None
    while previous != text:  # 'before end Feb 06', 'by end of March 09': strip every leading word of timing
        previous, text = text, _PREFIX.sub("", text).strip().rstrip(".").strip()
    text = re.sub(r"(\d)\s+(st|nd|rd|th)\b", r"\1\2", text, flags=re.IGNORECASE)  # '1 st Apr 06'
    text = re.sub(r"\s'(\d{2})$", r" \1", text)  # "August '09"
    text = re.sub(r"^([A-Za-z]{3,9})\.?(\d{2}|\d{4})$", r"\1 \2", text)  # 'May06', 'Oct05'
    if not text:
        raise PeriodError("empty: write a period such as 2009/10")
    low = text.lower()
    split_type = "academic_year" if type_hint == "academic_year" else "financial_year"

    # Two periods joined by 'to': '01/02 to 03/04' (IEG6 section 5) runs from the first's start to the second's end.
    parts = re.split(r"\s+to\s+", text, flags=re.IGNORECASE)
    if len(parts) == 2:
        first, last = parse_period(parts[0], type_hint), parse_period(parts[1], type_hint)
        if last.end <= first.start:
            raise PeriodError("the second period ends before the first begins")
        return Period("range", first.start, last.end)

    # A span of months in one year: 'Jan - Mar 06' (the first month falls in the year before if it comes later).
    match = re.fullmatch(r"([a-z]{3,9})\.?\s*-\s*([a-z]{3,9})\.?\s+(\d{2}|\d{4})", low)
    if match and match.group(1) in _MONTHS and match.group(2) in _MONTHS:
        first_month, last_month = _MONTHS[match.group(1)], _MONTHS[match.group(2)]
        year = _full_year(match.group(3))
        start_year = year - 1 if first_month > last_month else year
        return Period("range", date(start_year, first_month, 1), _month_end(year, last_month))

    # Quarters: '2009/10 Q2', 'Q2 2009/10' (financial quarters: Q1 is April to June).
    match = re.fullmatch(r"(?:q([1-4])\s+)?((?:19|20)?\d{2})[/-](\d{1,4})(?:\s+q([1-4]))?", low)
    if match and (match.group(1) or match.group(4)):
        year = _split_year(match.group(2), match.group(3), text)
        quarter = int(match.group(1) or match.group(4))
        start_month = 4 + 3 * (quarter - 1)
        start_year = year + (start_month - 1) // 12
        start_month = (start_month - 1) % 12 + 1
        end_month = start_month + 2
        return Period("quarter", date(start_year, start_month, 1), _month_end(start_year, end_month))

    # Split years: 97/98, 99/2000, 2000/1, 2009/10, 2007-08, 1999/2000; a wider span is a range (2009-2011).
    if match:
        first_text, second_text = match.group(2), match.group(3)
        if len(first_text) == 2 and len(second_text) == 4 and "/" in text and 1 <= int(first_text) <= 12:
            month, year = int(first_text), int(second_text)  # 06/2009 is a month
            return Period("month", date(year, month, 1), _month_end(year, month))
        first = _full_year(first_text)
        second = int(second_text) if len(second_text) == 4 else expand_year(second_text, after=first)
        if second == first + 1:
            return _year_span(first, split_type)  # '01/02' is a year (README), not a day and month
        # A span of years: 2009-2011, 2006-08, and the plan title form 2009/11; '2009/2' is a typo, not a range.
        if first + 1 < second <= first + 5 and len(second_text) >= 2:
            return Period("range", _year_span(first, split_type).start, _year_span(second - 1, split_type).end)
        raise PeriodError(NOT_A_PERIOD)

    # Full dates, day first: 31/03/2010, 31.3.00, 1-4-2009.
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})", low)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year = _full_year(match.group(3))
        when = _real_date(year, month, day)
        return Period("date", when, when)

    # Month and year: 'March 2000', 'Sept. 09', 'Mar-09', '1 April 2009' (a date).
    match = re.fullmatch(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?[\s-]+(\d{2}|\d{4})", low)
    if match and match.group(2) in _MONTHS:
        month, year = _MONTHS[match.group(2)], _full_year(match.group(3))
        if match.group(1):
            when = _real_date(year, month, int(match.group(1)))
            return Period("date", when, when)
        return Period("month", date(year, month, 1), _month_end(year, month))
    if match and match.group(2) in _SEASONS:
        first_month, last_month = _SEASONS[match.group(2)]
        year = _full_year(match.group(3))
        end_year = year + 1 if last_month < first_month else year
        return Period("term", date(year, first_month, 1), _month_end(end_year, last_month))

    # A calendar year alone: 2009.
    if re.fullmatch(r"(19|20)\d{2}", low):
        year = int(low)
        return Period("calendar_year", date(year, 1, 1), date(year, 12, 31))

    raise PeriodError(NOT_A_PERIOD)


def _full_year(text: str) -> int:
    return expand_year(text)


def _split_year(first_text: str, second_text: str, written: str) -> int:
    first = _full_year(first_text)
    second = int(second_text) if len(second_text) == 4 else expand_year(second_text, after=first)
    if second != first + 1:
        raise PeriodError(NOT_A_PERIOD)
    return first


# Published national statistics (DfE's LAIT, Explore Education Statistics) write periods their own ways: a tag after
# the year ('2023 (Rev)', '2025 (prov)', '2022-23 (OT)' for outturn, '2020 (Final)'), a span of split years
# ('2013/14-15/16'), a span of calendar years ('2014-16' for a calendar-year measure), and EES's six digits
# ('202324') whose kind of year is given by the file's time_identifier column.
_TAG = re.compile(r"^(.*?)\s*\(([A-Za-z ]+)\)$")
_TAG_FLAGS = {"rev": "revised", "revised": "revised", "prov": "provisional", "provisional": "provisional",
              "p": "provisional", "r": "revised", "est": "estimate", "estimate": "estimate"}
_SPLIT_RANGE = re.compile(r"((?:19|20)\d{2})/(\d{2})-(\d{2})/(\d{2})")
YEAR_TYPES = {  # a publisher's word for the kind of year -> the period type a split year such as 2015-16 is
    "academic year": "academic_year", "financial year": "financial_year", "calendar year": "calendar_year",
    "reporting year": "calendar_year", "tax year": "financial_year", "school year": "academic_year",
}


@dataclass(frozen=True)
class PublishedPeriod:
    """A published period: the period, and the flags its tag gives (revised, provisional, estimate)."""

    period: Period
    flags: frozenset[str]
    tag: str | None  # the tag as written ('OT', 'Final'), kept for the note


def year_type(written: str | None) -> str | None:
    """The period type a publisher's year type names ('Academic Year' -> academic_year); None when it names none."""
    return YEAR_TYPES.get(" ".join(str(written or "").lower().split()))


def parse_published_period(written: str, hint: str | None = None) -> PublishedPeriod:
    """Parse a period as DfE publishes it; `hint` is a period type (academic_year, financial_year, calendar_year)
    from the data dictionary's year type or EES's time_identifier. Raises PeriodError as parse_period does."""
    text = " ".join(str(written).split())
    tag = None
    match = _TAG.fullmatch(text)
    if match:
        text, tag = match.group(1), match.group(2).strip()
    flags = frozenset({_TAG_FLAGS[tag.lower()]} if tag and tag.lower() in _TAG_FLAGS else ())
    return PublishedPeriod(_published(text, hint), flags, tag)


def _published(text: str, hint: str | None) -> Period:
    split_type = "academic_year" if hint == "academic_year" else "financial_year"
    if re.fullmatch(r"(19|20)\d{4}", text):  # EES: 202324 is the split year 2023/24
        first, second = int(text[:4]), expand_year(text[4:], after=int(text[:4]))
        if second != first + 1:
            raise PeriodError(NOT_A_PERIOD)
        return _year_span(first, split_type)
    match = _SPLIT_RANGE.fullmatch(text)
    if match:  # 2013/14-15/16: from the start of the first split year to the end of the last
        first = int(match.group(1))
        last = expand_year(match.group(3), after=first)
        if expand_year(match.group(2), after=first) != first + 1 or expand_year(match.group(4), after=last) != last + 1:
            raise PeriodError(NOT_A_PERIOD)
        return Period("range", _year_span(first, split_type).start, _year_span(last, split_type).end)
    match = re.fullmatch(r"((?:19|20)\d{2})-(\d{2}|\d{4})", text)
    if match and hint == "calendar_year":  # 2014-16 for a calendar-year measure: three calendar years
        first, last = int(match.group(1)), expand_year(match.group(2), after=int(match.group(1)))
        if first < last <= first + 5:
            return Period("range", date(first, 1, 1), date(last, 12, 31))
    if hint in ("financial_year", "academic_year") and re.fullmatch(r"(19|20)\d{2}", text):
        # LAIT's bare year for a financial- or academic-year measure is the year ending in it: 2025 is 2024-25
        # (children who started to be looked after in the year to 31 March 2025; key stage results of summer
        # 2025), as the April 2026 file, whose latest is 2025, shows (docs/decisions.md).
        return parse_period(f"{int(text) - 1}/{text[2:]}", hint)
    return parse_period(text, hint)
