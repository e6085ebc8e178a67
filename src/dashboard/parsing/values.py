"""Parse numbers as documents print them: '1,774', '11.8%', '£1.65m', '-' for zero, blank for unknown."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A dash alone means zero in the printed tables (README: "- for zero"); blank means unknown.
_DASHES = {"-", "–", "—", "nil"}
_NUMBER = re.compile(r"^\(?-?\s*[£$]?\s*-?[0-9][0-9,]*(\.[0-9]+)?\s*([km]|bn)?\)?\s*%?$", re.IGNORECASE)
_TYPO_NUMBER = re.compile(r"^-,[0-9][0-9,]*$")  # '-,431,500' in 002: a stray comma after the sign


@dataclass(frozen=True)
class ParsedValue:
    """A value as written, split into its number (if any) and its text (if not a number)."""

    written: str
    number: float | None
    text: str | None

    @property
    def is_blank(self) -> bool:
        """True when the cell was empty: the document is silent."""
        return self.number is None and self.text is None


def parse_value(written: str | None) -> ParsedValue:
    """Split a written cell into a number or a text value; never guesses a number out of prose."""
    raw = "" if written is None else str(written).strip()
    if raw == "":
        return ParsedValue(raw, None, None)
    if raw.lower() in _DASHES:
        return ParsedValue(raw, 0.0, None)
    number = parse_number(raw)
    if number is None:
        return ParsedValue(raw, None, raw)
    return ParsedValue(raw, number, None)


def parse_number(written: str) -> float | None:
    """Return the number a cell prints, in the unit it prints (no £000 scaling), or None if it is not a number."""
    raw = written.strip().replace("\u00a0", " ")
    if raw.lower() in _DASHES:
        return 0.0
    if _TYPO_NUMBER.match(raw):
        raw = "-" + raw[2:]
    if not _NUMBER.match(raw):
        return None
    negative = raw.startswith("(") and raw.endswith(")") or "-" in raw
    body = raw.strip("()% ").replace("£", "").replace("$", "").replace(",", "").replace("-", "").strip()
    scale = 1.0
    lowered = body.lower()
    for suffix, factor in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if lowered.endswith(suffix):
            scale, body = factor, body[: -len(suffix)].strip()
            break
    try:
        value = float(body) * scale
    except ValueError:
        return None
    return -value if negative else value


def to_thousands(written: str | None, unit: str) -> float | None:
    """Parse a money cell and express it in £000, whatever unit ('£000' or '£') the table prints."""
    parsed = parse_value(written)
    if parsed.number is None:
        return None
    if unit == "£000":
        # '£1.65m' inside a £000 table still means pounds: scale it down.
        return parsed.number / 1000 if _has_scale_suffix(parsed.written) else parsed.number
    if unit == "£":
        return parsed.number / 1000
    raise ValueError(f"unknown money unit {unit!r}")


def _has_scale_suffix(written: str) -> bool:
    return bool(re.search(r"[0-9]\s*(m|bn|k)\b", written, re.IGNORECASE))
