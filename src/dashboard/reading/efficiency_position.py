"""The efficiency position: a year's gains against the requirement, and the cashable share against the rule."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CASHABLE_SHARE_RULE = 0.5  # Gershon rule quoted in the 2006/07 statement: at least half of gains cashable


@dataclass(frozen=True)
class Position:
    """Sums from the detail lines, and the printed requirement lines where the statement gives them."""

    cashable_k: float
    non_cashable_k: float
    brought_forward_k: float | None
    required_k: float | None
    printed_cumulative_k: float | None

    @property
    def total_k(self) -> float:
        """The year's gains."""
        return self.cashable_k + self.non_cashable_k

    @property
    def cumulative_k(self) -> float | None:
        """Brought forward plus the year's gains, when a brought-forward figure is printed."""
        return None if self.brought_forward_k is None else self.brought_forward_k + self.total_k

    @property
    def surplus_k(self) -> float | None:
        """Cumulative minus required: positive is a surplus, negative a shortfall."""
        if self.cumulative_k is None or self.required_k is None:
            return None
        return self.cumulative_k - self.required_k

    @property
    def cashable_share(self) -> float | None:
        """Cashable gains as a share of all gains."""
        return self.cashable_k / self.total_k if self.total_k else None

    def sentences(self) -> list[str]:
        """The position in plain words."""
        words = [f"Gains identified: £{self.total_k:,.0f}k (£{self.cashable_k:,.0f}k cashable, "
                 f"£{self.non_cashable_k:,.0f}k non-cashable)."]
        if self.cumulative_k is not None:
            words.append(f"With £{self.brought_forward_k:,.0f}k brought forward, the cumulative position is "
                         f"£{self.cumulative_k:,.0f}k.")
        if self.surplus_k is not None:
            kind = "a surplus" if self.surplus_k >= 0 else "a shortfall"
            words.append(f"Against the £{self.required_k:,.0f}k required, that is {kind} of "
                         f"£{abs(self.surplus_k):,.0f}k.")
        else:
            words.append("The statement prints no requirement for this year, so no surplus or shortfall is shown.")
        if self.cashable_share is not None:
            verdict = "meets" if self.cashable_share >= CASHABLE_SHARE_RULE else "does not meet"
            words.append(f"Cashable share {self.cashable_share:.1%}: {verdict} the rule that at least "
                         f"{CASHABLE_SHARE_RULE:.0%} must be cashable.")
        return words


def _printed(summaries: pd.DataFrame, summary: str) -> float | None:
    rows = summaries[summaries["summary"] == summary]
    if rows.empty:
        return None
    value = rows.iloc[0]["total_k"]
    return None if pd.isna(value) else float(value)


def position(by_directorate: pd.DataFrame, summaries: pd.DataFrame) -> Position:
    """Build the position from the by-directorate sums (queries.efficiency_by) and the printed summary lines."""
    return Position(
        cashable_k=float(by_directorate["cashable_k"].sum()),
        non_cashable_k=float(by_directorate["non_cashable_k"].sum()),
        brought_forward_k=_printed(summaries, "brought_forward"),
        required_k=_printed(summaries, "required"),
        printed_cumulative_k=_printed(summaries, "cumulative"),
    )


NOT_STATED = "Not stated"  # queries.efficiency_by's name for lines with no directorate or category


@dataclass(frozen=True)
class Breakdown:
    """Gains by directorate or category for a chart: rows of (name, cashable_k, non_cashable_k, total_k), and where
    they come from in words."""

    rows: pd.DataFrame
    basis: str


def gains_by(summed: pd.DataFrame, summaries: pd.DataFrame, printed: str) -> Breakdown:
    """The detail lines summed by directorate or category (queries.efficiency_by) when they carry one; where some
    do not and the statement prints that breakdown (`printed`: 'by_category' or 'by_directorate'), the printed lines,
    because the statement's own breakdown beats one 'Not stated' bar."""
    unstated = summed["name"].eq(NOT_STATED).any()
    table = summaries[summaries["summary"] == printed]
    if not unstated or table.empty:
        return Breakdown(summed, "Summed from the detail lines.")
    rows = table.rename(columns={"label": "name"})[["name", "cashable_k", "non_cashable_k", "total_k",
                                                    "source_doc", "source_line"]].reset_index(drop=True)
    lines = table["source_line"].dropna().astype(int)
    where = (f"document {table['source_doc'].iloc[0]}, lines {lines.min()}-{lines.max()}"
             if table["source_doc"].notna().all() and not lines.empty else "the statement")
    return Breakdown(rows, f"As printed in the statement's summary ({where}): its detail lines do not say which "
                           f"{printed.removeprefix('by_')} each belongs to. '-' is read as nil.")
