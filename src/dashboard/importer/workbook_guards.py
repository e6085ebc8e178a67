"""Guards on an uploaded workbook before and while it is read (issue 24): a zip that expands far beyond its size
(a zip bomb) or holds too many cells is stopped with a message before it holds a server thread for minutes; hidden
rows, hidden sheets and Excel's trailing empty columns are named or dropped; a long list of sheets is shortened."""
from __future__ import annotations

import io
import re
import zipfile

from dashboard.importer.problems import Problem

MAX_EXPANDED_BYTES = 400 * 1024 * 1024  # the workbook's parts unpacked: a 20 MB .xlsx of plain figures is ~200 MB
MAX_CELLS = 15_000_000                  # read before giving up: more than a national file of a million rows
LISTED_SHEETS = 5
LISTS_SHEET = "Lists"  # the hidden sheet of drop-down values in the dashboard's own templates: expected, not warned
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')


class TooBig(Exception):
    """The workbook holds more cells than an upload may."""


def expanded_problem(data: bytes, file_name: str) -> Problem | None:
    """A problem when the workbook's parts unpack to more than the limit (their declared sizes, which bound what
    the reader unpacks), else None. Not a zip at all is left to the reader's own message."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if expanded <= MAX_EXPANDED_BYTES:
        return None
    return Problem(None, None, None, f"This workbook unpacks to {expanded / 1048576:,.0f} MB, more than the "
                   f"{MAX_EXPANDED_BYTES / 1048576:,.0f} MB an upload may; it is damaged or far too large. Save the "
                   "data sheet alone as 'CSV UTF-8' and upload that.", file=file_name)


def unreadable(file_name: str) -> Problem:
    """The problem for a workbook the reader cannot read, in words (the reader's own words name its internals)."""
    return Problem(None, None, None, "This is not an Excel workbook that can be read (it is damaged, or it is "
                   "another kind of file named .xlsx); open it in Excel and save it again as .xlsx, or as 'CSV "
                   "UTF-8', and upload that.", file=file_name)


def too_big(file_name: str) -> Problem:
    """The problem for a workbook with more cells than MAX_CELLS."""
    return Problem(None, None, None, f"This workbook's sheet has more than {MAX_CELLS:,} cells, more than an "
                   "upload may hold; delete the empty or unused rows and columns, or split the data into smaller "
                   "files.", file=file_name)


def sheet_list(names: list[str]) -> str:
    """Sheet names for a message: all of a few, or the first few and how many more."""
    listed = ", ".join(f"'{name}'" for name in names[:LISTED_SHEETS])
    return listed + (f" and {len(names) - LISTED_SHEETS:,} more" if len(names) > LISTED_SHEETS else "")


def trimmed_rows(rows, cell_text):
    """Rows of cell texts with Excel's trailing empty cells dropped (a sheet formatted to column XFD has 16,384 of
    them a row), counting cells against MAX_CELLS (raises TooBig)."""
    cells = 0
    for row in rows:
        texts = [cell_text(cell.value, getattr(cell, "number_format", "") or "") for cell in row]
        while texts and texts[-1] == "":
            texts.pop()
        cells += max(len(row), 1)
        if cells > MAX_CELLS:
            raise TooBig
        yield texts


def hidden_warnings(data: bytes, book, chosen: str, file_name: str) -> list[Problem]:
    """Warnings for hidden rows of the sheet read, and for hidden sheets (their data is not read)."""
    problems = []
    hidden_sheets = [sheet.title for sheet in book.worksheets if getattr(sheet, "sheet_state", "visible") != "visible"
                     and sheet.title not in (chosen, LISTS_SHEET)]
    if hidden_sheets:
        problems.append(Problem(None, None, None, f"This workbook has hidden sheets ({sheet_list(hidden_sheets)}); "
                                "they are not read. Check that the data you mean to upload is on the sheet read, "
                                f"'{chosen}'.", "warning", file_name))
    sheet = book[chosen]
    if getattr(sheet, "sheet_state", "visible") != "visible":
        problems.append(Problem(None, None, None, f"The sheet read, '{chosen}', is hidden in Excel; check it holds "
                                "the data you mean to upload.", "warning", file_name))
    path = getattr(sheet, "_worksheet_path", None)
    if path:
        try:
            rows = _hidden_rows(data, path)
        except (KeyError, zipfile.BadZipFile, OSError):
            return problems
        if rows:
            shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10:,} more" if len(rows) > 10 else "")
            problems.append(Problem(rows[0], None, None, f"This sheet has hidden rows ({shown}); they are read "
                                    "and uploaded like the others. Unhide them in Excel to check them, or delete "
                                    "them if they should not be uploaded.", "warning", file_name))
    return problems


def _hidden_rows(data: bytes, path: str) -> list[int]:
    """The numbers of the rows marked hidden in a sheet's XML, read in pieces (a sheet may unpack to 400 MB)."""
    rows: list[int] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as part:
        carry = b""
        while True:
            piece = part.read(8 << 20)
            if not piece:
                break
            text = carry + piece
            cut = text.rfind(b"<row")  # a row tag may straddle two pieces: the last one waits for the next
            cut = cut if cut > 0 else len(text)
            if b'hidden="' in text[:cut]:
                rows.extend(int(number) for number in _HIDDEN_ROW.findall(text[:cut]))
            carry = text[cut:]
        if b'hidden="' in carry:
            rows.extend(int(number) for number in _HIDDEN_ROW.findall(carry))
    return rows
