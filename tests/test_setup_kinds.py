"""A council sets itself up by upload alone (issue 19): organisations, plans, areas and indicator definitions through
the officers' pipeline, with preview, history and rollback; structure changed safely; bad input refused with row,
column and a plain fix, leaving the database exactly as it was. On the fictional fixture, with Fictional Borough
Council's files in tests/data/setup/."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import table_checksums
from dashboard.loading import refresh, templates
from dashboard.reading.indicator_status import assess
from dashboard.store import queries
from dashboard.store.connection import connect
from upload_support import cli, data_checksums, filled_workbook, rows as _rows

SETUP = Path(__file__).parent / "data" / "setup"
# The order a council uploads its files in (each may use what the ones before it create).
FILES = (("organisations.csv", "organisations"), ("plans.csv", "plans"), ("areas.csv", "areas"),
         ("indicator_definitions.csv", "indicator_definitions"), ("actions.csv", "actions"),
         ("indicators.csv", "indicators"))


def _stage(db: Path, kind: str | None, name: str, text: str | bytes) -> refresh.Preview:
    return refresh.stage(db, kind, name, text if isinstance(text, bytes) else text.encode(), "tester")


def _commit(db: Path, kind: str | None, name: str, text: str | bytes) -> int:
    preview = _stage(db, kind, name, text)
    assert not preview.errors, [str(p) for p in preview.errors]
    return refresh.commit(preview, db)


def _set_up(db: Path, upto: str | None = None) -> None:
    for name, kind in FILES:
        if name == upto:
            return
        _commit(db, kind, name, (SETUP / name).read_text())


def _rag(db: Path, organisation: str = "fictional-borough") -> dict[str, str]:
    con = connect(db, read_only=True)
    try:
        assessed = assess(queries.indicator_positions(con, organisation))
    finally:
        con.close()
    return dict(zip(assessed["indicator_code"], assessed["rag_label"]))


# --- Done when: a council, a three-level plan, ten actions, five indicators and a quarter, by upload alone --------

def test_a_new_council_is_set_up_by_the_command_line_alone_and_shows_red_amber_and_green(fixture_db):
    for name, kind in FILES:
        result = cli(fixture_db, "import", str(SETUP / name), "--kind", kind, "--yes", "--by", "jo.officer")
        assert result.returncode == 0, result.stderr
        assert "Committed as upload" in result.stdout
    assert _rows(fixture_db, "SELECT name, is_fictional FROM organisations WHERE organisation_id = "
                             "'fictional-borough'") == [("Fictional Borough Council", True)]
    assert _rows(fixture_db, "SELECT max(depth) + 1 FROM v_areas WHERE plan_id = 'fbc-plan'") == [(3,)]
    assert _rows(fixture_db, "SELECT DISTINCT depth, level, level_label FROM v_areas WHERE plan_id = 'fbc-plan' "
                             "ORDER BY 1") == [(0, "strategic_area", "Strategic area"), (1, "priority", "Priority"),
                                               (2, "outcome", "Outcome")]  # a level of the council's own words
    assert _rows(fixture_db, "SELECT count(*) FROM v_actions WHERE organisation_id = 'fictional-borough'") == [(10,)]
    assert _rag(fixture_db) == {"FBC 1": "Green", "FBC 2": "Amber", "FBC 3": "Red", "FBC 4": "Amber",
                                "FBC 5": "Green"}
    statuses = _rows(fixture_db, "SELECT status_label, count(*) FROM v_actions WHERE plan_id = 'fbc-plan' "
                                 "GROUP BY ALL ORDER BY 1")
    assert statuses == [("Amber", 3), ("Complete", 1), ("Green", 4), ("Red", 2)]
    assert _rows(fixture_db, "SELECT kind FROM uploads WHERE upload_id > 1 ORDER BY upload_id") == [
        (kind,) for _, kind in FILES]


# Each file with one mistake: refused, the message naming the row, nothing changed.
MISTAKES = {
    "organisations.csv": ("Fictional Borough Council,", "Fictional Borough Council,not-an-ons-code", "Row 2, column "
                          "'ons_code' ('not-an-ons-code'): an ONS code is a letter and eight digits"),
    "plans.csv": (",current", ",ongoing", "Row 2, column 'status' ('ongoing'): 'ongoing' is not allowed here; use one "
                  "of: draft, current, archived."),
    "areas.csv": ("fbc-plan,2.1,Attendance,2,", "fbc-plan,2.1,Attendance,3,", "Row 6, column 'parent_code' ('3'): "
                  "there is no area '3' in plan 'fbc-plan'"),
    "indicator_definitions.csv": ("higher is better,2 points", "higher is worse,2 points", "Row 3, column "
                                  "'polarity' ('higher is worse'): 'higher is worse' is not a polarity"),
    "actions.csv": ("A4,1.1,", "A4,1.9,", "Row 5, column 'area_code' ('1.9'): there is no area '1.9' in plan "
                    "'fbc-plan'."),
    "indicators.csv": ("FBC 4,fictional-borough,2026/27 Q1,actual", "FBC 9,fictional-borough,2026/27 Q1,actual",
                       "Row 9, column 'indicator_code' ('FBC 9'): there is no indicator 'FBC 9'"),
}


@pytest.mark.parametrize("name", [name for name, _ in FILES])
def test_each_file_with_one_mistake_is_refused_naming_the_row(fixture_db, tmp_path, name):
    _set_up(fixture_db, upto=name)
    right, wrong, message = MISTAKES[name]
    text = (SETUP / name).read_text()
    assert text.count(right) == 1
    path = tmp_path / name
    path.write_text(text.replace(right, wrong))
    before = table_checksums(fixture_db)
    result = cli(fixture_db, "import", str(path), "--kind", dict(FILES)[name], "--yes")
    assert result.returncode == 1
    assert f"error: {name}, {message}" in result.stderr
    assert "was not loaded: 1 problem(s) to fix. Nothing has changed in the dashboard." in result.stdout
    assert table_checksums(fixture_db) == before


# --- Bad input: each an error with row, column and a plain fix; nothing changes ---------------------------------

BAD = {
    "cycle": ("areas", "plan_id,code,title,parent_code\nfbc-plan,1,Safe at home,1.1.a\n",
              "cycle.csv, Row 2, column 'parent_code' ('1.1.a'): area '1' would sit inside itself (1 › 1.1.a › 1.1 › "
              "1); give it a parent that is not one of its own sub-areas."),
    "missing-parent": ("areas", "plan_id,code,title,parent_code\nfbc-plan,3,Health,9\n",
                       "missing-parent.csv, Row 2, column 'parent_code' ('9'): there is no area '9' in plan 'fbc-plan'; "
                       "add it (in this file or before it), or check the code."),
    "duplicate-area": ("areas", "plan_id,code,title\nfbc-plan,3,Health\nfbc-plan,3,Wellbeing\n",
                       "duplicate-area.csv, Row 3: this row repeats row 2 (same plan and area code); keep one of them."),
    "duplicate-indicator": ("indicator_definitions", "code,name\nFBC 9,Nine\nFBC 9,Also nine\n",
                            "duplicate-indicator.csv, Row 3: this row repeats row 2 (same indicator code); keep one of "
                            "them."),
    "alias-is-a-code": ("indicator_definitions", "code,name,aliases\nFBC 9,Nine,FBC 1\n",
                        "alias-is-a-code.csv, Row 2, column 'aliases' ('FBC 1'): 'FBC 1' is already the code of "
                        "indicator 'FBC 1'; an alias may name only one indicator. Remove it from this row, or give the "
                        "other indicator a different code."),
    "polarity": ("indicator_definitions", "code,name,polarity\nFBC 9,Nine,upwards\n",
                 "polarity.csv, Row 2, column 'polarity' ('upwards'): 'upwards' is not a polarity; write one of: "
                 "higher is better, lower is better, within a band, none (or higher, lower, band)."),
    "organisation-case": ("organisations", "organisation_id,name\nFictional-Borough,Another Borough\n",
                          "organisation-case.csv, Row 2, column 'organisation_id' ('Fictional-Borough'): "
                          "'Fictional-Borough' differs only in case from the organisation 'fictional-borough'; write "
                          "'fictional-borough' to change that organisation, or choose an id that differs in more than "
                          "case."),
    "remove-valued-indicator": ("indicator_definitions", "code,name,remove\nFBC 1,Children in care,yes\n",
                                "remove-valued-indicator.csv, Row 2, column 'remove' ('yes'): indicator 'FBC 1' has 2 "
                                "value(s) stored, so it cannot be removed (they would be lost). Write yes in retired "
                                "instead: it keeps its values."),
    "remove-used-area": ("areas", "plan_id,code,title,remove\nfbc-plan,2.1,Attendance,yes\n",
                         "remove-used-area.csv, Row 2, column 'remove' ('yes'): area '2.1' still has 2 action(s) and 1 "
                         "indicator(s) and 1 sub-area(s) under it, so it cannot be removed (their statuses and values "
                         "would lose their place). Move them to another area first, or keep the area: rename it or "
                         "move it instead."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_structure_is_refused_with_row_column_and_fix_and_nothing_changes(fixture_db, case):
    _set_up(fixture_db)
    kind, text, message = BAD[case]
    before = table_checksums(fixture_db)
    preview = _stage(fixture_db, kind, f"{case}.csv", text)
    assert [str(p) for p in preview.errors] == [message]
    assert preview.staged is None
    assert table_checksums(fixture_db) == before


def test_a_cycle_of_several_areas_is_reported_once():
    from dashboard.importer.kinds import Known
    from dashboard.importer.structure import area_tree_problems

    records = [{"plan_id": "p", "code": code, "parent_code": parent, "upload_row": row}
               for row, (code, parent) in enumerate((("a", "c"), ("b", "a"), ("c", "b"), ("d", "a")), start=2)]
    problems = area_tree_problems(records, Known(), "f.csv")
    assert [(p.row, p.message) for p in problems] == [
        (2, "area 'a' would sit inside itself (a › c › b › a; rows 2, 3, 4 of this file make it); give it a parent "
            "that is not one of its own sub-areas.")]


# --- Changing structure safely -----------------------------------------------------------------------------------

def test_moving_renaming_and_retiring_keep_values_and_the_preview_says_what_moves(fixture_db):
    _set_up(fixture_db)
    values_before = _rows(fixture_db, "SELECT * EXCLUDE (upload_id, upload_row) FROM observations "
                                      "WHERE organisation_id = 'fictional-borough' ORDER BY ALL")
    statuses_before = _rows(fixture_db, "SELECT * FROM action_statuses WHERE plan_id = 'fbc-plan' ORDER BY ALL")
    preview = _stage(fixture_db, "areas", "move.csv", "plan_id,code,title,parent_code\n"
                                                      "fbc-plan,1.1.a,Family help and support,2\n")
    assert preview.moves == [
        "Area 1.1.a moves from 1.1 to 2 of plan fbc-plan; 2 action(s) and 1 indicator(s) go with it, their "
        "statuses and values kept.",
        "Area 1.1.a is renamed from 'Family help' to 'Family help and support'; 2 action(s) and 1 indicator(s) go "
        "with it, their statuses and values kept."]
    refresh.commit(preview, fixture_db)
    preview = _stage(fixture_db, "indicator_definitions", "retire.csv",
                     "code,name,retired,plan_id,area_codes\n"
                     "FBC 4,Care leavers in education or training,yes,fbc-plan,2\n")
    assert preview.moves == [
        "Indicator FBC 4 is renamed from 'Care leavers in education' to 'Care leavers in education or training'; its "
        "2 value(s) are kept.",
        "Indicator FBC 4 is retired; its 2 value(s) are kept.",
        "Indicator FBC 4 now reports under area 2 of plan fbc-plan.",
        "Indicator FBC 4 no longer reports under area 1 of plan fbc-plan; its values are kept."]
    refresh.commit(preview, fixture_db)
    assert _rows(fixture_db, "SELECT parent_code, title FROM areas WHERE code = '1.1.a'") == [
        ("2", "Family help and support")]
    assert _rows(fixture_db, "SELECT name, retired, unit, polarity FROM indicators WHERE indicator_code = 'FBC 4'") == [
        ("Care leavers in education or training", True, "percent", "higher")]  # blank cells keep what was there
    assert _rows(fixture_db, "SELECT plan_id, area_code FROM indicator_areas WHERE indicator_code = 'FBC 4'") == [
        ("fbc-plan", "2")]
    assert _rows(fixture_db, "SELECT * EXCLUDE (upload_id, upload_row) FROM observations "
                             "WHERE organisation_id = 'fictional-borough' ORDER BY ALL") == values_before
    assert _rows(fixture_db, "SELECT * FROM action_statuses WHERE plan_id = 'fbc-plan' ORDER BY ALL") == statuses_before
    assert _rows(fixture_db, "SELECT top_code FROM v_areas WHERE area_code = '1.1.a'") == [("2",)]


def test_a_changed_polarity_or_tolerance_lists_the_indicators_whose_rag_changes(fixture_db):
    _set_up(fixture_db)
    preview = _stage(fixture_db, "indicator_definitions", "rules.csv",
                     "code,name,polarity,tolerance\nFBC 3,Repeat referrals,,50%\n"
                     "FBC 1,Children in care per 10000,higher is better,\nFBC 5,Persistent absence,,2\n")
    moved = preview.rag_changes[["Indicator", "RAG before", "RAG after", "Council"]].values.tolist()
    assert moved == [["FBC 1", "Green", "Amber", "fictional-borough"], ["FBC 3", "Red", "Amber", "fictional-borough"]]
    assert "Indicator FBC 3: tolerance 5% of the target → 50% of the target; its RAG is assessed again (listed " \
           "below when it changes)." in preview.moves
    refresh.commit(preview, fixture_db)
    assert _rag(fixture_db)["FBC 3"] == "Amber"
    assert _rows(fixture_db, "SELECT tolerance, tolerance_units FROM indicators WHERE indicator_code = 'FBC 5'") == [
        (None, 2.0)]


def test_an_indicator_without_values_can_be_removed_with_its_aliases_and_areas(fixture_db):
    _set_up(fixture_db, upto="indicators.csv")
    upload = _commit(fixture_db, "indicator_definitions", "remove.csv", "code,name,remove\nFBC 2,Attendance,yes\n")
    assert _rows(fixture_db, "SELECT count(*) FROM indicators WHERE indicator_code = 'FBC 2'") == [(0,)]
    assert _rows(fixture_db, "SELECT count(*) FROM indicator_aliases WHERE indicator_code = 'FBC 2'") == [(0,)]
    assert _rows(fixture_db, "SELECT count(*) FROM indicator_areas WHERE indicator_code = 'FBC 2'") == [(0,)]
    refresh.roll_back(fixture_db, upload, "tester")
    assert _rows(fixture_db, "SELECT name FROM indicators WHERE indicator_code = 'FBC 2'") == [("Attendance",)]


# --- History and rollback --------------------------------------------------------------------------------------

def test_every_set_up_upload_is_in_the_history_and_rolls_back_exactly(fixture_db):
    checksums = [data_checksums(fixture_db)]
    ids = []
    for name, kind in FILES:
        ids.append(_commit(fixture_db, kind, name, (SETUP / name).read_text()))
        checksums.append(data_checksums(fixture_db))
    history = refresh.history(fixture_db)
    assert history["kind"].tolist()[:6] == [kind for _, kind in reversed(FILES)]
    for upload, expected in zip(reversed(ids), reversed(checksums[:-1])):  # undo one upload at a time, newest first
        refresh.roll_back(fixture_db, upload, "tester")
        assert data_checksums(fixture_db) == expected


def test_the_set_up_workbook_creates_everything_in_one_upload_and_one_rollback(fixture_db):
    before = data_checksums(fixture_db)
    data = filled_workbook({kind: (SETUP / name).read_text() for name, kind in FILES})
    preview = _stage(fixture_db, None, "fictional-borough.xlsx", data)  # the kind is seen from the sheets
    assert preview.kind == "setup" and not preview.errors, [str(p) for p in preview.errors]
    assert {table: change.counts[0] for table, change in preview.changes.items()} == {
        "organisations": 1, "organisation_aliases": 3, "plans": 1, "areas": 6, "indicators": 5,
        "indicator_aliases": 6, "indicator_areas": 5, "actions": 10, "action_statuses": 10, "observations": 10}
    assert preview.rag_changes["RAG after"].tolist() == ["Green", "Amber", "Red", "Amber", "Green"]
    upload = refresh.commit(preview, fixture_db)
    assert _rows(fixture_db, "SELECT kind, file_name FROM uploads WHERE upload_id > 1") == [
        ("setup", "fictional-borough.xlsx")]
    assert set(_rag(fixture_db).values()) == {"Red", "Amber", "Green"}
    refresh.roll_back(fixture_db, upload, "tester")
    assert data_checksums(fixture_db) == before


def test_a_workbook_sheet_names_its_problems_and_nothing_changes(fixture_db):
    book = load_workbook(io.BytesIO(templates.workbook()))
    book["Indicator definitions"]["E2"] = "upwards"
    book["Areas"].append(["fbc-plan", "1.1", "Again"])
    out = io.BytesIO()
    book.save(out)
    before = table_checksums(fixture_db)
    preview = _stage(fixture_db, "setup", "setup.xlsx", out.getvalue())
    assert [str(p) for p in preview.errors] == [
        "setup.xlsx, sheet 'Areas', Row 5: this row repeats row 3 (same plan and area code); keep one of them.",
        "setup.xlsx, sheet 'Indicator definitions', Row 2, column 'polarity' ('upwards'): 'upwards' is not a "
        "polarity; write one of: higher is better, lower is better, within a band, none (or higher, lower, band)."]
    assert table_checksums(fixture_db) == before


# --- Organisations however written; templates scoped to a council ----------------------------------------------

def test_an_organisation_is_found_by_its_id_name_or_alias_in_any_case(fixture_db):
    _set_up(fixture_db, upto="indicators.csv")
    text = ("indicator_code,organisation,period,measure,value\n"
            "FBC 1,FICTIONAL BOROUGH COUNCIL,2026/27 Q1,actual,58\nFBC 2,fbc,2026/27 Q1,actual,94%\n"
            "FBC 3,Fictional-Borough,2026/27 Q1,actual,20%\nFBC 4,fictional borough council,2026/27 Q1,actual,3%\n")
    upload = _commit(fixture_db, "indicators", "names.csv", text)
    assert _rows(fixture_db, "SELECT DISTINCT organisation_id FROM observations WHERE upload_id = ?", [upload]) == [
        ("fictional-borough",)]


def test_templates_scoped_to_a_council_hold_only_its_rows_and_change_nothing_when_uploaded_back(fixture_db):
    _set_up(fixture_db)
    con = connect(fixture_db, read_only=True)
    try:
        frames = {kind: templates.current(con, kind, "fictional-borough", "fbc-plan") for _, kind in FILES}
        files = {kind: templates.prefilled(con, kind, "fictional-borough", "fbc-plan") for _, kind in FILES}
        whole = templates.workbook(con, "fictional-borough", "fbc-plan", current_data=True)
        everyone = templates.current(con, "actions")
    finally:
        con.close()
    assert {kind: len(frame) for kind, frame in frames.items()} == {
        "organisations": 1, "plans": 1, "areas": 6, "indicator_definitions": 5, "actions": 10, "indicators": 10}
    assert set(everyone["plan_id"]) == {"nowhere-plan", "fbc-plan"}
    assert frames["indicator_definitions"]["tolerance"].tolist() == ["5%", "2", "5%", "5%", "1"]
    for _, kind in FILES:
        preview = _stage(fixture_db, kind, f"{kind}.csv", files[kind])
        assert not preview.problems and preview.staged is None, (kind, [str(p) for p in preview.problems])
    preview = _stage(fixture_db, "setup", "current.xlsx", whole)
    assert not preview.problems and preview.staged is None, [str(p) for p in preview.problems]


def test_the_blank_workbook_has_a_sheet_per_kind_drop_downs_and_the_fictional_example():
    book = load_workbook(io.BytesIO(templates.workbook()))
    assert book.sheetnames == ["Read me", "Organisations", "Plans", "Areas", "Indicator definitions", "Actions",
                               "Indicator values", "Lists"]
    assert book["Organisations"]["B2"].value == "Fictional Borough Council"
    validated = {}
    for title in book.sheetnames[1:-1]:
        sheet = book[title]
        header = [cell.value for cell in sheet[1]]
        for rule in sheet.data_validations.dataValidation:
            column = header[next(iter(rule.sqref.ranges)).min_col - 1]
            lists = book["Lists"]
            ref = rule.formula1.split("!")[1].replace("$", "")
            validated[(title, column)] = [cell.value for row in lists[ref] for cell in row]
    assert validated[("Indicator definitions", "polarity")] == ["higher is better", "lower is better",
                                                                "within a band", "none"]
    assert validated[("Indicator definitions", "year_type")] == ["financial", "academic", "calendar"]
    assert validated[("Plans", "status")] == ["draft", "current", "archived"]
    assert validated[("Actions", "status")][:3] == ["Red", "Amber", "Amber/Green"]
    assert "strategic area" in validated[("Areas", "level")]


def test_a_set_up_workbook_uploaded_as_one_kind_reads_that_sheet_and_says_so(fixture_db):
    _set_up(fixture_db, upto="actions.csv")
    data = filled_workbook({kind: (SETUP / name).read_text() for name, kind in FILES})
    preview = _stage(fixture_db, "actions", "fictional-borough.xlsx", data)
    assert [str(p) for p in preview.problems] == [
        "fictional-borough.xlsx: Only this workbook's sheet for actions is read; to upload every sheet at once, "
        "choose 'Set-up workbook (everything)' (on the command line, --kind setup)."]
    assert list(preview.changes) == ["actions", "action_statuses"] and preview.changes["actions"].counts == (10, 0, 0)
    refresh.discard(preview)
