"""The ordered status scale for plan actions, and the parser that maps written statuses onto it."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One step of the scale: key, the word shown to users, and its rank (None: outside the scale)."""

    key: str
    label: str
    rank: int | None


# Ordered worst to best; "not assessed" is deliberately outside the order (never red, never green).
SCALE: tuple[Status, ...] = (
    Status("red", "Red", 1),
    Status("amber", "Amber", 2),
    Status("amber_green", "Amber/Green", 3),
    Status("green", "Green", 4),
    Status("dark_green", "Dark Green", 5),
    Status("complete", "Complete", 6),
    Status("not_assessed", "Not assessed", None),
)
BY_KEY = {status.key: status for status in SCALE}

_WORDS = {
    "red": "red", "r": "red",
    "amber": "amber", "a": "amber", "yellow": "amber",
    "amber/green": "amber_green", "amber green": "amber_green", "a/g": "amber_green", "amber-green": "amber_green",
    "green": "green", "g": "green",
    "dark green": "dark_green", "dark-green": "dark_green", "dg": "dark_green",
    "complete": "complete", "completed": "complete", "done": "complete", "achieved": "complete",
    "not assessed": "not_assessed", "n/a": "not_assessed", "not started": "not_assessed", "": "not_assessed",
}


class StatusError(ValueError):
    """A written status that is not on the scale; the message (without the value) lists the scale."""


def parse_status(written: str | None) -> Status:
    """Map 'Amber / Green', 'Dark Green', 'Complete' ... to the scale; unknown words raise StatusError."""
    text = re.sub(r"\s*/\s*", "/", " ".join((written or "").split())).lower().strip(" .")
    key = _WORDS.get(text)
    if key is None:
        raise StatusError("not a status; use one of: " + ", ".join(status.label for status in SCALE))
    return BY_KEY[key]


def split_status_and_date(written: str) -> tuple[str, str | None]:
    """Split a cell like 'Amber 01/11/2004' into its status and the date it took effect."""
    match = re.match(r"^\s*(.*?)\s+(\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\s*$", written or "")
    if match:
        return match.group(1), match.group(2)
    return (written or "").strip(), None


def movement(before: str, after: str) -> str:
    """Say whether a status moved 'up', 'down', 'same', or 'unrated' between two snapshots."""
    rank_before, rank_after = BY_KEY[before].rank, BY_KEY[after].rank
    if rank_before is None or rank_after is None:
        return "same" if before == after else "unrated"
    if rank_after > rank_before:
        return "up"
    if rank_after < rank_before:
        return "down"
    return "same"
