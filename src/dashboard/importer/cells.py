"""Read typed values out of one CSV row, recording an officer-readable problem for each bad cell."""
from __future__ import annotations

from datetime import date

from dashboard.importer.problems import Problem
from dashboard.parsing.periods import Period, PeriodError, parse_period
from dashboard.parsing.values import ParsedValue, parse_value

MAX_TEXT = 4000  # longer than any cell in the source documents; stops a pasted file landing in one cell
_PERIODS: dict[tuple[str, str | None], Period | PeriodError] = {}
_PERIODS_MAX = 100_000
# Each parser below runs once per distinct cell text: a national file repeats a few hundred codes, councils, periods
# and measures on a million rows. The parsers are pure, so a remembered answer is the answer.
_VALUES: dict[str, ParsedValue] = {}
_CHOICES: dict[tuple[str, tuple[str, ...]], str | None] = {}


def _remember(cache: dict, key, value):
    if len(cache) >= _PERIODS_MAX:
        cache.clear()
    cache[key] = value
    return value


def value_of(written: str) -> ParsedValue:
    """parse_value, remembered for the texts already seen."""
    parsed = _VALUES.get(written)
    return parsed if parsed is not None else _remember(_VALUES, written, parse_value(written))


def _choose(value: str, options: tuple[str, ...]) -> str | None:
    key = value.strip().lower().replace(" ", "_")
    for option in options:
        if key == option.lower():
            return option
    return None


def option_of(value: str, options: tuple[str, ...]) -> str | None:
    """The option a written choice names (case and spaces aside), remembered; None when it names none."""
    memo = (value, options)
    return _CHOICES[memo] if memo in _CHOICES else _remember(_CHOICES, memo, _choose(value, options))


def text_problem(value: str, required: bool) -> str | None:
    """What is wrong with a stripped text cell as a text (empty when required, or too long), or None."""
    if not value:
        return "This cell is empty; it must have a value." if required else None
    if len(value) > MAX_TEXT:
        return f"This text is {len(value):,} characters long; the limit is {MAX_TEXT:,}."
    return None


def choice_problem(value: str, options: tuple[str, ...]) -> str:
    """The message for a choice cell that names none of its options."""
    return f"'{value}' is not allowed here; use one of: {', '.join(options)}."


def period_of(value: str, hint: str | None) -> Period | PeriodError:
    """parse_period, remembered: a large file repeats a few periods on every row, and parsing is pure."""
    key = (value, hint)
    parsed = _PERIODS.get(key)
    if parsed is None:
        try:
            parsed = parse_period(value, hint)
        except PeriodError as error:
            parsed = error
        if len(_PERIODS) >= _PERIODS_MAX:
            _PERIODS.clear()
        _PERIODS[key] = parsed
    return parsed


class Cells:
    """One row's cells with typed accessors; every accessor reports problems instead of raising."""

    def __init__(self, row: dict[str, str], file_name: str, problems: list[Problem]):
        self.row = row
        self.row_number = int(row.get("__row__", 0))
        self.file_name = file_name
        self.problems = problems
        self.failed = False

    def problem(self, column: str | None, message: str, severity: str = "error") -> None:
        """Record a problem in this row; an error marks the row as failed."""
        value = self.row.get(column, "") if column else None
        self.problems.append(Problem(self.row_number, column, value, message, severity, self.file_name))
        if severity == "error":
            self.failed = True

    def text(self, column: str, required: bool = False) -> str | None:
        """A text cell, stripped; None when blank."""
        value = (self.row.get(column) or "").strip()
        message = text_problem(value, required)
        if message:
            self.problem(column, message)
        return value if value and message is None else None

    def choice(self, column: str, options: tuple[str, ...], required: bool = True,
               default: str | None = None) -> str | None:
        """A cell that must be one of a fixed list (compared case-insensitively)."""
        value = self.text(column, required=required and default is None)
        if value is None:
            return default
        option = option_of(value, options)
        if option is None:
            self.problem(column, choice_problem(value, options))
        return option

    def integer(self, column: str, required: bool = False) -> int | None:
        """A whole number cell."""
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            self.problem(column, f"'{value}' is not a whole number.")
            return None

    def number(self, column: str) -> float | None:
        """A numeric cell as printed ('1,774', '11.8%', '-'); text in it is a problem."""
        value = self.text(column)
        if value is None:
            return None
        parsed = value_of(value)
        if parsed.number is None:
            self.problem(column, f"'{value}' is not a number; write digits such as 1,774 or 11.8.")
        return parsed.number

    def period(self, column: str, hint: str | None = None, required: bool = True) -> Period | None:
        """A period cell ('2009/10', '2009/10 Q2', 'March 2010', '31/03/2010')."""
        value = self.text(column, required=required)
        if value is None:
            return None
        parsed = period_of(value, hint)
        if isinstance(parsed, PeriodError):
            self.problem(column, str(parsed))
            return None
        return parsed

    def date(self, column: str) -> date | None:
        """A date cell; a month or year counts as its last day."""
        period = self.period(column, required=False)
        return period.end if period else None
