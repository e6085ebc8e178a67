"""Read an uploaded CSV into a header and rows of text, forgiving about header case and spacing."""
from __future__ import annotations

import csv
import io
import re

from dashboard.importer.problems import Problem


def header_key(name: str) -> str:
    """Normalise a column header so 'Lead Officer', ' lead_officer ' and 'LEAD-OFFICER' match."""
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lstrip("\ufeff").lower())


def read_csv_text(text: str, file_name: str = "") -> tuple[list[str], list[dict[str, str]], list[Problem]]:
    """Parse CSV text; returns normalised headers, rows keyed by them, and problems with the file's shape."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [], [Problem(None, None, None, "The file is empty: it has no header row.", file=file_name)]
    keys = [header_key(name) for name in header]
    seen: set[str] = set()
    for name, key in zip(header, keys):
        if key in seen:
            problems.append(Problem(1, name, None, "This column appears twice; keep one.", file=file_name))
        seen.add(key)
    rows: list[dict[str, str]] = []
    width = len(keys)
    for number, cells in enumerate(reader, start=2):
        if not "".join(cells).strip():  # every cell blank (or only spaces): skipped
            continue
        if len(cells) > width:
            problems.append(Problem(number, None, None,
                                    f"This row has {len(cells)} cells but the header has {len(keys)}.",
                                    file=file_name))
            continue
        row = dict(zip(keys, map(str.strip, cells)))
        if len(cells) < width:
            for key in keys[len(cells):]:  # missing cells are blank; as before, a repeated header's last cell wins
                row[key] = ""
        row["__row__"] = str(number)
        rows.append(row)
    return keys, rows, problems
