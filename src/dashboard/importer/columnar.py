"""Check an officers' indicators file column by column: each rule runs once per distinct cell text and the
whole-file checks run in Arrow and DuckDB, so a national file of a million rows is checked in seconds, with the same
problems in the same order as the row-by-row converter (`officer._observation_or_removal`) gives
(tests/test_import_reference.py holds both to one reference)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.importer.cells import choice_problem, option_of, period_of, text_problem, value_of
from dashboard.importer.checks import (
    HTML_MESSAGE,
    PERCENT_OVER_100,
    formula_message,
    has_html,
    looser_target_message,
    repeat_message,
    year_type_message,
)
from dashboard.importer.control import CONTROL as CONTROL_CHARS, CONTROL_PATTERN, control_message
from dashboard.importer.kinds import (
    FLAGS,
    MEASURES,
    NO_GROUP,
    Known,
    flags_of,
    organisation_problem,
    unknown_flags,
    unknown_indicator,
)
from dashboard.importer.numbers import NEGATIVE_COUNT, fractional_count_message, percent_fraction_message, value_problem
from dashboard.importer.officer import INDICATORS, KEEP_WORDS, REMOVE_PROBLEM, REMOVE_WORDS
from dashboard.importer.pipeline import Batch, header_problems
from dashboard.importer.plausible import future_actual_message
from dashboard.importer.problems import Problem
from dashboard.importer.read import FORMULA_STARTS
from dashboard.importer.sheet import Sheet, edge_bytes, read_sheet
from dashboard.parsing.periods import PeriodError, parse_period
from dashboard.store import queries

PERIOD_TYPES = ("academic_year", "financial_year")
# A plain number ('1774', '1,774', '-12', '11.8%'): Arrow converts these itself; parse_value reads every other text.
_PLAIN_NUMBER = r"^-?[0-9][0-9,]*(\.[0-9]+)?%?$"
# A plain number whose commas, if any, separate thousands: nothing in it could be misread (see _written).
_WELL_WRITTEN = r"^-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?%?$"
# Where each check's problems stand among a row's problems: the order the row-by-row converter finds them in.
REMOVE, INDICATOR, ORGANISATION, PERIOD_TYPE, PERIOD, MEASURE, GROUP, GROUP_NEEDED, VALUE, FLAGS_TEXT, \
    FLAGS_KNOWN, NOTE, WRITTEN, FUTURE = range(14)
FORMULA, HTML, CONTROL, REPEAT, PERCENT, LOOSER, FRACTION, COUNT, YEAR_TYPE = \
    100, 200, 250, 300, 301, 302, 303, 304, 305


class _Found:
    """Problems found a column at a time, each with its row and its place in that row, sorted at the end; and
    which rows have an error so far (the converter skips some checks on those)."""

    def __init__(self, sheet: Sheet, file_name: str):
        self.sheet = sheet
        self.file_name = file_name
        self.rows = sheet.rows.to_numpy()
        self.failed = np.zeros(len(sheet), dtype=bool)
        self.found: list[tuple[int, int, Problem]] = []

    def cell(self, column: str) -> pa.Array:
        """A column's cells; a column the file does not have is blank (as `row.get(column, '')`)."""
        cells = self.sheet.columns.get(column)
        return cells if cells is not None else pa.array([""] * len(self.sheet), pa.string())

    def add(self, place: int, column: str | None, messages: pa.Array, where: np.ndarray,
            severity: str = "error") -> None:
        """Record `messages` (null: no problem) of the rows in `where`, showing each row's cell of `column`."""
        positions = np.flatnonzero(pc.is_valid(messages).to_numpy(zero_copy_only=False) & where)
        self.add_at(place, column, messages.take(positions), positions, severity)

    def add_at(self, place: int, column: str | None, messages: pa.Array, positions: np.ndarray,
               severity: str = "error") -> None:
        """As `add`, for `messages` of the rows at `positions` only (in file order)."""
        hit = pc.is_valid(messages).to_numpy(zero_copy_only=False)
        if hit.any():
            positions = positions[hit]
            self.add_rows(place, positions, messages.filter(pa.array(hit)).to_pylist(), column,
                          self.cell(column).take(positions).to_pylist() if column else None, severity)

    def add_rows(self, place: int, positions: np.ndarray, messages: list[str], column: str | None = None,
                 values: list | None = None, severity: str = "error") -> None:
        """Record one problem per position (rows in file order, counted from 0)."""
        values = values if values is not None else [None] * len(messages)
        file_name = self.file_name
        for position, message, value in zip(positions.tolist(), messages, values):
            row = int(self.rows[position])
            self.found.append((row, place, Problem(row, column, value, message, severity, file_name)))
        if severity == "error":
            self.failed[positions] = True

    def sorted(self) -> list[Problem]:
        """The problems, row by row, each row's in the converter's order."""
        return [problem for _, _, problem in sorted(self.found, key=lambda found: (found[0], found[1]))]


class _Distinct:
    """A column's distinct texts, so that a rule runs once per text, not once per row."""

    def __init__(self, cells: pa.Array | pa.ChunkedArray):
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        self.encoded = pc.dictionary_encode(cells)
        self.texts = self.encoded.dictionary.to_pylist()

    def map(self, rule: Callable[[str], object], type_: pa.DataType | None = None) -> pa.Array:
        """`rule` of every cell (as text unless `type_` says otherwise)."""
        return pa.array([rule(text) for text in self.texts], type_ or pa.string()).take(self.encoded.indices)

    def mask(self, rule: Callable[[str], bool]) -> np.ndarray:
        """`rule` of every cell, as a boolean mask."""
        return self.map(rule, pa.bool_()).to_numpy(zero_copy_only=False)


def _usable(text: str) -> bool:
    """What `Cells.text` returns a value for: not blank, not too long."""
    return bool(text) and text_problem(text, False) is None


def _text(found: _Found, place: int, column: str, required: bool, where: np.ndarray) -> tuple[pa.Array, _Distinct,
                                                                                           np.ndarray]:
    """A text cell's problems (empty when required, too long) in the rows `where`; returns the cells, their
    distinct texts and where they hold a usable value."""
    cells = found.cell(column)
    distinct = _Distinct(cells)
    found.add(place, column, distinct.map(lambda text: text_problem(text, required)), where)
    return cells, distinct, distinct.mask(_usable)


def validate_indicators(con: duckdb.DuckDBPyConnection, text: str, file_name: str,
                        on_records: Callable[[pa.Table], None] | None = None) -> Batch:
    """Every check on an officers' indicators file against the current data; its records come as one Arrow table
    (`Batch.frames['observations']`, in file order, `_remove` marking rows to remove), never a dict per row.
    `on_records` is called with the rows that passed the cell checks as soon as they are known, before the
    whole-file checks, when no row has failed so far (so a caller can start work that needs only them)."""
    sheet = read_sheet(text, file_name)
    batch = Batch()
    batch.problems.extend(sheet.problems)
    if sheet.headers:
        problems, usable = header_problems(INDICATORS, sheet.headers, file_name, has_rows=len(sheet) > 0)
        batch.problems.extend(problems)
        if usable:
            batch.row_count = len(sheet)
            found = _Found(sheet, file_name)
            records = _convert(found, queries.known_references(con))
            if found.failed.any():  # (a filter that keeps every row still copies a million of them)
                records = records.filter(pa.array(~found.failed))
            elif on_records is not None:
                on_records(records)
            _cell_problems(found, CONTROL_CHARS.search(text) is not None)
            _repeats(con, found, records)
            _value_warnings(con, found, records)
            _year_type_warnings(con, found, records)
            batch.problems.extend(found.sorted())
            batch.frames["observations"] = records.drop_columns(["position"])
    # File-wide problems first, then row by row as the officer reads the file (as for the other kinds).
    batch.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return batch


def _convert(found: _Found, known: Known) -> pa.Table:
    """The converter's checks, column by column in its order; returns a record for every row, with the row's
    position (the caller drops the failed ones)."""
    everyone = np.ones(len(found.sheet), dtype=bool)

    # remove: a yes removes the row, a no or a blank keeps it, anything else is refused (too long counts as blank)
    _, removes, remove_given = _text(found, REMOVE, "remove", False, everyone)
    found.add(REMOVE, "remove", removes.map(lambda text: REMOVE_PROBLEM if text.lower() not in
                                            REMOVE_WORDS + KEEP_WORDS else None), remove_given)
    removal = removes.mask(lambda text: text.lower() in REMOVE_WORDS) & remove_given
    keep = ~removal

    _, codes, code_given = _text(found, INDICATOR, "indicator_code", True, everyone)
    found.add(INDICATOR, "indicator_code", codes.map(lambda code: None if known.indicator(code)
                                                     else unknown_indicator(code)), code_given)
    canonical = codes.map(lambda code: known.indicator(code) if _usable(code) else None)

    orgs, organisations, org_given = _text(found, ORGANISATION, "organisation", True, everyone)
    found.add(ORGANISATION, "organisation", organisations.map(lambda org: organisation_problem(org, known)),
              org_given)
    orgs = organisations.map(lambda org: known.organisation(org) or org)  # a name or code written: its id

    _, types, type_given = _text(found, PERIOD_TYPE, "period_type", False, everyone)
    found.add(PERIOD_TYPE, "period_type", types.map(lambda text: None if option_of(text, PERIOD_TYPES)
                                                    else choice_problem(text, PERIOD_TYPES)), type_given)
    hints = pc.if_else(pa.array(type_given), types.map(lambda text: option_of(text, PERIOD_TYPES) or ""), "")

    periods, _, period_given = _text(found, PERIOD, "period", True, everyone)
    parsed = _periods(pc.binary_join_element_wise(periods, hints, "\x1f"))
    found.add(PERIOD, "period", parsed.field("problem"), period_given)

    _, measures_written, measure_given = _text(found, MEASURE, "measure", True, everyone)
    found.add(MEASURE, "measure", measures_written.map(lambda text: None if option_of(text, MEASURES)
                                                       else choice_problem(text, MEASURES)), measure_given)
    measures = pc.if_else(pa.array(measure_given), measures_written.map(lambda text: option_of(text, MEASURES)),
                          pa.scalar(None, pa.string()))

    # An indicator value reads its group here; a removal reads it last, only when nothing else in the row is wrong.
    groups, _, group_given = _text(found, GROUP, "comparator_group", False, keep | (removal & ~found.failed))
    comparator = pc.fill_null(pc.equal(measures, "comparator"), False).to_numpy(zero_copy_only=False)
    found.add(GROUP_NEEDED, "comparator_group", pa.repeat(pa.scalar(NO_GROUP), len(keep)),
              keep & comparator & ~group_given)

    values, _, value_given = _text(found, VALUE, "value", True, keep)
    _, flag_texts, flags_given = _text(found, FLAGS_TEXT, "flags", False, keep)
    found.add(FLAGS_KNOWN, "flags", flag_texts.map(lambda text: unknown_flags(flags_of(text)[1])
                                                   if flags_of(text)[1] else None), keep & flags_given)
    notes, _, note_given = _text(found, NOTE, "note", False, keep & ~found.failed)
    _written(found, values, keep & value_given)
    _future_actuals(found, periods, parsed.field("start"), measures, keep & ~found.failed)

    flag = {name: flag_texts.mask(lambda text, name=name: _usable(text) and name in flags_of(text)[0])
            for name in FLAGS}
    number, value_text = _values(values)
    return pa.table({
        "indicator_code": canonical, "organisation_id": orgs, "period_text": periods,
        "period_type": parsed.field("type"), "period_start": parsed.field("start"), "period_end": parsed.field("end"),
        "measure": measures, "comparator_group": _or_null(groups, group_given),
        "value_num": number, "value_text": value_text, "value_written": values,
        "is_provisional": flag["provisional"], "is_revised": flag["revised"], "is_estimate": flag["estimate"],
        "is_conflict": flag["conflict"], "note": _or_null(notes, note_given),
        "upload_row": pc.cast(found.sheet.rows, pa.int32()), "_remove": removal,
        "position": pa.array(np.arange(len(keep)))})


def _written(found: _Found, values: pa.Array, where: np.ndarray) -> None:
    """Values written in a way that would be misread ('12,5', '1 234', '#DIV/0!'): a plain number with its commas
    between thousands is passed over in Arrow, so the rule runs only on the other texts, once each."""
    plain = pc.match_substring_regex(values, _WELL_WRITTEN).to_numpy(zero_copy_only=False)
    positions = np.flatnonzero(where & ~plain)
    if len(positions):
        found.add_at(WRITTEN, "value", _Distinct(values.take(positions)).map(value_problem), positions)


def _future_actuals(found: _Found, periods: pa.Array, starts: pa.Array, measures: pa.Array,
                    where: np.ndarray) -> None:
    """Actual figures for periods that have not started (errors): only the rows hit are worded."""
    today = pa.scalar(date.today(), pa.date32())
    future = pc.fill_null(pc.and_(pc.equal(measures, "actual"), pc.greater(starts, today)), False)
    positions = np.flatnonzero(future.to_numpy(zero_copy_only=False) & where)
    if len(positions):
        texts = periods.take(positions).to_pylist()
        found.add_rows(FUTURE, positions, [future_actual_message(text, start) for text, start in
                                           zip(texts, starts.take(positions).to_pylist())], "period", texts)


def _or_null(cells: pa.Array, given: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(given), cells, pa.scalar(None, pa.string()))


_PERIOD = pa.struct([("problem", pa.string()), ("type", pa.string()), ("start", pa.date32()), ("end", pa.date32())])
_NO_PERIOD = {"problem": None, "type": None, "start": None, "end": None}


def _periods(with_hint: pa.Array) -> pa.StructArray:
    """Each 'period<US>hint' parsed once: its problem, or its type, start and end."""
    def parse(joined: str) -> dict:
        written, hint = joined.rsplit("\x1f", 1)  # the hint is an option or blank, never holds the mark
        if not _usable(written):
            return _NO_PERIOD
        period = period_of(written, hint or None)
        if isinstance(period, PeriodError):
            return _NO_PERIOD | {"problem": str(period)}
        return {"problem": None, "type": period.type, "start": period.start, "end": period.end}
    return _Distinct(with_hint).map(parse, _PERIOD)


def _values(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each value's number (Arrow converts plain numbers; parse_value reads every other text, once per distinct
    text) and its text when it is not a number."""
    plain = pc.match_substring_regex(values, _PLAIN_NUMBER)
    number = pc.cast(pc.replace_substring_regex(pc.if_else(plain, values, "0"), "[,%]", ""), pa.float64())
    text = pa.nulls(len(values), pa.string())
    other = pc.invert(plain)
    if pc.any(other).as_py():
        rest = _Distinct(pc.filter(values, other))
        number = pc.replace_with_mask(number, other, rest.map(lambda text: value_of(text).number, pa.float64()))
        text = pc.replace_with_mask(text, other, rest.map(lambda text: value_of(text).text))
    return number, text


_FORMULA_BYTES = np.array([ord(start) for start in FORMULA_STARTS], np.uint8)


def _cell_problems(found: _Found, controls: bool = True) -> None:
    """Formula-like cells (errors), then HTML or script (warnings), then control characters (errors; looked for
    only when `controls`, that is when the file holds one), in every column of every row."""
    for place, column in enumerate(dict.fromkeys(found.sheet.headers)):
        cells = found.cell(column)
        if controls:
            hit = np.flatnonzero(pc.match_substring_regex(cells, CONTROL_PATTERN).to_numpy(zero_copy_only=False))
            if len(hit):
                found.add_at(CONTROL + place, column, _Distinct(cells.take(hit)).map(control_message), hit)
        # Only a cell that starts with a formula character or holds a '<' or a ':' can be either; in a national
        # file that is a few cells, and the rules then run on those alone.
        filled, first, _ = edge_bytes(cells)
        maybe = filled & np.isin(first, _FORMULA_BYTES)
        maybe |= pc.match_substring(cells, "<").to_numpy(zero_copy_only=False)
        maybe |= pc.match_substring(cells, ":").to_numpy(zero_copy_only=False)
        positions = np.flatnonzero(maybe)
        if not len(positions):
            continue
        distinct = _Distinct(cells.take(positions))
        found.add_at(FORMULA + place, column, distinct.map(lambda text: formula_message(text) if text else None),
                     positions)
        found.add_at(HTML + place, column, distinct.map(lambda text: HTML_MESSAGE if text and has_html(text)
                                                        else None), positions, "warning")


KEY = ("indicator_code", "organisation_id", "period_type", "period_start", "period_end", "measure",
       "comparator_group")


def _repeats(con: duckdb.DuckDBPyConnection, found: _Found, records: pa.Table) -> None:
    """A row with the same key as an earlier row (removals too): an error naming the earlier row."""
    if not records.num_rows:
        return
    repeats = queries.repeated_keys(con, records.select([*KEY, "upload_row", "position"]), KEY)
    found.add_rows(REPEAT, repeats["position"].to_numpy(),
                   [repeat_message(first, "observations") for first in repeats["first_row"].to_pylist()])


def _unit_checks(found: _Found, values: pa.Table, unit: pa.Array) -> None:
    """A percentage written as a fraction ('0.55' for 55%: a warning with both readings, also from an unformatted
    Excel cell); a count below zero (an error) or not whole (a warning). Vectorised: only the rows hit are
    worded."""
    number = values["value_num"]
    fraction = pc.and_(pc.and_(pc.equal(unit, "percent"), pc.greater(number, 0)),
                       pc.and_(pc.less(number, 1), pc.invert(pc.match_substring(values["value_written"], "%"))))
    shown = values.filter(fraction)
    found.add_rows(FRACTION, shown["position"].to_numpy(),
                   [percent_fraction_message(w, v) for w, v in zip(shown["value_written"].to_pylist(),
                                                                   shown["value_num"].to_pylist())],
                   "value", shown["value_written"].to_pylist(), "warning")
    count = pc.equal(unit, "number")
    negative = values.filter(pc.and_(count, pc.less(number, 0)))
    found.add_rows(COUNT, negative["position"].to_numpy(), [NEGATIVE_COUNT] * negative.num_rows, "value",
                   negative["value_written"].to_pylist())
    fractional = values.filter(pc.and_(pc.and_(count, pc.greater_equal(number, 0)),
                                       pc.not_equal(pc.floor(number), number)))
    found.add_rows(COUNT, fractional["position"].to_numpy(),
                   [fractional_count_message(v) for v in fractional["value_num"].to_pylist()], "value",
                   fractional["value_written"].to_pylist(), "warning")


def _value_warnings(con: duckdb.DuckDBPyConnection, found: _Found, records: pa.Table) -> None:
    """Percentages over 100 or written as a fraction, counts below zero or not whole (see `_unit_checks`), and
    targets looser than the last outturn before their period (warnings)."""
    valued = pc.and_(pc.invert(records["_remove"]), pc.is_valid(records["value_num"]))
    values = records if pc.all(valued).as_py() else records.filter(valued)
    if not values.num_rows:
        return
    units = queries.indicator_units(con)
    codes = _Distinct(values["indicator_code"])
    unit = codes.map(lambda code: units.get(code, ("", "none"))[0])
    polarity = codes.map(lambda code: units.get(code, ("", "none"))[1])
    over = pc.and_(pc.and_(pc.equal(unit, "percent"), pc.greater(values["value_num"], 100)),
                   pc.not_equal(values["measure"], "comparator"))
    shown = values.filter(over)
    found.add_rows(PERCENT, shown["position"].to_numpy(), [PERCENT_OVER_100] * shown.num_rows, "value",
                   shown["value_written"].to_pylist(), "warning")
    _unit_checks(found, values, unit)
    directed = pc.is_in(polarity, pa.array(["higher", "lower"]))  # a target can be looser only with a direction
    compared = pc.and_(pc.and_(pc.equal(values["measure"], "target"), directed), pc.is_valid(values["period_end"]))
    targets = values.filter(compared).append_column("polarity", pc.filter(polarity, compared))
    if not targets.num_rows:
        return
    last = queries.last_actuals_before(con, targets.select(["position", "indicator_code", "organisation_id",
                                                            "period_end"]))
    joined = targets.join(last, "position", join_type="inner")
    higher = pc.equal(joined["polarity"], "higher")
    looser = pc.if_else(higher, pc.less(joined["value_num"], joined["last_value"]),
                        pc.greater(joined["value_num"], joined["last_value"]))
    joined = joined.filter(looser).sort_by("position")
    messages = [looser_target_message(actual, units[code][0], period, direction) for actual, code, period, direction
                in zip(joined["last_value"].to_pylist(), joined["indicator_code"].to_pylist(),
                       joined["last_period"].to_pylist(), joined["polarity"].to_pylist())]
    found.add_rows(LOOSER, joined["position"].to_numpy(), messages, "value", joined["value_written"].to_pylist(),
                   "warning")


def _year_type_warnings(con: duckdb.DuckDBPyConnection, found: _Found, records: pa.Table) -> None:
    """A split year (2008/09) with no period_type, read as a financial year, for an indicator reported by academic
    year: a warning naming both readings (the officer may mean either)."""
    kept = records.filter(pc.and_(pc.invert(records["_remove"]), pc.equal(records["period_type"], "financial_year")))
    if not kept.num_rows:
        return
    year_types = queries.indicator_year_types(con)
    academic = pc.equal(_Distinct(kept["indicator_code"]).map(lambda code: year_types.get(code, "")), "academic")
    candidates = kept.filter(academic)
    if not candidates.num_rows:
        return
    hinted = found.cell("period_type").take(candidates["position"])
    candidates = candidates.filter(pc.equal(pc.utf8_trim_whitespace(hinted), ""))  # a stated type is no guess
    positions, messages, written_cells = [], [], []
    for position, code, written, start, end in zip(*(candidates[name].to_pylist() for name in (
            "position", "indicator_code", "period_text", "period_start", "period_end"))):
        try:
            other = parse_period(written, "academic_year")
        except PeriodError:
            continue
        if other.type != "academic_year":  # not a split year: only one reading
            continue
        positions.append(position)
        messages.append(year_type_message(code, written, "academic", (start, end), (other.start, other.end)))
        written_cells.append(written)
    found.add_rows(YEAR_TYPE, np.array(positions, dtype=np.int64), messages, "period", written_cells, "warning")
