"""What a rollback undoes and why: the chosen upload plus every later upload that changed the same rows (or wrote
rows naming one it added), found transitively, and the words the page and the command line say about it."""
from __future__ import annotations

from dataclasses import dataclass

# Journalled tables in officer words, for "upload 14 also changed 3 of the same indicator values".
TABLE_WORDS = {
    "organisations": "council details", "organisation_aliases": "council names or codes", "plans": "plans",
    "areas": "plan areas", "indicators": "indicator definitions", "indicator_aliases": "indicator names or codes",
    "indicator_areas": "indicator-to-area links", "actions": "actions", "action_statuses": "action statuses",
    "observations": "indicator values", "efficiency_lines": "efficiency lines",
}


@dataclass(frozen=True)
class Reason:
    """Why a later upload is undone too: it overlaps an upload already in the rollback."""

    upload_id: int      # the later upload
    overlaps: int       # the upload in the rollback it overlaps
    table: str
    why: str            # "same": changed rows of the same key; "added": wrote rows naming a row `overlaps` added;
                        # "restated": rows that wrote nothing but rely on `overlaps`: given again unchanged,
                        # removals it had done, or removals naming what it added
    rows: int

    def words(self) -> str:
        """One clause: 'upload 14 also changed 3 of the same indicator values as upload 12'."""
        what = TABLE_WORDS.get(self.table, self.table)
        if self.why == "restated":
            return (f"upload {self.upload_id} has {self.rows} {what} row(s) that rely on upload {self.overlaps} "
                    "(given again unchanged, already removed by it, or naming what it added)")
        if self.why == "added":
            return (f"upload {self.upload_id} has {self.rows} {what} row(s) that need what upload "
                    f"{self.overlaps} added")
        return f"upload {self.upload_id} also changed {self.rows} of the same {what} as upload {self.overlaps}"


@dataclass(frozen=True)
class RollbackPlan:
    """The uploads one rollback undoes (newest first) and, for each beyond the chosen one, why."""

    upload_id: int
    undone: tuple[int, ...]
    reasons: tuple[Reason, ...] = ()
    kept: tuple[int, ...] = ()  # later uploads in force that stay: they changed other rows

    @property
    def others(self) -> tuple[int, ...]:
        """The later uploads undone with the chosen one."""
        return tuple(u for u in self.undone if u != self.upload_id)

    def words(self) -> str:
        """What the rollback does, for the page and the command line."""
        text = f"Rolling back upload {self.upload_id} puts back the rows it changed, as they were before it."
        if self.others:
            text += (f" It also undoes {_uploads(self.others)}, because " + "; ".join(r.words() for r in self.reasons)
                     + ".")
        if self.kept:
            verb = "stays" if len(self.kept) == 1 else "stay"
            text += f" {_uploads(self.kept).capitalize()}, which changed other rows, {verb} in force."
        return text

    def confirm_label(self) -> str:
        """The confirmation the officer ticks."""
        if self.others:
            return f"I understand; roll back {_uploads(self.undone[::-1])}"
        return f"I understand; roll back upload {self.upload_id}"

    def note(self) -> str:
        """The rollback's note in the upload history."""
        text = f"Rolled back upload {self.upload_id}"
        if self.others:
            text += f" and {_uploads(self.others)} (" + "; ".join(r.words() for r in self.reasons) + ")"
        return text


def _uploads(ids) -> str:
    ids = [str(i) for i in ids]
    listed = ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]
    return f"upload{'s' if len(ids) > 1 else ''} {listed}"


def plan(upload_id: int, in_force: list[int], edges: list[tuple[int, int, str, str, int]]) -> RollbackPlan:
    """The rollback of `upload_id`, given the officers' uploads in force from it on (ascending) and the overlaps
    between them ((earlier, later, table, why, rows), store.uploads.overlaps): a later upload is undone when it
    overlaps one already undone, checked in upload order so that overlaps of overlaps count too."""
    undone = [upload_id]
    reasons = []
    for later in sorted(u for u in in_force if u > upload_id):
        found = [Reason(b, a, table, why, rows) for a, b, table, why, rows in sorted(edges)
                 if b == later and a in undone]
        if found:
            undone.append(later)
            reasons.extend(found)
    kept = tuple(u for u in sorted(in_force) if u not in undone)
    return RollbackPlan(upload_id, tuple(sorted(undone, reverse=True)), tuple(reasons), kept)
