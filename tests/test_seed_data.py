"""The embedded data are right: every row cites a document line holding its figure, the database holds every seed
row, and every total the documents print is reproduced by its detail rows."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.importer.kinds import alias_key
from dashboard.loading.build import SEED_DIR
from dashboard.loading.provenance import check_folder, read_document, text_on_line, value_on_line
from dashboard.loading.seed import DOCUMENTS_DIR, document_folders
from dashboard.store.connection import connect

FOLDERS = document_folders(SEED_DIR)
DOCUMENTS = {row["doc_id"]: row["file_name"] for row in csv.DictReader((SEED_DIR / "documents.csv").open())}
TOLERANCE_K = 0.0005  # £0.5: sums of £000 figures are compared to the printed total exactly, bar float noise


def _rows(folder: Path, kind: str) -> list[dict]:
    path = folder / f"{kind}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _document(doc: str) -> Path:
    return DOCUMENTS_DIR / DOCUMENTS[doc]


SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize("doc", sorted(DOCUMENTS))
def test_the_kept_source_documents_are_the_originals(doc):
    """data/sources/ holds byte-for-byte copies; where the originals are on this machine, prove it."""
    kept = _document(doc)
    assert kept.exists()
    original = SHARED / DOCUMENTS[doc]
    if not original.exists():
        pytest.skip(f"the originals ({SHARED}) are not on this machine")
    assert kept.read_bytes() == original.read_bytes()


@pytest.fixture(scope="module")
def con(seed_db):
    connection = connect(seed_db, read_only=True)
    yield connection
    connection.close()


def test_all_five_documents_are_curated():
    assert [folder.name for folder in FOLDERS] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_seed_row_cites_a_line_holding_its_figure_or_text(folder):
    counts, mismatches = check_folder(folder, _document(folder.name))
    assert sum(counts.values()) > 0
    assert [str(m) for m in mismatches] == []


# (seed file, table, how many table rows one CSV row makes)
LOADED = [("plans", "plans"), ("areas", "areas"), ("actions", "actions"), ("statuses", "action_statuses"),
          ("indicator_areas", "indicator_areas"), ("observations", "observations"),
          ("efficiency", "efficiency_lines"), ("efficiency_summary", "efficiency_summaries"), ("risks", "risks"),
          ("judgements", "judgements")]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_the_database_holds_every_seed_row_of_each_document(con, folder):
    for kind, table in LOADED:
        expected = len(_rows(folder, kind))
        loaded = con.execute(f"SELECT count(*) FROM {table} WHERE source_doc = ?", [folder.name]).fetchall()[0][0]
        assert loaded == expected, f"{folder.name}/{kind}.csv has {expected} rows, {table} holds {loaded}"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_indicator_a_document_reports_is_loaded_once(con, folder):
    aliases = dict(con.execute("SELECT alias_key, indicator_code FROM indicator_aliases").fetchall())
    listed = {aliases.get(alias_key(row["code"])) for row in _rows(folder, "indicators")}
    assert None not in listed, "an indicator of the seed CSV is not in the database"
    observed = {aliases[alias_key(row["indicator_code"])] for row in _rows(folder, "observations")}
    loaded = {row[0] for row in con.execute(
        "SELECT DISTINCT indicator_code FROM observations WHERE source_doc = ?", [folder.name]).fetchall()}
    assert loaded == observed
    assert observed <= listed, f"observed but not listed in {folder.name}/indicators.csv: {observed - listed}"


# What the database says each row holds, checked against the line it cites (not just the CSV that fed it).
DB_PROVENANCE = [
    ("observations", "value_written", value_on_line),
    ("actions", "text", text_on_line),
    ("areas", "title", text_on_line),
    ("action_statuses", "status_text", value_on_line),
    ("risks", "risk", text_on_line),
]


@pytest.mark.parametrize("table,column,holds", DB_PROVENANCE, ids=[t for t, _, _ in DB_PROVENANCE])
def test_every_loaded_row_points_at_a_line_with_its_figure(con, table, column, holds):
    rows = con.execute(f"SELECT source_doc, source_line, {column} FROM {table} WHERE source_doc IS NOT NULL").fetchall()
    lines = {doc: read_document(_document(doc)) for doc in {row[0] for row in rows}}
    wrong = [(doc, line, value) for doc, line, value in rows
             if value and not holds(lines[doc], line, value)]
    assert wrong == []


def test_efficiency_figures_point_at_lines_with_every_written_amount(con):
    rows = con.execute("""SELECT source_doc, source_line, written FROM efficiency_lines WHERE source_doc IS NOT NULL
                          UNION ALL
                          SELECT source_doc, source_line, written FROM efficiency_summaries
                          WHERE source_doc IS NOT NULL""").fetchall()
    assert rows
    lines = {doc: read_document(_document(doc)) for doc in {row[0] for row in rows}}
    wrong = [(doc, line, written) for doc, line, written in rows
             if not all(value_on_line(lines[doc], line, part) for part in written.split("|") if part)]
    assert wrong == []


# --- Printed totals against their detail rows ------------------------------------------------------------------

def _summary(con, summary: str, year: str, label: str | None = None) -> tuple:
    rows = con.execute("""SELECT cashable_k, non_cashable_k, total_k FROM efficiency_summaries
                          WHERE summary = ? AND year_text = ? AND (? IS NULL OR label = ?)""",
                       [summary, year, label, label]).fetchall()
    assert len(rows) == 1, f"expected one printed {summary} {label or ''} for {year}, found {len(rows)}"
    return rows[0]


def _close(left, right) -> bool:
    return (left is None and right is None) or (
        left is not None and right is not None and abs(left - right) <= TOLERANCE_K)


def _same(summed: tuple, printed: tuple) -> bool:
    """Each printed figure equals the sum; a blank printed cell is not compared (the document is silent), and detail
    cells all blank add up to the nil a total prints as '-'."""
    return all(_close(0.0 if s is None else s, p) for s, p in zip(summed, printed) if p is not None)


AES_YEAR = "2006/07"


def _aes_detail_sum(con, where: str = "", params: list | None = None) -> tuple:
    return con.execute(f"""SELECT sum(cashable_k), sum(non_cashable_k), sum(total_k) FROM efficiency_lines
                           WHERE stage = 'forward_look' AND year_text = ? {where}""",
                       [AES_YEAR] + (params or [])).fetchall()[0]


def test_efficiency_statement_detail_lines_add_up_to_the_printed_total(con):
    total = _summary(con, "grand_total", AES_YEAR)
    assert total == (1774, 1691, 3465)  # 002 line 313, as printed
    assert _same(_aes_detail_sum(con), total)


def test_efficiency_statement_lines_add_up_to_each_printed_directorate_total(con):
    printed = con.execute("""SELECT label, cashable_k, non_cashable_k, total_k FROM efficiency_summaries
                             WHERE summary = 'by_directorate' AND year_text = ?""", [AES_YEAR]).fetchall()
    assert len(printed) == 5
    for label, *figures in printed:
        assert _same(_aes_detail_sum(con, "AND directorate = ?", [label]), tuple(figures)), label
    directorates = {row[0] for row in con.execute(
        "SELECT DISTINCT directorate FROM efficiency_lines WHERE stage = 'forward_look'").fetchall()}
    assert directorates == {row[0] for row in printed}


def test_efficiency_summaries_by_category_and_directorate_add_up_to_the_grand_total(con):
    total = _summary(con, "grand_total", AES_YEAR)
    for summary in ("by_category", "by_directorate"):
        summed = con.execute("""SELECT sum(cashable_k), sum(non_cashable_k), sum(total_k) FROM efficiency_summaries
                                WHERE summary = ? AND year_text = ?""", [summary, AES_YEAR]).fetchall()[0]
        assert _same(summed, total), summary
        assert _summary(con, f"{summary}_total", AES_YEAR) == total


def test_efficiency_statement_categories_cannot_be_rebuilt_from_its_lines(con):
    """Said, not silently skipped: the statement prints no category on any detail line (002 lines 255-313), so the
    by-category summary is checked only against the grand total above."""
    categorised = con.execute("""SELECT count(*) FROM efficiency_lines
                                 WHERE stage = 'forward_look' AND category IS NOT NULL""").fetchall()[0][0]
    assert categorised == 0, "detail lines now carry categories: check them against the by-category summary"


def test_brought_forward_plus_the_year_is_the_printed_cumulative_and_surplus(con):
    brought = _summary(con, "brought_forward", AES_YEAR)[2]
    year = _summary(con, "grand_total", AES_YEAR)[2]
    cumulative = _summary(con, "cumulative", AES_YEAR)[2]
    assert (brought, cumulative) == (3168, 6633)
    assert _close(brought + year, cumulative)
    required = {row[0] for row in con.execute("""SELECT total_k FROM efficiency_summaries
                                                 WHERE summary = 'required' AND year_text = ?""",
                                              [AES_YEAR]).fetchall()}
    assert required == {6619}  # £6.619m in paragraph 1 (line 191) and 6,619 in the table (line 345) agree
    assert _close(cumulative - 6619, _summary(con, "surplus", AES_YEAR)[2])


IEG_YEARS = ["04/05", "05/06", "06/07", "07/08"]


@pytest.mark.parametrize("year", IEG_YEARS)
def test_ieg_gains_add_up_to_gross_and_gross_less_spend_is_net(con, year):
    gains = con.execute("""SELECT sum(cashable_k), sum(non_cashable_k), sum(total_k) FROM efficiency_lines
                           WHERE stage LIKE 'ieg6%' AND line_type = 'gain' AND year_text = ?""", [year]).fetchall()[0]
    gross = _summary(con, "ieg_gross", year)
    assert _same(gains, gross)
    spend = _summary(con, "ieg_expenditure_total", year)[2]
    assert _close(gross[2] - spend, _summary(con, "ieg_net", year)[2])


@pytest.mark.parametrize("year", ["01/02 to 03/04"] + IEG_YEARS)
def test_ieg_expenditure_lines_add_up_to_the_printed_section_total(con, year):
    spend = con.execute("""SELECT sum(total_k) FROM efficiency_lines
                           WHERE stage LIKE 'ieg6%' AND line_type = 'expenditure' AND year_text = ?""",
                        [year]).fetchall()[0][0]
    assert _close(spend, _summary(con, "ieg_expenditure_section_total", year)[2])
