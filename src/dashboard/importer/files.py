"""Turn an uploaded file's bytes (CSV in UTF-8, UTF-8 with BOM or Windows-1252; comma, semicolon or tab; or XLSX)
into comma-separated text for the one import pipeline."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from dashboard.importer import encodings, workbook_guards
from dashboard.importer.problems import Problem
from dashboard.importer.read import header_key

SEPARATORS = (",", ";", "\t")
SEPARATOR_WORDS = {",": "comma", ";": "semicolon", "\t": "tab"}


def read_upload(file_name: str, data: bytes, kind: str) -> tuple[str | None, list[Problem]]:
    """The file as comma-separated text (None when it cannot be read), with problems about its format."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return xlsx_to_csv(data, file_name, kind)
    if file_name.lower().endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None, [Problem(None, None, None, "This is an old Excel (.xls) file; save it as .xlsx or as "
                              "'CSV UTF-8' and upload that.", file=file_name)]
    text, problems = decode(data, file_name)
    if text is None:
        return None, problems
    # Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR, which the csv module reads as a broken field.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return to_comma_separated(text), problems


def decode(data: bytes, file_name: str = "") -> tuple[str | None, list[Problem]]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        # Excel's "Unicode text" is UTF-16: every other byte is zero. Reading it as 1252 would give garbage.
        return None, [Problem(None, None, None, "This file is not a CSV in UTF-8 or Windows-1252 (it looks like "
                              "UTF-16 'Unicode text' or a binary file); in Excel choose Save As, 'CSV UTF-8 "
                              "(comma delimited)'.", file=file_name)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    mixed = encodings.mixed_problem(data, file_name)
    if mixed:
        return None, [mixed]
    try:
        # Excel's plain "CSV (comma delimited)" on a UK Windows PC writes Windows-1252 (£ is byte 0xA3).
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        return None, [encodings.undecodable_problem(data, error.start, file_name)]
    return text, encodings.windows_1252_warnings(text, file_name)


def sniff_separator(text: str) -> str:
    """The separator the header row uses most: comma, semicolon or tab (Excel in some locales uses ';')."""
    header = text.split("\n", 1)[0]
    counts = {sep: _width(header, sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties keep the comma, listed first
    return best if counts[best] > 1 else ","


def _width(header: str, separator: str) -> int:
    try:
        return len(next(csv.reader([header], delimiter=separator), []))
    except csv.Error:  # unreadable with this separator: it cannot be the one
        return 0


def to_comma_separated(text: str) -> str:
    """Rewrite semicolon- or tab-separated text as comma-separated, keeping every record (and so row numbers)."""
    separator = sniff_separator(text)
    if separator == ",":
        return text
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        for record in csv.reader(io.StringIO(text), delimiter=separator):
            writer.writerow(record)
    except csv.Error:
        return text  # left as it is: the CSV reader then reports the row it cannot read
    return out.getvalue()


# Sheet names (as header_key reads them) for each kind, as the set-up workbook names its sheets.
SHEET_NAMES = {"organisations": "organisations", "councils": "organisations", "plans": "plans", "areas": "areas",
               "plan_areas": "areas", "indicator_definitions": "indicator_definitions", "actions": "actions",
               "indicators": "indicators", "indicator_values": "indicators", "efficiency": "efficiency"}


def sheet_for_kind(names: list[str], kind: str) -> str | None:
    """The sheet to read: the only one, or the one named for the kind ('Indicators', 'Indicator values'); None when
    unclear."""
    if len(names) == 1:
        return names[0]
    named = [name for name in names if SHEET_NAMES.get(header_key(name), header_key(name)) == kind]
    return named[0] if len(named) == 1 else None


def xlsx_to_csv(data: bytes, file_name: str, kind: str) -> tuple[str | None, list[Problem]]:
    """The data sheet of a workbook as comma-separated text; formulas come through as '=...' and are refused later."""
    book, refused = _open_guarded(data, file_name)
    if refused:
        return None, [refused]
    try:
        names = book.sheetnames
        chosen = sheet_for_kind(names, kind)
        if chosen is None:
            listed = workbook_guards.sheet_list(names)
            return None, [Problem(None, None, None, f"This workbook has {len(names):,} sheets ({listed}); keep only "
                                  f"the data sheet, or name the sheet to read '{kind}'.", file=file_name)]
        try:
            text, warnings = _sheet_csv(data, book, chosen, file_name)
        except workbook_guards.TooBig:
            return None, [workbook_guards.too_big(file_name)]
        except Exception:
            return None, [workbook_guards.unreadable(file_name)]
        return text, warnings
    finally:
        book.close()


def _sheet_csv(data: bytes, book, name: str, file_name: str) -> tuple[str, list[Problem]]:
    """One sheet as comma-separated text (Excel's trailing empty columns and rows dropped), with warnings for its
    hidden rows and the workbook's hidden sheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(workbook_guards.trimmed_rows(book[name].iter_rows(), cell_text))
    return out.getvalue(), workbook_guards.hidden_warnings(data, book, name, file_name)


def _open_guarded(data: bytes, file_name: str):
    """(the workbook, None), or (None, the problem in words): a zip that expands too far is refused before it is
    opened, and a damaged file whatever way the reader fails on it (words, never a traceback)."""
    bomb = workbook_guards.expanded_problem(data, file_name)
    if bomb:
        return None, bomb
    try:
        return _open_workbook(data), None
    except Exception:
        return None, workbook_guards.unreadable(file_name)


def _open_workbook(data: bytes):
    from openpyxl import load_workbook  # imported here: only XLSX uploads need it

    # data_only=False: a formula is read as its text, so the formula check refuses it instead of trusting a cached
    # value that may be stale or missing.
    return load_workbook(io.BytesIO(data), read_only=True, data_only=False)


def workbook_sheet_names(data: bytes) -> list[str]:
    """The sheet names of an XLSX file ([] for anything else, or a workbook that cannot be read)."""
    if data[:4] != b"PK\x03\x04" or workbook_guards.expanded_problem(data, ""):
        return []
    try:
        book = _open_workbook(data)
    except Exception:
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_workbook(file_name: str, data: bytes) -> tuple[dict[str, str] | None, list[Problem]]:
    """Every sheet of a workbook as comma-separated text, by sheet name (the set-up workbook)."""
    book, refused = _open_guarded(data, file_name)
    if refused:
        return None, [refused]
    try:
        sheets, warnings = {}, []
        try:
            for name in book.sheetnames:
                if name == workbook_guards.LISTS_SHEET:  # the template's own drop-down values, never data
                    continue
                sheets[name], found = _sheet_csv(data, book, name, file_name)
                warnings.extend(w for w in found if w not in warnings)  # hidden sheets are named once
        except workbook_guards.TooBig:
            return None, [workbook_guards.too_big(file_name)]
        except Exception:
            return None, [workbook_guards.unreadable(file_name)]
        return sheets, warnings
    finally:
        book.close()


def cell_text(value, number_format: str = "") -> str:
    """A spreadsheet cell as an officer would read it: 12, 11.8%, 31/03/2010, text as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        if "%" in number_format:
            return f"{value * 100:.12g}%"
        return str(int(value)) if float(value).is_integer() else f"{value:.12g}"
    return str(value)
