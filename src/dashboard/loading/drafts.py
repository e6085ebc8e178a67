"""Draft, then approve: an officer's confirmed upload is saved as a draft (its files and the preview's sentence), shown
to the officers whose scope covers it, and published through the same staging and commit as any upload when a second
officer approves it (the preview computed again on the data as it is then), or discarded when one rejects it. Every
step is in the audit trail."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from dashboard.loading import refresh
from dashboard.published import upload as published_upload
from dashboard.published.load import KIND as PUBLISHED
from dashboard.store import drafts as store
from dashboard.trust import audit
from dashboard.trust.access import Grant

DRAFT, APPROVED, REJECTED = "draft", "approved", "rejected"
STATE_WORDS = {DRAFT: "Draft: waiting for approval", APPROVED: "Approved and published", REJECTED: "Rejected"}


class DraftError(RuntimeError):
    """A draft that cannot be saved, approved or rejected; the message says why in officer words."""


@dataclass(frozen=True)
class Draft:
    """One draft as the drafts file holds it."""

    draft_id: int
    kind: str
    file_name: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    organisations: tuple[str, ...]
    summary: str
    state: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None
    upload_id: int | None = None


def _draft(row) -> Draft:
    values = {column: (None if not isinstance(value, list | tuple) and pd.isna(value) else value)
              for column, value in row.items()}
    values["organisations"] = tuple(values["organisations"] or ())
    values["upload_id"] = None if values["upload_id"] is None else int(values["upload_id"])
    return Draft(**values)


def _record(db_path: Path, action: str, actor: str, client: str, target: str, detail: str) -> None:
    # The decision stands when the trail cannot be written: audit.record has logged it at error level.
    with contextlib.suppress(audit.AuditError):
        audit.record(db_path, action, actor, client, target, detail)


def _now() -> datetime:
    return audit.now().replace(tzinfo=None)  # stored as UTC without a zone, as the upload history's times


def save(db_path: Path, preview: refresh.Preview, files: list[tuple[str, bytes]], client: str) -> int:
    """Keep a confirmed preview's files as a draft (the staged copy is discarded: approval stages the files again
    on the data as it is then); returns the draft's id."""
    if not preview.can_commit:
        raise DraftError("There is nothing to save as a draft: " + preview.summary())
    try:
        with store.opened(db_path) as con:
            draft_id = store.add(con, preview.kind, preview.file_name, preview.sha256, preview.uploaded_by, _now(),
                                 list(preview.organisations), preview.summary(), files)
    except store.DraftStoreError as error:
        raise DraftError(f"{error} Nothing has changed.") from error
    finally:
        refresh.discard(preview)
    _record(db_path, "draft", preview.uploaded_by, client, f"draft {draft_id}",
                 f"{preview.kind} file {preview.file_name}, sha256 {preview.sha256[:12]}")
    return draft_id


def visible_to(grant: Grant, draft: Draft) -> bool:
    """True when this person may see the draft: its uploader, or an officer whose scope covers its kind and every
    council it is for. Viewers see no drafts."""
    if not grant.at_least("officer"):
        return False
    if draft.uploaded_by.lower() == grant.name.lower():
        return True
    return grant.covers(kind=draft.kind) and all(grant.covers(org) for org in draft.organisations)


def may_decide(grant: Grant, draft: Draft) -> bool:
    """True when this person may approve or reject the draft: an approver whose scope covers it, never its
    uploader."""
    return (draft.state == DRAFT and grant.may_approve(draft.uploaded_by, kind=draft.kind)
            and all(grant.covers(org) for org in draft.organisations))


def listed(db_path: Path, grant: Grant, state: str | None = None) -> list[Draft]:
    """The drafts this person may see, newest first (only those in `state`, if given)."""
    if not store.drafts_path(db_path).exists():
        return []
    try:
        with store.opened(db_path) as con:
            frame = store.listed(con, state)
    except store.DraftStoreError as error:
        raise DraftError(str(error)) from error
    return [d for d in (_draft(row) for _, row in frame.iterrows()) if visible_to(grant, d)]


def get(db_path: Path, draft_id: int, grant: Grant) -> Draft:
    """One draft this person may see; a DraftError naming it otherwise (another council's draft is 'not found',
    so its existence is not disclosed)."""
    found = [d for d in listed(db_path, grant) if d.draft_id == draft_id]
    if not found:
        raise DraftError(f"There is no draft {draft_id} you may see.")
    return found[0]


def restage(db_path: Path, draft: Draft, max_bytes: int | None = None) -> refresh.Preview:
    """The draft's files checked and applied to a staged copy of the data as it is now, under the uploader's name:
    the preview an approver sees and approval commits."""
    if draft.state != DRAFT:
        raise DraftError(f"Draft {draft.draft_id} is {draft.state} already.")
    try:
        with store.opened(db_path) as con:
            files = store.files(con, draft.draft_id)
    except store.DraftStoreError as error:
        raise DraftError(str(error)) from error
    if draft.kind == PUBLISHED:
        return published_upload.stage_uploaded(db_path, files, draft.uploaded_by, max_bytes)
    return refresh.stage(db_path, draft.kind, *files[0], draft.uploaded_by, max_bytes)


@contextlib.contextmanager
def _drafts(db_path: Path):
    try:
        with store.opened(db_path) as con:
            yield con
    except store.DraftStoreError as error:
        raise DraftError(str(error)) from error


def _comment(comment: str | None) -> str:
    text = (comment or "").strip()
    if not text:
        raise DraftError("Write a comment saying why: it is kept with the decision.")
    return text


def approve(db_path: Path, draft_id: int, preview: refresh.Preview, grant: Grant, comment: str,
            client: str) -> int:
    """Publish a draft: commit its preview (from restage) and record who approved it, when and why, under the change
    lock, so it is published once however many approve at once; returns the upload's id."""
    try:
        text = _comment(comment)
        draft = get(db_path, draft_id, grant)
    except DraftError:
        refresh.discard(preview)
        raise
    if not may_decide(grant, draft):
        refresh.discard(preview)  # decided meanwhile, or not theirs to decide: this preview is never committed
        raise DraftError("You may not approve this draft: " + why_not(grant, draft))
    if not preview.can_commit:
        raise DraftError("This draft changes nothing now: " + preview.summary() + " Reject it instead.")
    with refresh.change_lock(db_path):
        with _drafts(db_path) as con:
            if store.listed(con, DRAFT, draft_id).empty:
                refresh.discard(preview)
                raise DraftError(f"Draft {draft_id} was decided by someone else meanwhile; nothing was changed.")
        upload_id = refresh.commit(preview, db_path, locked=True)
        with _drafts(db_path) as con:
            store.decide(con, draft_id, APPROVED, grant.name, _now(), text, upload_id)
    _record(db_path, "approve", grant.name, client, f"draft {draft_id}",
                 f"published as upload {upload_id} ({draft.kind} file {draft.file_name} by {draft.uploaded_by}): "
                 f"{text}")
    return upload_id


def reject(db_path: Path, draft_id: int, grant: Grant, comment: str, client: str) -> None:
    """Discard a draft, keeping who rejected it, when and why; the data is not touched."""
    text = _comment(comment)
    draft = get(db_path, draft_id, grant)
    if not may_decide(grant, draft):
        raise DraftError("You may not reject this draft: " + why_not(grant, draft))
    with _drafts(db_path) as con:
        if store.listed(con, DRAFT, draft_id).empty:
            raise DraftError(f"Draft {draft_id} was decided by someone else meanwhile.")
        store.decide(con, draft_id, REJECTED, grant.name, _now(), text)
    _record(db_path, "reject", grant.name, client, f"draft {draft_id}",
                 f"{draft.kind} file {draft.file_name} by {draft.uploaded_by}: {text}")


def why_not(grant: Grant, draft: Draft) -> str:
    """Why this person may not approve or reject the draft, in words."""
    if draft.state != DRAFT:
        return f"it is {draft.state} already."
    if draft.uploaded_by.lower() == grant.name.lower():
        return "you uploaded it, and a second officer must approve it."
    if not grant.at_least("approver"):
        return "your role is officer; approving needs an approver."
    return "it is outside the councils or kinds you may approve."


def decisions_table(found: list[Draft]) -> pd.DataFrame:
    """Drafts as the pages and the command line list them: who uploaded, who decided, when and why."""
    def when(value) -> str:
        return "" if value is None else pd.Timestamp(value).strftime("%d/%m/%Y %H:%M")

    return pd.DataFrame({
        "Draft": [d.draft_id for d in found], "State": [STATE_WORDS.get(d.state, d.state) for d in found],
        "Kind": [d.kind for d in found], "File": [d.file_name for d in found],
        "Councils": [", ".join(d.organisations) for d in found],
        "Uploaded by": [d.uploaded_by for d in found], "Uploaded": [when(d.uploaded_at) for d in found],
        "Decided by": [d.decided_by or "" for d in found], "Decided": [when(d.decided_at) for d in found],
        "Comment": [d.comment or "" for d in found],
        "Upload": [str(d.upload_id) if d.upload_id is not None else "" for d in found],
        "What it changes": [d.summary for d in found]})
