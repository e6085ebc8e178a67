"""What officers see of an import is pinned to a reference recorded from the row-by-row importer before it was made
faster: the problems of a mixed bad file (row, column, value, message, order), and for the same file without its
bad rows the added/changed/unchanged rows, the RAG and direction preview, the status preview and the committed
database. Regenerate the reference only for an intended change: REFERENCE_WRITE=1 pytest tests/test_import_reference.py"""
from __future__ import annotations

import json
import math
import os
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from dashboard.loading import refresh
from dashboard.loading.build import build
from dashboard.loading.changes import rows_frame
from dashboard.store.connection import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import Scale, generate

REFERENCE = Path(__file__).parent / "data" / "import_reference.json"
SMALL = Scale(councils=3, indicators=6, quarters=8, actions=10, status_reports=3, efficiency_lines=4)
# The columns the upload page shows for each table (views/upload.py).
SHOWN = {"actions": ["plan_id", "code", "text", "lead_officer", "due_text"],
         "action_statuses": ["plan_id", "action_code", "status_text", "effective_text", "as_at_text", "commentary"],
         "observations": ["indicator_code", "organisation_id", "period_text", "measure", "comparator_group",
                          "value_written"],
         "efficiency_lines": ["organisation_id", "year_text", "directorate", "category", "description",
                              "cashable_k", "non_cashable_k", "total_k", "stage"]}
IND_HEADER = "indicator_code,organisation,period,measure,value,period_type,comparator_group,flags,note,remove,colour"


def _plain(value):
    """A value as JSON can hold it, the same for equal values whatever Python or pandas type carried them."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if isinstance(value, float):
        return repr(value)
    return value


def _frame(frame) -> list | None:
    if frame is None:
        return None
    return [[_plain(v) for v in row] for row in frame.astype(object).itertuples(index=False)] + [list(frame.columns)]


def _indicator_lines(db: Path) -> list[tuple[str, bool]]:
    """A mixed indicators file as (line, is_bad): changed, unchanged, added and removed rows, every kind of bad
    cell the validator knows, repeats, a ragged row and a blank one."""
    con = connect(db, read_only=True)
    try:
        existing = con.execute("""
            SELECT indicator_code, organisation_id, period_text, measure, coalesce(comparator_group, ''),
                   value_written FROM observations WHERE period_text = '2016/17 Q4'
            ORDER BY organisation_id, indicator_code, measure""").fetchall()
    finally:
        con.close()
    lines: list[tuple[str, bool]] = []
    for n, (code, org, period, measure, group, written) in enumerate(existing):
        if n % 3 == 0:
            written = "12.5%" if written.endswith("%") else "1,774"  # changed
        lines.append((f'{code},{org},{period},{measure},"{written}",,{group},,,,', False))
    for council in (1, 2, 3):
        org = f"fictional-borough-{council:03d}"
        for number in range(1, 7):
            code = f"FICT {number:03d}" if number % 2 else f"fict-{number:03d}"  # an alias spelling
            lines.append((f"{code},{org},2017/18 Q1,actual,{number * 7}.5,,,,,,", False))
            target = "1.0" if number % 3 else '"99,999"'
            lines.append((f"{code},{org},2017/18 Q1,target,{target},,,,,,", False))
            lines.append((f"{code},{org},2017/18 Q1,comparator,{number}%,,england,,,,", False))
    good = [
        "FICT 004,fictional-borough-001,2017/18,actual,104%,financial_year,,provisional|revised,a note,,",
        "FICT 001,fictional-borough-001,March 2018,forecast,n/a,,,Estimate,,,",
        "FICT 002,fictional-borough-001,31/03/2018,baseline,-,,,,,no,red",
        "FICT 003,fictional-borough-002,2017/18,Actual,(12),academic year,,,<b>bold</b>,,",
        "FICT 004,fictional-borough-002,2017/18,actual,-12,,,,javascript:alert(1),,",
        "FICT 001,fictional-borough-003,2016/17 Q3,actual,,,,,,yes,",
        "FICT 005,fictional-borough-003,2010/11 Q1,actual,5,,,,,yes,",
        "FICT 006,fictional-borough-003,2017/18,comparator,150%,,england,,,,",
        "FICT 002,fictional-borough-002,2018/19 Q2,actual,12.5 %,,,,,n,",
        "FICT 005,fictional-borough-001,2018/19,target,  £1.5m  ,,,,,,",
    ]
    bad = [
        "NI 999,fictional-borough-001,2017/18,actual,5,,,,,,",
        "FICT 004,fictional-borough-002,2018/19,actual,+12,,,,,,",
        ",fictional-borough-001,2017/18,actual,5,,,,,,",
        "FICT 001,nowhere,2017/18,actual,5,,,,,,",
        "FICT 001,,2017/18,actual,5,,,,,,",
        "FICT 001,fictional-borough-001,2017/18 Q5,actual,5,,,,,,",
        "FICT 001,fictional-borough-001,2017/2,actual,5,,,,,,",
        "FICT 001,fictional-borough-001,,actual,5,,,,,,",
        "FICT 001,fictional-borough-001,2017/18,calendar_year,5,calendar,,,,,",
        "FICT 001,fictional-borough-001,2018/19,outturn,5,,,,,,",
        "FICT 001,fictional-borough-001,2018/19,,5,,,,,,",
        "FICT 001,fictional-borough-001,2018/19,comparator,5,,,,,,",
        "FICT 001,fictional-borough-001,2018/19 Q3,actual,,,,,,,",
        "FICT 001,fictional-borough-001,2018/19 Q4,actual,5,,,bogus|provisional|Other,,,",
        "FICT 001,fictional-borough-001,2019/20,actual,5,,,,=SUM(A1),,",
        "FICT 001,fictional-borough-001,2019/20 Q1,comparator,5,,@group,,,,",
        "FICT 001,fictional-borough-001,2019/20 Q2,actual,5,,,,-abc,,",
        "FICT 001,fictional-borough-001,2019/20 Q3,actual,5,,,,\"" + "x" * 4001 + "\",,",
        "FICT 001,fictional-borough-001,2019/20 Q4,actual,5,,,,,maybe,",
        "FICT 001,fictional-borough-001,2019/20 Q4,target,5,,,,,yes,",  # removal of a row not there: a warning
        "FICT 001,fictional-borough-001,2020/21 Q1,actual,5,,,,,,,,,,,extra",
        "NI 999,nowhere,2020/21 Q9,bogus,,weird,,xx,=1,perhaps,",
        "FICT 001,fictional-borough-001,2020/21,removal,5,,,,,yes,",
    ]
    lines += [(line, False) for line in good]
    lines += [(line, not line.endswith(",yes,") or "removal" in line) for line in bad]
    lines.insert(5, (",,,,,,,,,,", False))  # a blank row is skipped
    # Repeats: the same key again (different value, then the very same row); only the later rows are refused.
    code, org, period, measure, _, rest = lines[1][0].split(",", 5)
    lines.append((",".join([code, org, period, measure, "77", rest]), True))
    lines.append((lines[2][0], True))
    return lines


def _snapshot(db: Path, kind: str, name: str, text: str) -> dict:
    preview = refresh.stage(db, kind, name, text.encode(), "tester")
    out = {"summary": preview.summary(), "row_count": preview.row_count,
           "problems": [[p.row, p.column, p.value, p.message, p.severity, p.file] for p in preview.problems],
           "changes": {table: {"added": len(c.added), "changed": len(c.changed), "removed": len(c.removed),
                               "unchanged": c.unchanged,
                               "not_found": [r.get("upload_row") for r in c.not_found],
                               "shown": _frame(rows_frame(c, SHOWN[table]))}
                       for table, c in preview.changes.items()},
           "rag_changes": _frame(preview.rag_changes), "status_changes": _frame(preview.status_changes)}
    if preview.can_commit:
        refresh.commit(preview, db)
        out["database"] = _database(db)
    else:
        refresh.discard(preview)
    return out


def _database(db: Path) -> dict:
    """Every table's contents (uploads without their timestamp), in a fixed order."""
    con = connect(db, read_only=True)
    try:
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            # Timestamps say when the test ran, not what was loaded.
            columns = [row[0] for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type NOT LIKE "
                "'TIMESTAMP%' ORDER BY ordinal_position", [table]).fetchall()]
            query = f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY ALL'
            out[table] = [[_plain(v) for v in row] for row in con.execute(query).fetchall()]
        return out
    finally:
        con.close()


def _run(tmp_path: Path) -> dict:
    db = build(tmp_path / "small.duckdb", generate(tmp_path / "seed", SMALL))
    lines = _indicator_lines(db)
    bad_text = IND_HEADER + "\n" + "\n".join(line for line, _ in lines) + "\n"
    good_text = IND_HEADER + "\n" + "\n".join(line for line, is_bad in lines if not is_bad) + "\n"
    result = {"indicators_bad": _snapshot(db, "indicators", "mixed.csv", bad_text),
              "indicators_good": _snapshot(db, "indicators", "mixed-good.csv", good_text)}
    # The same file again: everything unchanged (an identical file is refused as a duplicate, so one cell differs).
    again = good_text.replace("a note", "another note")
    result["indicators_again"] = _snapshot(db, "indicators", "again.csv", again)
    actions = ("plan_id,code,text,status,as_at,effective,commentary,due,kind,parent_code,area_code\n"
               "fb001-plan,1.1.1,,Green,31/03/2018,,Done (fictional),,,,\n"
               "fb001-plan,1.1.1a,Changed text,,,,,March 2030,task,1.1.1,1.1\n"
               "fb001-plan,9.9,New action,Amber,31/03/2018,01/01/2018,,tbc,,,1.1\n"
               "fb001-plan,9.9a,,Purple,31/02/2018,,=x,,odd,9.8,7.7\n"
               "nowhere-plan,1.1,Text,,,,,,,,\n"
               "fb002-plan,1.1.1,,Red,,,,,,,\n")
    result["actions"] = _snapshot(db, "actions", "actions.csv", actions)
    result["actions_good"] = _snapshot(db, "actions", "actions-good.csv", "\n".join(
        actions.splitlines()[:4]) + "\n")
    efficiency = ("organisation,year,description,stage,cashable,non_cashable,total,unit,line_type,remove\n"
                  "fictional-borough-001,2024/25,Fictional efficiency line 5,forward_look,999,,999,,,\n"
                  "fictional-borough-001,2025/26,New line,forward_look,\"1,000\",-5,about,£,gain,\n"
                  "fictional-borough-002,2025/26,New line,forward_look,1000,5,£1.5m,£,gain,\n"
                  "fictional-borough-002,2024/25,Nothing,forward_look,1,,,,,yes\n")
    result["efficiency"] = _snapshot(db, "efficiency", "efficiency.csv", efficiency)
    return json.loads(json.dumps(result))


def test_what_officers_see_of_an_import_matches_the_reference(tmp_path):
    result = _run(tmp_path)
    if os.environ.get("REFERENCE_WRITE"):
        REFERENCE.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip("reference written")
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for part in expected:
        for section in expected[part]:
            assert result[part][section] == expected[part][section], (part, section)
    assert result == expected


def test_the_reference_covers_every_kind_of_problem():
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    messages = "\n".join(p[3] for p in expected["indicators_bad"]["problems"])
    for fragment in ("there is no indicator", "is not a known organisation", "not a period", "is empty",
                     "is not allowed here", "a comparator needs its group", "unknown flag", "formula",
                     "HTML or script", "characters long", "write 'yes' to remove", "cells but the header",
                     "repeats row", "percentage over 100", "looser than the last outturn", "Unknown column"):
        assert fragment in messages, fragment
    good = expected["indicators_good"]["changes"]["observations"]
    assert good["added"] and good["changed"] and good["unchanged"] and good["removed"] and good["not_found"]
    assert expected["indicators_good"]["rag_changes"] and len(expected["indicators_good"]["rag_changes"]) > 1
