"""Issue 24: careless and hostile input caught in words, never silently misread. Each class of the issue is a
section: the refusal or warning names the row, column and value and says what to write instead, and a refused file
leaves the database byte for byte as it was."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from dashboard.importer.kinds import alias_key
from dashboard.importer.numbers import sum_problem
from dashboard.loading import refresh
from dashboard.parsing.values import parse_number, writing_problem
from dashboard.store.connection import connect
from upload_support import data_checksums

IND_HEADER = "indicator_code,organisation,period,measure,value\n"
EFF_HEADER = "organisation,year,description,stage,cashable,non_cashable,total\n"


def stage(db: Path, kind: str | None, text: str | bytes, name: str = "f.csv") -> refresh.Preview:
    """Stage a file as an officer would; the staged copy is discarded, so only the problems remain."""
    data = text.encode() if isinstance(text, str) else text
    preview = refresh.stage(db, kind, name, data, "jo.officer")
    if preview.staged is not None:
        refresh.discard(preview)
    return preview


def refused(db: Path, kind: str | None, text: str | bytes, name: str = "f.csv") -> list[str]:
    """The errors of a file that must be refused, after checking the database did not change."""
    before = data_checksums(db)
    preview = stage(db, kind, text, name)
    assert preview.errors, [str(p) for p in preview.problems]
    assert data_checksums(db) == before
    return [str(p) for p in preview.errors]


def warned(db: Path, kind: str | None, text: str | bytes, name: str = "f.csv") -> list[str]:
    """The warnings of a file with no error."""
    preview = stage(db, kind, text, name)
    assert not preview.errors, [str(p) for p in preview.errors]
    return [str(p) for p in preview.warnings]


@pytest.fixture()
def count_db(fixture_db) -> Path:
    """The fictional council with a count indicator too (unit 'number')."""
    con = connect(fixture_db)
    try:
        con.execute("INSERT INTO indicators (indicator_code, name, unit, polarity, family) VALUES "
                    "('LOCAL NB-LAC', 'Looked after children (fictional)', 'number', 'lower', 'local')")
        con.execute("INSERT INTO indicator_aliases (alias_key, alias, indicator_code) VALUES "
                    "(?, 'LOCAL NB-LAC', 'LOCAL NB-LAC')", [alias_key("LOCAL NB-LAC")])
    finally:
        con.close()
    return fixture_db


# ---- 2. Numbers -------------------------------------------------------------------------------------------------

MISWRITTEN = {  # as written -> what the message must tell the officer to write
    "12,5": "12.5", "1,2,3": "without them", "1e309": "far too large", "NaN": "leave the cell",
    "inf": "leave the cell", ".5": "write 0.5", "5.": "write 5", "１２": "write 12", "\u22125": "write -5",
    "1 234": "write 1,234", "1.234,5": "write 1234.5", "#DIV/0!": "spreadsheet error", "1e3": "(1000)",
    "#N/A": "spreadsheet error",
}


@pytest.mark.parametrize("written", list(MISWRITTEN))
def test_a_miswritten_indicator_value_is_refused_saying_what_to_write(fixture_db, written):
    errors = refused(fixture_db, "indicators", IND_HEADER + f'NI 65,nowhere-borough,2010/11,actual,"{written}"\n')
    assert len(errors) == 1
    assert errors[0].startswith(f"f.csv, Row 2, column 'value' ('{written}'): '{written}'"), errors
    assert MISWRITTEN[written] in errors[0], errors


@pytest.mark.parametrize("written", ["12,5", "5bn", "#DIV/0!", "1 234", ".5"])
def test_a_miswritten_efficiency_amount_is_refused(fixture_db, written):
    """('5bn' too: an efficiency line in billions is more than a council's budget; '£1.5m' is still read.)"""
    errors = refused(fixture_db, "efficiency", EFF_HEADER + f'nowhere-borough,2010/11,Taxis,forward_look,"{written}",,\n')
    says = {**MISWRITTEN, "5bn": "would be read as 5,000,000,000, which cannot be right here"}[written]
    assert any(f"column 'cashable' ('{written}')" in e and says in e for e in errors), errors


def test_plain_values_are_still_accepted(fixture_db):
    rows = "".join(f'NI 65,nowhere-borough,{year},actual,"{value}"\n' for year, value in
                   (("2010/11", "12.5%"), ("2011/12", "1,774"), ("2012/13", "New indicator"), ("2013/14", "+3%"),
                    ("2014/15", "-"), ("2015/16", "12.25")))
    assert not stage(fixture_db, "indicators", IND_HEADER + rows).errors


def test_an_efficiency_total_that_is_not_the_sum_is_refused(fixture_db):
    errors = refused(fixture_db, "efficiency", EFF_HEADER + "nowhere-borough,2010/11,Taxis,forward_look,100,50,200\n")
    assert errors == ["f.csv, Row 2, column 'total' ('200'): the total (200) is not cashable (100) plus non-cashable "
                      "(50), which is 150; correct one of them, or leave the total empty."]
    assert sum_problem(100, 50, 151) is None  # a printed total of rounded amounts may be out by one
    assert not stage(fixture_db, "efficiency", EFF_HEADER + "nowhere-borough,2010/11,Taxis,forward_look,100,50,150\n"
                     ).errors


def test_a_fraction_for_a_percentage_is_a_warning_with_both_readings(fixture_db):
    warnings = warned(fixture_db, "indicators", IND_HEADER + "NI 65,nowhere-borough,2010/11,actual,0.55\n")
    assert warnings == ["f.csv, Row 2, column 'value' ('0.55'): this indicator is a percentage and '0.55' is read "
                        "as 0.55%; if it is a fraction, it is 55%: write 55% (accept the warning if 0.55% is right)."]
    assert warned(fixture_db, "indicators", IND_HEADER + "NI 65,nowhere-borough,2010/11,actual,0.55%\n") == []


def test_an_unformatted_excel_fraction_for_a_percentage_is_warned(fixture_db):
    import io

    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator_code", "organisation", "period", "measure", "value"])
    sheet.append(["NI 65", "nowhere-borough", "2010/11", "actual", 0.55])  # a number, no % format
    sheet.append(["NI 65", "nowhere-borough", "2011/12", "actual", 0.56])
    sheet["E3"].number_format = "0%"  # formatted as a percentage: read as 56%, no warning
    out = io.BytesIO()
    book.save(out)
    warnings = warned(fixture_db, "indicators", out.getvalue(), "f.xlsx")
    assert len(warnings) == 1 and "Row 2, column 'value' ('0.55')" in warnings[0] and "55%" in warnings[0]


def test_a_negative_count_is_refused_and_a_fractional_one_warned(count_db):
    errors = refused(count_db, "indicators", IND_HEADER + "LOCAL NB-LAC,nowhere-borough,2010/11,actual,-3\n")
    assert errors == ["f.csv, Row 2, column 'value' ('-3'): this indicator counts people or things, so it cannot be "
                      "negative; check the value."]
    warnings = warned(count_db, "indicators", IND_HEADER + "LOCAL NB-LAC,nowhere-borough,2010/11,actual,12.5\n")
    assert warnings == ["f.csv, Row 2, column 'value' ('12.5'): this indicator counts people or things and 12.5 is "
                        "not a whole number; check it (accept the warning if it is right, for example an average)."]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99), st.booleans())
def test_a_number_written_plainly_reads_as_itself(whole, hundredths, grouped):
    written = (f"{whole:,}" if grouped else str(whole)) + (f".{hundredths:02d}" if hundredths else "")
    assert writing_problem(written) is None
    assert parse_number(written) == pytest.approx(whole + hundredths / 100)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=1, max_value=99),
       st.sampled_from(["decimal comma", "points", "spaces", "full width", "minus", "scientific"]))
def test_a_number_written_another_way_is_never_silently_read(whole, fraction, how):
    grouped = f"{whole:,}"
    written = {"decimal comma": f"{whole},{fraction}", "points": f"{grouped.replace(',', '.')},{fraction}",
               "spaces": grouped.replace(",", " "),
               "full width": "".join(chr(ord(c) + 0xFEE0) for c in str(whole)), "minus": f"\u2212{whole}",
               "scientific": f"{whole / 1000!r}e3"}[how]
    message = writing_problem(written)
    assert message and message.startswith(f"'{written}'"), (written, message)
    assert "write" in message


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_python_writings_of_floats_never_pass_as_other_numbers(value):
    written = repr(value)
    number = parse_number(written)
    if writing_problem(written) is None and number is not None:
        assert math.isclose(number, value, rel_tol=1e-9), (written, number)
    if not math.isfinite(value):
        assert writing_problem(written) is not None


# ---- 3. Quotes --------------------------------------------------------------------------------------------------

ACT_HEADER = "plan_id,code,text,status,as_at,commentary\n"


def _action_rows(n: int, start: int = 1) -> str:
    return "".join(f"nowhere-plan,Q{i},Task {i},Red,30/06/2010,fine\n" for i in range(start, start + n))


@pytest.mark.parametrize("kind", ["actions", "indicators"])
def test_an_unbalanced_quote_is_reported_at_the_row_where_it_opened(fixture_db, kind):
    if kind == "actions":
        text = ACT_HEADER + _action_rows(2) + 'nowhere-plan,Q3,"Task 3 runs on,Red,30/06/2010,fine\n' + \
            _action_rows(12, 4)
        column = "text"
    else:
        text = IND_HEADER + "NI 65,nowhere-borough,2010/11,actual,12%\n" + \
            'NI 65,nowhere-borough,"2011/12,actual,13%\n' + "".join(
                f"NI 65,nowhere-borough,{2012 + i}/{(13 + i) % 100:02d},actual,1{i}%\n" for i in range(12))
        column = "period"
    errors = refused(fixture_db, kind, text)
    runaway = [e for e in errors if "quote" in e]
    assert len(runaway) == 1, errors
    assert runaway[0].startswith(f"f.csv, Row {4 if kind == 'actions' else 3}, column '{column}'"), runaway
    assert "were read into this one cell" in runaway[0] and "12 of them rows" in runaway[0], runaway


def test_a_cell_over_several_lines_is_still_accepted(fixture_db):
    text = ACT_HEADER + 'nowhere-plan,Q1,Task 1,Red,30/06/2010,"First line,\nsecond line, with a comma"\n'
    assert not stage(fixture_db, "actions", text).errors


def test_a_runaway_quote_past_the_field_limit_is_said_in_words(fixture_db):
    errors = refused(fixture_db, "actions", ACT_HEADER + 'nowhere-plan,Q1,"' + "x" * 140_000 + "\n")
    assert errors and "field limit" not in " ".join(errors) and "131,072 characters" in errors[-1], errors


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=8), st.integers(min_value=2, max_value=20),
       st.sampled_from(["text", "commentary", "as_at"]))
def test_any_stray_quote_is_never_silently_swallowing_rows(at, total, column):
    """A quote dropped at the start of any cell of any row: either the file is refused naming that row, or no row
    was swallowed (every row read)."""
    at = min(at, total)
    lines = [f"nowhere-plan,Q{i},Task {i},Red,30/06/2010,fine" for i in range(1, total + 1)]
    place = ["plan_id", "code", "text", "status", "as_at", "commentary"].index(column)
    cells = lines[at - 1].split(",")
    cells[place] = '"' + cells[place]
    lines[at - 1] = ",".join(cells)
    from dashboard.importer.read import read_csv_text
    _, rows, problems = read_csv_text(ACT_HEADER + "\n".join(lines) + "\n", "f.csv")
    if len(rows) < total:
        assert any(p.row == at + 1 and "quote" in p.message for p in problems), [str(p) for p in problems]


# ---- 4. Periods and dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("period, says", [
    ("2099/00", "which has not started yet (it starts on 01/04/2099)"),
    ("March 9999", "the year 9999 is outside 1950 to 2100"),
    ("31/03/1850", "the year 1850 is outside 1950 to 2100"),
    ("30/02/2010", "not a real date: February 2010 has no day 30"),
])
def test_an_implausible_period_for_an_actual_is_refused_with_the_reason(fixture_db, period, says):
    errors = refused(fixture_db, "indicators", IND_HEADER + f"NI 65,nowhere-borough,{period},actual,12%\n")
    assert len(errors) == 1 and errors[0].startswith(f"f.csv, Row 2, column 'period' ('{period}'): "), errors
    assert says in errors[0], errors


def test_a_future_period_is_fine_for_a_target(fixture_db):
    assert not stage(fixture_db, "indicators", IND_HEADER + "NI 65,nowhere-borough,2099/00,target,12%\n").errors


def test_a_status_dated_1850_is_refused(fixture_db):
    errors = refused(fixture_db, "actions", ACT_HEADER + "nowhere-plan,1.1.1,,Red,31/03/1850,\n")
    assert errors == ["f.csv, Row 2, column 'as_at' ('31/03/1850'): the year 1850 is outside 1950 to 2100, so it "
                      "cannot be right; check the period"]


# ---- 5. Control characters --------------------------------------------------------------------------------------

CONTROLS = {"\x0b": "a vertical tab", "\x07": "a bell (BEL)", "\x1b": "an escape (ESC)", "\x00": "a NUL",
            "\x01": "the control character U+0001"}


@pytest.mark.parametrize("char", list(CONTROLS))
def test_a_control_character_in_a_cell_is_refused_naming_it(fixture_db, char):
    padding = "".join(f"nowhere-plan,P{i},Padding row {i},,,\n" for i in range(200))  # the NUL lies past 4 KB
    errors = refused(fixture_db, "actions", ACT_HEADER + padding + f"nowhere-plan,Q1,Ta{char}sk,Red,30/06/2010,\n")
    assert errors == [f"f.csv, Row 202, column 'text' ('Ta{char}sk'): this cell holds {CONTROLS[char]}, an invisible "
                      "character that is not text, at character 3; delete it (retype the cell if need be) and upload "
                      "the file again."], errors
    if char == "\x00":
        return  # (a NUL in the first 4 KB refuses the file as binary, before any cell is read)
    errors = refused(fixture_db, "indicators", IND_HEADER + f'NI 65,nowhere-borough,2010/11,actual,12%\n'
                     f'NI 65,nowhere-borough,2011/12,actual,"1{char}2"\n')
    assert any(e.startswith("f.csv, Row 3, column 'value'") and CONTROLS[char] in e for e in errors), errors


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7f), min_size=1, max_size=12))
def test_no_control_character_reaches_the_data(text):
    """Any ASCII text in a cell: a control character left in it after the reader's clean-up is always refused."""
    from dashboard.importer.checks import cell_problems
    from dashboard.importer.control import CONTROL
    from dashboard.importer.read import read_csv_text
    quoted = '"' + text.replace('"', '""') + '"'
    _, rows, problems = read_csv_text("a,b\n1," + quoted + "\n", "f.csv")
    problems += cell_problems(rows, "f.csv")
    stored = [row["b"] for row in rows]
    if any(CONTROL.search(cell) for cell in stored):
        assert any("invisible character" in p.message for p in problems)


def test_every_export_is_robust_to_control_characters_already_stored(fixture_db, tmp_path):
    import io

    from openpyxl import load_workbook

    from dashboard.presenting import exports
    from dashboard.store import queries
    con = connect(fixture_db)
    try:
        con.execute("UPDATE actions SET text = 'Bell\x07 escape\x1b vt\x0b nul\x00 end', lead_officer = '=HYPERLINK(1)'")
        frame = queries.export_view(con, "v_actions")
    finally:
        con.close()
    book = load_workbook(io.BytesIO(exports.to_xlsx(frame, "Items of [Area]: a/b?")))
    cells = [cell.value for row in book.active.iter_rows() for cell in row]
    assert "Bell\ufffd escape\ufffd vt\ufffd nul\ufffd end" in cells and "'=HYPERLINK(1)" in cells
    assert book.sheetnames == ["Items of  Area   a b"]
    assert "Bell\ufffd escape" in exports.to_csv(frame).decode("utf-8-sig")


# ---- 6. Damaged workbooks ---------------------------------------------------------------------------------------

def _workbook(rows, edit=None, sheets=(), hidden_row=None, hidden_sheet=None, styled_to=None) -> bytes:
    """An .xlsx made by openpyxl, its sheet XML then edited as a damaged file would be."""
    import io
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if hidden_row:
        sheet.row_dimensions[hidden_row].hidden = True
    if styled_to:  # formatted, empty cells to the right, as Excel leaves after a whole-row format
        for column in range(len(rows[0]) + 1, styled_to + 1):
            sheet.cell(1, column).font = Font(bold=True)
            sheet.cell(2, column).font = Font(bold=True)
    for name in sheets:
        book.create_sheet(name)
    if hidden_sheet:
        sheet.title = "Indicators"  # the sheet named for the kind is read
        book.create_sheet(hidden_sheet).sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    if edit is None:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            target.writestr(info.filename, edit(info.filename, part))
    return damaged.getvalue()


IND_ROWS = [["indicator_code", "organisation", "period", "measure", "value"],
            ["NI 65", "nowhere-borough", "2010/11", "actual", 12]]


def _sheet_edit(old: bytes, new: bytes):
    return lambda name, part: part.replace(old, new) if name.startswith("xl/worksheets/sheet") else part


@pytest.mark.parametrize("damage", ["nan", "shared string", "not a zip", "no workbook part", "broken xml"])
def test_a_damaged_workbook_is_refused_in_words(fixture_db, damage):
    data = {
        "nan": lambda: _workbook(IND_ROWS, _sheet_edit(b"<v>12</v>", b"<v>NaN</v>")),
        "shared string": lambda: _workbook(IND_ROWS, _sheet_edit(b'<c r="A2" t="inlineStr"><is><t>NI 65</t></is></c>',
                                                                 b'<c r="A2" t="s"><v>999</v></c>')),
        "not a zip": lambda: b"PK\x03\x04 this is not really a zip file at all",
        "no workbook part": lambda: _workbook(IND_ROWS, lambda name, part: b"" if name == "xl/workbook.xml" else part),
        "broken xml": lambda: _workbook(IND_ROWS, _sheet_edit(b"<sheetData>", b"<sheetData><row><c")),
    }[damage]()
    problems = [str(p) for p in stage(fixture_db, "indicators", data, "f.xlsx").errors]
    assert problems, damage
    text = " ".join(problems)
    for program_words in ("Traceback", "None", "Error", "list index", "/", "could not read"):
        assert program_words not in text.replace("f.xlsx", "").replace("'CSV UTF-8'", ""), (damage, text)
    assert "This is not an Excel workbook that can be read" in text, text


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(fixture_db, monkeypatch):
    from dashboard.importer import workbook_guards as workbook
    rows = IND_ROWS + [["NI 65", "nowhere-borough", f"{2000 + n % 50}/{(1 + n % 50) % 100:02d}", "target", n]
                       for n in range(20_000)]
    data = _workbook(rows)
    monkeypatch.setattr(workbook, "MAX_EXPANDED_BYTES", len(data) * 3)  # a real bomb expands a thousandfold
    errors = refused(fixture_db, "indicators", data, "bomb.xlsx")
    assert len(errors) == 1 and "This workbook unpacks to" in errors[0] and "more than the" in errors[0], errors


def test_a_real_zip_bomb_is_stopped_quickly(fixture_db):
    """A sheet declared to unpack to 1 GB of XML (under 2 MB zipped) is refused from the zip's directory."""
    import io
    import time
    import zipfile
    base = _workbook(IND_ROWS)
    source = zipfile.ZipFile(io.BytesIO(base))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with target.open(member, "w", force_zip64=True) as part:
                    chunk = b" " * (1 << 20)
                    for _ in range(1024):
                        part.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
    data = bomb.getvalue()
    assert len(data) < 2 << 20
    started = time.monotonic()
    errors = refused(fixture_db, "indicators", data, "bomb.xlsx")
    assert time.monotonic() - started < 30  # (not a timing test: the read itself would take minutes)
    assert "This workbook unpacks to 1,024 MB" in errors[0], errors


def test_a_workbook_with_too_many_cells_is_stopped_with_a_message(fixture_db, monkeypatch):
    from dashboard.importer import workbook_guards as workbook
    monkeypatch.setattr(workbook, "MAX_CELLS", 50)
    rows = IND_ROWS + [["NI 65", "nowhere-borough", f"{2000 + n}/{(1 + n) % 100:02d}", "target", n] for n in range(20)]
    errors = refused(fixture_db, "indicators", _workbook(rows), "big.xlsx")
    assert errors == ["big.xlsx: This workbook's sheet has more than 50 cells, more than an upload may hold; delete "
                      "the empty or unused rows and columns, or split the data into smaller files."]


# ---- 7. Encodings -----------------------------------------------------------------------------------------------

def test_a_utf8_file_with_one_windows_1252_byte_is_refused_naming_the_line(fixture_db):
    text = ACT_HEADER.encode() + "nowhere-plan,Q1,Café plan,Red,30/06/2010,\n".encode() + \
        b"nowhere-plan,Q2,Cr\xe8che places,Red,30/06/2010,\n"
    errors = refused(fixture_db, "actions", text)
    assert errors == ["f.csv, Row 3: This file is UTF-8, but line(s) 3 hold characters in another encoding (the first "
                      "is byte 0xE8, 'è' in Windows-1252), as when text is pasted from another program; read either "
                      "way some letters would come out wrong. Retype those characters, or open the file in Excel "
                      "and save it as 'CSV UTF-8'."]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdeéèàçüöñ £€", min_size=1, max_size=12), min_size=2, max_size=12),
       st.data())
def test_any_line_with_a_stray_windows_1252_character_in_utf8_is_named(cells, data):
    from dashboard.importer.files import decode
    lines = [f"x,{cell}" for cell in cells]
    if not any(ch in "éèàçüöñ£€" for ch in "".join(cells)):
        lines[0] += "é"  # some UTF-8 beyond ASCII, as any real mixed file has
    stray = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    encoded = [line.encode("utf-8") for line in lines]
    encoded[stray] += "ü".encode("cp1252")  # one character pasted from a Windows-1252 program
    text, problems = decode(b"a,b\n" + b"\n".join(encoded) + b"\n", "f.csv")
    assert text is None and problems[0].row == stray + 2, [str(p) for p in problems]


@pytest.mark.parametrize("encoding, text, says", [
    ("mac_roman", "Café déjà vu, Müller", "may be saved in another encoding (Mac, Japanese Shift-JIS)"),
    ("shift_jis", "東京の子ども支援計画", "may be saved in another encoding (Mac, Japanese Shift-JIS)"),
    ("iso8859_15", "Budget €1,200 agreed", "which in an ISO-8859-15 file is '€'"),
])
def test_other_encodings_are_named_in_words(fixture_db, encoding, text, says):
    data = (ACT_HEADER + f'nowhere-plan,Q1,"{text}",Red,30/06/2010,\n').encode(encoding)
    preview = stage(fixture_db, "actions", data)
    problems = [str(p) for p in preview.problems]
    assert any(p.startswith("f.csv, Row 2: Line(s) 2") and says in p for p in problems), problems


def test_a_plain_windows_1252_file_reads_without_a_word(fixture_db):
    data = (ACT_HEADER + "nowhere-plan,Q1,\"“Café” budget £1,200 – agreed…\",Red,30/06/2010,\n").encode("cp1252")
    assert stage(fixture_db, "actions", data).problems == []


def test_bytes_neither_encoding_has_are_refused_in_words(fixture_db):
    errors = refused(fixture_db, "actions", ACT_HEADER.encode() + b"nowhere-plan,Q1,\x81\x8d,Red,30/06/2010,\n")
    assert errors == ["f.csv, Row 2: This file is not text in UTF-8 or Windows-1252: line 2 has byte 0x81, which "
                      "neither uses (the file may be in a Mac, Japanese or other encoding). In Excel choose Save As, "
                      "'CSV UTF-8 (comma delimited)'."]


# ---- 8. Structure -----------------------------------------------------------------------------------------------

def test_two_actions_made_each_others_parent_are_refused(fixture_db):
    errors = refused(fixture_db, "actions", "plan_id,code,parent_code\nnowhere-plan,1.1.1,1.1.1a\n")
    assert errors == ["f.csv, Row 2, column 'parent_code' ('1.1.1a'): this makes '1.1.1' its own ancestor (1.1.1 → "
                      "1.1.1a → 1.1.1); an action cannot sit under itself or its own tasks. Check the parent codes."]
    errors = refused(fixture_db, "actions", "plan_id,code,parent_code\nnowhere-plan,2.1,2.1\n")
    assert "this makes '2.1' its own ancestor (2.1 → 2.1)" in errors[0]


def test_a_code_differing_only_in_capitals_is_refused(fixture_db):
    errors = refused(fixture_db, "actions", "plan_id,code,text\nnowhere-plan,1.1.1A,A near-duplicate\n")
    assert errors == ["f.csv, Row 2, column 'code' ('1.1.1A'): the code '1.1.1A' differs only in capitals from the "
                      "action '1.1.1a' of plan 'nowhere-plan'; write '1.1.1a' to change that action, or choose a code "
                      "that differs in more than capitals."]


def test_hidden_rows_and_sheets_are_warned(fixture_db):
    rows = IND_ROWS + [["NI 65", "nowhere-borough", "2011/12", "actual", "13%"]]
    warnings = warned(fixture_db, "indicators", _workbook(rows, hidden_row=3, hidden_sheet="Old figures"), "f.xlsx")
    assert any("hidden sheets ('Old figures')" in w for w in warnings), warnings
    assert any(w.startswith("f.xlsx, Row 3: This sheet has hidden rows (3)") for w in warnings), warnings


def test_excels_trailing_empty_columns_are_ignored(fixture_db):
    data = _workbook(IND_ROWS, styled_to=300)
    preview = stage(fixture_db, "indicators", data, "f.xlsx")
    assert [str(p) for p in preview.problems if "twice" in p.message] == [] and not preview.errors


def test_a_file_of_blank_lines_says_it_has_no_data(fixture_db):
    assert refused(fixture_db, "actions", "\n\n\n  \n") == ["f.csv: The file has no data: every line is blank."]
    assert refused(fixture_db, "actions", ",,,\n,,,\n") == ["f.csv: The file has no data: every line is blank."]
    assert refused(fixture_db, "actions", ACT_HEADER + "\n,,,,,\n") == ["f.csv: The file has a header but no data rows."]


def test_a_thousand_sheet_workbook_is_refused_naming_a_few(fixture_db):
    data = _workbook(IND_ROWS, sheets=[f"Sheet {n}" for n in range(2, 1001)])
    errors = refused(fixture_db, "indicators", data, "f.xlsx")
    assert errors == ["f.xlsx: This workbook has 1,000 sheets ('Sheet', 'Sheet 2', 'Sheet 3', 'Sheet 4', 'Sheet 5' and "
                      "995 more); keep only the data sheet, or name the sheet to read 'indicators'."]


# ---- 10. Small leaks --------------------------------------------------------------------------------------------

def test_sign_in_does_one_hash_for_a_known_and_an_unknown_name(monkeypatch):
    import hashlib

    from dashboard.trust import auth
    secrets = {"officers": {"jo.officer": auth.hash_password("a long password")}}
    calls = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    for name, expected in (("jo.officer", True), ("nobody.here", False)):
        calls.clear()
        assert auth.check_officer(secrets, name, "a long password") is expected
        assert len(calls) == 1, (name, len(calls))


@pytest.mark.parametrize("line", ["99999999999999999999", "-5", "1e9", "9007199254740993"])
def test_a_hand_made_line_number_shows_the_page_not_a_traceback(seed_db, monkeypatch, line):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.query_params = {"doc": "002", "line": line}
    at.run()
    at.switch_page("views/method.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="source_line").value == 1


def test_the_command_lines_export_neutralises_formula_like_cells(fixture_db):
    from upload_support import cli
    con = connect(fixture_db)
    try:
        con.execute("UPDATE actions SET text = '=HYPERLINK(\"http://example.invalid\",\"x\")' WHERE code = '2.1'")
        con.execute("UPDATE actions SET lead_officer = '@SUM(A1)\x07' WHERE code = '2.1'")
    finally:
        con.close()
    result = cli(fixture_db, "export", "v_actions")
    assert result.returncode == 0, result.stderr
    assert "'=HYPERLINK" in result.stdout and "'@SUM(A1)\ufffd" in result.stdout
    assert "\n=" not in result.stdout and ",=" not in result.stdout and ",@" not in result.stdout


def test_plus_signed_numbers_are_numbers_as_the_format_says(fixture_db):
    from dashboard.importer.checks import formula_message
    assert formula_message("+3%") is None and formula_message("+12") is None and parse_number("+3%") == 3
    assert formula_message("+SUM(A1)") is not None
    assert not stage(fixture_db, "indicators", IND_HEADER + "NI 65,nowhere-borough,2010/11,actual,+3%\n").errors


def test_the_command_line_refuses_damaged_and_empty_files_in_words(fixture_db, tmp_path):
    from upload_support import cli
    files = {"damaged.xlsx": _workbook(IND_ROWS, _sheet_edit(b"<v>12</v>", b"<v>NaN</v>")),
             "blank.csv": b"\n\n\n", "mixed.csv": ACT_HEADER.encode() + b"nowhere-plan,Q1,Cr\xe8che,Red,30/06/2010,\n"
             + "nowhere-plan,Q2,Café,Red,30/06/2010,\n".encode()}
    before = data_checksums(fixture_db)
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = cli(fixture_db, "import", str(path), "--kind", "actions" if name != "damaged.xlsx" else "indicators")
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, name
    assert data_checksums(fixture_db) == before
