"""Check an officer's file of any row-by-row kind, or a whole set-up workbook (a sheet per kind, read in dependency
order against one record of what exists, so a sheet may use what an earlier sheet creates)."""
from __future__ import annotations

from dashboard.importer.checks import cell_problems, duplicate_keys
from dashboard.importer.files import SHEET_NAMES
from dashboard.importer.kinds import Known
from dashboard.importer.officer import OFFICER_KINDS, SETUP_ORDER
from dashboard.importer.pipeline import Batch, validate_rows
from dashboard.importer.problems import Problem
from dashboard.importer.read import header_key, read_csv_text
from dashboard.importer.structure import area_tree_problems

SHEET_TITLES = {"organisations": "Organisations", "plans": "Plans", "areas": "Areas",
                "indicator_definitions": "Indicator definitions", "actions": "Actions",
                "indicators": "Indicator values"}


def validate_sheet(kind: str, text: str, file_name: str, known: Known, skip_empty: bool = False) -> Batch:
    """Every check on one file (or sheet) of a row-by-row kind: cells, references, repeats, the area tree; its
    problems file-wide first, then row by row as the officer reads the file."""
    headers, rows, shape_problems = read_csv_text(text, file_name)
    if skip_empty and not rows and not shape_problems:
        return Batch()
    batch = validate_rows(OFFICER_KINDS[kind], headers, rows, shape_problems, file_name, known)
    batch.problems.extend(cell_problems(rows, file_name))  # formulas, then HTML
    batch.problems.extend(duplicate_keys(batch.records, file_name))
    if kind == "areas":
        batch.problems.extend(area_tree_problems(batch.records.get("areas", []), known, file_name))
    batch.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return batch


def setup_sheets(names: list[str]) -> dict[str, str]:
    """Which sheet holds which kind (sheets named for no kind, such as a notes sheet, are left out)."""
    found: dict[str, str] = {}
    for name in names:
        kind = SHEET_NAMES.get(header_key(name))
        if kind and kind not in found:
            found[kind] = name
    return found


def validate_workbook(sheets: dict[str, str], file_name: str, known: Known) -> Batch:
    """Every sheet of a set-up workbook (sheet name -> its cells as CSV text), in dependency order, as one batch;
    an empty sheet (a header alone) is skipped. Each problem names its sheet."""
    batch = Batch()
    chosen = setup_sheets(list(sheets))
    if not chosen:
        batch.problems.append(Problem(None, None, None, "This workbook has no sheet named for a kind (Organisations, "
                                      "Plans, Areas, Indicator definitions, Actions, Indicator values); use the set-up "
                                      "workbook template.", file=file_name))
        return batch
    for kind in SETUP_ORDER:
        if kind in chosen:
            batch.extend(validate_sheet(kind, sheets[chosen[kind]], f"{file_name}, sheet '{chosen[kind]}'", known,
                                        skip_empty=True))
    if not batch.row_count and not batch.problems:
        batch.problems.append(Problem(None, None, None, "Every sheet of this workbook is empty; fill in at least one "
                                      "row.", file=file_name))
    return batch
