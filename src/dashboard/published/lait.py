"""Read LAIT's national dataset (bds_long_0.parquet: one published value per row) with its data dictionary."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dashboard.importer.problems import Problem
from dashboard.published.lait_dictionary import period_hint, read_dictionary
from dashboard.published.reading import PUBLISHER, Reading, memory, missing_columns, sql_string

REQUIRED = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
SOURCE = f"{PUBLISHER}, Local Authority Interactive Tool (LAIT)"
# LAIT gives London boroughs the region 'Inner London' or 'Outer London'; the region organisation is London
# (LAIT's own 'London (Inner)' and 'London (Outer)' rows are groupings, kept as such).
REGION_OF = {"inner london": "London", "outer london": "London"}


def looks_like_lait(columns: list[str]) -> bool:
    """True for a file with LAIT's columns."""
    return not missing_columns(columns, REQUIRED)


def parquet_columns(path: Path) -> list[str] | None:
    """A Parquet file's column names, or None when it is not a readable Parquet file."""
    con = memory()
    try:
        return con.sql(f"SELECT * FROM read_parquet({sql_string(path)}) LIMIT 0").columns
    except Exception:  # not Parquet, or unreadable: the caller says so in words
        return None
    finally:
        con.close()


def read_lait(path: Path, dictionary: Path | None) -> Reading:
    """LAIT's values in the common long form, each with its measure's period type from the dictionary; indicators
    for every measure (the dictionary's definition, or its code and 'Data item' name when the dictionary lacks it,
    with a warning)."""
    reading = Reading(path.name, SOURCE)
    columns = parquet_columns(path)
    if columns is None:
        return reading.refuse("This file could not be read as a Parquet file; LAIT's national dataset is "
                              "bds_long_0.parquet.")
    missing = missing_columns(columns, REQUIRED)
    if missing:
        return reading.refuse(f"This is not LAIT's national dataset: it has no column(s) {', '.join(missing)}.")
    definitions: dict[str, dict] = {}
    if dictionary is not None:
        definitions, problems = read_dictionary(dictionary)
        reading.problems.extend(problems)
        if any(p.severity == "error" for p in problems):
            return reading
    con = memory()
    try:
        region = ('CASE WHEN "Region" IS NULL OR trim("Region") IN (\'\', \'NA\') THEN NULL ELSE trim("Region") END'
                  if "Region" in columns else "CAST(NULL AS VARCHAR)")
        source = f"read_parquet({sql_string(path)}, file_row_number = true)"
        # One pass for the figures (no intermediate table, no sort: a row keeps its file row number); the region
        # names come first from a scan of one column.
        regions = {REGION_OF.get(name.casefold(), name) for (name,) in con.execute(
            f"SELECT DISTINCT {region} FROM {source} WHERE {region} IS NOT NULL").fetchall()}
        con.register("region_names", pa.table({"name": sorted(name.lower() for name in regions)}))
        con.register("region_of", pa.table({"written": list(REGION_OF), "name": list(REGION_OF.values())}))
        hints = {code: period_hint(row) for code, row in definitions.items()}
        con.register("hints", pa.table({"indicator_code": list(hints), "hint": list(hints.values())},
                                       schema=pa.schema([("indicator_code", pa.string()), ("hint", pa.string())])))
        reading.values = con.sql(f"""
            WITH lait AS (
                SELECT file_row_number + 1 AS row, trim("Short Desc") AS indicator_code,
                       trim("LA and Regions") AS area, CAST(TRY_CAST("LA Number" AS BIGINT) AS VARCHAR) AS code,
                       {region} AS region, trim(CAST("Years" AS VARCHAR)) AS period,
                       trim(CAST("Values" AS VARCHAR)) AS value
                FROM {source})
            SELECT l.row, l.indicator_code, l.area, l.code, CAST(NULL AS VARCHAR) AS ons_code,
                   CASE WHEN l.region IS NOT NULL THEN 'local authority'
                        WHEN lower(l.area) = 'england' THEN 'country'
                        WHEN lower(l.area) IN (SELECT name FROM region_names) THEN 'region'
                        ELSE 'area group' END AS level,
                   coalesce(r.name, l.region) AS region, l.period, h.hint, l.value
            FROM lait l LEFT JOIN region_of r ON lower(l.region) = r.written
            LEFT JOIN hints h USING (indicator_code)
            WHERE l.indicator_code IS NOT NULL AND l.indicator_code <> \'\'""").to_arrow_table()
        item = 'trim("Data item")' if "Data item" in columns else "CAST(NULL AS VARCHAR)"
        unnamed = con.execute(f"""
            SELECT trim("Short Desc"), any_value({item}) FILTER (WHERE {item} IS NOT NULL), min(file_row_number) + 1
            FROM {source} WHERE trim("Short Desc") NOT IN (SELECT indicator_code FROM hints)
              AND trim("Short Desc") <> ''
            GROUP BY 1 ORDER BY 3""").fetchall()
    finally:
        con.close()
    reading.indicators = list(definitions.values())
    for code, item, first_row in unnamed:
        reading.indicators.append({"indicator_code": code, "name": item or code, "unit": "as published",
                                   "polarity": "none", "polarity_basis": "definition", "family": "LAIT",
                                   "upload_row": None})
        if dictionary is not None:
            reading.problems.append(Problem(first_row, "Short Desc", code, "this measure is not in the data "
                                            "dictionary; it is loaded with no polarity, unit or year type.",
                                            "warning", path.name))
    return reading
