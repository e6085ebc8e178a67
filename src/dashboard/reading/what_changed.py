"""'What changed since the last refresh', in plain English from fixed rules (no language model): statuses that moved
between a plan's two latest status reports, indicators whose RAG or direction of travel changed with their latest
figures, the figures the latest load brought, and efficiency totals that moved."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading import indicator_status
from dashboard.store import queries

RATED = ("red", "amber", "amber_green", "green", "dark_green", "complete")
KNOWN_DIRECTIONS = ("improving", "worsening", "no change")
LISTED = 8  # name at most this many items in a sentence; the rest are counted ("and 3 more")


@dataclass
class Summary:
    """The summary as headed groups of sentences, in a fixed order."""

    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Every sentence, each prefixed with its section heading."""
        return [f"{heading}: {sentence}" for heading, sentences in self.sections for sentence in sentences]

    def text(self) -> str:
        """The whole summary as plain text."""
        return "\n".join(self.lines())


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{'no' if n == 0 else n} {one if n == 1 else (many or one + 's')}"


def status_sentences(changes: pd.DataFrame, before, after) -> list[str]:
    """Statuses that moved between two status reports (rows of queries.status_changes)."""
    when = f"Between the status reports of {before:%d/%m/%Y} and {after:%d/%m/%Y}"
    up = changes[changes["movement"] == "up"]
    down = changes[changes["movement"] == "down"]
    newly = changes[(changes["movement"] == "rated or unrated") & changes["status_after"].isin(RATED)]
    sentences = [f"{when}, {_count(len(up), 'item')} moved up the status scale and {len(down) or 'none'} moved down."]
    for rows, verb in ((up, "Moved up"), (down, "Moved down"), (newly, "Rated for the first time")):
        if not rows.empty:
            sentences.append(f"{verb}: " + _names([f"{r.code} ({r.label_before} to {r.label_after})"
                                                    if verb != "Rated for the first time" else
                                                    f"{r.code} ({r.label_after})" for r in rows.itertuples()]) + ".")
    return sentences


def indicator_sentences(now: pd.DataFrame, before: pd.DataFrame) -> list[str]:
    """Indicators whose RAG or direction of travel changed with their latest figures (both frames assessed by
    indicator_status.assess: now, and as it stood before each indicator's latest actual)."""
    merged = now.merge(before[["indicator_code", "rag", "travel"]], on="indicator_code", how="left",
                       suffixes=("", "_before"))
    rag_moved = merged[merged["rag"].isin(RATED) & (merged["rag"] != merged["rag_before"])]
    travel_moved = merged[merged["travel"].isin(KNOWN_DIRECTIONS) & merged["travel_before"].isin(KNOWN_DIRECTIONS)
                          & (merged["travel"] != merged["travel_before"])]
    if rag_moved.empty and travel_moved.empty:
        return ["No indicator changed its RAG rating or its direction of travel with its latest figures."]
    sentences = []
    if not rag_moved.empty:
        sentences.append(f"{_count(len(rag_moved), 'indicator').capitalize()} changed RAG rating with the latest "
                         "figures: " + _names([
                             f"{r.indicator_code} {STATUS_LABELS.get(r.rag_before, 'not rated')} to "
                             f"{STATUS_LABELS[r.rag]}" if r.rag_before in RATED else
                             f"{r.indicator_code} now {STATUS_LABELS[r.rag]} (not rated before)"
                             for r in rag_moved.itertuples()]) + ".")
    if not travel_moved.empty:
        sentences.append(f"{_count(len(travel_moved), 'indicator').capitalize()} changed direction of travel: "
                         + _names([f"{r.indicator_code} {r.travel_before} to {r.travel}"
                                   for r in travel_moved.itertuples()]) + ".")
    worsening = merged[merged["travel"] == "worsening"]
    if not worsening.empty:
        sentences.append(f"Worsening now: {_names(worsening['indicator_code'].tolist())}.")
    return sentences


def load_sentences(load: pd.DataFrame) -> list[str]:
    """What the most recent load for the council brought (rows of queries.latest_load)."""
    if load.empty:
        return ["No data has been loaded for this council."]
    first = load.iloc[0]
    source = (f"the embedded data of document {str(first['file_name']).rsplit('/', 1)[-1]}" if first["kind"] == "seed"
              else f"upload {int(first['upload_id'])} ({first['file_name']}, by {first['uploaded_by']})")
    parts = [f"{int(r.rows):,} {r.what}" + (f" for {_count(int(r.codes), 'indicator')}" if r.codes else "")
             for r in load.itertuples()]
    return [f"The latest load, {source} on {pd.Timestamp(first['uploaded_at']):%d/%m/%Y}, brought "
            + "; ".join(parts) + "."]


def efficiency_sentences(year_totals: list[tuple[str, float]], ieg: pd.DataFrame) -> list[str]:
    """Efficiency totals that moved: the latest statement year against the one before (£000, newest first), and the
    latest two years of actual IEG gains."""
    sentences = []
    if len(year_totals) >= 2:
        (year, total), (before_year, before_total) = year_totals[0], year_totals[1]
        verb = "rose" if total > before_total else "fell" if total < before_total else "stayed"
        sentences.append(f"Gains identified {verb} from £{before_total:,.0f}k in {before_year} to £{total:,.0f}k "
                         f"in {year}.")
    elif year_totals:
        sentences.append(f"Gains identified in {year_totals[0][0]}: £{year_totals[0][1]:,.0f}k; there is no earlier "
                         "statement year to compare with.")
    actual = ieg[(ieg["line_type"] == "gain") & (ieg["stage"] == "ieg6_actual")] if not ieg.empty else ieg
    if len(actual) >= 2:
        last, previous = actual.iloc[-1], actual.iloc[-2]
        verb = "rose" if last["total_k"] > previous["total_k"] else "fell" if last["total_k"] < previous[
            "total_k"] else "stayed"
        sentences.append(f"Actual e-government (IEG) gains {verb} from £{previous['total_k']:,.1f}k in "
                         f"{previous['year_text']} to £{last['total_k']:,.1f}k in {last['year_text']}.")
    return sentences or ["This council has no efficiency figures."]


def summarise(run: Callable, organisation_id: str, plan_id: str | None, as_at) -> Summary:
    """The whole summary for a council, plan and date. `run(query, *args)` runs a function of store.queries (the
    pages pass their cached runner, the board pack a plain connection), so both say exactly the same."""
    summary = Summary()
    if plan_id:
        snapshots = [d for d in run(queries.status_dates, plan_id) if d <= as_at]
        if len(snapshots) >= 2:
            changes = run(queries.status_changes, plan_id, snapshots[-2], snapshots[-1])
            summary.sections.append(("Statuses", status_sentences(changes, snapshots[-2], snapshots[-1])))
        else:
            summary.sections.append(("Statuses", [f"This plan has {_count(len(snapshots), 'status report')} up to "
                                                  f"{as_at:%d/%m/%Y}, so no status can have moved."]))
    now = indicator_status.assess(run(queries.indicator_positions, organisation_id, plan_id))
    if not now.empty:
        before = indicator_status.assess(run(queries.indicator_positions, organisation_id, plan_id, True))
        summary.sections.append(("Indicators", indicator_sentences(now, before)))
    summary.sections.append(("New figures", load_sentences(run(queries.latest_load, organisation_id))))
    totals = [(year, float(run(queries.efficiency_by, organisation_id, year, "directorate")["total_k"].sum()))
              for year in run(queries.efficiency_years, organisation_id)]
    summary.sections.append(("Efficiency", efficiency_sentences(totals, run(queries.ieg_finance, organisation_id))))
    return summary
