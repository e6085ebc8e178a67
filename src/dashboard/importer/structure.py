"""The set-up kinds a council uploads to describe itself (organisations, plans, areas, indicator definitions): their
columns, how a row becomes records, the whole-file checks on the area tree, and what a change of structure moves."""
from __future__ import annotations

import re

from dashboard.importer.cells import Cells
from dashboard.importer.kinds import UNITS, Kind, Records, plan_cell
from dashboard.importer.problems import Problem
from dashboard.parsing.identity import alias_records, organisation_key
from dashboard.store.references import Known, Structure, alias_key

PLAN_STATUSES = ("draft", "current", "archived")
YEAR_TYPES = ("financial", "academic", "calendar")
# Levels offered in the workbook's drop-down; any other words are accepted too (a plan names its own levels).
AREA_LEVEL_WORDS = ("strategic area", "priority", "outcome", "objective", "theme", "sub-priority", "section")
POLARITY_CHOICES = ("higher is better", "lower is better", "within a band", "none")
_POLARITIES = {
    "higher": "higher", "higher is better": "higher", "high is better": "higher", "higher better": "higher",
    "bigger is better": "higher", "up": "higher", "increase": "higher",
    "lower": "lower", "lower is better": "lower", "low is better": "lower", "lower better": "lower",
    "smaller is better": "lower", "down": "lower", "reduce": "lower", "decrease": "lower",
    "band": "band", "within a band": "band", "within a band around the target": "band", "in a band": "band",
    "on target is best": "band", "within band": "band",
    "none": "none", "no direction": "none", "neither": "none", "n/a": "none", "na": "none",
}
_UNIT_WORDS = {"%": "percent", "percentage": "percent", "per cent": "percent", "count": "number",
               "£": "pounds", "£000": "pounds_000", "rate per 10,000": "rate_per_10000",
               "rate per 1,000": "rate_per_1000", "rate per 100,000": "rate_per_100000"}
YES_WORDS = ("yes", "y", "true", "x", "retired")
NO_WORDS = ("no", "n", "false")
REMOVE_WORDS = ("yes", "y", "remove", "delete", "true", "x")
_LIST_SPLIT = re.compile(r"\s*[|;,]\s*")
_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
_POINTS = re.compile(r"\s*(points?|pts?|pp|percentage points?)$", re.IGNORECASE)


def _structure(known: Known) -> Structure:
    if known.structure is None:
        known.structure = Structure()
    return known.structure


def split_list(written: str | None) -> list[str]:
    """A cell listing several codes or names, separated by |, ; or a comma."""
    return [part for part in _LIST_SPLIT.split(written or "") if part]


def _remember_failed(known_set: set, item) -> None:
    # A row refused for a mistake still names its item: later rows and sheets that use it are checked as if it
    # existed, so one mistake is reported once, not again on every row that refers to the item (the whole upload is
    # refused anyway).
    if item is not None and (not isinstance(item, tuple) or None not in item):
        known_set.add(item)


def _yes_no(cells: Cells, column: str, yes: tuple[str, ...] = YES_WORDS) -> bool | None:
    written = (cells.text(column) or "").lower()
    if not written:
        return None
    if written in yes:
        return True
    if written in NO_WORDS:
        return False
    cells.problem(column, "write yes or no (or leave the cell empty).")
    return None


def _given(exists: bool, always: dict, optional: dict) -> dict:
    # A blank cell on an existing item keeps what is there (as for actions): only the cells filled in change it.
    return always | ({k: v for k, v in optional.items() if v is not None} if exists else optional)


def polarity_of(written: str) -> str | None:
    """The polarity code ('higher', 'lower', 'band', 'none') a cell's words name, or None."""
    words = " ".join(re.sub(r"[^a-z/ ]+", " ", written.lower()).split())
    return _POLARITIES.get(words)


def _polarity(cells: Cells) -> str | None:
    written = cells.text("polarity")
    if written is None:
        return None
    polarity = polarity_of(written)
    if polarity is None:
        cells.problem("polarity", f"'{written}' is not a polarity; write one of: {', '.join(POLARITY_CHOICES)} "
                                  "(or higher, lower, band).")
    return polarity


def _tolerance(cells: Cells) -> tuple[float | None, float | None, bool]:
    """The amber band: (fraction of the target, amount in the unit, whether the cell was filled). '5%' is five per
    cent of the target; '2', '2 points' or '2pp' is 2 in the indicator's own unit."""
    written = cells.text("tolerance")
    if written is None:
        return None, None, False
    in_units = _POINTS.sub("", written)
    text = in_units.replace(",", "").strip()
    try:
        if text.endswith("%") and in_units == written:
            fraction, units = float(text[:-1]) / 100, None
        else:
            fraction, units = None, float(text.rstrip("%"))
    except ValueError:
        cells.problem("tolerance", f"'{written}' is not a tolerance; write a percentage of the target such as 5% "
                                   "or an amount in the indicator's unit such as 2 (or 2 points).")
        return None, None, True
    if (fraction if fraction is not None else units) < 0:
        cells.problem("tolerance", "a tolerance cannot be negative; write 5% or 2, for example.")
    return fraction, units, True


def _unit(cells: Cells) -> str | None:
    written = cells.text("unit")
    if written is None:
        return None
    unit = _UNIT_WORDS.get(written.lower()) or next(
        (option for option in UNITS if option == written.lower().replace(" ", "_")), None)
    if unit is None:
        cells.problem("unit", f"'{written}' is not a unit; use one of: {', '.join(UNITS)} (or %).")
    return unit


def level_key(written: str) -> str:
    """The stored form of an area level written in words ('Strategic area' -> 'strategic_area')."""
    return re.sub(r"[\s\-]+", "_", written.strip().lower())


def _organisation_row(cells: Cells, known: Known) -> Records:
    org_id = cells.text("organisation_id", required=True)
    name = cells.text("name", required=True)
    ons = cells.text("ons_code")
    la = cells.text("la_number")
    kind = cells.text("kind")
    aliases = split_list(cells.text("aliases"))
    exists = org_id in known.organisations
    if org_id and not exists:
        same = [other for other in known.organisations if other.casefold() == org_id.casefold()]
        if same:
            cells.problem("organisation_id", f"'{org_id}' differs only in case from the organisation '{same[0]}'; "
                                             f"write '{same[0]}' to change that organisation, or choose an id that "
                                             "differs in more than case.")
            return []
    if ons and not _ONS_CODE.match(ons.upper()):
        cells.problem("ons_code", "an ONS code is a letter and eight digits, such as E06000019; check it or leave "
                                  "the cell empty.")
    if la and not la.isdigit():
        cells.problem("la_number", "an LA number is digits only, such as 884; check it or leave the cell empty.")
    for column, written in (("organisation_id", org_id), ("name", name), ("ons_code", ons), ("la_number", la),
                            *(("aliases", alias) for alias in aliases)):
        owner = known.organisation_keys.get(organisation_key(written)) if written else None
        if owner is not None and owner != org_id:
            cells.problem(column, f"'{written}' already names the organisation '{owner}'; two organisations "
                                  "cannot share a name or code. Use that organisation's id to change it, or write "
                                  "a different name or code.")
    if cells.failed:
        _remember_failed(known.organisations, org_id)
        return []
    known.organisations.add(org_id)
    fictional = kind is not None and "fictional" in kind.lower()
    record = _given(exists, {"organisation_id": org_id, "name": name},
                    {"kind": kind or (None if exists else "council"), "ons_code": ons and ons.upper(),
                     "la_number": la and (la.lstrip("0") or "0"), "region": cells.text("region"),
                     "is_fictional": fictional if kind is not None or not exists else None})
    records: Records = [("organisations", record)]
    for alias in alias_records(org_id, name, ons and ons.upper(), la, *aliases):
        if known.organisation_keys.get(alias["alias_key"]) != org_id:
            known.organisation_keys[alias["alias_key"]] = org_id
            records.append(("organisation_aliases", alias))
    return records


def _plan_row(cells: Cells, known: Known) -> Records:
    plan_id = cells.text("plan_id", required=True)
    written_org = cells.text("organisation_id", required=True)
    title = cells.text("title", required=True)
    org = known.organisation(written_org) if written_org else None
    if written_org and org is None:
        cells.problem("organisation_id", f"there is no organisation '{written_org}'; add it with an organisations "
                                         "upload (or sheet) first, or write its id, name, ONS code or LA number.")
    start = cells.period("period_start", required=False)
    end = cells.period("period_end", required=False)
    if start and end and end.end < start.start:
        cells.problem("period_end", "the plan ends before it starts; check the two dates.")
    status = cells.choice("status", PLAN_STATUSES, required=False)
    if cells.failed:
        _remember_failed(known.plans, plan_id)
        return []
    exists = plan_id in known.plans
    known.plans.add(plan_id)
    written = " to ".join(text for text in (cells.text("period_start"), cells.text("period_end")) if text)
    return [("plans", _given(exists, {"plan_id": plan_id, "title": title, "organisation_id": org},
                             {"period_text": written or None, "period_start": start and start.start,
                              "period_end": end and end.end, "status": status}))]


def _remove(cells: Cells) -> bool:
    written = (cells.text("remove") or "").lower()
    if written and written not in REMOVE_WORDS + NO_WORDS:
        cells.problem("remove", "write 'yes' to remove this row, or leave the cell empty.")
    return written in REMOVE_WORDS


def _area_row(cells: Cells, known: Known) -> Records:
    structure = _structure(known)
    plan = plan_cell(cells, known)
    code = cells.text("code", required=True)
    if _remove(cells):
        uses = [f"{n} {what}" for n, what in ((structure.area_actions.get((plan, code), 0), "action(s)"),
                                              (structure.area_indicators.get((plan, code), 0), "indicator(s)"),
                                              (sum(1 for key, area in structure.areas.items() if key[0] == plan
                                                   and area["parent_code"] == code), "sub-area(s)")) if n]
        if uses:
            cells.problem("remove", f"area '{code}' still has {' and '.join(uses)} under it, so it cannot be "
                                    "removed (their statuses and values would lose their place). Move them to "
                                    "another area first, or keep the area: rename it or move it instead.")
        if cells.failed:
            return []
        return [("areas", {"plan_id": plan, "code": code, "_remove": True})]
    title = cells.text("title", required=True)
    parent = cells.text("parent_code")
    level = cells.text("level")
    if cells.failed:
        _remember_failed(known.areas, (plan, code))
        return []
    existing = structure.areas.get((plan, code))
    if level is None:
        level = existing["level"] if existing else ("strategic_area" if parent is None else "priority")
    known.areas.add((plan, code))
    return [("areas", {"plan_id": plan, "code": code, "parent_code": parent, "level": level_key(level),
                       "title": title})]


def _area_codes(cells: Cells, known: Known, written_plan: str | None) -> tuple[str | None, list[str]]:
    codes = split_list(cells.text("area_codes"))
    if not codes:
        return written_plan, []
    plan = written_plan
    if plan is None:
        plans = sorted({p for p, code in known.areas if code == codes[0]})
        if len(plans) != 1:
            cells.problem("plan_id", f"area '{codes[0]}' is in {len(plans) or 'no'} plan(s); write the plan's id in "
                                     "plan_id.")
            return None, []
        plan = plans[0]
    missing = [code for code in codes if (plan, code) not in known.areas]
    if missing:
        cells.problem("area_codes", f"there is no area {', '.join(repr(c) for c in missing)} in plan '{plan}'; add "
                                    "it in the areas sheet (or file) first, or check the code.")
    return plan, codes


def _indicator_row(cells: Cells, known: Known) -> Records:
    structure = _structure(known)
    code = cells.text("code", required=True)
    if code is None:
        return []
    target = known.indicator(code) or code
    exists = target in structure.indicators
    if _remove(cells):
        values = structure.valued.get(target, 0)
        if values:
            cells.problem("remove", f"indicator '{target}' has {values:,} value(s) stored, so it cannot be removed "
                                    "(they would be lost). Write yes in retired instead: it keeps its values.")
        if cells.failed or not exists:
            return [] if cells.failed else [("indicators", {"indicator_code": target, "_remove": True})]
        return [("indicators", {"indicator_code": target, "_remove": True}),
                *(("indicator_aliases", {"alias_key": key, "_remove": True})
                  for key in structure.indicator_alias_keys.get(target, [])),
                *(("indicator_areas", {"indicator_code": i, "plan_id": p, "area_code": a, "_remove": True})
                  for i, p, a in sorted(structure.links) if i == target)]
    name = cells.text("name", required=True)
    unit = _unit(cells)
    polarity = _polarity(cells)
    fraction, units, tolerance_given = _tolerance(cells)
    year_type = cells.text("year_type")
    year = None
    if year_type:
        year = next((option for option in YEAR_TYPES if year_type.lower() in (option, f"{option} year")), None)
        if year is None:
            cells.problem("year_type", f"'{year_type}' is not a kind of year; use one of: {', '.join(YEAR_TYPES)}.")
    decimals = cells.integer("decimals")
    if decimals is not None and not 0 <= decimals <= 6:
        cells.problem("decimals", "write how many decimal places to show, from 0 to 6.")
    retired = _yes_no(cells, "retired")
    written_plan = cells.text("plan_id")
    if written_plan and written_plan not in known.plans:
        cells.problem("plan_id", f"there is no plan '{written_plan}'; add it first or check the spelling.")
        plan, areas = None, []
    else:
        plan, areas = _area_codes(cells, known, written_plan)
    aliases = [alias for alias in split_list(cells.text("aliases")) if alias_key(alias) != alias_key(target)]
    for alias in aliases:
        owner = known.aliases.get(alias_key(alias))
        if owner is not None and owner != target:
            what = "the code" if alias_key(owner) == alias_key(alias) else "an alias"
            cells.problem("aliases", f"'{alias}' is already {what} of indicator '{owner}'; an alias may name only "
                                     "one indicator. Remove it from this row, or give the other indicator a "
                                     "different code.")
    if cells.failed:
        known.aliases.setdefault(alias_key(target), target)  # see _remember_failed
        return []
    tolerance = {"tolerance": fraction, "tolerance_units": units} if tolerance_given else \
        ({} if exists else {"tolerance": None, "tolerance_units": None})
    record = _given(exists, {"indicator_code": target, "name": name, **tolerance},
                    {"unit": unit or (None if exists else "number"),
                     "polarity": polarity or (None if exists else "none"),
                     "polarity_basis": "definition" if polarity else None, "family": cells.text("family") or
                     (None if exists else "local"), "owner": cells.text("owner"), "year_type": year,
                     "decimals": decimals, "description": cells.text("description"),
                     "retired": retired if retired is not None or exists else False})
    records: Records = [("indicators", record)]
    structure.indicators.add(target)
    for alias in [target, *aliases]:
        key = alias_key(alias)
        if key not in known.aliases:
            known.aliases[key] = target
            records.append(("indicator_aliases", {"alias_key": key, "alias": alias, "indicator_code": target}))
    if plan is not None and areas:
        wanted = {(target, plan, area) for area in areas}
        records += [("indicator_areas", {"indicator_code": i, "plan_id": p, "area_code": a}) for i, p, a in
                    sorted(wanted)]
        # The areas listed replace the indicator's areas in that plan: a link not listed is taken away.
        records += [("indicator_areas", {"indicator_code": i, "plan_id": p, "area_code": a, "_remove": True})
                    for i, p, a in sorted(structure.links) if i == target and p == plan and (i, p, a) not in wanted]
    return records


ORGANISATIONS = Kind("organisations", ("organisation_id", "name"),
                     ("ons_code", "la_number", "region", "kind", "aliases"), _organisation_row)
PLANS = Kind("plans", ("plan_id", "organisation_id", "title"), ("period_start", "period_end", "status"), _plan_row)
AREAS = Kind("areas", ("plan_id", "code", "title"), ("parent_code", "level", "remove"), _area_row)
INDICATOR_DEFINITIONS = Kind(
    "indicator_definitions", ("code", "name"),
    ("aliases", "unit", "polarity", "tolerance", "family", "owner", "year_type", "decimals", "description",
     "plan_id", "area_codes", "retired", "remove"), _indicator_row)
STRUCTURE_KINDS = (ORGANISATIONS, PLANS, AREAS, INDICATOR_DEFINITIONS)


def area_tree_problems(records: list[dict], known: Known, file_name: str) -> list[Problem]:
    """An uploaded area whose parent does not exist (in the plan or the file), or that would sit inside itself."""
    parents = {key: area["parent_code"] for key, area in _structure(known).areas.items()}
    for record in records:
        key = (record["plan_id"], record["code"])
        if record.get("_remove"):
            parents.pop(key, None)
        else:
            parents[key] = record["parent_code"]
    problems, cycles = [], set()
    rows = {(record["plan_id"], record["code"]): record["upload_row"] for record in records}
    for record in records:
        if record.get("_remove") or record["parent_code"] is None:
            continue
        plan, code, parent = record["plan_id"], record["code"], record["parent_code"]
        if (plan, parent) not in parents:
            problems.append(Problem(record["upload_row"], "parent_code", parent,
                                    f"there is no area '{parent}' in plan '{plan}'; add it (in this file or "
                                    "before it), or check the code.", file=file_name))
            continue
        path, step = [code], parent
        while step is not None and step not in path and len(path) <= len(parents):
            path.append(step)
            step = parents.get((plan, step))
        if step == code and frozenset(path) not in cycles:  # a loop is reported once, on its first row
            cycles.add(frozenset(path))
            # Which row is wrong only the officer knows: when several rows of the file make the loop, name them all.
            looped = sorted(rows[(plan, area)] for area in path if (plan, area) in rows)
            where = f"; rows {', '.join(map(str, looped))} of this file make it" if len(looped) > 1 else ""
            problems.append(Problem(record["upload_row"], "parent_code", parent,
                                    f"area '{code}' would sit inside itself ({' › '.join(path + [code])}{where}); "
                                    "give it a parent that is not one of its own sub-areas.", file=file_name))
    return problems


def moves(changes: dict, structure: Structure) -> list[str]:
    """What a change of structure moves, in sentences: areas renamed or moved (with what is under them),
    indicators renamed, moved to other areas or retired (their values kept), organisations and plans renamed."""
    said: list[str] = []
    areas = changes.get("areas")
    for olds, new in (areas.changed if areas else []):
        old, key = olds[0], (new["plan_id"], new["code"])
        under = f"{structure.area_actions.get(key, 0)} action(s) and {structure.area_indicators.get(key, 0)} " \
                "indicator(s) go with it, their statuses and values kept"
        if old.get("parent_code") != new.get("parent_code"):
            said.append(f"Area {new['code']} moves from {old.get('parent_code') or 'the top'} to "
                        f"{new.get('parent_code') or 'the top'} of plan {new['plan_id']}; {under}.")
        if old.get("title") != new.get("title"):
            said.append(f"Area {new['code']} is renamed from '{old.get('title')}' to '{new.get('title')}'; {under}.")
    for olds, new in (changes["indicators"].changed if "indicators" in changes else []):
        old, code = olds[0], new["indicator_code"]
        kept = f"its {structure.valued.get(code, 0):,} value(s) are kept"
        if old.get("name") != new.get("name"):
            said.append(f"Indicator {code} is renamed from '{old.get('name')}' to '{new.get('name')}'; {kept}.")
        if new.get("retired") and not old.get("retired"):
            said.append(f"Indicator {code} is retired; {kept}.")
        for column, words in (("polarity", "polarity"), ("tolerance", "tolerance"),
                              ("tolerance_units", "tolerance in its unit")):
            if column in new and _word(old.get(column)) != _word(new.get(column)):
                shown = _percent if column == "tolerance" else _word
                said.append(f"Indicator {code}: {words} {shown(old.get(column))} → {shown(new.get(column))}; its RAG "
                            "is assessed again (listed below when it changes).")
    links = changes.get("indicator_areas")
    if links is not None:
        new_codes = {row["indicator_code"] for row in changes["indicators"].added} if "indicators" in changes else set()
        for row in (row for row in links.added if row["indicator_code"] not in new_codes):
            said.append(f"Indicator {row['indicator_code']} now reports under area {row['area_code']} of plan "
                        f"{row['plan_id']}.")
        for row in links.removed:
            said.append(f"Indicator {row['indicator_code']} no longer reports under area {row['area_code']} of plan "
                        f"{row['plan_id']}; its values are kept.")
    for table, what in (("organisations", "Organisation"), ("plans", "Plan")):
        for olds, new in (changes[table].changed if table in changes else []):
            column = "name" if table == "organisations" else "title"
            if olds[0].get(column) != new.get(column):
                said.append(f"{what} {new['organisation_id' if table == 'organisations' else 'plan_id']} is renamed "
                            f"from '{olds[0].get(column)}' to '{new.get(column)}'.")
    return said


def _percent(fraction) -> str:
    return "(none)" if fraction is None or fraction != fraction else f"{fraction * 100:g}% of the target"


def _word(value) -> str:
    if value is None or value != value:
        return "(default)"
    return f"{value:g}" if isinstance(value, float) else str(value)


def changed_definitions(changes: dict) -> list[str]:
    """Indicators whose polarity or tolerance an upload changes: their RAG must be assessed again."""
    change = changes.get("indicators")
    if change is None:
        return []
    columns = ("polarity", "tolerance", "tolerance_units")
    return sorted({new["indicator_code"] for olds, new in change.changed
                   if any(column in new and _word(olds[0].get(column)) != _word(new.get(column))
                          for column in columns)})
