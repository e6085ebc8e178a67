"""Published national statistics: LAIT and EES files read, recognised and imported through the upload pipeline, and
the benchmarks (England, region, neighbours' mean, quartile band, rank) in v_benchmarks. Synthetic files are of
fictional councils; the real files are read from ../shared/data/published when it is there."""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest

from dashboard.loading import refresh
from dashboard.parsing.periods import parse_published_period
from dashboard.published.ees import read_ees
from dashboard.published.load import stage_published
from dashboard.store.connection import connect
from upload_support import cli

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "published"
needs_shared = pytest.mark.skipif(not (SHARED / "lait" / "bds_long_0.parquet").is_file(),
                                  reason=f"the real published files are not at {SHARED}")


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def commit(db: Path, paths, **options) -> refresh.Preview:
    preview = stage_published(db, [Path(p) for p in paths], uploaded_by="test", **options)
    assert not preview.errors, preview.errors
    refresh.commit(preview, db)
    return preview


# --- Periods -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, hint, kind, start, end, flags", [
    ("2024", None, "calendar_year", date(2024, 1, 1), date(2024, 12, 31), set()),
    ("2023/24", "academic_year", "academic_year", date(2023, 9, 1), date(2024, 8, 31), set()),
    ("2022-23 (OT)", "financial_year", "financial_year", date(2022, 4, 1), date(2023, 3, 31), set()),
    ("2023 (Rev)", None, "calendar_year", date(2023, 1, 1), date(2023, 12, 31), {"revised"}),
    ("2025 (prov)", None, "calendar_year", date(2025, 1, 1), date(2025, 12, 31), {"provisional"}),
    ("2013/14-15/16", "financial_year", "range", date(2013, 4, 1), date(2016, 3, 31), set()),
    ("2014-16", "calendar_year", "range", date(2014, 1, 1), date(2016, 12, 31), set()),
    ("202324", "financial_year", "financial_year", date(2023, 4, 1), date(2024, 3, 31), set()),
    ("202324", "academic_year", "academic_year", date(2023, 9, 1), date(2024, 8, 31), set()),
    # LAIT's bare year for a financial- or academic-year measure is the year ending in it
    ("2025", "financial_year", "financial_year", date(2024, 4, 1), date(2025, 3, 31), set()),
    ("2025 (prov)", "academic_year", "academic_year", date(2024, 9, 1), date(2025, 8, 31), {"provisional"}),
    ("2024", "calendar_year", "calendar_year", date(2024, 1, 1), date(2024, 12, 31), set()),
])
def test_published_periods_parse(written, hint, kind, start, end, flags):
    parsed = parse_published_period(written, hint)
    assert (parsed.period.type, parsed.period.start, parsed.period.end, set(parsed.flags)) == \
        (kind, start, end, flags)


# --- Synthetic files: fictional councils ---------------------------------------------------------------------------

COUNCILS = [(f"Fictional Borough Council {n}", str(600 + n), f"E06999{n:03d}") for n in range(1, 12)]


def write_ees(path: Path, filters: dict[str, list[str]], indicators: list[str], values) -> Path:
    """An EES tidy CSV of the fictional councils: every combination of the filters, each indicator column."""
    header = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
              "region_name", "old_la_code", "la_name", "new_la_code", *filters, *indicators]
    lines = [",".join(header)]
    combos = [[]]
    for options in filters.values():
        combos = [combo + [option] for combo in combos for option in options]
    places = [("National", "E92000001", "England", "", "", "", "", "")] + \
        [("Regional", "E92000001", "England", "E12999001", "Nowhere Region", "", "", "")] + \
        [("Local authority", "E92000001", "England", "E12999001", "Nowhere Region", number, name, ons)
         for name, number, ons in COUNCILS]
    for i, place in enumerate(places):
        for combo in combos:
            lines.append(",".join(["202324", "Financial year", *place, *combo,
                                   *[values(i, combo, column) for column in indicators]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_any_ees_tidy_file_imports_with_its_own_filter_and_indicator_columns(fixture_db, tmp_path):
    path = write_ees(tmp_path / "care_leavers_activity.csv", {"age_group": ["19 to 21", "17 to 18"],
                     "activity": ["In education", "Total"]}, ["leavers_count", "leavers_pct"],
                     lambda i, combo, column: "c" if i == 4 else ("low" if i == 5 else str(10 * i + len(combo[0]))))
    reading = read_ees(path)
    assert not reading.errors
    names = sorted(row["name"] for row in reading.indicators)
    assert len(names) == 8 and "19 to 21 / In education: leavers pct" in names
    commit(fixture_db, [path])
    council = rows(fixture_db, "SELECT organisation_id FROM organisation_aliases WHERE alias_key = '603'")[0][0]
    got = rows(fixture_db, """SELECT b.indicator_name, b.period, b.period_type, b.value, b.value_text, b.england,
                                     b.region, b.of_n, b.quartile_band
                              FROM v_benchmarks b WHERE organisation_id = ? AND indicator_name = ?""",
               [council, "19 to 21 / In education: leavers pct"])
    # The third council (place 4: England and the region come first) is suppressed: 'c' is kept as text, not zero.
    assert got == [("19 to 21 / In education: leavers pct", "202324", "financial_year", None, "c", 8.0, 18.0, 9,
                    None)]
    kinds = dict(rows(fixture_db, "SELECT kind, count(*) FROM organisations GROUP BY 1"))
    assert kinds["country"] == 1 and kinds["region"] == 1 and kinds["local authority"] == 11


def test_a_malformed_file_is_refused_and_the_database_is_byte_for_byte_unchanged(fixture_db, tmp_path):
    bad = tmp_path / "not_published.csv"
    bad.write_text("time_period,geographic_level,number\n2024,National,5\n", encoding="utf-8")
    before = file_sha(fixture_db)
    result = cli(fixture_db, "import-published", str(bad), "--yes")
    assert result.returncode == 1
    assert "not_published.csv" in result.stderr and "time_period, time_identifier, geographic_level" in result.stderr
    assert "was not loaded" in result.stdout
    broken = tmp_path / "bds_long_0.parquet"
    broken.write_bytes(b"PAR1 this is not really parquet")
    result = cli(fixture_db, "import-published", str(broken), "--yes")
    assert result.returncode == 1 and "LAIT's columns" in result.stderr
    assert file_sha(fixture_db) == before
    assert not list(tmp_path.glob("*.staged-*"))


def write_lait(folder: Path) -> tuple[Path, Path, Path]:
    """A LAIT-shaped parquet, dictionary and neighbour workbook for the fictional councils (values 1..11; the
    third council suppressed)."""
    folder.mkdir()
    measures = {"HIGHM": "High", "LOWM": "Low", "NONEM": "-", "NOQ": "High"}
    records = []
    for code in measures:
        for n, (name, number, _) in enumerate(COUNCILS, start=1):
            records.append((code, None, "2024", name, "c" if n == 3 else str(n), float(number), "Nowhere Region"))
        records.append((code, None, "2024", "England", "6", 970.0, "NA"))
        records.append((code, None, "2024", "Nowhere Region", "5.5", 999.0, "NA"))
    con = duckdb.connect()
    con.execute('CREATE TABLE t ("Short Desc" VARCHAR, "Data item" VARCHAR, "Years" VARCHAR, '
                '"LA and Regions" VARCHAR, "Values" VARCHAR, "LA Number" DOUBLE, "Region" VARCHAR)')
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", records)
    con.execute(f"COPY t TO '{folder / 'bds_long_0.parquet'}' (FORMAT parquet)")
    con.close()
    dictionary = folder / "lait_data_dictionary.csv"
    dictionary.write_text("Measure_short,Measure,Topic,Polarity,y_axis_name,Year_Type,dps,No_Quartile\n" + "".join(
        f"{code},{code} measure,Fictional topic,{polarity},%,Calendar Year,1,{'N' if code == 'NOQ' else 'NA'}\n"
        for code, polarity in measures.items()), encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA SN Groups"
    sheet.append(["A", "B"])
    sheet.append([1, 2])
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for i in range(1, 11):
        header += [f"SN{i}", "SNP"]
    sheet.append(header)
    for name, number, _ in COUNCILS:
        others = [other for other in COUNCILS if other[1] != number][:10]
        row = [int(number), name, int(number), 1, "Nowhere Region"]
        for other in others:
            row += [int(other[1]), "Close"]
        sheet.append(row)
    neighbours = folder / "sn_june_2024.xlsx"
    book.save(neighbours)
    return folder / "bds_long_0.parquet", dictionary, neighbours


def test_quartile_band_rank_and_neighbours_follow_lait_rules(fixture_db, tmp_path):
    values, dictionary, neighbours = write_lait(tmp_path / "lait")
    preview = commit(fixture_db, [values], dictionary=dictionary, neighbours=[neighbours])
    assert preview.added["neighbour_models"] == 1
    got = {(code, value): (band, rank, of_n) for code, value, band, rank, of_n in rows(
        fixture_db, "SELECT indicator_code, value, quartile_band, rank, of_n FROM v_benchmarks "
                    "WHERE value IS NOT NULL")}
    present = [float(n) for n in range(1, 12) if n != 3]
    q1, q2, q3 = np.percentile(present, [25, 50, 75])  # R's default (type 7), as LAIT's quantile()
    for value in present:
        low = "A" if value <= q1 else "B" if value <= q2 else "C" if value <= q3 else "D"
        high = {"A": "D", "B": "C", "C": "B", "D": "A"}[low]
        assert got[("LOWM", value)] == (low, sorted(present).index(value) + 1, 10)
        assert got[("HIGHM", value)] == (high, sorted(present, reverse=True).index(value) + 1, 10)
        assert got[("NONEM", value)] == (None, sorted(present).index(value) + 1, 10)  # no polarity: no band
        assert got[("NOQ", value)][0] is None  # the dictionary's No_Quartile
    first = rows(fixture_db, """SELECT england, region, statistical_neighbours, neighbours_with_value, neighbour_model
                                FROM v_benchmarks WHERE organisation_name = 'Fictional Borough Council 1'
                                AND indicator_code = 'HIGHM'""")
    # Neighbours 2..11 without the suppressed third: LAIT's mean of the neighbours that have a value.
    assert first == [(6.0, 5.5, np.mean([2, 4, 5, 6, 7, 8, 9, 10, 11]), 9, "sn_june_2024")]


def test_the_stored_benchmarks_of_some_indicators_are_recomputed_as_the_whole_would_be(fixture_db, tmp_path):
    from dashboard.store.published import refresh_benchmarks
    values, dictionary, neighbours = write_lait(tmp_path / "lait")
    commit(fixture_db, [values], dictionary=dictionary, neighbours=[neighbours])
    table = "SELECT * FROM benchmarks ORDER BY ALL"
    con = connect(fixture_db)
    try:
        # A figure of HIGHM changes (as an officer's upload of it would): only HIGHM's rows are recomputed ...
        con.execute("UPDATE observations SET value_num = 99 WHERE indicator_code = 'HIGHM' AND value_num = 1")
        before = con.execute("SELECT * FROM benchmarks WHERE indicator_code <> 'HIGHM' ORDER BY ALL").fetchall()
        refresh_benchmarks(con, ["HIGHM", "NOT-PUBLISHED"])
        some = con.execute(table).fetchall()
        assert con.execute("SELECT * FROM benchmarks WHERE indicator_code <> 'HIGHM' ORDER BY ALL").fetchall() == \
            before
        assert con.execute("SELECT max(value), min(rank) FILTER (WHERE value = 99) FROM benchmarks "
                           "WHERE indicator_code = 'HIGHM'").fetchall() == [(99.0, 1)]
        # ... and they are what recomputing every indicator gives.
        refresh_benchmarks(con)
        assert con.execute(table).fetchall() == some
    finally:
        con.close()


def test_a_published_import_rolls_back_whole(fixture_db, tmp_path):
    values, dictionary, neighbours = write_lait(tmp_path / "lait")
    tables = ("organisations", "organisation_aliases", "indicators", "indicator_aliases", "observations",
              "neighbour_models", "statistical_neighbours", "measure_updates", "benchmarks")
    before = {table: rows(fixture_db, f"SELECT count(*) FROM {table}")[0][0] for table in tables}
    preview = commit(fixture_db, [values], dictionary=dictionary, neighbours=[neighbours])
    assert rows(fixture_db, "SELECT kind FROM uploads WHERE upload_id = ?", [preview.upload_id]) == [("published",)]
    after_first = {table: rows(fixture_db, f"SELECT count(*) FROM {table}")[0][0] for table in tables}
    # The same files again change nothing.
    again = stage_published(fixture_db, [values], dictionary=dictionary, neighbours=[neighbours], uploaded_by="t")
    assert again.duplicate_of["upload_id"] == preview.upload_id and again.staged is None
    # Next release: one figure revised. It replaces the old one (journalled); rolling back puts it back.
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * REPLACE (CASE WHEN "Short Desc" = 'HIGHM' AND "LA Number" = 601 THEN '1.5'
                                            ELSE "Values" END AS "Values") FROM '{values}')
                    TO '{tmp_path / "revised.parquet"}' (FORMAT parquet)""")
    con.close()
    revised = commit(fixture_db, [tmp_path / "revised.parquet"], dictionary=dictionary)
    assert revised.changes["observations"].counts == (0, 1, 0)
    assert rows(fixture_db, "SELECT value FROM v_benchmarks WHERE indicator_code = 'HIGHM' AND "
                            "organisation_name = 'Fictional Borough Council 1'") == [(1.5,)]
    refresh.roll_back(fixture_db, revised.upload_id, "test")
    assert rows(fixture_db, "SELECT value FROM v_benchmarks WHERE indicator_code = 'HIGHM' AND "
                            "organisation_name = 'Fictional Borough Council 1'") == [(1.0,)]
    assert {table: rows(fixture_db, f"SELECT count(*) FROM {table}")[0][0] for table in tables} == after_first
    refresh.roll_back(fixture_db, preview.upload_id, "test")
    assert {table: rows(fixture_db, f"SELECT count(*) FROM {table}")[0][0] for table in tables} == before


# --- The real files ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The seed database with the shared LAIT files (both neighbour models) and both EES files imported."""
    from dashboard.loading.build import SEED_DIR, build
    db = build(tmp_path_factory.mktemp("national") / "dashboard.duckdb", SEED_DIR)
    lait = SHARED / "lait"
    commit(db, [lait / "bds_long_0.parquet", *sorted((SHARED / "ees").glob("*.csv"))],
           dictionary=lait / "lait_data_dictionary.csv",
           neighbours=[lait / "sn_april_2021.xlsx", lait / "sn_may_2025.xlsx"])
    return db


@needs_shared
def test_herefordshire_2024_foster_care_is_beside_england_and_its_neighbours(national):
    got = rows(national, """SELECT organisation_name, value, england, region_name, region, statistical_neighbours,
                                   neighbours_with_value, quartile_band, rank, of_n, polarity, neighbour_model
                            FROM v_benchmarks WHERE organisation_id = 'herefordshire-council'
                            AND indicator_code = 'LAC_Foster_Placements' AND period = '2024'""")
    # The neighbours' mean worked out here from the published files themselves, not from the view's SQL.
    con = duckdb.connect()
    published = dict(con.execute(f"""SELECT CAST("LA Number" AS INTEGER), TRY_CAST("Values" AS DOUBLE)
        FROM '{SHARED / "lait" / "bds_long_0.parquet"}'
        WHERE "Short Desc" = 'LAC_Foster_Placements' AND "Years" = '2024'""").fetchall())
    sheet = openpyxl.load_workbook(SHARED / "lait" / "sn_may_2025.xlsx", read_only=True)["LA SN Groups"]
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == 884)
    neighbour_values = [published[int(row[i])] for i in range(5, 25, 2) if published.get(int(row[i])) is not None]
    assert got == [("Herefordshire Council", 71.0, published[970], "West Midlands", published[984],
                    pytest.approx(sum(neighbour_values) / len(neighbour_values)), len(neighbour_values),
                    got[0][7], got[0][8], got[0][9], "higher", "sn_may_2025")]
    assert got[0][7] in "ABCD" and got[0][9] > 140


@needs_shared
def test_seed_councils_are_matched_not_duplicated(national):
    assert rows(national, "SELECT organisation_id FROM organisations WHERE la_number IN ('884', '919') "
                          "ORDER BY 1") == [("herefordshire-council",), ("hertfordshire-cc",)]
    spellings = {alias for (alias,) in rows(national, "SELECT alias FROM organisation_aliases "
                                                      "WHERE organisation_id = 'herefordshire-council'")}
    assert {"Herefordshire", "Herefordshire, County of", "884", "E06000019"} <= spellings
    assert rows(national, "SELECT count(*) FROM organisations WHERE kind = 'region'") == [(9,)]
    assert rows(national, "SELECT count(*) FROM neighbour_models") == [(2,)]


@needs_shared
def test_real_markers_and_periods_are_kept(national):
    # LAIT writes '-' for a figure not available: text, never zero.
    assert rows(national, "SELECT count(*) FROM observations o JOIN indicators i USING (indicator_code) "
                          "WHERE i.family = 'LAIT' AND o.value_written = '-' AND o.value_num IS NOT NULL") == [(0,)]
    assert rows(national, "SELECT count(*) > 0 FROM observations WHERE period_text = '2013/14-15/16' AND "
                          "period_type = 'range'") == [(True,)]
    assert rows(national, "SELECT bool_and(is_revised) FROM observations WHERE period_text LIKE '%(Rev)'") == [(True,)]
    # A bare year of a financial-year measure is the year to 31 March (children who started to be looked after).
    assert rows(national, "SELECT DISTINCT period_type, period_start, period_end FROM observations WHERE "
                          "indicator_code = 'LACnum_Start' AND period_text = '2025'") == \
        [("financial_year", date(2024, 4, 1), date(2025, 3, 31))]
    # DfE's own date of each measure, from the dictionary's Last Update (Excel serial 45809).
    assert rows(national, "SELECT updated FROM measure_updates WHERE indicator_code = 'InfMort'") == \
        [(date(2025, 6, 1),)]
    # EES placement stability: Herefordshire's percentage of children two years with the same carer.
    assert rows(national, """SELECT value FROM v_benchmarks WHERE organisation_id = 'herefordshire-council'
                             AND source = 'EES' AND period = '2024' AND indicator_name LIKE
                             '%/ Living with the same carer for at least 2 years: percentage'""") == [(71.0,)]


# --- The data shipped under data/published: tested whatever the machine has ----------------------------------------

def test_the_default_build_shows_herefordshire_beside_england_and_its_neighbours(tmp_path):
    """`python -m dashboard build` (as `make run` does) imports data/published; the done-when row is there."""
    db = tmp_path / "dashboard.duckdb"
    result = cli(db, "build")
    assert result.returncode == 0, result.stderr
    got = rows(db, """SELECT organisation_name, value, england, region, statistical_neighbours, neighbours_with_value,
                             quartile_band, rank, of_n, neighbour_model, source
                      FROM v_benchmarks WHERE organisation_id = 'herefordshire-council'
                      AND indicator_code = 'LAC_Foster_Placements' AND period = '2024'""")
    assert len(got) == 1
    name, value, england, region, neighbours, with_value, band, rank, of_n, model, source = got[0]
    assert (name, value, england, region, model, source) == ("Herefordshire Council", 71.0, 67.0, 68.0,
                                                              "sn_may_2025", "LAIT")
    assert neighbours is not None and with_value == 10 and band in "ABCD" and 0 < rank <= of_n
    # Hertfordshire too, and the load is embedded data (rebuilt with the seed, not an officer's upload).
    assert rows(db, "SELECT value FROM v_benchmarks WHERE organisation_id = 'hertfordshire-cc' AND "
                    "indicator_code = 'LAC_Foster_Placements' AND period = '2024'") == [(64.0,)]
    assert rows(db, "SELECT count(*) FROM uploads WHERE kind <> 'seed'") == [(0,)]
    note = rows(db, "SELECT note FROM uploads WHERE file_name LIKE '%bds_long_0.parquet%'")[0][0]
    assert "Open Government Licence v3.0" in note and "LAIT" in note


def test_a_mapping_file_renames_a_series_gives_its_polarity_and_aliases_it(fixture_db, tmp_path):
    path = write_ees(tmp_path / "fictional_outcomes.csv", {"outcome": ["Stable", "Total"]}, ["pct"],
                     lambda i, combo, column: str(i))
    generated = next(row["indicator_code"] for row in read_ees(path).indicators if row["name"] == "Stable: pct")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(f"series,code,name,polarity,alias\n{generated},FIC-STABLE,Stable placements (%),higher,"
                       "FIC STABLE OLD\nEES nothing 00000000,,,lower,\n", encoding="utf-8")
    preview = commit(fixture_db, [path], mapping=mapping)
    assert [str(p) for p in preview.warnings] == ["mapping.csv, Row 3, column 'series' ('EES nothing 00000000'): "
                                                  "no file of this import has this series; the row changes nothing."]
    got = rows(fixture_db, "SELECT indicator_name, polarity, rank, of_n, quartile_band FROM v_benchmarks "
                           "WHERE indicator_code = 'FIC-STABLE' AND value = 2")
    assert got == [("Stable placements (%)", "higher", 11, 11, "D")]  # the lowest of 2..12 when higher is better
    aliases = dict(rows(fixture_db, "SELECT alias, indicator_code FROM indicator_aliases WHERE indicator_code = "
                                    "'FIC-STABLE'"))
    assert aliases == {"FIC-STABLE": "FIC-STABLE", generated: "FIC-STABLE", "FIC STABLE OLD": "FIC-STABLE"}


def test_an_area_with_no_name_or_known_code_is_left_out_with_a_warning(fixture_db, tmp_path):
    path = tmp_path / "fictional.csv"
    path.write_text("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                    "old_la_code,la_name,new_la_code,number\n"
                    "2024,Reporting year,Local authority,E92000001,England,,,,Fictional Borough Council,,5\n"
                    "2024,Reporting year,Local authority,E92000001,England,,,,,,7\n", encoding="utf-8")
    preview = stage_published(fixture_db, [path], uploaded_by="test")
    try:
        assert [(p.row, p.severity) for p in preview.problems] == [(3, "warning")]
        assert "no name and no code" in preview.problems[0].message
        assert preview.changes["observations"].counts == (1, 0, 0)
    finally:
        refresh.discard(preview)


def test_a_repeated_figure_keeps_the_first_with_a_warning(fixture_db, tmp_path):
    path = tmp_path / "fictional.csv"
    path.write_text("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                    "old_la_code,la_name,new_la_code,number\n"
                    "2024,Reporting year,Local authority,E92000001,England,,,601,Fictional Borough Council,,5\n"
                    "2024,Reporting year,Local authority,E92000001,England,,,602,Fictional Borough Council 2,,6\n"
                    "2024,Reporting year,Local authority,E92000001,England,,,601,Fictional Borough Council,,7\n",
                    encoding="utf-8")
    preview = commit(fixture_db, [path])
    assert [(p.row, p.severity, "repeat" in p.message) for p in preview.problems] == [(4, "warning", True)]
    assert rows(fixture_db, "SELECT value, upload_row FROM v_benchmarks WHERE organisation_name = "
                            "'Fictional Borough Council'") == [(5.0, 2)]


def test_the_council_picker_lists_councils_with_a_plan_first_and_no_comparator_areas(fixture_db, tmp_path):
    from dashboard.store import queries

    commit(fixture_db, [write_ees(tmp_path / "fictional.csv", {}, ["number"], lambda i, combo, column: str(i))])
    con = connect(fixture_db, read_only=True)
    try:
        picked = queries.organisations(con)["name"].tolist()
    finally:
        con.close()
    assert picked[0] == "Nowhere Borough Council (fictional)"  # the council the dashboard is set up for: the default
    assert picked[1:] == sorted(name for name, _, _ in COUNCILS)
    assert "England" not in picked and "Nowhere Region" not in picked
