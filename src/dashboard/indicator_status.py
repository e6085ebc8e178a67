"""Apply the RAG rule and direction of travel to every indicator's latest position (one row per indicator)."""
from __future__ import annotations

import pandas as pd

from dashboard.palette import STATUS_LABELS
from dashboard.rules.rag import indicator_rag
from dashboard.rules.travel import direction_of_travel


def _num(value) -> float | None:
    # NaN is the only value unequal to itself: the test pd.isna makes, without its call per cell.
    return None if value is None or value is pd.NA or value != value else float(value)


def assess(positions: pd.DataFrame) -> pd.DataFrame:
    """Add rag, rag_label, rag_explanation, travel and travel_explanation to rows of queries.indicator_positions."""
    out = positions.copy()
    rags, travels = [], []
    # Column lists, not itertuples: the same values, without pandas' per-cell access (an upload's preview assesses
    # every indicator of every council it touches, tens of thousands of rows).
    names = ("tolerance", "rag_actual", "rag_target", "polarity", "unit", "rag_period", "latest_actual",
             "previous_actual", "previous_period", "latest_period", "tolerance_units")
    columns = [out[name].tolist() if name in out else [None] * len(out) for name in names]
    for tolerance, rag_actual, rag_target, polarity, unit, rag_period, latest_actual, previous_actual, \
            previous_period, latest_period, units in zip(*columns):
        tolerance, units = _num(tolerance), _num(units)
        rags.append(indicator_rag(_num(rag_actual), _num(rag_target), polarity, tolerance, unit, units)
                    if pd.notna(rag_period) else
                    indicator_rag(_num(latest_actual), None, polarity, tolerance, unit, units))
        travels.append(direction_of_travel(_num(previous_actual), _num(latest_actual), polarity,
                                           previous_period or "", latest_period or ""))
    out["rag"] = [r.status for r in rags]
    out["rag_label"] = [STATUS_LABELS[r.status] for r in rags]
    out["rag_explanation"] = [
        r.explanation + (" The document gives conflicting figures for this period; the lower pair is used here and "
                         "both are shown with their lines." if conflict is True else "")
        for r, conflict in zip(rags, out.get("is_conflict", pd.Series([None] * len(out))).tolist())]
    out["travel"] = [t.direction for t in travels]
    out["travel_explanation"] = [t.explanation for t in travels]
    return out


def rag_counts(assessed: pd.DataFrame) -> pd.DataFrame:
    """Indicators by RAG per area, as rows of (top_title, status, items) for the status bars."""
    if assessed.empty:
        return pd.DataFrame(columns=["top_title", "status", "items"])
    frame = assessed.assign(top_title=assessed["area_title"].fillna("No area"))
    return frame.groupby(["top_title", "rag"], sort=False).size().reset_index(name="items").rename(
        columns={"rag": "status"})
