"""Validate a file of one kind into a batch of records and problems; nothing touches the database here."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from dashboard.importer.cells import Cells
from dashboard.importer.kinds import BY_NAME, Kind, Known
from dashboard.importer.problems import Problem
from dashboard.importer.read import read_csv_text

PROVENANCE = ("source_line",)


@dataclass
class Batch:
    """Records ready to commit, grouped by table, with every problem found on the way."""

    records: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0
    frames: dict[str, pa.Table] = field(default_factory=dict)  # records held as columns (a large indicators file)

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the commit."""
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems shown to the officer, who may accept them."""
        return [problem for problem in self.problems if problem.severity == "warning"]

    def extend(self, other: Batch) -> None:
        """Add another file's records and problems to this batch."""
        for table, rows in other.records.items():
            self.records.setdefault(table, []).extend(rows)
        self.problems.extend(other.problems)
        self.row_count += other.row_count


def validate_text(kind_name: str | Kind, text: str, file_name: str, known: Known,
                  source_doc: str | None = None) -> Batch:
    """Check every row of a CSV of one kind (a seed kind's name, or a Kind such as an officer upload kind);
    `source_doc` marks seed files, whose rows cite a document line."""
    headers, rows, shape_problems = read_csv_text(text, file_name)
    return validate_rows(kind_name, headers, rows, shape_problems, file_name, known, source_doc)


def validate_rows(kind_name: str | Kind, headers: list[str], rows: list[dict[str, str]], shape_problems: list[Problem],
                  file_name: str, known: Known, source_doc: str | None = None) -> Batch:
    """validate_text on a file already read by read_csv_text (so a caller that checks the rows again need not read
    the file twice)."""
    kind = kind_name if isinstance(kind_name, Kind) else BY_NAME[kind_name]
    batch = Batch()
    batch.problems.extend(shape_problems)
    if not headers:
        return batch
    problems, usable = header_problems(kind, headers, file_name, source_doc, has_rows=bool(rows))
    batch.problems.extend(problems)
    if not usable:
        return batch
    for row in rows:
        cells = Cells(row, file_name, batch.problems)
        provenance = _provenance(cells, source_doc)
        records = kind.convert(cells, known)
        if cells.failed:
            continue
        for table, record in records:
            record.update(provenance)
            batch.records.setdefault(table, []).append(record)
    batch.row_count = len(rows)
    return batch


def header_problems(kind: Kind, headers: list[str], file_name: str, source_doc: str | None = None,
                    has_rows: bool = True) -> tuple[list[Problem], bool]:
    """Problems with a file's columns (missing, unknown) and with having no data rows; and whether its rows can be
    checked at all (no column missing, at least one row)."""
    problems = []
    expected = set(kind.required) | set(kind.optional) | (set(PROVENANCE) if source_doc else set())
    missing = [column for column in kind.required if column not in headers]
    if source_doc and "source_line" not in headers:
        missing.append("source_line")
    for column in missing:
        problems.append(Problem(1, column, None, "This column is missing; the file needs it.", file=file_name))
    for column in headers:
        if column and column not in expected:
            problems.append(Problem(1, column, None, "Unknown column; it will be ignored.", "warning", file_name))
    if missing:
        return problems, False
    if not has_rows:
        problems.append(Problem(None, None, None, "The file has a header but no data rows.", file=file_name))
        return problems, False
    return problems, True


def _provenance(cells: Cells, source_doc: str | None) -> dict:
    if source_doc is None:
        return {"upload_row": cells.row_number}
    line = cells.integer("source_line", required=True)
    if line is not None and line < 1:
        cells.problem("source_line", "a line number starts at 1.")
    return {"source_doc": source_doc, "source_line": line}
