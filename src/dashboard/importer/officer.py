"""The kinds of file officers upload (actions with statuses, indicator values, efficiency lines, and the structure a
council sets up: organisations, plans, areas, indicator definitions) and the keys that say which existing row an
uploaded row replaces."""
from __future__ import annotations

from datetime import date

from dashboard.importer.cells import Cells
from dashboard.importer.kinds import (
    ACTION_KINDS,
    Kind,
    Known,
    Records,
    efficiency_records,
    indicator_cell,
    observation_records,
    organisation_cell,
    plan_cell,
)
from dashboard.importer.numbers import checked_amounts, checked_value
from dashboard.importer.plausible import checked_period
from dashboard.importer.structure import STRUCTURE_KINDS
from dashboard.parsing.dues import parse_due
from dashboard.parsing.statuses import StatusError, parse_status

# Which existing row an uploaded row replaces: same values in these columns (NULL matches NULL).
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "organisations": ("organisation_id",),
    "organisation_aliases": ("alias_key",),
    "plans": ("plan_id",),
    "areas": ("plan_id", "code"),
    "indicators": ("indicator_code",),
    "indicator_aliases": ("alias_key",),
    "indicator_areas": ("indicator_code", "plan_id", "area_code"),
    "actions": ("plan_id", "code"),
    "action_statuses": ("plan_id", "action_code", "as_at_date", "effective_date"),
    "observations": ("indicator_code", "organisation_id", "period_type", "period_start", "period_end", "measure",
                     "comparator_group"),
    "efficiency_lines": ("organisation_id", "year_start", "directorate", "category", "description", "line_type",
                         "stage"),
}
# The same keys in officer words, for "row 5 repeats row 3 (same ...)".
KEY_WORDS = {
    "organisations": "organisation id",
    "organisation_aliases": "organisation name or code",
    "plans": "plan id",
    "areas": "plan and area code",
    "indicators": "indicator code",
    "indicator_aliases": "indicator code or alias",
    "indicator_areas": "indicator, plan and area",
    "actions": "plan and code",
    "action_statuses": "action, report date and date it took effect",
    "observations": "indicator, council, period, measure and comparator group",
    "efficiency_lines": "council, year, directorate, category, description, line type and stage",
}
ACTION_FIELDS = ("parent_code", "area_code", "kind", "text", "lead_officer", "lead_organisation", "due")
REMOVE_WORDS = ("yes", "y", "remove", "delete", "true", "x")
KEEP_WORDS = ("no", "n", "false")
REMOVE_PROBLEM = "write 'yes' to remove this row, or leave the cell empty."


def _remove(cells: Cells) -> bool:
    written = (cells.text("remove") or "").lower()
    if written and written not in REMOVE_WORDS + KEEP_WORDS:
        cells.problem("remove", REMOVE_PROBLEM)
    return written in REMOVE_WORDS


def _actions_and_statuses(cells: Cells, known: Known) -> Records:
    """One row: an action (new, or changes to an existing one) and optionally a new status report for it."""
    plan = plan_cell(cells, known)
    code = cells.text("code", required=True)
    exists = (plan, code) in known.actions
    # A blank cell on an existing action keeps what is there: a status-only file need not repeat the action text.
    text = cells.text("text")
    if text is None and not exists and plan and code:
        cells.problem("text", f"there is no action '{code}' in plan '{plan}' yet; to add it, give its text (or "
                              "check the code).")
    parent = cells.text("parent_code")
    area = cells.text("area_code")
    kind = cells.choice("kind", ACTION_KINDS, required=False)
    if parent and (plan, parent) not in known.actions:
        cells.problem("parent_code", f"there is no action '{parent}' above this row in plan '{plan}'.")
    if area and (plan, area) not in known.areas:
        cells.problem("area_code", f"there is no area '{area}' in plan '{plan}'.")
    due_text = cells.text("due")
    written_status = cells.text("status")
    status = None
    if written_status:
        try:
            status = parse_status(written_status).key
        except StatusError as error:
            cells.problem("status", str(error))
    effective = cells.date("effective")
    as_at = cells.date("as_at")
    if written_status and not (cells.text("effective") or cells.text("as_at")):
        cells.problem("as_at", "a status needs the date of its report (as_at) or the date it took effect "
                               "(effective), for example 31/03/2010.")
    for column, day in (("effective", effective), ("as_at", as_at)):
        if day is not None and day > date.today():
            cells.problem(column, f"this status is dated in the future ({day:%d/%m/%Y}); check the date.", "warning")
    if cells.failed:
        return []
    known.actions.add((plan, code))
    action = {"plan_id": plan, "code": code}
    given = {"parent_code": parent, "area_code": area, "kind": kind, "text": text,
             "lead_officer": cells.text("lead_officer"), "lead_organisation": cells.text("lead_organisation")}
    if due_text is not None or not exists:
        due = parse_due(due_text)
        given.update(due_text=due_text, due_kind=due.kind, due_date=due.date)
    if exists:
        action.update({column: value for column, value in given.items() if value is not None})
    else:
        action.update(given)
        action["kind"] = kind or "action"
    records: Records = [("actions", action)]
    if written_status:
        records.append(("action_statuses", {
            "plan_id": plan, "action_code": code, "status": status, "status_text": written_status,
            "effective_text": cells.text("effective"), "effective_date": effective,
            "as_at_text": cells.text("as_at"), "as_at_date": as_at, "commentary": cells.text("commentary")}))
    return records


def _observation_or_removal(cells: Cells, known: Known) -> Records:
    """An indicator value to add or replace, or (remove = yes) one to take away."""
    if not _remove(cells):
        return checked_period(cells, checked_value(cells, observation_records(cells, known)))
    code = indicator_cell(cells, known)
    org = organisation_cell(cells, known)
    hint = cells.choice("period_type", ("academic_year", "financial_year"), required=False)
    period = cells.period("period", hint)
    measure = cells.choice("measure", ("actual", "target", "forecast", "baseline", "comparator"))
    if cells.failed:
        return []
    return [("observations", {"indicator_code": code, "organisation_id": org, "period_type": period.type,
                              "period_start": period.start, "period_end": period.end, "measure": measure,
                              "comparator_group": cells.text("comparator_group"), "_remove": True})]


def _efficiency_line(cells: Cells, known: Known) -> Records:
    """An efficiency line to add or replace (amounts may not be negative), or one to remove."""
    remove = _remove(cells)
    records = efficiency_records(cells, known)
    for _, record in records:
        for column, label in (("cashable_k", "cashable"), ("non_cashable_k", "non_cashable"), ("total_k", "total")):
            if record[column] is not None and record[column] < 0:
                cells.problem(label, "an amount cannot be negative here; a gain or a spend is written as a "
                                     "positive amount.")
    if not remove:
        records = checked_amounts(cells, records)
    if cells.failed:
        return []
    if remove:
        keep = TABLE_KEYS["efficiency_lines"]
        return [("efficiency_lines", {**{k: v for k, v in record.items() if k in keep}, "_remove": True})
                for _, record in records]
    return records


ACTIONS = Kind("actions", ("plan_id", "code"), ACTION_FIELDS + ("status", "effective", "as_at", "commentary"),
               _actions_and_statuses)
INDICATORS = Kind("indicators", ("indicator_code", "organisation", "period", "measure", "value"),
                  ("period_type", "comparator_group", "flags", "note", "remove"), _observation_or_removal)
EFFICIENCY = Kind("efficiency", ("organisation", "year", "description", "stage"),
                  ("directorate", "category", "line_type", "unit", "cashable", "non_cashable", "total", "remove"),
                  _efficiency_line)
OFFICER_KINDS: dict[str, Kind] = {kind.name: kind for kind in (ACTIONS, INDICATORS, EFFICIENCY, *STRUCTURE_KINDS)}
SETUP = "setup"  # the set-up workbook: a sheet per kind, all in one upload
# In dependency order, as a workbook's sheets are read: a sheet may refer only to those before it.
SETUP_ORDER = ("organisations", "plans", "areas", "indicator_definitions", "actions", "indicators")
KIND_LABELS = {"actions": "Actions and their statuses", "indicators": "Indicator values",
               "efficiency": "Efficiency lines", "organisations": "Councils (organisations)", "plans": "Plans",
               "areas": "Plan areas", "indicator_definitions": "Indicator definitions",
               SETUP: "Set-up workbook (everything)"}
