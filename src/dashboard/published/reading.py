"""The one shape every published file is read into: values in long form, indicator definitions and problems."""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from dashboard.importer.problems import Problem

# One row per published figure. row: the file's row (a CSV's line as a spreadsheet numbers it, the header being 1;
# a Parquet file's row counting from 1). level: country, region, local authority or area group (other groupings
# such as 'London (Inner)'). code: the old LA number (or the publisher's number for England and regions);
# hint: the period type a split year is (academic_year, financial_year, calendar_year) or NULL.
VALUE_COLUMNS = ("row", "indicator_code", "area", "code", "ons_code", "level", "region", "period", "hint", "value")
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"
PUBLISHER = "Department for Education"


@dataclass
class Reading:
    """What one published file (or a LAIT values file with its dictionary) holds."""

    file_name: str
    source: str                                   # "Department for Education, LAIT"
    values: pa.Table | None = None                # VALUE_COLUMNS
    indicators: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse the file."""
        return [p for p in self.problems if p.severity == "error"]

    def refuse(self, message: str, column: str | None = None) -> Reading:
        """Add a file-wide error (nothing of the file will be loaded) and return self."""
        self.problems.append(Problem(None, column, None, message, file=self.file_name))
        return self


def memory() -> duckdb.DuckDBPyConnection:
    """A scratch DuckDB connection for reading files (never the dashboard's database)."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    return con


def missing_columns(found: list[str], required: tuple[str, ...]) -> list[str]:
    """The required columns a header lacks (compared without case or surrounding spaces)."""
    have = {name.strip().casefold() for name in found}
    return [name for name in required if name.casefold() not in have]


def sql_string(text: str) -> str:
    """A value quoted for SQL text (file paths in read_* calls, which take no parameters in every position)."""
    return "'" + str(text).replace("'", "''") + "'"
