"""An optional mapping file for published series: rename a series, give its polarity, or add an alias code. CSV
columns: series (the code import-published gives it, e.g. 'EES percentage 3d99df9a' or a LAIT measure code), and
any of code (a new code), name, polarity (higher, lower or none), alias (another code that means this series)."""
from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from dashboard.importer.problems import Problem
from dashboard.published.reading import Reading
from dashboard.store.references import alias_key

COLUMNS = ("series", "code", "name", "polarity", "alias")
POLARITIES = ("higher", "lower", "none")


def read_mapping(path: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Mapping rows keyed by series code; problems name the row and column of anything wrong."""
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return {}, [Problem(None, None, None, f"The mapping file could not be read as a CSV ({error}).",
                            file=path.name)]
    if "series" not in header or not set(header) & {"code", "name", "polarity", "alias"}:
        return {}, [Problem(1, None, None, "A mapping file needs the column 'series' and at least one of code, "
                            "name, polarity, alias.", file=path.name)]
    mapping: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        cells = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        series = cells.get("series", "")
        if not series:
            problems.append(Problem(number, "series", None, "no series code.", file=path.name))
            continue
        polarity = cells.get("polarity", "").lower()
        if polarity and polarity not in POLARITIES:
            problems.append(Problem(number, "polarity", polarity, "write higher, lower or none.", file=path.name))
            continue
        mapping[series] = {key: cells.get(key) or None for key in COLUMNS} | {"polarity": polarity or None,
                                                                              "row": number}
    return mapping, problems


def apply_mapping(readings: list[Reading], mapping: dict[str, dict], file_name: str) -> tuple[list[dict],
                                                                                                list[Problem]]:
    """Rename, give polarity and alias the mapped series in the readings (in place); returns the indicator alias
    rows to add and a warning for each mapped series no file has."""
    aliases: list[dict] = []
    used: set[str] = set()
    for reading in readings:
        renames = {}
        for indicator in reading.indicators:
            row = mapping.get(indicator["indicator_code"])
            if row is None:
                continue
            used.add(indicator["indicator_code"])
            original = indicator["indicator_code"]
            if row["code"]:
                renames[original] = row["code"]
                indicator["indicator_code"] = row["code"]
            if row["name"]:
                indicator["name"] = row["name"]
            if row["polarity"]:
                indicator["polarity"], indicator["polarity_basis"] = row["polarity"], "mapping"
            for written in (original if row["code"] else None, row["alias"]):
                if written:
                    aliases.append({"alias_key": alias_key(written), "alias": written,
                                    "indicator_code": indicator["indicator_code"], "upload_row": row["row"]})
        if renames and reading.values is not None:
            codes = [renames.get(code, code) for code in reading.values["indicator_code"].to_pylist()]
            position = reading.values.column_names.index("indicator_code")
            reading.values = reading.values.set_column(position, "indicator_code", pa.array(codes, pa.string()))
    problems = [Problem(row["row"], "series", series, "no file of this import has this series; the row changes "
                        "nothing.", "warning", file_name) for series, row in mapping.items() if series not in used]
    return aliases, problems
