"""Read a statistical neighbour model (DfE's workbook: sheet 'LA SN Groups', the header on its third row): each
LA's ten closest LAs in order, with how close."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl

from dashboard.importer.problems import Problem

SHEET = "LA SN Groups"
HEADER_ROW = 3
NEIGHBOURS = 10
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | \
          {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}


@dataclass
class NeighbourModel:
    """One model: its id (the file's name), when it was published (from the name), and its rows."""

    model_id: str
    name: str
    file_name: str
    published: date | None
    lists: list[dict] = field(default_factory=list)   # la_number, la_name, region, neighbours [(la_number, closeness)]
    problems: list[Problem] = field(default_factory=list)


def published_month(stem: str) -> date | None:
    """The month a model was published, from a name such as sn_may_2025 or 'SN April 2021'; None when it names none."""
    words = re.findall(r"[a-z]+|\d{4}", stem.lower())
    for word, following in zip(words, words[1:]):
        if word in _MONTHS and following.isdigit():
            return date(int(following), _MONTHS[word], 1)
    return None


def read_neighbours(path: Path) -> NeighbourModel:
    """The model in a workbook; a workbook without the sheet or its columns gives a file-wide error."""
    published = published_month(path.stem)
    label = f"Statistical neighbours, {published:%B %Y}" if published else f"Statistical neighbours ({path.stem})"
    model = NeighbourModel(path.stem, label, path.name, published)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # not an xlsx openpyxl can open
        model.problems.append(Problem(None, None, None, f"The statistical neighbour file could not be opened as an "
                                      f"Excel workbook ({error}).", file=path.name))
        return model
    try:
        if SHEET not in book.sheetnames:
            model.problems.append(Problem(None, None, None, f"The statistical neighbour workbook has no sheet "
                                          f"'{SHEET}' (it has: {', '.join(book.sheetnames)}).", file=path.name))
            return model
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(cell).strip() if cell is not None else "" for cell in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW
                                                                          else [])]
    wanted = ["LA num", "LA Name"] + [f"SN{i}" for i in range(1, NEIGHBOURS + 1)]
    missing = [name for name in wanted if name not in header]
    if missing:
        model.problems.append(Problem(HEADER_ROW, None, None, f"The sheet '{SHEET}' has no column(s) "
                                      f"{', '.join(missing)} on row {HEADER_ROW}.", file=path.name))
        return model
    at = {name: header.index(name) for name in wanted}
    region_at = header.index("GOReg") if "GOReg" in header else None
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        la = _number(row[at["LA num"]])
        if la is None:
            continue  # blank lines and notes below the table
        neighbours = []
        for rank in range(1, NEIGHBOURS + 1):
            position = at[f"SN{rank}"]
            neighbour = _number(row[position])
            closeness = row[position + 1] if position + 1 < len(row) and header[position + 1].startswith("SNP") \
                else None
            if neighbour is not None:
                neighbours.append((neighbour, str(closeness).strip() if closeness else None))
        if len(neighbours) != NEIGHBOURS:
            model.problems.append(Problem(number, None, str(la), f"has {len(neighbours)} neighbours, not "
                                          f"{NEIGHBOURS}.", "warning", path.name))
        model.lists.append({"la_number": la, "la_name": str(row[at["LA Name"]] or "").strip(), "row": number,
                            "region": str(row[region_at]).strip() if region_at is not None and row[region_at] else None,
                            "neighbours": neighbours})
    if not model.lists:
        model.problems.append(Problem(None, None, None, f"The sheet '{SHEET}' lists no local authority.",
                                      file=path.name))
    return model


def _number(cell) -> str | None:
    """An LA number as text ('884'), from a cell holding 884, 884.0 or '884'."""
    if cell is None:
        return None
    text = str(cell).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text if text.isdigit() else None
