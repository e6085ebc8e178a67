"""Upload templates: CSV bytes, blank (the header row) or pre-filled with the current data (of every council, or of
the chosen council and plan) so an officer can edit it and upload it back; and the set-up workbook (XLSX, a sheet per
kind with drop-downs and an example council). Cells that a spreadsheet would run as a formula are neutralised."""
from __future__ import annotations

import io

import duckdb
import pandas as pd

from dashboard.importer.kinds import MEASURES, UNITS
from dashboard.importer.officer import OFFICER_KINDS, SETUP_ORDER
from dashboard.importer.read import neutralise_cell
from dashboard.importer.structure import AREA_LEVEL_WORDS, PLAN_STATUSES, POLARITY_CHOICES, YEAR_TYPES
from dashboard.importer.workbook_guards import LISTS_SHEET
from dashboard.parsing.statuses import SCALE
from dashboard.store import queries

_QUERIES = {"actions": queries.actions_template, "indicators": queries.indicators_template,
            "efficiency": queries.efficiency_template, "organisations": queries.organisations_template,
            "plans": queries.plans_template, "areas": queries.areas_template,
            "indicator_definitions": queries.indicator_definitions_template}
SHEET_TITLES = {"organisations": "Organisations", "plans": "Plans", "areas": "Areas",
                "indicator_definitions": "Indicator definitions", "actions": "Actions",
                "indicators": "Indicator values"}
KIND_SHEET_TITLES = {**SHEET_TITLES, "efficiency": "Efficiency"}  # each named as the upload reads it
# The example council of the set-up workbook: clearly fictional, so no real council's figure is ever invented.
EXAMPLE = {
    "organisations": [{"organisation_id": "fictional-borough", "name": "Fictional Borough Council",
                       "kind": "fictional", "aliases": "FBC"}],
    "plans": [{"plan_id": "fbc-plan", "organisation_id": "fictional-borough",
               "title": "Fictional Borough Children's Plan", "period_start": "01/04/2026", "period_end": "31/03/2029",
               "status": "current"}],
    "areas": [{"plan_id": "fbc-plan", "code": "1", "title": "Safe at home", "level": "strategic area"},
              {"plan_id": "fbc-plan", "code": "1.1", "title": "Fewer children in care", "parent_code": "1",
               "level": "priority"},
              {"plan_id": "fbc-plan", "code": "1.1.1", "title": "Family help", "parent_code": "1.1",
               "level": "outcome"}],
    "indicator_definitions": [{"code": "FBC 1", "name": "Children in care per 10,000 children (fictional)",
                               "unit": "rate_per_10000", "polarity": "lower is better", "tolerance": "5%",
                               "family": "local", "owner": "A. Officer", "year_type": "financial",
                               "decimals": "1", "plan_id": "fbc-plan", "area_codes": "1.1"}],
    "actions": [{"plan_id": "fbc-plan", "code": "A1", "area_code": "1.1.1", "text": "Open two family hubs",
                 "lead_officer": "A. Officer", "due": "March 2027", "status": "Green", "as_at": "30/06/2026"}],
    "indicators": [{"indicator_code": "FBC 1", "organisation": "Fictional Borough Council", "period": "2026/27 Q1",
                    "measure": "target", "value": "60"},
                   {"indicator_code": "FBC 1", "organisation": "Fictional Borough Council", "period": "2026/27 Q1",
                    "measure": "actual", "value": "58"}],
}
# Drop-down lists per column; a list marked open accepts other words too (a plan names its own levels).
_LISTS = {"polarity": (POLARITY_CHOICES, False), "status": (tuple(s.label for s in SCALE), False),
          "level": (AREA_LEVEL_WORDS, True), "year_type": (YEAR_TYPES, False), "measure": (MEASURES, False),
          "unit": (UNITS, True), "retired": (("yes", "no"), False), "remove": (("yes",), False)}
_PLAN_LISTS = {"status": (PLAN_STATUSES, False)}  # a plan's status is its own scale
_READ_ME = (
    "Set-up workbook: one sheet per kind. Fill in the sheets you need (leave the others with their header row only) "
    "and upload the whole workbook on the Upload data page as 'Set-up workbook (everything)', or with "
    "`python -m dashboard import FILE --kind setup`.",
    "The sheets are read in this order, so a sheet may use what an earlier one creates: Organisations, Plans, "
    "Areas, Indicator definitions, Actions, Indicator values.",
    "The example rows describe Fictional Borough Council, an invented council: replace them with your own (or "
    "keep them to try the dashboard).",
    "Column names and every rule are described in docs/csv-format.md. Nothing changes until you confirm the "
    "preview, and the whole upload can be rolled back from the Upload history page.",
)


def columns(kind: str) -> list[str]:
    """A kind's columns in template order: the required ones first."""
    definition = OFFICER_KINDS[kind]
    return list(definition.required) + list(definition.optional)


def _csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte order mark: Excel then opens £ and accented names correctly; the reader accepts both.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.12g}"


def _tolerance(fraction, units) -> str:
    if units is not None and not pd.isna(units):
        return f"{float(units):.12g}"
    if fraction is not None and not pd.isna(fraction):
        return f"{float(fraction) * 100:.12g}%"
    return ""


def blank(kind: str) -> bytes:
    """The header row alone."""
    return _csv(pd.DataFrame(columns=columns(kind)))


def current(con: duckdb.DuckDBPyConnection, kind: str, organisation_id: str | None = None,
            plan_id: str | None = None) -> pd.DataFrame:
    """The current rows of a kind (of one council and plan, when given), as the upload format writes them."""
    frame = _QUERIES[kind](con, organisation_id, plan_id)
    for column in ("cashable", "non_cashable", "total"):
        if column in frame:
            frame[column] = frame[column].map(_number)
    if "tolerance_units" in frame:
        frame["tolerance"] = [_tolerance(f, u) for f, u in zip(frame["tolerance"], frame["tolerance_units"])]
        frame["decimals"] = frame["decimals"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    # Seed data may hold text such as "-31pp" or "=x" that officers' uploads would refuse: a spreadsheet opening
    # the template must not run it.
    return frame.reindex(columns=columns(kind)).map(neutralise_cell)


def prefilled(con: duckdb.DuckDBPyConnection, kind: str, organisation_id: str | None = None,
              plan_id: str | None = None) -> bytes:
    """Every current row of the kind (of one council and plan, when given), written so that uploading the file
    unchanged changes nothing."""
    return _csv(current(con, kind, organisation_id, plan_id))


def _scope_lists(con: duckdb.DuckDBPyConnection | None, organisation_id: str | None,
                 plan_id: str | None) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Drop-downs naming the chosen council and its plans (open: a new plan may be added), so a scoped template
    suggests only their ids."""
    if con is None or organisation_id is None:
        return {}
    plans = tuple(queries.plans(con, organisation_id)["plan_id"]) if plan_id is None else (plan_id,)
    return {"organisation": ((organisation_id,), True), "organisation_id": ((organisation_id,), True),
            **({"plan_id": (plans, True)} if plans else {})}


class _Book:
    """A workbook being written: its sheets, and the hidden sheet of drop-down values they share."""

    def __init__(self, extra_lists: dict | None = None):
        from openpyxl import Workbook  # imported here: only the workbook downloads need it

        self.book = Workbook()
        self.lists = self.book.active
        self.lists.title = LISTS_SHEET  # the drop-downs' values (a list over 255 characters needs a range)
        self.lists.sheet_state = "hidden"
        self.ranges: dict[tuple[str, ...], str] = {}
        self.extra = extra_lists or {}

    def _range(self, values: tuple[str, ...]) -> str:
        if values not in self.ranges:
            column = len(self.ranges) + 1
            for row_number, value in enumerate(values, start=1):
                self.lists.cell(row_number, column, value)
            letter = self.lists.cell(1, column).column_letter
            self.ranges[values] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(values)}"
        return self.ranges[values]

    def sheet(self, kind: str, title: str, rows: list[dict]) -> None:
        """A sheet of a kind's columns and rows, each listed column with its drop-down."""
        from openpyxl.styles import Font
        from openpyxl.worksheet.datavalidation import DataValidation

        sheet = self.book.create_sheet(title)
        names = columns(kind)
        sheet.append(names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(name) for name in names])
        for position, name in enumerate(names, start=1):
            sheet.column_dimensions[sheet.cell(1, position).column_letter].width = max(12, len(name) + 4)
            chosen = (_PLAN_LISTS if kind == "plans" else {}).get(name) or _LISTS.get(name) or self.extra.get(name)
            if chosen is None:
                continue
            values, open_list = chosen
            rule = DataValidation(type="list", formula1=self._range(values), allow_blank=True)
            # An open list suggests words but accepts others; a closed one refuses others as the upload would.
            rule.showErrorMessage = not open_list
            rule.error = f"Choose one of the listed values for {name}."
            letter = sheet.cell(1, position).column_letter
            rule.add(f"{letter}2:{letter}2000")
            sheet.add_data_validation(rule)
        sheet.freeze_panes = "A2"

    def save(self) -> bytes:
        """The workbook's bytes, the hidden lists sheet last."""
        self.book.move_sheet(LISTS_SHEET, offset=len(self.book.sheetnames))
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def _rows(con, kind: str, organisation_id: str | None, plan_id: str | None) -> list[dict]:
    frame = current(con, kind, organisation_id, plan_id)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def workbook(con: duckdb.DuckDBPyConnection | None = None, organisation_id: str | None = None,
             plan_id: str | None = None, current_data: bool = False) -> bytes:
    """The set-up workbook: a sheet per kind with drop-downs; the example council's rows, or with `current_data`
    the current structure, actions and values (of one council and plan, when given)."""
    book = _Book(_scope_lists(con, organisation_id, plan_id) if current_data else {})
    notes = book.book.create_sheet("Read me", 0)
    for number, line in enumerate(_READ_ME, start=1):
        notes.cell(number, 1, line)
    notes.column_dimensions["A"].width = 120
    for kind in SETUP_ORDER:
        book.sheet(kind, SHEET_TITLES[kind], _rows(con, kind, organisation_id, plan_id) if current_data
                   else EXAMPLE[kind])
    return book.save()


def kind_workbook(con: duckdb.DuckDBPyConnection | None, kind: str, organisation_id: str | None = None,
                  plan_id: str | None = None, current_data: bool = False) -> bytes:
    """One kind's template as Excel: its sheet with drop-downs (status, measure, polarity, and the chosen
    council's and plan's ids), blank or with the current rows of that council and plan only."""
    book = _Book(_scope_lists(con, organisation_id, plan_id))
    book.sheet(kind, KIND_SHEET_TITLES[kind], _rows(con, kind, organisation_id, plan_id) if current_data else [])
    return book.save()
