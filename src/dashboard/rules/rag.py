"""The one RAG rule for indicators: compare an actual with its target using polarity and an amber tolerance."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.presenting.palette import STATUS_LABELS

DEFAULT_TOLERANCE = 0.05  # 5% of the target: a common council convention; an indicator may set its own.
POLARITY_WORDS = {
    "higher": "higher is better",
    "lower": "lower is better",
    "band": "within a band around the target is best",
    "none": "no direction is better",
}


@dataclass(frozen=True)
class RagResult:
    """A RAG status (a key of the status scale or 'no_target'/'not_assessed') and the rule in words."""

    status: str
    label: str
    explanation: str


def _result(status: str, why: str) -> RagResult:
    # The status's word is the scale's (palette.STATUS_LABELS), at the head of the explanation too.
    label = STATUS_LABELS[status]
    return RagResult(status, label, f"{label}: {why}")


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def indicator_rag(actual: float | None, target: float | None, polarity: str,
                  tolerance: float | None = None, unit: str = "", tolerance_units: float | None = None) -> RagResult:
    """Rate an actual against its target. No target or no actual is 'not assessed', never red. The amber band is
    `tolerance_units` in the indicator's own unit when given, else `tolerance` (a fraction of the target)."""
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    if actual is None:
        return _result("not_assessed", "no actual figure for this period.")
    if target is None:
        return _result("no_target", "there is no numeric target for this period.")
    if polarity not in ("higher", "lower", "band"):
        return _result("not_assessed", "this indicator has no better direction, so no RAG is given.")
    points = "points" if unit == "percent" else ""
    gap = actual - target
    allowed = abs(target) * tol if tolerance_units is None else abs(tolerance_units)
    band = f"{tol:.0%}" if tolerance_units is None else f"{_fmt(abs(tolerance_units))} {points}".strip()
    tol_words = f"tolerance {band}, {POLARITY_WORDS[polarity]}"
    size = f"{_fmt(abs(gap))} {points}".strip()
    if polarity == "band":
        distance = abs(gap)
        if distance <= allowed:
            return _result("green", f"{size} from target, within {tol_words}.")
        if distance <= 2 * allowed:
            return _result("amber", f"{size} from target, {tol_words}.")
        return _result("red", f"{size} from target, beyond twice the {tol_words}.")
    shortfall = -gap if polarity == "higher" else gap  # how far on the wrong side of the target
    if shortfall <= 0:
        where = "on target" if gap == 0 else f"{size} {'above' if gap > 0 else 'below'} target"
        return _result("green", f"{where}, {POLARITY_WORDS[polarity]}.")
    side = "below" if gap < 0 else "above"
    if shortfall <= allowed:
        return _result("amber", f"{size} {side} target, {tol_words}.")
    return _result("red", f"{size} {side} target, beyond the {tol_words}.")


def rule_in_words(tolerance: float = DEFAULT_TOLERANCE) -> list[str]:
    """The RAG rule as sentences, for the Method page (rendered from the same constants the rule uses)."""
    return [
        "Green: the actual meets or beats the target in the indicator's better direction.",
        f"Amber: the actual misses the target by no more than the tolerance (by default {tolerance:.0%} of the "
        "target; an indicator may set its own).",
        "Red: the actual misses the target by more than the tolerance.",
        "Band indicators: green within the tolerance either side of the target, amber within twice it, red beyond.",
        "No target: the period has an actual but no numeric target (a direction such as 'reduce' is not a number).",
        "Not assessed: no actual, or an indicator with no better direction. Neither is ever shown as red or green.",
    ]
