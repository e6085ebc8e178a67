"""The overview's exceptions scorecard: what needs a cabinet member's attention, as one table of rows with the verdict
in words and a link to each row's detail page."""
from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.presenting.palette import STATUS_LABELS
from dashboard.presenting.view_params import page_link
from dashboard.rules.assessment import BOTTOM_BAND

# Families of published national statistics (dashboard.reading.compare.SOURCES): listed by their band, not their verdict.
PUBLISHED_FAMILIES = ("LAIT", "EES")
PUBLISHED = "Published measure"

# Why a row is listed, most urgent first: the order of the table before anyone sorts it.
REASONS = (
    ("red", "Red against its target"),
    ("red_action", "Red action"),
    ("not_on_course", "Not on course to its target"),
    ("worse", "Worse than comparators"),
    ("bottom_quartile", "In the bottom quartile of councils"),
    ("amber", "Amber against its target"),
    ("worsening", "Worsening"),
)
PRIORITY = {key: rank for rank, (key, _) in enumerate(REASONS, start=1)}
REASON_WORDS = dict(REASONS)
# The word, the direction and the link first, so a laptop's screen shows them without scrolling sideways.
COLUMNS = ["Priority", "Kind", "Code", "status", "Verdict", "Direction", "Since", "Detail", "Item", "Why", "Area"]


def _indicator_reason(verdict: str, travel: str) -> str | None:
    if verdict in PRIORITY:
        return verdict
    return "worsening" if travel == "worsening" else None


def _published(row) -> bool:
    return getattr(row, "family", None) in PUBLISHED_FAMILIES


def scorecard(assessed: pd.DataFrame, actions: pd.DataFrame, organisation_id: str, plan_id: str | None,
              as_at: date, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Indicators off target, not on course, worse than comparators or worsening (rows of indicator_status.assess)
    and red actions (rows of queries.actions_at), and the council's published measures in the bottom quartile of
    councils (band D; assessed rows of every indicator, `published`), most urgent first, each with its verdict in
    words and a link."""
    view = {"org": organisation_id, "plan": plan_id, "as_at": as_at}
    rows = []
    for row in (published.itertuples() if published is not None else ()):
        if not _published(row) or row.quartile_band != BOTTOM_BAND:
            continue
        worsening = row.travel == "worsening"
        rows.append({
            "Priority": 2 * PRIORITY["bottom_quartile"] - (1 if worsening else 0),
            "Kind": PUBLISHED, "Code": row.indicator_code, "Item": row.name, "status": row.rag,
            "Verdict": STATUS_LABELS[row.rag],
            "Why": f"{row.rag_explanation} {row.travel_explanation}" if worsening else row.rag_explanation,
            "Direction": row.travel, "Since": None, "Area": None,
            "Detail": page_link("compare", {**view, "measure": row.indicator_code}),
        })
    for row in assessed.itertuples():
        if _published(row):  # listed above by band, not by their comparison with neighbours alone
            continue
        reason = _indicator_reason(row.rag, row.travel)
        if reason is None:
            continue
        worsening = row.travel == "worsening"
        rows.append({
            # Worsening as well ranks just above the same verdict alone.
            "Priority": 2 * PRIORITY[reason] - (1 if worsening and reason != "worsening" else 0),
            "Kind": "Indicator", "Code": row.indicator_code, "Item": row.name, "status": row.rag,
            "Verdict": STATUS_LABELS[row.rag],
            "Why": row.rag_explanation if reason != "worsening" else f"{row.travel_explanation} {row.rag_explanation}",
            "Direction": row.travel, "Since": None, "Area": row.area_title,
            "Detail": page_link("indicators", {**view, "find": row.indicator_code, "indicator": row.indicator_code}),
        })
    red = actions[actions["status"] == "red"] if not actions.empty else actions
    for row in red.itertuples():
        since = pd.Timestamp(row.status_since).date() if pd.notna(row.status_since) else None
        why = row.commentary if isinstance(row.commentary, str) and row.commentary.strip() else \
            "No commentary was reported with this status."
        rows.append({
            "Priority": 2 * PRIORITY["red_action"], "Kind": "Action", "Code": row.code, "Item": row.text,
            "status": "red", "Verdict": STATUS_LABELS["red"],
            "Why": why, "Direction": None, "Since": since, "Area": row.top_title,
            "Detail": page_link("rag", {**view, "area": row.top_title}),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["Priority", "Kind", "Code"], kind="stable").reset_index(drop=True)


def bottom_and_worsening(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's published measures in the bottom quartile of councils and worsening."""
    return table[(table["Kind"] == PUBLISHED) & (table["Direction"] == "worsening")]


def headline(table: pd.DataFrame) -> str:
    """The scorecard in one sentence: how many of each reason."""
    if table.empty:
        return "Nothing needs attention: no indicator is off target, not on course, worse than comparators or " \
               "worsening, no published measure is in the bottom quartile, and no action is red at this date."
    parts = []
    indicators = table[table["Kind"] == "Indicator"]
    for key, words in (("red", "red against target"), ("amber", "amber"), ("not_on_course", "not on course"),
                       ("worse", "worse than comparators")):
        n = int((indicators["status"] == key).sum())
        if n:
            parts.append(f"{n} {words}")
    worsening = int((indicators["Direction"] == "worsening").sum())
    if worsening:
        parts.append(f"{worsening} worsening")
    red_actions = int((table["Kind"] == "Action").sum())
    said = (f"Indicators: {', '.join(parts)}." if parts else "No indicator needs attention.")
    bottom = int((table["Kind"] == PUBLISHED).sum())
    if bottom:
        said += (f" Published measures: {bottom} in the bottom quartile of councils, "
                 f"{len(bottom_and_worsening(table))} of them worsening.")
    return said + (f" {red_actions} action{'s' if red_actions != 1 else ''} red." if red_actions else
                   " No action is red at this date.")
