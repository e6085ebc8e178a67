"""The data version a link carries (the latest upload id when it was made), what has happened to the data since,
in words, and whether the figures as they were can be rebuilt from the upload journal."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Since:
    """What happened to the data between a link's version and the latest load."""

    version: int                      # the version the link carries
    latest: int                       # the latest upload id now
    uploads: tuple[int, ...] = ()     # loads after the link other than rollbacks (officers' uploads, rebuilt data)
    rollbacks: tuple[int, ...] = ()   # rollbacks after the link
    undone: tuple[int, ...] = ()      # uploads the link's figures included that a later rollback removed
    unknown: bool = False             # the link names a version this database never had (it was rebuilt)

    @property
    def changed(self) -> bool:
        """Whether the link's figures may differ from the current ones."""
        return self.unknown or bool(self.uploads or self.rollbacks)

    @property
    def reconstructable(self) -> bool:
        """Whether the journal still holds the data as they were: a rollback deletes the rows of the uploads it
        undoes, so a link made while such an upload was in force cannot be rebuilt."""
        return self.changed and not self.unknown and not self.undone

    def words(self) -> str:
        """The notice at the top of a page opened from an older link."""
        if self.unknown:
            return (f"This link was made on data version {self.version}, which this dashboard does not hold (its "
                    f"data were rebuilt since); it shows the current figures (version {self.latest}).")
        if not self.changed:
            return ""
        counts = [_count(len(self.uploads), "upload"), _count(len(self.rollbacks), "rollback")]
        return ("The data have changed since this link was made: " + ", ".join(c for c in counts if c) + ".")

    def why_not_as_they_were(self) -> str:
        """Why the figures as they were cannot be shown, or '' when they can."""
        if self.unknown or not self.changed:
            return ""
        if self.undone:
            return (f"The figures as they were cannot be rebuilt: upload{'s' if len(self.undone) > 1 else ''} "
                    f"{_list(self.undone)}, which this link's figures included, "
                    f"{'were' if len(self.undone) > 1 else 'was'} rolled back since, and a rollback keeps no copy "
                    "of the rows it removes.")
        return ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}" if n else ""


def _list(ids: Iterable[int]) -> str:
    ids = [str(i) for i in ids]
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def latest(history: Iterable[Mapping]) -> int:
    """The current data version: the latest upload id (0 for a database with no loads)."""
    return max((int(row["upload_id"]) for row in history), default=0)


def since(history: Iterable[Mapping], version: int) -> Since:
    """What happened after `version`, from the load history (rows with upload_id, kind, rolled_back_by; as
    store.as_of.load_history gives them)."""
    rows = list(history)
    now = latest(rows)
    known = {int(row["upload_id"]) for row in rows}
    if version not in known:  # rebuilt since, or a hand-edited link
        return Since(version, now, unknown=True)
    later = [row for row in rows if int(row["upload_id"]) > version]
    return Since(
        version, now,
        uploads=tuple(int(row["upload_id"]) for row in later if row["kind"] != "rollback"),
        rollbacks=tuple(int(row["upload_id"]) for row in later if row["kind"] == "rollback"),
        undone=tuple(int(row["upload_id"]) for row in rows
                     if int(row["upload_id"]) <= version and _present(row.get("rolled_back_by"))
                     and int(row["rolled_back_by"]) > version))


def _present(value) -> bool:
    # pandas hands a missing integer as <NA> or NaN: neither is a rollback
    try:
        return value is not None and value == value and int(value) >= 0
    except (TypeError, ValueError):
        return False
