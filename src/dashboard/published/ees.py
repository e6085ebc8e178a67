"""Read any Explore Education Statistics (EES) tidy CSV: one series per combination of filter values and indicator
column, named from the file's own labels.

EES files have no machine-readable list of which columns are filters and which are indicators (the data guidance
says so in prose), so the rule is inferred from the values: the standard time and geography columns are known by
name; of the other columns, one whose every filled cell is a number or a suppression marker (`c`, `x`, `z`,
`low`, `:` ...) is an indicator column, and any other (text) column is a filter column.
A series' code is 'EES <indicator column> <8 hex digits>' (a checksum of the indicator column and every filter
column with its value, so the same series in next year's file gets the same code); its name is the filter values
joined by ' / ', then the indicator column in words."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from dashboard.importer.problems import Problem
from dashboard.parsing.periods import year_type
from dashboard.published.reading import PUBLISHER, Reading, memory, missing_columns, sql_string

REQUIRED = ("time_period", "time_identifier", "geographic_level")
# EES's standard time and geography columns (the format's documented set); every other column is a filter or an
# indicator.
STANDARD = frozenset({
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "lad_code", "lad_name", "pcon_code", "pcon_name",
    "lsip_code", "lsip_name", "local_enterprise_partnership_code", "local_enterprise_partnership_name",
    "english_devolved_area_code", "english_devolved_area_name", "opportunity_area_code", "opportunity_area_name",
    "ward_code", "ward_name", "rsc_region_lead_name", "mayoral_combined_authority_code",
    "mayoral_combined_authority_name", "police_force_area_code", "police_force_area_name", "planning_area_code",
    "planning_area_name", "school_urn", "school_laestab", "school_name", "school_postcode", "trust_id",
    "trust_name", "sponsor_id", "sponsor_name", "provider_ukprn", "provider_name", "institution_id",
    "institution_name", "la_code",
})
# Codes EES (and DfE generally) write for a figure that is suppressed, not applicable or not available.
MARKERS = ("c", "x", "z", "u", "k", "w", "low", ":", "..", "~", "-", "*", "n/a", "na", "supp", "dns", "ne", "b")
LEVELS = {"national": "country", "regional": "region", "local authority": "local authority"}
SOURCE = f"{PUBLISHER}, Explore Education Statistics"


def looks_like_ees(columns: list[str]) -> bool:
    """True for a CSV with EES's tidy time and geography columns."""
    return not missing_columns(columns, REQUIRED)


def number_sql(column: str) -> str:
    """SQL reading a written figure ('1,234', ' 71 ') as a number, NULL when it is not one."""
    return f"TRY_CAST(replace(trim({column}), ',', '') AS DOUBLE)"


def marker_list() -> str:
    """The suppression markers as an SQL list."""
    return "[" + ", ".join(sql_string(marker) for marker in MARKERS) + "]"


def humanise(column: str) -> str:
    """A column name in words: 'rate_per_10000' -> 'rate per 10000'."""
    return " ".join(column.replace("_", " ").split())


def series_code(indicator: str, filters: list[tuple[str, str | None]]) -> str:
    """The code of the series of one indicator column and one combination of filter values."""
    key = "\x1f".join([indicator] + [f"{column}={value or ''}" for column, value in sorted(filters)])
    return f"EES {indicator} {hashlib.sha1(key.encode()).hexdigest()[:8]}"


def read_ees(path: Path) -> Reading:
    """The file's figures in the common long form and one indicator per series (family EES, no polarity: a
    mapping file may give one)."""
    reading = Reading(path.name, SOURCE)
    con = memory()
    try:
        try:
            con.execute(f"CREATE TABLE raw AS SELECT row_number() OVER () + 1 AS _row, * FROM "
                        f"read_csv({sql_string(path)}, all_varchar = true, header = true)")
        except Exception as error:  # not a CSV DuckDB can read: said in words, nothing loaded
            return reading.refuse(f"This file could not be read as a CSV file ({str(error).splitlines()[0]}).")
        columns = [c for c in con.table("raw").columns if c != "_row"]
        missing = missing_columns(columns, REQUIRED)
        if missing:
            return reading.refuse("This is not an Explore Education Statistics tidy CSV: it has no column(s) "
                                  f"{', '.join(missing)}.")
        lower = {column.casefold(): column for column in columns}
        others = [column for column in columns if column.casefold() not in STANDARD]
        indicators, filters = _classify(con, others)
        if not indicators:
            return reading.refuse("This file has no indicator column: no column outside the time and geography "
                                  "columns holds only numbers and suppression markers (c, x, z, low, :).")
        geography = _geography(lower)
        skipped = con.execute("""SELECT count(*), string_agg(DISTINCT geographic_level, ', ') FROM raw
                                  WHERE lower(trim(geographic_level)) NOT IN ('national', 'regional',
                                  'local authority')""").fetchall()[0]
        if skipped[0]:
            reading.problems.append(Problem(None, "geographic_level", skipped[1], f"{skipped[0]:,} row(s) are at a "
                                            "level other than national, regional or local authority; they are "
                                            "left out.", "warning", path.name))
        filter_sql = ", ".join(_q(column) for column in filters)
        con.execute(f"""
            CREATE TABLE long AS
            SELECT _row, {geography}, trim(time_period) AS period, trim(time_identifier) AS identifier,
                   {filter_sql + ',' if filters else ''} indicator, trim(value) AS value
            FROM raw UNPIVOT (value FOR indicator IN ({', '.join(_q(c) for c in indicators)}))
            WHERE lower(trim(geographic_level)) IN ('national', 'regional', 'local authority')
              AND value IS NOT NULL AND trim(value) <> ''""")
        combos = con.execute(f"SELECT DISTINCT indicator{', ' + filter_sql if filters else ''} FROM long "
                             "ORDER BY ALL").fetchall()
        codes, names = [], []
        keys: dict[str, list] = {"indicator": []} | {column: [] for column in filters}
        for combo in combos:
            indicator, values = combo[0], list(combo[1:])
            code = series_code(indicator, list(zip(filters, values)))
            labels = [value for value in values if value]
            codes.append(code)
            names.append((" / ".join(labels) + ": " if labels else f"{humanise(path.stem)}: ") + humanise(indicator))
            keys["indicator"].append(indicator)
            for column, value in zip(filters, values):
                keys[column].append(value)
        con.register("series", pa.table(keys | {"indicator_code": codes}))
        hints = con.execute("SELECT DISTINCT identifier FROM long").fetchall()
        con.register("hints", pa.table({"identifier": [h for (h,) in hints],
                                        "hint": [year_type(h) for (h,) in hints]},
                                       schema=pa.schema([("identifier", pa.string()), ("hint", pa.string())])))
        join = " AND ".join(f"s.{_q(column)} IS NOT DISTINCT FROM l.{_q(column)}" for column in ["indicator"] + filters)
        reading.values = con.sql(f"""
            SELECT l._row AS row, s.indicator_code, l.area, l.code, l.ons_code, l.level, l.region, l.period,
                   h.hint, l.value
            FROM long l JOIN series s ON {join} LEFT JOIN hints h USING (identifier)
            ORDER BY l._row, s.indicator_code""").to_arrow_table()
        year_types = dict(con.execute("SELECT s.indicator_code, any_value(l.identifier) FROM long l JOIN series s "
                                      f"ON {join} GROUP BY 1").fetchall())
    finally:
        con.close()
    reading.indicators = [{"indicator_code": code, "name": name, "unit": indicator, "polarity": "none",
                           "polarity_basis": "definition", "family": "EES", "year_type": year_types.get(code),
                           "topic": humanise(path.stem), "description": f"From {path.name}", "upload_row": None}
                          for code, name, indicator in zip(codes, names, keys["indicator"])]
    return reading


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _classify(con, columns: list[str]) -> tuple[list[str], list[str]]:
    """Split the non-standard columns into indicator columns (numbers and markers only) and filter columns."""
    if not columns:
        return [], []
    checks = ", ".join(
        f"count(*) FILTER (WHERE {_q(c)} IS NOT NULL AND trim({_q(c)}) <> '' AND {number_sql(_q(c))} IS NULL "
        f"AND NOT list_contains({marker_list()}, lower(trim({_q(c)})))) AS t{i}, "
        f"count({number_sql(_q(c))}) AS n{i}"
        for i, c in enumerate(columns))
    row = con.execute(f"SELECT {checks} FROM raw").fetchall()[0]
    indicators = [c for i, c in enumerate(columns) if row[2 * i] == 0 and row[2 * i + 1] > 0]
    return indicators, [c for c in columns if c not in indicators]


def _geography(lower: dict[str, str]) -> str:
    """SQL for the common geography columns from EES's, whichever of the optional ones the file has."""
    def col(name: str) -> str:
        """The column's trimmed text (NULL when blank), or NULL where the file has no such column."""
        return f"nullif(trim({_q(lower[name])}), '')" if name in lower else "CAST(NULL AS VARCHAR)"
    level = "lower(trim(geographic_level))"
    return (f"CASE {level} WHEN 'national' THEN coalesce({col('country_name')}, 'England') "
            f"WHEN 'regional' THEN {col('region_name')} ELSE {col('la_name')} END AS area, "
            f"CASE WHEN {level} = 'local authority' THEN {col('old_la_code')} END AS code, "
            f"CASE {level} WHEN 'national' THEN {col('country_code')} WHEN 'regional' THEN {col('region_code')} "
            f"ELSE {col('new_la_code')} END AS ons_code, "
            f"CASE {level} WHEN 'national' THEN 'country' WHEN 'regional' THEN 'region' "
            f"ELSE 'local authority' END AS level, "
            f"CASE WHEN {level} = 'local authority' THEN {col('region_name')} END AS region")
