"""Turn published figures (the common long form) into observation rows: organisations recognised, periods parsed,
numbers read; a suppression or 'not available' marker is kept as text, never as zero."""
from __future__ import annotations

import pyarrow as pa

from dashboard.importer.problems import Problem
from dashboard.parsing.periods import PeriodError, parse_published_period
from dashboard.published.organisations import Organisations
from dashboard.published.reading import Reading, memory

LEVEL_ORDER = {"country": 0, "region": 1, "area group": 2, "local authority": 3}  # regions before their LAs
TAG_NOTES = {"ot": "outturn", "final": "final"}
_PERIODS = pa.schema([("period", pa.string()), ("hint", pa.string()), ("period_type", pa.string()),
                      ("period_start", pa.date32()), ("period_end", pa.date32()), ("is_revised", pa.bool_()),
                      ("is_provisional", pa.bool_()), ("note", pa.string())])
_AREAS = pa.schema([("file", pa.int32()), ("area", pa.string()), ("code", pa.string()), ("ons_code", pa.string()),
                    ("level", pa.string()), ("row", pa.int64()), ("organisation_id", pa.string())])


def observations(readings: list[Reading], known: Organisations) -> tuple[pa.Table, list[Problem]]:
    """Every reading's figures as observation rows (measure 'actual', upload_row the file's row); problems name
    the rows left out (a period that is not one, a repeated figure)."""
    problems: list[Problem] = []
    con = memory()
    try:
        parts = [reading.values.append_column("file", pa.array([i] * reading.values.num_rows, pa.int32()))
                 for i, reading in enumerate(readings) if reading.values is not None]
        con.register("incoming", pa.concat_tables(parts))
        areas = _areas(con, known)
        con.register("areas", areas)
        unnamed = areas.filter(pa.compute.is_null(areas["organisation_id"]))
        if unnamed.num_rows:  # no name and no code that matches: nothing says whose figures these are
            first = unnamed.slice(0, 1).to_pylist()[0]
            problems.append(Problem(first["row"], None, None, f"{unnamed.num_rows:,} area(s) have no name and no code "
                                    "this dashboard knows; their figures are left out.", "warning",
                                    readings[first["file"]].file_name))
        con.register("periods", _periods(con, readings, problems))
        table = con.sql("""
            WITH joined AS (
                SELECT i.file, i.row, i.indicator_code, a.organisation_id, i.period AS period_text, p.period_type,
                       p.period_start, p.period_end, i.value AS value_written,
                       TRY_CAST(replace(i.value, ',', '') AS DOUBLE) AS value_num, p.is_revised, p.is_provisional,
                       p.note
                FROM incoming i
                JOIN areas a ON a.file = i.file AND a.area IS NOT DISTINCT FROM i.area
                            AND a.code IS NOT DISTINCT FROM i.code AND a.ons_code IS NOT DISTINCT FROM i.ons_code
                            AND a.level = i.level
                JOIN periods p ON p.period = i.period AND p.hint IS NOT DISTINCT FROM i.hint
                WHERE i.value IS NOT NULL AND i.value <> '' AND a.organisation_id IS NOT NULL
            ), keyed AS (
                SELECT *, hash(indicator_code, organisation_id, period_type, period_start, period_end) AS h
                FROM joined
            ), repeats AS (  -- a second figure for the same measure, area and period: the first is used. Found
                -- among the rows whose key's hash repeats (an integer group, far cheaper than grouping every row
                -- by five text and date columns), then checked on the keys themselves
                SELECT indicator_code, organisation_id, period_type, period_start, period_end, min((file, row)) AS first
                FROM keyed WHERE h IN (SELECT h FROM keyed GROUP BY h HAVING count(*) > 1)
                GROUP BY ALL HAVING count(*) > 1
            )
            SELECT j.indicator_code, j.organisation_id, j.period_text, j.period_type, j.period_start, j.period_end,
                   'actual' AS measure, CAST(NULL AS VARCHAR) AS comparator_group, j.value_num,
                   CASE WHEN j.value_num IS NULL THEN j.value_written END AS value_text, j.value_written,
                   j.is_provisional, j.is_revised, false AS is_estimate, false AS is_conflict, j.note,
                   CAST(j.row AS INTEGER) AS upload_row, j.file,
                   CASE WHEN r.first IS NULL OR r.first = (j.file, j.row) THEN 1 ELSE 2 END AS nth
            FROM keyed j LEFT JOIN repeats r USING (indicator_code, organisation_id, period_type, period_start,
                                                     period_end)""").to_arrow_table()
    finally:
        con.close()
    repeats = table.filter(pa.compute.greater(table["nth"], 1))
    if repeats.num_rows:
        first = repeats.slice(0, 1).to_pylist()[0]
        problems.append(Problem(first["upload_row"], None, first["indicator_code"], f"{repeats.num_rows:,} figure(s) "
                                "repeat one already given for the same measure, area and period (the first is "
                                "used).", "warning", readings[first["file"]].file_name))
    kept = (table.filter(pa.compute.equal(table["nth"], 1)) if repeats.num_rows else table).drop_columns(["file", "nth"])
    return kept.append_column("_remove", pa.array([False] * kept.num_rows, pa.bool_())), problems


def _areas(con, known: Organisations) -> pa.Table:
    rows = con.execute("SELECT file, area, code, ons_code, level, any_value(region), min(row) FROM incoming "
                       "GROUP BY ALL").fetchall()
    rows.sort(key=lambda r: (LEVEL_ORDER.get(r[4], 9), r[6]))
    ids = [known.resolve(area, code, ons, level, region, row) for _, area, code, ons, level, region, row in rows]
    columns = [pa.array([r[i] for r in rows], _AREAS.field(i).type) for i in range(5)]
    return pa.table(columns + [pa.array([r[6] for r in rows], pa.int64()), pa.array(ids, pa.string())],
                    schema=_AREAS)


def _periods(con, readings: list[Reading], problems: list[Problem]) -> pa.Table:
    out = {name: [] for name in _PERIODS.names}
    for period, hint, file, row, count in con.execute(
            "SELECT period, hint, min(file), min(row), count(*) FROM incoming WHERE period IS NOT NULL GROUP BY ALL "
            "ORDER BY 3, 4").fetchall():
        try:
            parsed = parse_published_period(period, hint)
        except PeriodError as error:
            problems.append(Problem(row, "period", period, f"{error}; {count:,} figure(s) with this period are left "
                                    "out.", "warning", readings[file].file_name))
            continue
        note = TAG_NOTES.get((parsed.tag or "").lower(), parsed.tag) if parsed.tag and not parsed.flags else None
        for name, value in (("period", period), ("hint", hint), ("period_type", parsed.period.type),
                            ("period_start", parsed.period.start), ("period_end", parsed.period.end),
                            ("is_revised", "revised" in parsed.flags),
                            ("is_provisional", "provisional" in parsed.flags), ("note", note)):
            out[name].append(value)
    return pa.table(out, schema=_PERIODS)
