"""The kinds of file the pipeline accepts: their columns and how one row becomes database records."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.importer.cells import Cells, value_of
from dashboard.parsing.dues import parse_due
from dashboard.parsing.statuses import StatusError, parse_status
from dashboard.parsing.values import to_thousands, writing_problem
from dashboard.store.references import Known, alias_key

AREA_LEVELS = ("strategic_area", "objective", "theme", "ecm_outcome", "priority", "sub_priority", "section",
               "transformation_area", "directorate_priority")
ACTION_KINDS = ("action", "task", "milestone", "item")
UNITS = ("percent", "number", "rate_per_10000", "rate_per_1000", "rate_per_100000", "days", "weeks", "pounds",
         "pounds_000", "ratio", "score", "text")
POLARITIES = ("higher", "lower", "band", "none")
FAMILIES = ("PAF", "QP", "BVPI", "NI", "local", "LAIT", "EES")  # LAIT, EES: DfE's published statistics
MEASURES = ("actual", "target", "forecast", "baseline", "comparator")
FLAGS = ("provisional", "revised", "estimate", "conflict")
MONEY_UNITS = ("£000", "£")


Records = list[tuple[str, dict]]  # (table, record) pairs produced by one row


@dataclass(frozen=True)
class Kind:
    """One file kind: its required and optional columns and its row converter."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    convert: Callable[[Cells, Known], Records]


def organisation_problem(org: str, known: Known) -> str | None:
    """The message for an organisation that is not known (None when it is, or when nothing is known yet)."""
    if org and known.organisations and known.organisation(org) is None:
        return f"'{org}' is not a known organisation; use one of: {', '.join(sorted(known.organisations))}."
    return None


def organisation_cell(cells: Cells, known: Known, column: str = "organisation") -> str | None:
    """The id of the organisation a required cell names; a problem on the cell when it is not known."""
    org = cells.text(column, required=True)
    message = organisation_problem(org, known)
    if message:
        cells.problem(column, message)
    return (known.organisation(org) or org) if org else org


def plan_cell(cells: Cells, known: Known) -> str | None:
    """The plan a required plan_id cell names; a problem on the cell when it is not known."""
    plan = cells.text("plan_id", required=True)
    if plan and plan not in known.plans:
        cells.problem("plan_id", f"there is no plan '{plan}'; add it first or check the spelling.")
    return plan


def _plans(cells: Cells, known: Known) -> Records:
    plan_id = cells.text("plan_id", required=True)
    title = cells.text("title", required=True)
    org = organisation_cell(cells, known)
    period = cells.period("period", required=False)
    if cells.failed:
        return []
    known.plans.add(plan_id)
    return [("plans", {"plan_id": plan_id, "title": title, "organisation_id": org,
                       "period_text": cells.text("period"), "period_start": period and period.start,
                       "period_end": period and period.end})]


def _areas(cells: Cells, known: Known) -> Records:
    plan = plan_cell(cells, known)
    code = cells.text("code", required=True)
    parent = cells.text("parent_code")
    level = cells.choice("level", AREA_LEVELS)
    title = cells.text("title", required=True)
    if parent and (plan, parent) not in known.areas:
        cells.problem("parent_code", f"there is no area '{parent}' above this row in plan '{plan}'.")
    if cells.failed:
        return []
    known.areas.add((plan, code))
    return [("areas", {"plan_id": plan, "code": code, "parent_code": parent, "level": level, "title": title})]


def _actions(cells: Cells, known: Known) -> Records:
    plan = plan_cell(cells, known)
    code = cells.text("code", required=True)
    parent = cells.text("parent_code")
    area = cells.text("area_code")
    kind = cells.choice("kind", ACTION_KINDS, default="action")
    text = cells.text("text", required=True)
    if parent and (plan, parent) not in known.actions:
        cells.problem("parent_code", f"there is no action '{parent}' above this row in plan '{plan}'.")
    if area and (plan, area) not in known.areas:
        cells.problem("area_code", f"there is no area '{area}' in plan '{plan}'.")
    due_text = cells.text("due")
    due = parse_due(due_text)
    if cells.failed:
        return []
    known.actions.add((plan, code))
    return [("actions", {"plan_id": plan, "code": code, "parent_code": parent, "area_code": area, "kind": kind,
                         "text": text, "lead_officer": cells.text("lead_officer"),
                         "lead_organisation": cells.text("lead_organisation"), "due_text": due_text,
                         "due_kind": due.kind, "due_date": due.date})]


def _statuses(cells: Cells, known: Known) -> Records:
    plan = plan_cell(cells, known)
    action = cells.text("action_code", required=True)
    if action and (plan, action) not in known.actions:
        cells.problem("action_code", f"there is no action '{action}' in plan '{plan}'.")
    # Blank means the document gives progress but no status: recorded as "Not assessed", never guessed.
    written = cells.text("status") or ""
    try:
        status = parse_status(written).key
    except StatusError as error:
        cells.problem("status", str(error))
        status = None
    effective = cells.date("effective")
    as_at = cells.date("as_at")
    if cells.failed:
        return []
    return [("action_statuses", {"plan_id": plan, "action_code": action, "status": status, "status_text": written,
                                 "effective_text": cells.text("effective"), "effective_date": effective,
                                 "as_at_text": cells.text("as_at"), "as_at_date": as_at,
                                 "commentary": cells.text("commentary")})]


def _indicators(cells: Cells, known: Known) -> Records:
    code = cells.text("code", required=True)
    name = cells.text("name", required=True)
    unit = cells.choice("unit", UNITS)
    polarity = cells.choice("polarity", POLARITIES)
    basis = cells.choice("polarity_basis", ("document", "definition"), required=False)
    tolerance = cells.number("tolerance")
    family = cells.choice("family", FAMILIES)
    if tolerance is not None and tolerance > 1:
        tolerance = tolerance / 100  # '5' or '5%' means five per cent
    if cells.failed:
        return []
    aliases = [code] + [alias.strip() for alias in (cells.text("aliases") or "").split("|") if alias.strip()]
    existing = known.indicator(code)
    records: Records = []
    if existing is None:
        records.append(("indicators", {"indicator_code": code, "name": name, "unit": unit, "polarity": polarity,
                                       "polarity_basis": basis, "tolerance": tolerance, "family": family,
                                       "successor_of": cells.text("successor_of")}))
    target = existing or code
    for alias in aliases:
        key = alias_key(alias)
        if key in known.aliases and known.aliases[key] != target:
            cells.problem("aliases", f"'{alias}' already names indicator '{known.aliases[key]}'.", "warning")
            continue
        if key not in known.aliases:
            known.aliases[key] = target
            records.append(("indicator_aliases", {"alias_key": key, "alias": alias, "indicator_code": target}))
    return records


def unknown_indicator(written: str) -> str:
    """The message for an indicator code that names no indicator."""
    return f"there is no indicator '{written}'; add it to the indicators list first."


def indicator_cell(cells: Cells, known: Known, column: str = "indicator_code") -> str | None:
    """The canonical code a required indicator cell names (code or alias); a problem when it is not known."""
    written = cells.text(column, required=True)
    if written is None:
        return None
    code = known.indicator(written)
    if code is None:
        cells.problem(column, unknown_indicator(written))
    return code


def _indicator_areas(cells: Cells, known: Known) -> Records:
    code = indicator_cell(cells, known)
    plan = plan_cell(cells, known)
    area = cells.text("area_code", required=True)
    if area and (plan, area) not in known.areas:
        cells.problem("area_code", f"there is no area '{area}' in plan '{plan}'.")
    if cells.failed:
        return []
    return [("indicator_areas", {"indicator_code": code, "plan_id": plan, "area_code": area})]


_FLAGS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}


def flags_of(written: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The flags a cell names and the unknown ones (sorted), worked out once per distinct cell text."""
    found = _FLAGS.get(written)
    if found is None:
        flags = frozenset(flag.strip().lower() for flag in written.split("|") if flag.strip())
        if len(_FLAGS) >= 10_000:
            _FLAGS.clear()
        found = _FLAGS[written] = (flags, tuple(sorted(flags - set(FLAGS))))
    return found


NO_GROUP = "a comparator needs its group, such as statistical_neighbours or england."


def unknown_flags(unknown: tuple[str, ...]) -> str:
    """The message for flags that are not known."""
    return f"unknown flag(s) {', '.join(unknown)}; use: {', '.join(FLAGS)}."


def observation_records(cells: Cells, known: Known) -> Records:
    """An indicator values row as its observations record."""
    code = indicator_cell(cells, known)
    org = organisation_cell(cells, known)
    hint = cells.choice("period_type", ("academic_year", "financial_year"), required=False)
    period = cells.period("period", hint)
    measure = cells.choice("measure", MEASURES)
    group = cells.text("comparator_group")
    if measure == "comparator" and not group:
        cells.problem("comparator_group", NO_GROUP)
    written = cells.text("value", required=True) or ""
    value = value_of(written)
    flags, unknown = flags_of(cells.text("flags") or "")
    if unknown:
        cells.problem("flags", unknown_flags(unknown))
    if cells.failed:
        return []
    return [("observations", {"indicator_code": code, "organisation_id": org, "period_text": cells.text("period"),
                              "period_type": period.type, "period_start": period.start, "period_end": period.end,
                              "measure": measure, "comparator_group": group, "value_num": value.number,
                              "value_text": value.text, "value_written": written,
                              "is_provisional": "provisional" in flags, "is_revised": "revised" in flags,
                              "is_estimate": "estimate" in flags, "is_conflict": "conflict" in flags,
                              "note": cells.text("note")})]


def _money(cells: Cells, unit: str | None, columns: tuple[str, ...]) -> tuple[dict[str, float | None], str]:
    values: dict[str, float | None] = {}
    written = []
    for column in columns:
        text = cells.text(column)
        written.append(text or "")
        if text is None or unit is None:
            values[column] = None
            continue
        amount = to_thousands(text, unit)
        if amount is None:
            cells.problem(column, writing_problem(text, ("k", "m"))
                          or f"'{text}' is not an amount; write digits such as 1,774 (or - for nil).")
        values[column] = amount
    return values, "|".join(written)


def efficiency_records(cells: Cells, known: Known) -> Records:
    """An efficiency row as its efficiency_lines record."""
    org = organisation_cell(cells, known)
    year = cells.text("year", required=True)
    period = cells.period("year")
    description = cells.text("description", required=True)
    line_type = cells.choice("line_type", ("gain", "expenditure"), default="gain")
    unit = cells.choice("unit", MONEY_UNITS, default="£000")
    stage = cells.text("stage", required=True)
    money, written = _money(cells, unit, ("cashable", "non_cashable", "total"))
    if cells.failed:
        return []
    return [("efficiency_lines", {"organisation_id": org, "year_text": year, "year_start": period.start,
                                  "directorate": cells.text("directorate"), "category": cells.text("category"),
                                  "description": description, "line_type": line_type,
                                  "cashable_k": money["cashable"], "non_cashable_k": money["non_cashable"],
                                  "total_k": money["total"], "written": written, "stage": stage})]


def _efficiency_summary(cells: Cells, known: Known) -> Records:
    org = organisation_cell(cells, known)
    year = cells.text("year", required=True)
    summary = cells.text("summary", required=True)
    unit = cells.choice("unit", MONEY_UNITS, default="£000")
    money, written = _money(cells, unit, ("cashable", "non_cashable", "total"))
    if cells.failed:
        return []
    return [("efficiency_summaries", {"organisation_id": org, "year_text": year, "summary": summary,
                                      "label": cells.text("label"), "cashable_k": money["cashable"],
                                      "non_cashable_k": money["non_cashable"], "total_k": money["total"],
                                      "written": written})]


def _risks(cells: Cells, known: Known) -> Records:
    org = organisation_cell(cells, known)
    risk = cells.text("risk", required=True)
    scores = {column: cells.number(column) for column in ("likelihood", "impact", "inherent", "residual")}
    if cells.failed:
        return []
    written = "|".join(cells.text(column) or "" for column in scores)
    return [("risks", {"organisation_id": org, "plan_id": cells.text("plan_id"), "ref": cells.text("ref"),
                       "risk": risk, **scores, "written": written, "owner": cells.text("owner"),
                       "controls": cells.text("controls")})]


def _judgements(cells: Cells, known: Known) -> Records:
    org = organisation_cell(cells, known)
    body = cells.text("body", required=True)
    subject = cells.text("subject", required=True)
    grade = cells.text("grade", required=True)
    if cells.failed:
        return []
    return [("judgements", {"organisation_id": org, "body": body, "subject": subject,
                            "period_text": cells.text("period"), "grade": grade, "scale": cells.text("scale")})]


# In dependency order: a file may refer only to kinds listed before it.
KINDS: tuple[Kind, ...] = (
    Kind("plans", ("plan_id", "title", "organisation"), ("period",), _plans),
    Kind("areas", ("plan_id", "code", "level", "title"), ("parent_code",), _areas),
    Kind("actions", ("plan_id", "code", "text"),
         ("parent_code", "area_code", "kind", "lead_officer", "lead_organisation", "due"), _actions),
    Kind("statuses", ("plan_id", "action_code", "status"), ("effective", "as_at", "commentary"), _statuses),
    Kind("indicators", ("code", "name", "unit", "polarity", "family"),
         ("aliases", "polarity_basis", "tolerance", "successor_of"), _indicators),
    Kind("indicator_areas", ("indicator_code", "plan_id", "area_code"), (), _indicator_areas),
    Kind("observations", ("indicator_code", "organisation", "period", "measure", "value"),
         ("period_type", "comparator_group", "flags", "note"), observation_records),
    Kind("efficiency", ("organisation", "year", "description", "stage"),
         ("directorate", "category", "line_type", "unit", "cashable", "non_cashable", "total"), efficiency_records),
    Kind("efficiency_summary", ("organisation", "year", "summary"),
         ("label", "unit", "cashable", "non_cashable", "total"), _efficiency_summary),
    Kind("risks", ("organisation", "risk"),
         ("plan_id", "ref", "likelihood", "impact", "inherent", "residual", "owner", "controls"), _risks),
    Kind("judgements", ("organisation", "body", "subject", "grade"), ("period", "scale"), _judgements),
)
BY_NAME = {kind.name: kind for kind in KINDS}
