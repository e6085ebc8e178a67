"""Which published file a path is, from its content: LAIT's values (Parquet), LAIT's data dictionary, an EES tidy
CSV, or a statistical neighbour workbook."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from dashboard.importer.problems import Problem
from dashboard.published.ees import looks_like_ees
from dashboard.published.lait import looks_like_lait, parquet_columns
from dashboard.published.lait_dictionary import REQUIRED as DICTIONARY_COLUMNS
from dashboard.published.reading import missing_columns

KINDS = ("lait", "dictionary", "ees", "neighbours")


def recognise(path: Path) -> tuple[str | None, Problem | None]:
    """The kind of published file at `path` (one of KINDS), or None with a problem saying why it is none."""
    name = path.name
    if not path.is_file():
        return None, Problem(None, None, None, f"There is no file {path}.", file=name)
    with path.open("rb") as handle:
        start = handle.read(65536)
    if start[:4] == b"PAR1":
        columns = parquet_columns(path)
        if columns is not None and looks_like_lait(columns):
            return "lait", None
        return None, Problem(None, None, None, "This Parquet file does not have LAIT's columns (Short Desc, Years, "
                             "LA and Regions, Values, LA Number).", file=name)
    if start[:4] == b"PK\x03\x04":
        return "neighbours", None  # a workbook: read_neighbours says if it is not a neighbour model
    header = _first_line(start)
    if header is None:
        return None, Problem(None, None, None, "This file is neither a CSV in UTF-8, a Parquet file nor an Excel "
                             "workbook.", file=name)
    if looks_like_ees(header):
        return "ees", None
    if not missing_columns(header, DICTIONARY_COLUMNS):
        return "dictionary", None
    return None, Problem(1, None, None, "The columns are not those of a file import-published reads: an Explore "
                         "Education Statistics tidy CSV starts time_period, time_identifier, geographic_level; "
                         f"LAIT's data dictionary has Measure_short. This file has: {', '.join(header[:8])}"
                         f"{' ...' if len(header) > 8 else ''}.", file=name)


def _first_line(start: bytes) -> list[str] | None:
    if b"\x00" in start[:4096]:
        return None
    text = start.decode("utf-8-sig", errors="replace")
    line = text.splitlines()[0] if text.strip() else ""
    try:
        return [cell.strip() for cell in next(csv.reader(io.StringIO(line)), [])]
    except csv.Error:
        return None
