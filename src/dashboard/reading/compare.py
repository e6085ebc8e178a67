"""How we compare: a council's published measures (latest figure, band, rank, England, region, neighbours, direction
of travel), the 'bottom quartile and worsening' list in words, and the source and licence lines. Pure: DataFrames of
queries.council_benchmarks in, tables and sentences out."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from dashboard.published.ees import SOURCE as EES_SOURCE
from dashboard.published.lait import SOURCE as LAIT_SOURCE
from dashboard.published.reading import LICENCE
from dashboard.rules.travel import direction_of_travel

SOURCES = {"LAIT": LAIT_SOURCE, "EES": EES_SOURCE}
MEAN_DECIMALS = 2  # a mean where the publisher gives no decimal places: 65.56, not 65.5555556
BOTTOM = "D"  # the worst quarter, whichever end polarity makes worst
BAND_WORDS = {"A": "A (best quarter)", "B": "B", "C": "C", "D": "D (worst quarter)"}
COLUMNS = ["indicator_code", "indicator_name", "topic", "unit", "polarity", "decimals", "period", "value", "shown",
           "quartile_band", "rank", "of_n", "statistical_neighbours", "england", "region", "region_name", "travel",
           "travel_explanation", "previous_period", "previous", "source", "period_start", "period_end"]


def figure(value, decimals=None) -> str:
    """A published figure as LAIT prints it: its decimal places when the dictionary gives them, else as stored
    (no trailing zeros); blank when there is none."""
    if _missing(value):
        return ""
    if not _missing(decimals):
        return f"{float(value):,.{int(decimals)}f}"
    return f"{round(float(value), MEAN_DECIMALS):,g}" if abs(float(value)) < 1e6 else f"{float(value):,.0f}"


def rounded(values: pd.Series, decimals: pd.Series) -> pd.Series:
    """Figures worked out here (the neighbours' mean) rounded as the measure is published: its decimal places, or
    MEAN_DECIMALS where the dictionary gives none."""
    places = pd.to_numeric(decimals, errors="coerce").fillna(MEAN_DECIMALS).astype(int).tolist()
    return pd.Series([None if _missing(v) else round(float(v), p) for v, p in zip(values.tolist(), places)],
                     index=values.index, dtype="float64")


def measures(history: pd.DataFrame) -> pd.DataFrame:
    """One row per published measure of the council: its latest period with a figure, that figure (and `shown`,
    as printed), band, rank of of_n, neighbours' mean, England, region, and the direction of travel from the
    previous period of the same kind with a figure (improving or worsening by polarity)."""
    if history.empty:
        return pd.DataFrame(columns=COLUMNS)
    numeric = history[history["value"].notna()]
    # Latest: the latest period with a number; a measure with none (only markers) shows its latest marker.
    ordered = pd.concat([numeric, history[~history["indicator_code"].isin(numeric["indicator_code"])]])
    ordered = ordered.sort_values(["indicator_code", "period_end", "period_start"])
    latest = ordered.groupby("indicator_code", sort=False).tail(1).set_index("indicator_code")
    # Previous: the last figure of the same kind of period that ended before the latest began.
    earlier = numeric.merge(latest[["period_type", "period_start"]].rename(columns={"period_start": "latest_start"})
                            .reset_index(), on=["indicator_code", "period_type"])
    earlier = earlier[earlier["period_end"] < earlier["latest_start"]].sort_values(["indicator_code", "period_end"])
    previous = earlier.groupby("indicator_code", sort=False).tail(1).set_index("indicator_code")
    out = latest.reset_index()
    out["previous"] = out["indicator_code"].map(previous["value"])
    out["previous_period"] = out["indicator_code"].map(previous["period"])
    travels = [direction_of_travel(_num(before), _num(now), polarity, before_period or "", now_period)
               for before, now, polarity, before_period, now_period in zip(
                   out["previous"].tolist(), out["value"].tolist(), out["polarity"].tolist(),
                   out["previous_period"].where(out["previous_period"].notna(), None).tolist(),
                   out["period"].tolist())]
    out["travel"] = [t.direction for t in travels]
    out["travel_explanation"] = [t.explanation for t in travels]
    out["shown"] = [figure(v, d) if not _missing(v) else (written or "")
                    for v, d, written in zip(out["value"].tolist(), out["decimals"].tolist(),
                                             out["value_written"].tolist())]
    return out[COLUMNS].sort_values(["topic", "indicator_name"], na_position="last").reset_index(drop=True)


def measures_table(table: pd.DataFrame, council: str) -> pd.DataFrame:
    """Rows of `measures` as the page's table and its exports: what a reader compares first (the figure, band,
    rank, neighbours, England, region, direction), then the unit, topic, why and code; headed in words."""
    shown = table.assign(Band=table["quartile_band"].map(BAND_WORDS), Direction=table["travel"].str.capitalize(),
                         statistical_neighbours=rounded(table["statistical_neighbours"], table["decimals"]))
    return shown[["indicator_name", "period", "shown", "Band", "rank", "of_n", "statistical_neighbours", "england",
                  "region", "Direction", "unit", "topic", "travel_explanation", "indicator_code"]].rename(columns={
        "indicator_name": "Measure", "period": "Period", "shown": council, "rank": "Rank", "of_n": "Of",
        "statistical_neighbours": "Neighbours' mean", "england": "England", "region": "Region", "unit": "Unit",
        "topic": "Topic", "travel_explanation": "Why", "indicator_code": "Code"})


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _num(value) -> float | None:
    return None if _missing(value) else float(value)


def bottom_and_worsening(table: pd.DataFrame) -> pd.DataFrame:
    """The measures (rows of `measures`) in the worst quarter of councils (band D) and worse than the period
    before."""
    return table[(table["quartile_band"] == BOTTOM) & (table["travel"] == "worsening")]


def in_words(row) -> str:
    """One measure's position as a sentence: the figure, band, rank, how it moved, England and the neighbours."""
    d = row["decimals"]
    parts = [f"{row['indicator_name']}: {figure(row['value'], d)} in {row['period']} ({row['unit']})"]
    if isinstance(row["quartile_band"], str):
        parts.append(f"band {BAND_WORDS[row['quartile_band']]}")
    if not _missing(row["rank"]):
        parts.append(f"ranked {int(row['rank'])} of {int(row['of_n'])} councils (1 is best)"
                     if row["polarity"] in ("higher", "lower") else
                     f"{int(row['rank'])} of {int(row['of_n'])} councils, lowest first")
    if isinstance(row["previous_period"], str) and row["travel"] in ("improving", "worsening"):
        parts.append(f"{row['travel']} from {figure(row['previous'], d)} in {row['previous_period']}")
    comparators = [f"{name} {figure(row[column], d)}" for name, column in
                   (("England", "england"), ("statistical neighbours' mean", "statistical_neighbours"))
                   if not _missing(row[column])]
    if comparators:
        parts.append(", ".join(comparators))
    return "; ".join(parts) + "."


def worsening_in_words(table: pd.DataFrame, council: str) -> list[str]:
    """'Bottom quartile and worsening' as sentences, worst rank first; one sentence saying so when there are none."""
    rows = bottom_and_worsening(table)
    if rows.empty:
        return [f"{council} has no published measure both in the worst quarter of councils and worse than the "
                "period before."]
    rows = rows.assign(_share=rows["rank"] / rows["of_n"]).sort_values("_share", ascending=False)
    return [in_words(row) for _, row in rows.iterrows()]


def series(history: pd.DataFrame, indicator_code: str) -> pd.DataFrame:
    """One measure over time for the chart and its table: period, the council's figure (as printed), England,
    region and the neighbours' mean, oldest first."""
    rows = history[history["indicator_code"] == indicator_code].sort_values(["period_end", "period_start"])
    return rows[["period", "period_start", "period_end", "value", "value_written", "england", "region",
                 "region_name", "statistical_neighbours", "neighbours_with_value", "quartile_band", "rank", "of_n",
                 "is_revised", "is_provisional"]].reset_index(drop=True)


def series_table(rows: pd.DataFrame, council: str, decimals=None) -> pd.DataFrame:
    """Rows of `series` as the table beside the over-time chart: the council's figure as printed (rounded to the
    measure's decimal places, as `figure`: LAIT writes 32.700000000000003; a marker as written) and the
    comparators, rounded the same way, headed in words."""
    region = next((name for name in rows["region_name"].dropna()), None) or "Region"
    places = pd.Series([decimals] * len(rows), index=rows.index, dtype=object)
    shown = [figure(value, decimals) if not _missing(value) else (written or "")
             for value, written in zip(rows["value"].tolist(), rows["value_written"].tolist())]
    return rows.assign(Band=rows["quartile_band"].map(BAND_WORDS), shown=shown,
                       statistical_neighbours=rounded(rows["statistical_neighbours"], places),
                       england=rounded(rows["england"], places), region=rounded(rows["region"], places))[
        ["period", "shown", "england", "statistical_neighbours", "region", "neighbours_with_value", "Band",
         "rank", "of_n"]].rename(columns={
            "period": "Period", "shown": council, "england": "England", "region": region,
            "statistical_neighbours": "Neighbours' mean", "neighbours_with_value": "Neighbours with a figure",
            "rank": "Rank", "of_n": "Of"})


def series_in_words(rows: pd.DataFrame, council: str, name: str, decimals=None) -> str:
    """The over-time chart in one sentence: the first and latest figure of the council, with England's and the
    neighbours' mean in the latest period."""
    numeric = rows[rows["value"].notna()]
    if numeric.empty:
        return f"{council} has no published figure for {name}."
    first, last = numeric.iloc[0], numeric.iloc[-1]
    text = f"{name}: {council} {figure(last['value'], decimals)} in {last['period']}"
    if len(numeric) > 1:
        text += f" (from {figure(first['value'], decimals)} in {first['period']})"
    others = [f"{label} {figure(last[column], decimals)}" for label, column in
              (("England", "england"), (last["region_name"] or "region", "region"),
               ("statistical neighbours' mean", "statistical_neighbours")) if not _missing(last[column])]
    return text + (f"; {', '.join(others)}." if others else ".")


def spread_in_words(spread: pd.DataFrame, organisation_id: str, council: str, name: str, period: str,
                    polarity: str, decimals=None) -> str:
    """The spread chart in one sentence: how many councils, the lowest and highest, and where the council is."""
    numeric = spread[spread["value"].notna()]
    if numeric.empty:
        return f"No council has a published figure for {name} in {period}."
    low, high = numeric.iloc[0], numeric.iloc[-1]
    text = (f"{name}, {period}: {len(numeric)} councils from {figure(low['value'], decimals)} ({low['name']}) to "
            f"{figure(high['value'], decimals)} ({high['name']})")
    mine = spread[spread["organisation_id"] == organisation_id]
    if mine.empty or _missing(mine.iloc[0]["value"]):
        return text + f"; {council} has no figure for this period."
    value = mine.iloc[0]["value"]
    better = numeric["value"] > value if polarity == "higher" else numeric["value"] < value
    order = "1 is best" if polarity in ("higher", "lower") else "lowest first"
    return text + f"; {council} {figure(value, decimals)}, ranked {int(better.sum()) + 1} ({order})."


def source_line(history: pd.DataFrame) -> str:
    """Where the figures come from, with the publisher's date where its files give one (the latest of the measures'
    last updates: 'Department for Education, Local Authority Interactive Tool (LAIT), updated 3 February 2026'),
    else the date they were loaded here ('..., Explore Education Statistics, loaded 6 December 2026')."""
    dated = history.assign(source_updated=history.get("source_updated", pd.Series(pd.NaT, index=history.index)))
    parts = []
    for family, rows in dated.groupby("source"):
        updated, loaded = rows["source_updated"].max(), rows["loaded_at"].max()
        when = f", updated {_day(updated)}" if pd.notna(updated) else \
            f", loaded {_day(loaded)}" if pd.notna(loaded) else ""
        parts.append(SOURCES.get(family, family) + when)
    return "Source: " + "; ".join(parts) + "." if parts else ""


def _day(moment) -> str:
    moment = pd.Timestamp(moment).to_pydatetime() if not isinstance(moment, datetime) else moment
    return f"{moment.day} {moment:%B %Y}"


def attribution(history: pd.DataFrame) -> list[str]:
    """The lines every view and export of published figures carries: the source and the licence."""
    return [line for line in (source_line(history), LICENCE + ".") if line]


def neighbour_model_words(history: pd.DataFrame) -> str:
    """Which statistical neighbour model the neighbours' mean uses, in words."""
    names = history["neighbour_model_name"].dropna().unique() if "neighbour_model_name" in history else []
    if not len(names):
        return "No statistical neighbour model is loaded, so there is no neighbours' mean."
    return (f"Neighbours' mean: the average of the council's ten statistical neighbours that have a figure "
            f"(model: {names[0]}).")

