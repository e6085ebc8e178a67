"""Compare an upload with the data already there: rows added, changed, unchanged and removed, and what that does to
indicators' RAG and direction of travel and to actions' statuses."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.importer.officer import TABLE_KEYS

# Provenance says where a row came from, not what it says: a re-upload of the same figure is not a change.
PROVENANCE = {"source_doc", "source_line", "upload_id", "upload_row", "sort_order"}
# `written` keeps the figures as a document printed them; a template gives them back as plain £000 numbers.
NOT_COMPARED = {"efficiency_lines": {"written"}}
TABLE_WORDS = {"actions": "actions", "action_statuses": "action statuses", "observations": "indicator values",
               "efficiency_lines": "efficiency lines", "organisations": "councils (organisations)",
               "organisation_aliases": "names and codes of councils", "plans": "plans", "areas": "plan areas",
               "indicators": "indicator definitions", "indicator_aliases": "indicator codes and aliases",
               "indicator_areas": "areas indicators report under"}
# Tables whose upload row may leave cells blank to keep the item's current values (merged with the stored row).
MERGED = ("actions", "organisations", "plans", "areas", "indicators")


@dataclass
class TableChange:
    """What an upload does to one table."""

    table: str
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[list[dict], dict]] = field(default_factory=list)  # (rows replaced, the new row)
    removed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    not_found: list[dict] = field(default_factory=list)  # rows marked for removal that match nothing
    restated: dict[int, int] = field(default_factory=dict)  # upload id -> its rows this upload gave unchanged

    @property
    def replaced_rowids(self) -> list[int]:
        """Rows to journal and delete: those changed and those removed."""
        return [old["_rowid"] for olds, _ in self.changed for old in olds] + [old["_rowid"] for old in self.removed]

    @property
    def inserts(self) -> list[dict]:
        """Rows to insert: the added ones and the new versions of changed ones."""
        return self.added + [new for _, new in self.changed]

    @property
    def is_empty(self) -> bool:
        """True when the upload changes nothing in this table."""
        return not (self.added or self.changed or self.removed)

    @property
    def counts(self) -> tuple[int, int, int]:
        """Rows added, changed and removed."""
        return len(self.added), len(self.changed), len(self.removed)

    def head(self, limit: int | None) -> tuple[list[dict], list[tuple[list[dict], dict]], list[dict]]:
        """The first `limit` rows of the changes (added, then changed, then removed), for the page's table."""
        if limit is None:
            return self.added, self.changed, self.removed
        added = self.added[:limit]
        changed = self.changed[:limit - len(added)]
        return added, changed, self.removed[:limit - len(added) - len(changed)]

    def touched_pairs(self) -> set[tuple[str, str]]:
        """(organisation, indicator) of every indicator value added, changed or removed."""
        rows = self.added + [new for _, new in self.changed] + [old for olds, _ in self.changed for old in olds] \
            + self.removed
        return {(row["organisation_id"], row["indicator_code"]) for row in rows}


class FrameChange:
    """What an upload does to one table, held as Arrow columns (`classify_frame`, for `refresh._apply_frame`): a
    national upload's million rows are never a dict each. Its lists (as TableChange's) are made when first asked for."""

    def __init__(self, table: str, incoming: pa.Table, added: np.ndarray, changed: np.ndarray, unchanged: int,
                 removed: np.ndarray, not_found: np.ndarray, olds: pa.Table):
        self.table = table
        self.incoming = incoming.drop_columns(["_remove"])   # the upload's records, in file order
        self._added, self._changed, self._removed = added, changed, removed  # positions in `incoming`
        self._not_found = not_found
        self.unchanged = unchanged
        self.restated: dict[int, int] = {}  # upload id -> its rows this upload gave unchanged (classify_frame)
        self.olds = olds  # the rows changed or removed, with _rowid and the position of the record matching them
        # A removal takes every stored row of its key (a document's conflict can hold two).
        removed_rows = int(np.isin(olds["position"].to_numpy(), removed).sum())
        self.counts = (len(added), len(changed), removed_rows)  # rows added, changed and removed
        self._lists: dict[str, list] = {}

    @property
    def is_empty(self) -> bool:
        """True when the upload changes nothing in this table."""
        return not any(self.counts)

    def _records(self, positions: np.ndarray) -> list[dict]:
        return self.incoming.take(pa.array(positions, pa.int64())).to_pylist()

    def _olds_by_position(self, positions: np.ndarray) -> dict[int, list[dict]]:
        wanted = self.olds.filter(pa.array(np.isin(self.olds["position"].to_numpy(), positions)))
        by_position: dict[int, list[dict]] = {}
        for row in wanted.sort_by([("position", "ascending"), ("_rowid", "ascending")]).to_pylist():
            by_position.setdefault(row.pop("position"), []).append(row)
        return by_position

    def _changed_of(self, positions: np.ndarray) -> list[tuple[list[dict], dict]]:
        olds = self._olds_by_position(positions)
        return list(zip((olds[p] for p in positions.tolist()), self._records(positions)))

    def _removed_of(self, positions: np.ndarray) -> list[dict]:
        olds = self._olds_by_position(positions)
        return [row for p in positions.tolist() for row in olds.get(p, [])]

    def _list(self, name: str, make) -> list:
        if name not in self._lists:
            self._lists[name] = make()
        return self._lists[name]

    @property
    def added(self) -> list[dict]:
        """The new rows, in file order."""
        return self._list("added", lambda: self._records(self._added))

    @property
    def changed(self) -> list[tuple[list[dict], dict]]:
        """(rows replaced, the new row), in file order."""
        return self._list("changed", lambda: self._changed_of(self._changed))

    @property
    def removed(self) -> list[dict]:
        """The rows removed, in the order of the file's removals."""
        return self._list("removed", lambda: self._removed_of(self._removed))

    @property
    def not_found(self) -> list[dict]:
        """Rows marked for removal that match nothing."""
        return self._list("not_found", lambda: self._records(self._not_found))

    def head(self, limit: int | None) -> tuple[list[dict], list[tuple[list[dict], dict]], list[dict]]:
        """The first `limit` rows of the changes (added, then changed, then removed), made only for those rows."""
        if limit is None:
            return self.added, self.changed, self.removed
        added = self._records(self._added[:limit])
        changed = self._changed_of(self._changed[:limit - len(added)])
        left = limit - len(added) - len(changed)
        # Each removal takes at least one row, so the first `left` removals hold the first `left` rows.
        return added, changed, self._removed_of(self._removed[:left])[:left]

    @property
    def replaced_rowids(self) -> np.ndarray:
        """Rows to journal and delete: those changed and those removed."""
        return self.olds["_rowid"].to_numpy()

    @property
    def inserts(self) -> pa.Table:
        """Rows to insert, as the row-by-row importer inserts them: the added ones, then the new versions of the
        changed ones."""
        if len(self._added) == self.incoming.num_rows:  # all new (a first national import): no copy
            return self.incoming
        return self.incoming.take(pa.array(np.concatenate([self._added, self._changed]), pa.int64()))

    def touched_pairs(self) -> set[tuple[str, str]]:
        """(organisation, indicator) of every indicator value added, changed or removed."""
        positions = np.concatenate([self._added, self._changed, self._removed])
        touched = self.incoming.take(pa.array(positions, pa.int64())).select(["organisation_id", "indicator_code"])
        distinct = touched.group_by(["organisation_id", "indicator_code"]).aggregate([])
        return set(zip(distinct["organisation_id"].to_pylist(), distinct["indicator_code"].to_pylist()))


# Types _norm leaves as they are: a key or a pair of equal values made only of these needs no normalising (the
# common case, checked in C rather than value by value: a national upload compares millions of values).
_AS_IS = frozenset({str, type(None), date, int, bool})
_EQUAL_AS_IS = _AS_IS | {float}  # a float equal to another is not NaN, so _norm leaves it too


# itemgetter of one column gives the value, not a tuple: a one-column key is read by key_of's fallback.
_KEY_GETTERS = {table: itemgetter(*columns) for table, columns in TABLE_KEYS.items() if len(columns) > 1}


def key_of(table: str, record: dict) -> tuple:
    """The values that identify a row (see TABLE_KEYS)."""
    try:
        values = _KEY_GETTERS[table](record)
    except KeyError:  # a one-column key, or a record without one of the key columns (that value is None)
        values = tuple(map(record.get, TABLE_KEYS[table]))
    if _AS_IS.issuperset(map(type, values)):
        return values
    return tuple(_norm(value) for value in values)


def _norm(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _equal(a, b) -> bool:
    if a == b and type(a) in _EQUAL_AS_IS and type(b) in _EQUAL_AS_IS:
        return True  # what the comparison below concludes for equal plain values, without normalising them
    a, b = _norm(a), _norm(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


_COMPARED: dict[tuple, tuple[str, ...]] = {}  # (table, a record's columns) -> the columns same_row compares


def compared_columns(table: str, columns) -> tuple[str, ...]:
    """Of a record's columns, those whose values say whether a row changed: not its key (equal already: that is
    how the rows were paired), not its provenance, not the importer's own (`_remove`)."""
    shape = (table, *columns)
    compared = _COMPARED.get(shape)
    if compared is None:
        ignored = PROVENANCE | NOT_COMPARED.get(table, set()) | set(TABLE_KEYS[table])
        compared = _COMPARED[shape] = tuple(column for column in columns
                                            if column not in ignored and not column.startswith("_"))
    return compared


def same_row(table: str, old: dict, new: dict) -> bool:
    """True when the new row says exactly what the old one, of the same key, says (provenance aside)."""
    columns = compared_columns(table, new)
    # Plain equal values first (the common case, without a call per value); _equal decides the rest, in order.
    for column in columns:
        a, b = old.get(column), new[column]
        if a == b and type(a) in _EQUAL_AS_IS and type(b) in _EQUAL_AS_IS:
            continue
        if not _equal(a, b):
            return False
    return True


def classify(table: str, existing: list[dict], incoming: list[dict]) -> TableChange:
    """Sort an upload's records for one table into added, changed, unchanged and removed, against `existing`
    (rows with `_rowid`). Actions are merged: a blank cell keeps the action's current value."""
    by_key: dict[tuple, list[dict]] = {}
    for row in existing:
        by_key.setdefault(key_of(table, row), []).append(row)
    change = TableChange(table)
    for record in incoming:
        olds = by_key.pop(key_of(table, record), [])  # pop: a key is handled once (duplicates are refused earlier)
        if record.get("_remove"):
            if olds:
                change.removed.extend(olds)
            else:
                change.not_found.append(record)
            continue
        new = dict(record)
        if table in MERGED and olds:
            new = {column: value for column, value in olds[0].items()
                   if column not in PROVENANCE and not column.startswith("_")}
            new.update(record)
            if "sort_order" in olds[0]:
                new["sort_order"] = olds[0]["sort_order"]  # keep the action's or area's place in its plan
        if not olds:
            change.added.append(new)
        elif len(olds) == 1 and same_row(table, olds[0], new):
            change.unchanged += 1
            if olds[0].get("upload_id") is not None and _says_something(table, record):
                change.restated[olds[0]["upload_id"]] = change.restated.get(olds[0]["upload_id"], 0) + 1
        else:
            change.changed.append((olds, new))
    return change


def _says_something(table: str, record: dict) -> bool:
    # A merged row that gives only its key (a status upload names its action) restates none of the stored values.
    keys = TABLE_KEYS.get(table, ())
    return table not in MERGED or any(value is not None for column, value in record.items()
                                      if column not in keys and not column.startswith("_"))


def classify_frame(table: str, incoming: pa.Table, matches: pa.Table) -> FrameChange:
    """classify for an upload held as an Arrow table (`_remove` marking removals), given the stored rows of the same
    key (`uploads.matching_rows`: position, _rowid, the row, and _same)."""
    count = np.bincount(matches["position"].to_numpy(), minlength=incoming.num_rows)
    says_the_same = np.zeros(incoming.num_rows, dtype=bool)
    says_the_same[matches.filter(matches["_same"])["position"].to_numpy()] = True
    removal = incoming["_remove"].to_numpy(zero_copy_only=False)
    unchanged = ~removal & (count == 1) & says_the_same
    changed = np.flatnonzero(~removal & (count > 0) & ~unchanged)
    removed = np.flatnonzero(removal & (count > 0))
    replaced = np.zeros(incoming.num_rows, dtype=bool)
    replaced[changed] = replaced[removed] = True
    olds = matches.filter(pa.array(replaced[matches["position"].to_numpy()])).drop_columns(["_same"])
    change = FrameChange(table, incoming, np.flatnonzero(~removal & (count == 0)), changed, int(unchanged.sum()),
                         removed, np.flatnonzero(removal & (count == 0)), olds)
    kept = matches.filter(pa.array(unchanged[matches["position"].to_numpy()]))["upload_id"].drop_null()
    change.restated = {int(u): int(n) for u, n in zip(*np.unique(kept.to_numpy(), return_counts=True))}
    return change


def counts(changes: dict[str, TableChange | FrameChange]) -> tuple[int, int, int]:
    """Rows added, changed and removed over all tables."""
    totals = [change.counts for change in changes.values()]
    return sum(t[0] for t in totals), sum(t[1] for t in totals), sum(t[2] for t in totals)


def rows_frame(change: TableChange | FrameChange, columns: list[str], limit: int | None = None,
               words: bool = False) -> pd.DataFrame:
    """One table's changes as rows an officer can read: what happens, the row number, then the values
    (a changed value is shown as 'old → new'); the first `limit` of them when given. With `words`, as the page shows
    them: columns named in words (COLUMN_WORDS) and, when rows change, a 'Before → after' column after the row
    number naming each changed value, so the change is seen without scrolling along the row."""
    added, changed, removed = change.head(limit)
    out = []
    for new in added:
        out.append({"What happens": "added", "Row": new.get("upload_row"), **{c: new.get(c) for c in columns}})
    moved = []
    for olds, new in changed:
        values, differences = {}, []
        for column in columns:
            before = {_text(old.get(column)) for old in olds}
            after = _text(new.get(column))
            if before == {after}:
                values[column] = after
            else:
                values[column] = " / ".join(sorted(before)) + " → " + after
                differences.append(f"{COLUMN_WORDS.get(column, column)}: {values[column]}")
        out.append({"What happens": "changed", "Row": new.get("upload_row"), **values})
        moved.append("; ".join(differences))
    for old in removed:
        out.append({"What happens": "removed", "Row": None, **{c: old.get(c) for c in columns}})
    frame = pd.DataFrame(out, columns=["What happens", "Row", *columns]).astype({"Row": "Int64"})
    if not words:
        return frame
    if moved:  # only rows that change have a before and an after
        frame.insert(2, BEFORE_AFTER, [""] * len(added) + moved + [""] * len(removed))
    return frame.rename(columns=COLUMN_WORDS)


def _text(value) -> str:
    value = _norm(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rag_changes_by_council(before: pd.DataFrame, after: pd.DataFrame, organisations: list[str]) -> pd.DataFrame:
    """Indicators whose RAG or direction of travel differs after the upload (rows of indicator_status.assess, with
    organisation_id), council by council in the order of `organisations`, with a Council column; one merge for every
    council instead of one per council."""
    columns = ["organisation_id", "indicator_code", "name", "rag_label", "travel"]
    merged = before[columns].merge(after[columns], on=["organisation_id", "indicator_code"], how="outer",
                                   suffixes=(" before", " after"))
    filled = ["rag_label before", "rag_label after", "travel before", "travel after"]
    merged[filled] = merged[filled].astype(object)  # an empty side comes as floats, which text cannot fill
    merged = merged.fillna({"rag_label before": "No values", "rag_label after": "No values",
                            "travel before": "unknown", "travel after": "unknown"})
    moved = merged[(merged["rag_label before"] != merged["rag_label after"])
                   | (merged["travel before"] != merged["travel after"])]
    # The outer merge sorts by (council, indicator); put the councils in the order asked for, each still sorted.
    place = {org: n for n, org in enumerate(organisations)}
    moved = moved[moved["organisation_id"].isin(place)]
    moved = moved.iloc[moved["organisation_id"].map(place).argsort(kind="stable")]
    out = pd.DataFrame({"Indicator": moved["indicator_code"],
                        "Name": moved["name after"].fillna(moved["name before"]),
                        "RAG before": moved["rag_label before"], "RAG after": moved["rag_label after"],
                        "Direction before": moved["travel before"], "Direction after": moved["travel after"],
                        "Council": moved["organisation_id"]})
    return out.reset_index(drop=True)


def status_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Actions whose latest status differs after the upload (rows of queries.action_statuses_now)."""
    merged = before.merge(after, on=["plan_id", "code"], how="outer", suffixes=(" before", " after"))
    merged = merged.fillna({"status_label before": "(new action)", "status_label after": "(removed)"})
    moved = merged[merged["status_label before"] != merged["status_label after"]]
    out = pd.DataFrame({"Plan": moved["plan_id"], "Code": moved["code"],
                        "Action": moved["text after"].fillna(moved["text before"]),
                        "Status before": moved["status_label before"], "Status after": moved["status_label after"]})
    return out.reset_index(drop=True)


# The page's words for the preview's columns (never a field name such as value_written).
COLUMN_WORDS = {
    "plan_id": "Plan", "code": "Code", "text": "Text", "lead_officer": "Lead officer", "due_text": "Due",
    "action_code": "Action", "status_text": "Status", "effective_text": "Took effect", "as_at_text": "Report date",
    "commentary": "Commentary", "indicator_code": "Indicator", "organisation_id": "Council", "period_text": "Period",
    "measure": "Measure", "comparator_group": "Comparator group", "value_written": "Value", "year_text": "Year",
    "directorate": "Directorate", "category": "Category", "description": "Description",
    "cashable_k": "Cashable £000", "non_cashable_k": "Non-cashable £000", "total_k": "Total £000", "stage": "Stage",
    "name": "Name", "kind": "Kind", "ons_code": "ONS code", "la_number": "LA number", "region": "Region",
    "alias": "Name or code", "title": "Title", "status": "Status", "parent_code": "Part of", "level": "Level",
    "unit": "Unit", "polarity": "Better when", "tolerance": "Tolerance", "tolerance_units": "Tolerance in units",
    "owner": "Owner", "retired": "Retired", "area_code": "Area"}
BEFORE_AFTER = "Before → after"
# The RAG and status moves lead with what moves, before the long names that would push it off a 1024 px screen.
MOVES_FIRST = ("Indicator", "Code", "RAG before", "RAG after", "Status before", "Status after", "Direction before",
               "Direction after")


def moves_first(frame: pd.DataFrame) -> pd.DataFrame:
    """RAG or status moves (rag_changes_by_council, status_changes) with the item and its before and after first."""
    first = [column for column in MOVES_FIRST if column in frame.columns]
    return frame[first + [column for column in frame.columns if column not in first]]


# The columns an upload's preview shows of each table's changed rows (the page and the import reference test).
PREVIEW_COLUMNS: dict[str, list[str]] = {
    "actions": ["plan_id", "code", "text", "lead_officer", "due_text"],
    "action_statuses": ["plan_id", "action_code", "status_text", "effective_text", "as_at_text", "commentary"],
    "observations": ["indicator_code", "organisation_id", "period_text", "measure", "comparator_group",
                     "value_written"],
    "efficiency_lines": ["organisation_id", "year_text", "directorate", "category", "description", "cashable_k",
                         "non_cashable_k", "total_k", "stage"],
    "organisations": ["organisation_id", "name", "kind", "ons_code", "la_number", "region"],
    "organisation_aliases": ["alias", "organisation_id"],
    "plans": ["plan_id", "organisation_id", "title", "period_text", "status"],
    "areas": ["plan_id", "code", "parent_code", "level", "title"],
    "indicators": ["indicator_code", "name", "unit", "polarity", "tolerance", "tolerance_units", "owner", "retired"],
    "indicator_aliases": ["alias", "indicator_code"],
    "indicator_areas": ["indicator_code", "plan_id", "area_code"],
}
