"""Check that every seed row cites a document line that really holds its figure or the start of its text."""
from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

TEXT_PREFIX = 40  # characters of a text cell that must appear on the cited line

# Which columns of each seed file the cited line must contain: numbers/words as written, or the start of a text.
VALUE_COLUMNS = {
    "observations": ("value",),
    "efficiency": ("cashable", "non_cashable", "total"),
    "efficiency_summary": ("cashable", "non_cashable", "total"),
    "statuses": ("status",),
    "judgements": ("grade",),
}
TEXT_COLUMNS = {
    "areas": ("title",),
    "actions": ("text",),
    "indicators": ("name",),
    "risks": ("risk",),
    "judgements": ("subject",),
    "statuses": ("commentary",),
    "conflicts": ("written",),
}
# Text columns that cite a line of their own (a conflict's second reading): (column, its line column).
OTHER_LINE_COLUMNS = {"conflicts": (("other_written", "other_line"),)}

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Mismatch:
    """A seed row whose cited line does not hold what the row says."""

    file: str
    row: int
    column: str
    value: str
    line: int
    text: str

    def __str__(self) -> str:
        return (f"{self.file} row {self.row}: {self.column}={self.value!r} not found at line {self.line}: "
                f"{self.text[:120]!r}")


def normalise(text: str) -> str:
    """Fold a line or a cell for comparison: no HTML tags or '*', one space, lower case, plain quotes and dashes."""
    text = html.unescape(_TAG.sub(" ", text)).replace("*", "")
    for fancy, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
                         ("\u2014", "-"), ("\xa0", " ")):
        text = text.replace(fancy, plain)
    return _SPACE.sub(" ", text).strip().lower()


def read_document(path: Path) -> list[str]:
    """A document's lines, 1-based by index + 1 (the last line has no trailing newline)."""
    return path.read_text(encoding="utf-8").split("\n")


def cited_text(lines: list[str], number: int) -> str:
    """The cited line joined with the next one, because tables split cells over two lines."""
    if not 1 <= number <= len(lines):
        return ""
    return normalise(" ".join(lines[number - 1:number + 1]))


def quote(lines: list[str], number: int) -> str | None:
    """A cited line and the next one, numbered, as a reader would check them; None when there is no such line."""
    if not 1 <= number <= len(lines):
        return None
    return "\n".join(f"{n}: {lines[n - 1]}" for n in range(number, min(number + 1, len(lines)) + 1))


def value_on_line(lines: list[str], number: int, value: str) -> bool:
    """True when the cited line (or the next) holds the value as written, not inside a longer number."""
    haystack = cited_text(lines, number)
    needle = normalise(value)
    if not needle:
        return True
    if needle[0].isdigit() or needle[0] in "-.£(":
        # A number must not match inside a longer one: '17' is not found in '174'.
        return re.search(r"(?<![\d.,])" + re.escape(needle) + r"(?![\d])", haystack) is not None
    return needle in haystack


def text_on_line(lines: list[str], number: int, value: str) -> bool:
    """True when the start of the text is on the cited line (or runs on into the next)."""
    needle = normalise(value)[:TEXT_PREFIX].strip()
    if needle in cited_text(lines, number):
        return True
    if number < 1:
        return False
    # A short cell broken over two lines with other cells between its halves ("Additional needs" ... / "and SEN"):
    # the start of the text is in the cited line and the rest starts the next line.
    first, second = cited_text(lines[:number], number), cited_text(lines, number + 1)
    words = needle.split(" ")
    return any(" ".join(words[:k]) in first and second.startswith(" ".join(words[k:]))
               for k in range(1, len(words)))


def _line_number(written: str | None) -> int:
    try:
        return int(written or 0)
    except ValueError:
        return 0


def check_rows(kind: str, rows: list[dict], lines: list[str], file: str) -> list[Mismatch]:
    """Every mismatch between a file's rows and the document lines they cite."""
    mismatches = []
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        number = _line_number(row.get("source_line"))
        checks = [(column, value_on_line, number) for column in VALUE_COLUMNS.get(kind, ())]
        checks += [(column, text_on_line, number) for column in TEXT_COLUMNS.get(kind, ())]
        checks += [(column, text_on_line, _line_number(row.get(line_column)))
                   for column, line_column in OTHER_LINE_COLUMNS.get(kind, ())]
        for column, holds, cited in checks:
            value = (row.get(column) or "").strip()
            if value and not holds(lines, cited, value):
                raw = lines[cited - 1] if 1 <= cited <= len(lines) else "<no such line>"
                mismatches.append(Mismatch(file, index, column, value, cited, raw))
    return mismatches


def check_folder(folder: Path, document: Path) -> tuple[dict[str, int], list[Mismatch]]:
    """Row counts per seed file of one folder, and every row whose cited line does not hold its figure."""
    lines = read_document(document)
    counts: dict[str, int] = {}
    mismatches: list[Mismatch] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        counts[path.stem] = len(rows)
        mismatches += check_rows(path.stem, rows, lines, f"{folder.name}/{path.name}")
    return counts, mismatches
