"""Reading flags on plan items: known conflicts of dates and claims in the documents, both readings with their lines."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.loading.build import SEED_DIR
from dashboard.reading.sources import source_words

ABOUT = {"due": "Due date", "status": "Status date", "claim": "Claim"}


@dataclass(frozen=True)
class Conflict:
    """One item the document reads two ways: the reading loaded and the other one, each with its line."""

    doc: str
    plan_id: str
    code: str
    about: str
    reading: str
    source_line: int
    other_reading: str
    other_line: int

    def words(self) -> str:
        """The flag as a reader sees it: what is in doubt, both readings, both lines."""
        return (f"⚠ {ABOUT.get(self.about, 'Reading')} in doubt. As loaded: {self.reading} "
                f"({source_words(self.doc, self.source_line)}). Other reading: {self.other_reading} "
                f"(line {self.other_line}).")


@lru_cache(maxsize=4)
def known_conflicts(seed_dir: Path = SEED_DIR) -> tuple[Conflict, ...]:
    """Every conflicts.csv row of the embedded documents (data/seed/<doc>/conflicts.csv)."""
    found = []
    for path in sorted(seed_dir.glob("*/conflicts.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                found.append(Conflict(path.parent.name, row["plan_id"], row["code"], row["about"], row["reading"],
                                      int(row["source_line"]), row["other_reading"], int(row["other_line"])))
    return tuple(found)


def status_after_report(effective, reported) -> str:
    """The flag for a status said to take effect after the report it appears in (so no day count is shown)."""
    return (f"⚠ Status date in doubt: it takes effect {effective:%d/%m/%Y}, after the report it is in "
            f"({reported:%d/%m/%Y}); days at status are not counted before it.")


def flag_items(actions: pd.DataFrame, plan_id: str, conflicts: tuple[Conflict, ...] | None = None) -> pd.Series:
    """A reading flag per row of a plan's actions (blank when none): known conflicts of the row's own document, and
    any status dated after its report. A conflict applies only to rows still loaded from that document, not to an
    officer's later upload of the same item."""
    conflicts = known_conflicts() if conflicts is None else conflicts
    by_item: dict[tuple, list[Conflict]] = {}
    for conflict in conflicts:
        if conflict.plan_id == plan_id:
            by_item.setdefault((conflict.doc, conflict.code), []).append(conflict)
    flags = []
    for row in actions.itertuples(index=False):
        mine = by_item.get((row.source_doc, row.code), [])
        words = [c.words() for c in mine]
        if row.effective_after_report and not any(c.about == "status" for c in mine):
            words.append(status_after_report(row.status_since, row.status_reported))
        flags.append(" ".join(words))
    return pd.Series(flags, index=actions.index, dtype="object")
