"""Fuzzed officers' files: 1,000 malformed CSVs, byte strings and workbooks per run, across the three kinds,
go through the same check-and-stage function the page and the command line call. None may raise; each gives problems
or a valid preview; the live database stays byte-for-byte the same. Derandomized, so every run checks the same files."""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURE_SEED, table_checksums
from dashboard.importer.officer import OFFICER_KINDS
from dashboard.importer.problems import Problem
from dashboard.loading import refresh
from dashboard.loading.build import build

# Fixed examples, no example database, no deadline (a 2-core CI machine is slow now and then): the same files
# every run, so a failure is reproducible and CI is deterministic. Four tests of 250 files: 1,000 files a run.
PER_TEST = 250
FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=PER_TEST,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
KINDS = sorted(OFFICER_KINDS)

KNOWN = ["NI 65", "NI65", "LOCAL NB-ATTEND", "nowhere-borough", "nowhere-plan", "1.1.1", "2.1", "1.1", "actual",
         "target", "comparator", "england", "forward_look", "Procurement", "Resources", "yes", "no", "gain",
         "expenditure", "£", "£000", "Green", "Red", "Amber/Green", "Complete", "task", "milestone"]
NUMBERS = ["0", "-0", "12", "-12", "+12", "10.2%", "-3%", "1,774", "1,2,3", "(12)", "£-5", "-£5", "£1.65m", "2bn",
           "1e400", "-1e400", "9" * 400, "-" + "9" * 320, "0." + "0" * 300 + "1", "nan", "NaN", "inf", "-inf",
           "Infinity", "1_000", "٣", "１２", "12\u00a0%", "-", "–", "—", "nil", ".5", "5.", "1.2.3", "--1", "- 5",
           # issue 24: what a locale or a spreadsheet writes instead of a plain number
           "12,5", "1 234", "1.234,5", "1.234.567", "#DIV/0!", "#N/A", "\u22125", "+3%", "0.55", "1e309", "5bn"]
PERIODS = ["2099/00", "March 9999", "31/03/1850", "2010/11", "2010/11 Q1", "2009/2", "2010/11 Q5", "2010/11 Q0", "June 2010", "Juné 2010", "30/06/2010",
           "31/02/2010", "31/13/2010", "00/00/0000", "99/99/9999", "1/1/1", "29/02/2100", "29/02/2000", "0001/02",
           "9999/10000", "2010-2011", "2009-08", "2010/09", "1900/01", "August '09", "5/09", "Q3", "FY", "2010/11 Q1 Q2",
           "31/12/9999", "01/01/0001", "2010/11 Q" + "9" * 30, "10000/10001", "-2010/11"]
FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "=HYPERLINK(\"http://x.invalid\",\"x\")",
            "\t=1", "\r=1", "=", "+", "@", "-x", "'=1+1"]
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "<b>bold</b>", "<br>",
        "&amp;", "&lt;script&gt;", "<a href=\"javascript:alert(1)\">x</a>", "</td></tr><tr><td>", "<!--", "]]>",
        "[x](javascript:alert(1))", "![x](http://x.invalid/t.png)", ":red[red]", "$x^2$", "**b**"]
ODD = ["", " ", "\x00", "\x7f", "\u202e", "\ufeff", "\u2028", "\"", "\"\"", "a\"b", "\n", "\r\n", ",", ";", "\t",
       "é", "£", "€", "😀", "\ud7ff", "x" * 5000, "a\x0bb", "\x07", "\x1b[31m", "a\x00b"]
CELL = st.one_of(st.sampled_from(KNOWN + NUMBERS + PERIODS + FORMULAS + HTML + ODD), st.text(max_size=40),
                 st.builds(lambda a, b: a + b, st.sampled_from(KNOWN + NUMBERS + PERIODS), st.sampled_from(HTML + ODD)))
HEADER_NAME = st.one_of(st.sampled_from(sorted({c for k in OFFICER_KINDS.values() for c in k.required + k.optional})),
                        st.sampled_from(["Indicator Code", "ORGANISATION", "as-at", " value ", "\ufeffplan_id",
                                         "remove", "", "__row__", "x" * 300]),
                        st.text(max_size=20))


# Values each column of the fictional council would accept, so that most fuzzed files get past the header and
# the references and reach the cell checks, the diff and the staged copy; the rest of each cell is malformed.
PLAUSIBLE = {
    "plan_id": ["nowhere-plan"], "code": ["1.1.1", "1.1.1a", "2.1", "9.9", "N1"], "parent_code": ["", "1.1.1"],
    "area_code": ["1.1", "2", ""], "kind": ["action", "task", "milestone", "item", ""],
    "text": ["Audit repeat referrals", "A new action"], "lead_officer": ["A. Officer", ""],
    "lead_organisation": ["Nowhere Borough", ""], "due": ["March 2011", "ongoing", "tbc", "5/09", ""],
    "status": ["Red", "Green", "Amber/Green", "Complete", "Not assessed", ""],
    "effective": ["30/06/2010", "01/02/2010", ""], "as_at": ["30/06/2010", "31/03/2010", "01/01/2031", ""],
    "commentary": ["", "On track"],
    "indicator_code": ["NI 65", "NI65", "LOCAL NB-ATTEND"], "organisation": ["nowhere-borough"],
    "period": ["2010/11", "2010/11 Q1", "June 2010", "30/06/2010", "2008/09"],
    "measure": ["actual", "target", "forecast", "baseline", "comparator"],
    "value": ["10.2%", "12", "New indicator", "-", "150%", "1,774"],
    "period_type": ["", "academic_year", "financial_year"], "comparator_group": ["", "england"],
    "flags": ["", "provisional", "revised|estimate"], "note": ["", "from the return"], "remove": ["", "yes", "no"],
    "year": ["2009/10", "2010/11"], "description": ["Fewer taxis", "Shared payroll", "A new line"],
    "stage": ["forward_look", "backward_look"], "directorate": ["Children's Services", "Resources"],
    "category": ["Procurement", "Corporate Services"], "line_type": ["gain", "expenditure", ""],
    "unit": ["£000", "£", ""], "cashable": ["100", "40.5", "-", ""], "non_cashable": ["60", "-", ""],
    "total": ["100", "200", ""],
}


def _cell_for(column: str):
    """Mostly a value the column accepts, sometimes a malformed one."""
    return st.one_of(st.sampled_from(PLAUSIBLE.get(column, [""])), st.sampled_from(PLAUSIBLE.get(column, [""])),
                     CELL)


@st.composite
def csv_files(draw, kind: str) -> bytes:
    """A CSV-ish file. Mostly well shaped (the kind's columns, plausible values with malformed cells among them),
    otherwise any header and cells; random separators, quoting, line endings, damage and encodings."""
    columns = list(OFFICER_KINDS[kind].required + OFFICER_KINDS[kind].optional)
    shape = draw(st.sampled_from(["shaped", "shaped", "trimmed", "random"]))
    if shape == "shaped":
        optional = list(OFFICER_KINDS[kind].optional)
        header = list(OFFICER_KINDS[kind].required) + draw(
            st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
        header = draw(st.permutations(header))
        rows = draw(st.lists(st.tuples(*[_cell_for(c) for c in header]).map(list), min_size=1, max_size=6))
    else:
        if shape == "trimmed":
            header = draw(st.permutations(columns))
            header = header[:draw(st.integers(min_value=0, max_value=len(header)))] + draw(
                st.lists(HEADER_NAME, max_size=3))
        else:
            header = draw(st.lists(HEADER_NAME, max_size=8))
        width = max(len(header), 1)
        rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=width + 2), max_size=8))
    separator = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    for record in [header] + rows:
        writer.writerow(record)
    text = out.getvalue()
    if draw(st.integers(min_value=0, max_value=3)) == 0:  # a broken quote or stray bytes somewhere
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut] + draw(st.sampled_from(["\"", "\x00", "\ufffd", "\r", "\n\n\n", "\"\"\"", ",", "\x0b",
                                                 "\x07"])) + text[cut:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac_roman",
                                     "iso8859_15", "shift_jis", "mixed"]))
    if encoding == "mixed":  # UTF-8 with one line from a Windows-1252 program (issue 24)
        lines = text.split("\n")
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        return "\n".join(lines[:at]).encode("utf-8") + ("\n" if at else "").encode() + \
            "\n".join(lines[at:]).encode("cp1252", errors="replace")
    return text.encode(encoding, errors="replace")


@st.composite
def workbooks(draw) -> bytes:
    """An XLSX workbook of random sheets and cells (numbers, dates, booleans, text, formulas), or a damaged one."""
    from datetime import date, datetime

    from openpyxl import Workbook

    book = Workbook()
    sheets = [book.active] + [book.create_sheet(name) for name in draw(
        st.lists(st.sampled_from(["actions", "Indicators", "EFFICIENCY", "Notes", "Sheet 2"]), max_size=2,
                 unique=True))]
    value = st.one_of(CELL.filter(lambda s: not any(ord(c) < 32 and c not in "\t\n\r" for c in s)),
                      st.integers(min_value=-10 ** 18, max_value=10 ** 18),
                      st.floats(allow_nan=True, allow_infinity=False, width=64),
                      st.booleans(), st.dates(min_value=date(1900, 3, 1)),
                      st.datetimes(min_value=datetime(1900, 3, 1)), st.none())
    for sheet in sheets:
        for row in draw(st.lists(st.lists(value, max_size=6), max_size=5)):
            try:
                sheet.append(row)
            except ValueError:  # openpyxl refuses some strings itself; such a cell is simply not written
                sheet.append([None] * len(row))
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if draw(st.integers(min_value=0, max_value=4)) == 0:  # truncated or corrupted zip
        # Where to cut as a share of the length: openpyxl stamps the save time into the workbook, so its length
        # (and a bound drawn from it) can differ between runs, which Hypothesis rightly calls a flaky strategy.
        cut = len(data) * draw(st.integers(min_value=0, max_value=1000)) // 1000
        data = data[:cut] + draw(st.binary(max_size=20)) + data[cut + 20:]
    return data


PROGRAM_WORDS = ("Traceback", "field limit", "from None", "NoneType", "Errno", "object has no", "invalid literal",
                 "index out of range", "codec can't", "Error:", "Exception")
RAW = st.one_of(st.binary(max_size=300), st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=200)),
                st.builds(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b, st.binary(max_size=50)),
                st.builds(lambda b: b"\xef\xbb\xbf" + b, st.binary(max_size=200)),
                st.builds(lambda b: b"\xff\xfe" + b, st.binary(max_size=200)),
                st.builds(lambda b: ("plan_id,code,text\n" + "x," * 2100 + "\n").encode() + b, st.binary(max_size=50)))
NAMES = st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f.tsv", "f", "../../etc/x.csv", "/etc/passwd", "a\x00b.csv",
                         "C:\\evil\\x.csv", "<img src=x onerror=alert(1)>.csv", "=1+1.csv", "x" * 500 + ".csv"])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory) -> Path:
    """The fictional council, built once for the module: staging never writes to it, which the tests check."""
    return build(tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb", FIXTURE_SEED)


class Live:
    """The live database's bytes and tables before fuzzing, and the check run after every file."""

    def __init__(self, db: Path):
        self.db, self.sha, self.tables = db, _sha(db), table_checksums(db)
        self.files = sorted(p.name for p in db.parent.iterdir())
        self.seen = 0

    def check(self, kind: str | None, name: str, data: bytes) -> None:
        preview = refresh.stage(self.db, kind, name, data, "fuzzer")
        try:
            assert isinstance(preview.problems, list)
            assert all(isinstance(p, Problem) and p.message for p in preview.problems)
            # Messages in words, never a library's (issue 24: "field larger than field limit (131072)").
            said = " ".join(p.message for p in preview.problems)
            assert not [word for word in PROGRAM_WORDS if word in said], said
            assert preview.sha256 == hashlib.sha256(data).hexdigest()
            assert isinstance(preview.summary(), str)
            if preview.errors:
                assert preview.staged is None and not preview.can_commit
            elif preview.staged is not None:
                assert preview.staged.exists() and preview.can_commit
        finally:
            refresh.discard(preview)
        assert _sha(self.db) == self.sha, "staging changed the live database"
        self.seen += 1

    def finish(self) -> None:
        assert table_checksums(self.db) == self.tables
        # No staged copy or stray file left behind, inside the folder or anywhere a file name could point.
        assert sorted(p.name for p in self.db.parent.iterdir()) == self.files


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_csv_files_give_problems_or_a_preview_and_never_change_the_database(fuzz_db, kind):
    live = Live(fuzz_db)

    @FUZZ
    @given(data=csv_files(kind), named=st.integers(min_value=0, max_value=3), name=NAMES)
    def run(data, named, name):
        live.check(kind if named else None, name if name.endswith((".csv", ".tsv")) else "fuzz.csv", data)

    run()
    live.finish()
    assert live.seen >= PER_TEST


@pytest.mark.slow
def test_fuzzed_bytes_and_workbooks_give_problems_and_never_change_the_database(fuzz_db):
    live = Live(fuzz_db)

    @FUZZ
    @given(data=st.one_of(RAW, workbooks()), kind=st.sampled_from(KINDS + [None]), name=NAMES)
    def run(data, kind, name):
        live.check(kind, name, data)

    run()
    live.finish()
    assert live.seen >= PER_TEST


def test_what_the_fuzzer_found_stays_fixed(fuzz_db):
    """Files that raised before the fixes: lone-CR line endings (Excel for Mac's 'CSV (Macintosh)') read as lines,
    and a damaged quote in a semicolon file is a problem, not a crash."""
    mac = b"indicator_code,organisation,period,measure,value\rNI 65,nowhere-borough,2010/11 Q1,actual,10%\r"
    preview = refresh.stage(fuzz_db, "indicators", "mac.csv", mac, "fuzzer")
    try:
        assert not preview.errors and preview.row_count == 1
    finally:
        refresh.discard(preview)
    broken = refresh.stage(fuzz_db, None, "q.csv", b'plan_id;code\n"1.1.1;\x00"x\n', "fuzzer")
    assert broken.errors and broken.staged is None
