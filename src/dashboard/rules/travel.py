"""Direction of travel: whether the latest actual is better or worse than the one before, given polarity."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Travel:
    """Direction ('improving', 'worsening', 'no change', 'changed', 'unknown') and a sentence saying why."""

    direction: str
    explanation: str


def direction_of_travel(previous: float | None, latest: float | None, polarity: str,
                        previous_period: str = "", latest_period: str = "") -> Travel:
    """Compare two actuals. Never 'up' or 'down' alone: the polarity decides whether a rise is good."""
    if previous is None or latest is None:
        return Travel("unknown", "Direction unknown: fewer than two actual figures.")
    span = f" from {previous:,g} ({previous_period}) to {latest:,g} ({latest_period})".replace(" ()", "")
    if latest == previous:
        return Travel("no change", "No change" + span + ".")
    rose = latest > previous
    if polarity not in ("higher", "lower"):
        return Travel("changed", ("Rose" if rose else "Fell") + span + "; this indicator has no better direction.")
    improving = rose == (polarity == "higher")
    word = "Improving" if improving else "Worsening"
    return Travel(word.lower(), f"{word}: {'rose' if rose else 'fell'}{span}, {polarity} is better.")
