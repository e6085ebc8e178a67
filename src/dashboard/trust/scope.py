"""Which councils an upload's rows are for, and the rows outside an officer's scope (dashboard.trust.access), as problems
that name them."""
from __future__ import annotations

from collections.abc import Mapping

import pyarrow.compute as pc

from dashboard.importer.pipeline import Batch
from dashboard.importer.problems import Problem
from dashboard.trust.access import Grant

SHOWN_ROWS = 20  # rows named in one problem; the rest are counted


def rows_by_organisation(batch: Batch, plan_organisations: Mapping[str, str]) -> dict[str, list[int | None]]:
    """The council (lower case) of each of the batch's rows, by council: a row names its council, or its plan's
    (a plan in the same upload counts). Rows of national definitions (indicators) are for no council."""
    plans = dict(plan_organisations)
    plans.update({r["plan_id"]: r["organisation_id"] for r in batch.records.get("plans", [])
                  if r.get("plan_id") and r.get("organisation_id")})
    found: dict[str, list[int | None]] = {}
    for rows in batch.records.values():
        for record in rows:
            org = record.get("organisation_id") or plans.get(record.get("plan_id"))
            if org:
                found.setdefault(str(org).lower(), []).append(record.get("upload_row"))
    for frame in batch.frames.values():
        if "organisation_id" not in frame.column_names:
            continue
        orgs = pc.utf8_lower(frame["organisation_id"]).to_pylist()
        numbers = frame["upload_row"].to_pylist() if "upload_row" in frame.column_names else [None] * len(orgs)
        for org, row in zip(orgs, numbers, strict=True):
            if org:
                found.setdefault(org, []).append(row)
    return found


def problems_outside(grant: Grant, by_organisation: Mapping[str, list[int | None]], file_name: str) -> list[Problem]:
    """One problem per council the grant does not cover, naming its rows (the first SHOWN_ROWS of them)."""
    if grant.organisations is None:
        return []
    allowed = ", ".join(sorted(grant.organisations))
    out = []
    for org, rows in sorted(by_organisation.items()):
        if grant.covers(org):
            continue
        numbers = sorted({r for r in rows if r is not None})
        named = ", ".join(map(str, numbers[:SHOWN_ROWS])) + (
            f" and {len(numbers) - SHOWN_ROWS:,} more" if len(numbers) > SHOWN_ROWS else "")
        where = f"row(s) {named}" if numbers else f"{len(rows):,} row(s)"
        out.append(Problem(numbers[0] if numbers else None, "organisation", org,
                           f"you may upload only for {allowed}; {where} are for '{org}'. Remove those rows, or ask "
                           "the dashboard's administrator to add that council to your scope.", file=file_name))
    return out


def kind_problem(grant: Grant, kind: str, label: str, file_name: str) -> Problem | None:
    """The problem for a kind of upload outside the grant's kinds, or None when it may upload it."""
    if grant.may_upload(kind=kind):
        return None
    kinds = "none" if not grant.at_least("officer") else ", ".join(sorted(grant.kinds or ()))
    return Problem(None, None, None, f"You may not upload {label}: the kinds you may upload are {kinds}. Ask the "
                   "dashboard's administrator if you need to.", file=file_name)
