"""Apply the indicator assessment (rules.assessment) and direction of travel to every indicator's series, one row
per indicator."""
from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.presenting.palette import STATUS_LABELS
from dashboard.rules.assessment import BASIS_WORDS, RULES_BY_KEY, Comparator, Period, assess_indicator
from dashboard.rules.travel import direction_of_travel

# The verdicts in the order charts and tables list them: measured RAG worst first, then projections, comparators,
# and those with no verdict last.
VERDICT_ORDER = ("red", "amber", "green", "not_on_course", "on_course", "worse", "level", "better", "no_target",
                 "not_assessed")
# Verdicts that need a cabinet member's attention (the overview's exceptions).
ATTENTION = ("red", "amber", "not_on_course", "worse")


def _num(value) -> float | None:
    # NaN is the only value unequal to itself: the test pd.isna makes, without its call per cell.
    return None if value is None or value is pd.NA or value != value else float(value)


def _date(value):
    if type(value) is date:  # what the query gives; a Timestamp or NumPy date is converted (0.7 s nationally)
        return value
    return None if value is None or value is pd.NaT or value != value else pd.Timestamp(value).date()


def periods_of(series) -> list[Period]:
    """The query's list of per-period structs as rules.assessment.Period values."""
    if series is None or (not isinstance(series, (list, tuple)) and not hasattr(series, "__len__")):
        return []
    return [Period(text=p["text"] or p["target_written"] or "", start=_date(p["s"]), end=_date(p["e"]),
                   actual=_num(p["actual"]), target=_num(p["target"]), target_text=p["target_text"],
                   target_written=p["target_written"], conflict=bool(p["conflict"]))
            for p in series]


def comparators_of(comparators) -> list[Comparator]:
    """The query's list of comparator structs as rules.assessment.Comparator values."""
    if comparators is None or (not isinstance(comparators, (list, tuple)) and not hasattr(comparators, "__len__")):
        return []
    return [Comparator(c["g"], _date(c["s"]), _date(c["e"]), _num(c["v"]), c.get("b"),
                       None if _num(c.get("n")) is None else int(c["n"])) for c in comparators]


def assess(positions: pd.DataFrame) -> pd.DataFrame:
    """Add the verdict (rag, rag_label, rag_explanation, basis, rule, rule_words, rag_period, rag_actual,
    rag_target, target_period, comparator_explanation, quartile_band) and direction of travel (travel,
    travel_explanation) to rows of queries.indicator_positions."""
    out = positions.copy()
    verdicts, travels = [], []
    # Column lists, not itertuples: the same values, without pandas' per-cell access (an upload's preview assesses
    # every indicator of every council it touches, tens of thousands of rows).
    columns = [out[name].tolist() if name in out else [None] * len(out)
               for name in ("series", "comparators", "polarity", "tolerance", "unit", "latest_actual",
                            "previous_actual", "previous_period", "latest_period", "tolerance_units")]
    for series, comparators, polarity, tolerance, unit, latest_actual, previous_actual, previous_period, \
            latest_period, units in zip(*columns):
        verdicts.append(assess_indicator(periods_of(series), comparators_of(comparators), polarity,
                                         _num(tolerance), unit or "", _num(units)))
        travels.append(direction_of_travel(_num(previous_actual), _num(latest_actual), polarity,
                                           previous_period or "", latest_period or ""))
    out["rag"] = [v.status for v in verdicts]
    out["rag_label"] = [STATUS_LABELS[v.status] for v in verdicts]
    out["rag_explanation"] = [v.explanation for v in verdicts]
    out["basis"] = [v.basis for v in verdicts]
    out["basis_label"] = [BASIS_WORDS[v.basis] for v in verdicts]
    out["rule"] = [v.rule for v in verdicts]
    out["rule_words"] = [RULES_BY_KEY[v.rule].words for v in verdicts]
    # Text columns that may be blank are typed as text: a column of blanks alone would otherwise be objects, and
    # the upload preview compares a subset of one assessment with another.
    out["rag_period"] = pd.Series([v.period for v in verdicts], index=out.index,
                                  dtype="str")
    out["rag_actual"] = pd.Series([v.actual for v in verdicts], index=out.index, dtype="float64")
    out["rag_target"] = pd.Series([v.target for v in verdicts], index=out.index, dtype="float64")
    out["target_period"] = pd.Series([v.target_period for v in verdicts], index=out.index, dtype="str")
    out["comparator_explanation"] = pd.Series([v.comparator for v in verdicts], index=out.index, dtype="str")
    out["quartile_band"] = pd.Series([v.band for v in verdicts], index=out.index, dtype="str")
    out["travel"] = [t.direction for t in travels]
    out["travel_explanation"] = [t.explanation for t in travels]
    return out.drop(columns=[c for c in ("series", "comparators") if c in out])


def rag_counts(assessed: pd.DataFrame) -> pd.DataFrame:
    """Indicators by verdict per area, as rows of (top_title, status, items) for the status bars."""
    if assessed.empty:
        return pd.DataFrame(columns=["top_title", "status", "items"])
    frame = assessed.assign(top_title=assessed["area_title"].fillna("No area"))
    return frame.groupby(["top_title", "rag"], sort=False).size().reset_index(name="items").rename(
        columns={"rag": "status"})
