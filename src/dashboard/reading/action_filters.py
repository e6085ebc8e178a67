"""Filter a plan's actions (by lead, status, overdue) and count them by area, leaves or rolled up to parents."""
from __future__ import annotations

import pandas as pd


def filter_actions(actions: pd.DataFrame, leads: list[str] | None = None, statuses: list[str] | None = None,
                   overdue_only: bool = False, past_date_only: bool = False) -> pd.DataFrame:
    """Keep actions led by any of `leads`, in any of `statuses` (keys), overdue if asked, and past their date
    (overdue, or no status reported) if asked."""
    keep = pd.Series(True, index=actions.index)
    if leads:
        keep &= actions["lead_officer"].isin(leads)
    if statuses:
        keep &= actions["status"].isin(statuses)
    if overdue_only:
        keep &= actions["overdue"].fillna(False).astype(bool)
    if past_date_only:
        keep &= actions["due_position"].notna()
    return actions[keep]


def count_by_area(actions: pd.DataFrame, mode: str = "leaves") -> pd.DataFrame:
    """Rows of (top_title, status, items). 'leaves' counts items with no sub-items (tasks, and actions without
    tasks); 'parents' counts top-level actions only, their tasks rolled up into them."""
    if mode not in ("leaves", "parents"):
        raise ValueError(mode)
    chosen = actions[actions["is_leaf"]] if mode == "leaves" else actions[actions["parent_code"].isna()]
    if chosen.empty:
        return pd.DataFrame(columns=["top_title", "status", "items"])
    return chosen.groupby(["top_title", "status"], sort=False).size().reset_index(name="items")


def describe(leads: list[str] | None, statuses: list[str] | None, overdue_only: bool, past_date_only: bool,
             status_labels: dict[str, str], shown: int, total: int) -> str:
    """The filters in force, in words, with how many of the items they keep ('' when no filter is on), for the
    top of a filtered view: a share such as 'Green or better 0% of 4' must never hide that it is of a subset."""
    parts = []
    if leads:
        parts.append(f"lead officer {_either(leads)}")
    if statuses:
        parts.append(f"status {_either([status_labels.get(s, s) for s in statuses])}")
    if overdue_only:
        parts.append("only overdue items")
    if past_date_only:
        parts.append("only items past their date")
    if not parts:
        return ""
    return f"Filtered by {'; '.join(parts)}: showing {shown} of {total} items."


def _either(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]
