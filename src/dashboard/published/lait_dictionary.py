"""Read LAIT's data dictionary: one indicator definition per measure (name, unit, polarity, year type, decimals)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from dashboard.importer.problems import Problem
from dashboard.parsing.periods import year_type
from dashboard.published.reading import memory, missing_columns, sql_string

REQUIRED = ("Measure_short", "Measure", "Polarity")
POLARITIES = {"high": "higher", "low": "lower"}  # anything else ('-', 'NA', blank) is no polarity: never a guess
_OWNER = "Data Owner (DO) /Supplier and Contact Details"


def read_dictionary(path: Path) -> tuple[dict[str, dict], list[Problem]]:
    """Indicator rows (family LAIT) keyed by the measure's short code, and problems (a repeated code keeps its first
    row, with a warning)."""
    name = path.name
    con = memory()
    try:
        try:
            relation = con.sql(f"SELECT * FROM read_csv({sql_string(path)}, all_varchar = true, header = true)")
            columns, rows = relation.columns, relation.fetchall()
        except Exception as error:  # duckdb.Error or an OS error: the file is not a readable CSV
            return {}, [Problem(None, None, None, f"The data dictionary could not be read as a CSV file ({error}).",
                                file=name)]
    finally:
        con.close()
    missing = missing_columns(columns, REQUIRED)
    if missing:
        return {}, [Problem(1, None, None, f"This is not LAIT's data dictionary: it has no column(s) "
                            f"{', '.join(missing)}.", file=name)]
    index = {column.strip().casefold(): position for position, column in enumerate(columns)}

    def cell(row: tuple, column: str) -> str | None:
        """A cell's text with spaces collapsed; None when blank, 'NA' or '-' (the dictionary's 'none')."""
        position = index.get(column.casefold())
        value = None if position is None else row[position]
        value = None if value is None else " ".join(str(value).split())
        return None if value in (None, "", "NA", "-") else value

    indicators: dict[str, dict] = {}
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        code = cell(row, "Measure_short")
        if code is None:
            problems.append(Problem(number, "Measure_short", None, "no measure code; this row is left out.",
                                    "warning", name))
            continue
        if code in indicators:
            problems.append(Problem(number, "Measure_short", code, f"repeats the measure of row "
                                    f"{indicators[code]['upload_row']}; the first is used.", "warning", name))
            continue
        decimals = cell(row, "dps")
        indicators[code] = {
            "indicator_code": code, "name": cell(row, "Measure") or cell(row, "Chart_title") or code,
            "unit": cell(row, "y_axis_name") or "as published",
            "polarity": POLARITIES.get((cell(row, "Polarity") or "").lower(), "none"),
            "polarity_basis": "definition", "family": "LAIT",
            "year_type": cell(row, "Year_Type"), "decimals": int(decimals) if decimals and decimals.isdigit() else None,
            "description": cell(row, "Description") or cell(row, "Chart_title"), "owner": cell(row, _OWNER),
            "topic": cell(row, "Topic"), "no_quartile": cell(row, "No_Quartile") is not None,  # flagged ('N') or NA
            "upload_row": number,
            "updated": excel_date(cell(row, "Last Update")), "next_update": excel_date(cell(row, "Next Update")),
        }
    return indicators, problems


def excel_date(text: str | None) -> date | None:
    """A date the dictionary writes as an Excel serial number ('45962' is 1 November 2025); None when blank or not
    a plausible serial."""
    try:
        serial = float(text) if text else None
    except ValueError:
        return None
    if serial is None or not 18264 <= serial <= 73415:  # 1950 to 2100, the plausible years of any date here
        return None
    return date(1899, 12, 30) + timedelta(days=int(serial))


def period_hint(indicator: dict) -> str | None:
    """The period type the indicator's year type makes a split year such as 2015-16."""
    return year_type(indicator.get("year_type"))
