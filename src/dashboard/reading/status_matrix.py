"""Turn status counts into an area-by-status table with percentages of the assessed items."""
from __future__ import annotations

import pandas as pd

from dashboard.parsing.statuses import SCALE
from dashboard.presenting.palette import STATUS_LABELS

ORDER = [status.key for status in SCALE]


def matrix(counts: pd.DataFrame) -> pd.DataFrame:
    """Rows of areas, a column per status word, a total, and the share green or better of assessed items.
    'Not assessed' is counted but kept outside the denominator of every percentage."""
    if counts.empty:
        return pd.DataFrame()
    table = counts.pivot_table(index="top_title", columns="status", values="items", aggfunc="sum", fill_value=0,
                               sort=False)
    table = table.reindex(columns=[k for k in ORDER if k in table.columns])
    assessed = table.drop(columns=[c for c in ("not_assessed",) if c in table.columns]).sum(axis=1)
    good = table[[c for c in ("green", "dark_green", "complete") if c in table.columns]].sum(axis=1)
    out = table.rename(columns=STATUS_LABELS)
    out["Total"] = table.sum(axis=1)
    out["Assessed"] = assessed
    out["Green or better"] = [f"{g / a:.0%} of {a}" if a else "none assessed" for g, a in zip(good, assessed)]
    out.index.name = "Area"
    return out.reset_index()
