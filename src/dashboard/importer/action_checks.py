"""Whole-file checks on an actions upload against the plan it changes (issue 24): an action made its own ancestor
(two actions each other's parent: both would drop out of every count) and a new code that differs from an
existing one only in capitals (a near-duplicate an officer would not see); and a new status still carrying the date
the previous one took effect (left from the template)."""
from __future__ import annotations

from dashboard.importer.problems import Problem
from dashboard.presenting.palette import STATUS_LABELS


def action_problems(existing: list[tuple[str, str, str | None]], records: list[dict], file_name: str) -> list[Problem]:
    """Cycles and case-only code differences among the actions of a file, given each existing action's (plan,
    code, parent)."""
    parents = {(plan, code): parent for plan, code, parent in existing}
    spelled = {(plan, code.lower()): code for plan, code in parents}
    problems = []
    for record in records:
        key = (record["plan_id"], record["code"])
        other = spelled.get((key[0], key[1].lower()))
        if key not in parents and other is not None and other != key[1]:
            problems.append(Problem(record.get("upload_row"), "code", key[1], f"the code '{key[1]}' differs only in "
                                    f"capitals from the action '{other}' of plan '{key[0]}'; write '{other}' to "
                                    "change that action, or choose a code that differs in more than capitals.",
                                    file=file_name))
            continue
        spelled.setdefault((key[0], key[1].lower()), key[1])
        if "parent_code" in record and (key not in parents or record["parent_code"] is not None):
            parents[key] = record["parent_code"]
        else:
            parents.setdefault(key, None)
    for record in records:
        chain = _ancestry(parents, record["plan_id"], record["code"])
        if chain:
            problems.append(Problem(record.get("upload_row"), "parent_code", record.get("parent_code"),
                                    f"this makes '{record['code']}' its own ancestor ({' → '.join(chain)}); an "
                                    "action cannot sit under itself or its own tasks. Check the parent codes.",
                                    file=file_name))
    return problems


def _ancestry(parents: dict, plan: str, code: str) -> list[str] | None:
    """The chain from an action up to itself, when its parents lead back to it; else None."""
    chain, seen, current = [code], {code}, parents.get((plan, code))
    while current is not None:
        chain.append(current)
        if current == code:
            return chain
        if current in seen:  # a loop above this action, not through it: reported at the rows in that loop
            return None
        seen.add(current)
        current = parents.get((plan, current))
    return None


def stale_effective_problems(latest: list[tuple], records: list[dict], file_name: str) -> list[Problem]:
    """A warning for each new status whose 'effective' date is the one its action's previous, different status took
    effect on: the template's date left in place, which would date the change months too early."""
    before = {(plan, code): (status, effective) for plan, code, status, effective in latest}
    problems = []
    for record in records:
        status, effective = before.get((record["plan_id"], record["action_code"]), (None, None))
        if effective is None or record["effective_date"] != effective or record["status"] == status:
            continue
        problems.append(Problem(record.get("upload_row"), "effective", record.get("effective_text"),
                                f"this is the date the previous status ({STATUS_LABELS.get(status, status)}) took "
                                f"effect, so the new one ({STATUS_LABELS.get(record['status'], record['status'])}) "
                                "would read as held since then; write the date it changed, or clear the cell (the "
                                "report date is then used).", "warning", file_name))
    return problems

