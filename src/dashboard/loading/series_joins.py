"""Series that continue: a document's indicator joined to the published measure that is the same measure
(data/seed/series_joins.csv, evidence in docs/series-continuity.md), so its trend runs from the document's years to
DfE's latest, with the change of definition marked."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard.paths import SEED_DIR

JOINS_FILE = SEED_DIR / "series_joins.csv"
CHANGE_LABEL = "Definition changes: DfE's published figure from here"
DOCUMENT_WORDS = "The council's own figure, as its document reports it"


@dataclass(frozen=True)
class Join:
    """One pairing: the document's indicator, the published measure that continues it, and the change in words."""

    indicator_code: str
    published_code: str
    definition: str


@cache
def joins(path: Path = JOINS_FILE) -> dict[str, Join]:
    """Every pairing, by the document's indicator code (none when the file is absent)."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["indicator_code"]: Join(row["indicator_code"], row["published_code"], row["definition"])
                for row in csv.DictReader(handle)}


def for_indicator(code: str) -> Join | None:
    """The pairing that continues this indicator, if any."""
    return joins().get(code)


def joined(series: pd.DataFrame, published: pd.DataFrame, join: Join) -> pd.DataFrame:
    """The document's series (queries.indicator_series) followed by the published measure's actual figures for the
    same council, each row with the definition it was counted under (column `definition`). Published periods the
    document already reports are left to the document, so no period has two actuals from two definitions."""
    own = series.assign(definition=DOCUMENT_WORDS)
    actuals = published[published["measure"] == "actual"]
    covered = set(zip(own.loc[own["measure"] == "actual", "period_end"], strict=False)) if not own.empty else set()
    later = actuals[[(end,) not in covered for end in actuals["period_end"]]]
    later = later.assign(definition=join.definition, values_for_period=1)  # its source: the upload and row
    if later.empty:
        return own
    out = pd.concat([own, later], ignore_index=True) if not own.empty else later.reset_index(drop=True)
    return out.sort_values(["period_end", "measure"], kind="stable").reset_index(drop=True)


def change_point(frame: pd.DataFrame, join: Join) -> pd.Timestamp | None:
    """Where the definition changes: the end of the first period counted under the published measure (None when the
    joined series has no published figure, or no figure of the document before it)."""
    published = frame[frame["definition"] == join.definition]
    if published.empty or len(published) == len(frame):
        return None
    return pd.Timestamp(published["period_end"].min())
