"""Parse numbers as documents print them: '1,774', '11.8%', '£1.65m', '-' for zero, blank for unknown."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# A dash alone means zero in the printed tables (README: "- for zero"); blank means unknown.
_DASHES = {"-", "–", "—", "nil"}
_NUMBER = re.compile(r"^\(?[-+]?\s*[£$]?\s*-?[0-9][0-9,]*(\.[0-9]+)?\s*([km]|bn)?\)?\s*%?$", re.IGNORECASE)
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
    body = raw.strip("()% ").lstrip("+").replace("£", "").replace("$", "").replace(",", "").replace("-", "").strip()
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


# How officers' spreadsheets write a number the dashboard must not guess at (issue 24): each rule says what was read
# and what to write instead. The embedded documents are read as printed; these rules are for uploads.
_SPREADSHEET_ERROR = re.compile(r"^#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|"
                                r"GETTING_DATA|UNKNOWN!|BUSY!|CONNECT!|EXTERNAL!|PYTHON!)$", re.IGNORECASE)
_NOT_A_FIGURE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_SCIENTIFIC = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)e[-+]?[0-9]+%?$", re.IGNORECASE)
_BARE_POINT = re.compile(r"^([-+]?)(\.[0-9]+|[0-9][0-9,]*\.)(%?)$")
_SPACED = re.compile(r"^[-+]?[0-9]{1,3}( [0-9]{3})+(\.[0-9]+)?%?$")
# '1.234.567' or '1.234,5' (never '1.234', a decimal)
_POINT_THOUSANDS = re.compile(r"^[-+]?[0-9]{1,3}((\.[0-9]{3}){2,}(,[0-9]+)?|(\.[0-9]{3})+,[0-9]+)%?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?[0-9]+,[0-9]{1,2}%?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})*$")
_SUFFIX = re.compile(r"[0-9]\s*([km]|bn)\b", re.IGNORECASE)


def writing_problem(written: str, suffixes: tuple[str, ...] = ("k", "m", "bn")) -> str | None:
    """What is wrong with how an uploaded number is written, saying what was read and what to write instead; None
    when it is a plain number or plain text. `suffixes`: which of k, m and bn (thousand, million, billion) may be
    used."""
    raw = written.strip()
    if not raw or not any(ch.isdigit() for ch in raw) and raw.lower() not in _NOT_A_FIGURE and raw[0] != "#":
        return None  # text such as 'New indicator' is a text value
    if _SPREADSHEET_ERROR.match(raw):
        return (f"'{raw}' is a spreadsheet error, not a figure; correct the formula that made it and paste its "
                "value, or leave the cell empty if the figure is not known.")
    if raw.lower() in _NOT_A_FIGURE:
        return f"'{raw}' is not a figure; write the figure, or leave the cell empty if it is not known."
    usual = unicodedata.normalize("NFKC", raw).replace("\u2212", "-").replace("\u2013", "-")
    if usual != raw and parse_number(usual) is not None:
        what = "a typographic minus sign" if "\u2212" in raw or "\u2013" in raw else "full-width or special characters"
        return f"'{raw}' is written with {what}, which a spreadsheet does not read as a number; write {usual}."
    if _SCIENTIFIC.match(raw):
        value = float(raw.rstrip("%"))
        if not math.isfinite(value) or abs(value) >= 1e15:
            return f"'{raw}' is far too large to be a figure; check it and write it in digits."
        return f"'{raw}' is in scientific notation; write the number in digits ({value:.15g})."
    bare = _BARE_POINT.match(raw)
    if bare:
        sign, body, percent = bare.groups()
        fixed = "0" + body if body.startswith(".") else body.rstrip(".")
        return f"'{raw}' has a decimal point with no digit on one side; write {sign}{fixed}{percent}."
    if _SPACED.match(raw):
        return f"'{raw}' has spaces between its digits; write {raw.replace(' ', ',')} (or without separators)."
    if _POINT_THOUSANDS.match(raw):
        fixed = raw.replace(".", "").replace(",", ".")
        return (f"'{raw}' uses points between thousands (and a comma for decimals); write {fixed} "
                "(a point for decimals, commas or nothing between thousands).")
    if _DECIMAL_COMMA.match(raw):
        fixed = raw.replace(",", ".")
        return (f"'{raw}' has a decimal comma, which would be read as {raw.replace(',', '')}; write {fixed} (a point "
                "for decimals).")
    number = parse_number(raw)
    if number is None:
        return None
    whole = re.sub(r"[^0-9,.]", "", raw).split(".")[0]
    if "," in whole and not _GROUPED.match(whole.lstrip(",")):
        return (f"'{raw}' has commas that do not separate thousands, so it would be read as {number:,g}; write the "
                "number without them, or with a comma every three digits (1,234,567).")
    suffix = _SUFFIX.search(raw)
    if suffix and suffix.group(1).lower() not in suffixes:
        return f"'{raw}' would be read as {number:,.15g}, which cannot be right here; write the figure in digits."
    if not math.isfinite(number):
        return f"'{raw}' is far too large to be a figure; check it."
    return None
