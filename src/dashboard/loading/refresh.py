"""The officers' refresh workflow: validate an upload and apply it to a staged copy of the database, preview what it
changes, then commit by swapping the copy in whole (or discard it); roll uploads back the same way. A lock file
serialises every change to the database."""
from __future__ import annotations

import contextlib
import gc
import hashlib
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.importer.action_checks import action_problems, stale_effective_problems
from dashboard.importer.columnar import validate_indicators
from dashboard.importer.files import read_upload, read_workbook, workbook_sheet_names
from dashboard.importer.officer import KIND_LABELS, OFFICER_KINDS, SETUP, TABLE_KEYS
from dashboard.importer.pipeline import Batch
from dashboard.importer.problems import Problem
from dashboard.importer.read import read_csv_text
from dashboard.importer.structure import STRUCTURE_KINDS, changed_definitions, moves
from dashboard.importer.workbook import setup_sheets, validate_sheet, validate_workbook
from dashboard.loading import changes as diff
from dashboard.loading.rollback_plan import RollbackPlan, plan as plan_rollback
from dashboard.operations import faults
from dashboard.reading import assessment_table
from dashboard.reading.indicator_status import assess
from dashboard.settings import max_upload_bytes
from dashboard.store import published, queries, uploads
from dashboard.store.connection import connect, cursor
from dashboard.store.database_file import (  # the file's owner: lock, copy, swap, migrate
    CommitError,
    change_a_copy as _change_a_copy,
    change_lock,
    ensure_schema,
    open_current as _open_current,
    remove_copy as _unlink,
    remove_strays,
    stage_copy,
    swap_in,
)
from dashboard.trust import scope
from dashboard.trust.access import Grant

STRUCTURE_NAMES = tuple(kind.name for kind in STRUCTURE_KINDS)
STRUCTURE_TABLES = {"organisations", "plans", "areas", "indicators", "indicator_areas"}


@dataclass
class Preview:
    """An upload checked and applied to a staged copy, waiting for the officer to confirm or cancel."""

    kind: str
    file_name: str
    sha256: str
    uploaded_by: str
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, diff.TableChange | diff.FrameChange] = field(default_factory=dict)
    rag_changes: pd.DataFrame | None = None
    moves: list[str] = field(default_factory=list)  # what a change of structure moves, in sentences
    status_changes: pd.DataFrame | None = None
    duplicate_of: dict | None = None
    staged: Path | None = None
    hold: object = field(default=None, repr=False, compare=False)  # the staged copy's owner lock (see stage_copy)
    base_upload_id: int | None = None  # the newest load in the database the preview was computed on
    upload_id: int | None = None       # the id the upload gets when committed
    row_count: int = 0
    organisations: list[str] = field(default_factory=list)  # the councils its rows are for (dashboard.trust.scope)
    source: str = ""  # who published the files, for a published import (the licence and source line)

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the commit."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the officer may accept."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def can_commit(self) -> bool:
        """True when there is a staged change and nothing blocks it."""
        return self.staged is not None and not self.errors

    def summary(self, text=str) -> str:
        """One sentence on the outcome, for the page and the command line; `text` escapes the names in it (the
        page passes render.plain, so a file name is shown as written, never read as Markdown)."""
        name = text(self.file_name)
        if self.errors:
            return (f"{name} was not loaded: {len(self.errors)} problem(s) to fix. Nothing has changed in "
                    "the dashboard.")
        if self.duplicate_of:
            d = self.duplicate_of
            return (f"{name} is the same file as upload {d['upload_id']} ({text(d['file_name'])}, by "
                    f"{text(d['uploaded_by'])} on {d['uploaded_at']:%d/%m/%Y %H:%M}); nothing to change.")
        added, changed, removed = diff.counts(self.changes)
        if self.staged is None:
            return f"{name} matches the data already in the dashboard; nothing to change."
        return (f"{name}: {added:,} row(s) to add, {changed:,} to change, {removed:,} to remove "
                f"({sum(c.unchanged for c in self.changes.values()):,} unchanged).")


def guess_kind(text: str) -> str | None:
    """The officer kind whose required columns the file's header has, when exactly one fits."""
    headers, _, _ = read_csv_text(text.split("\n", 1)[0] + "\n")
    fits = [name for name, kind in OFFICER_KINDS.items() if set(kind.required) <= set(headers)]
    return fits[0] if len(fits) == 1 else None


def validate_upload(con: duckdb.DuckDBPyConnection, kind: str, text: str | dict[str, str], file_name: str,
                    on_records: Callable[[pa.Table], None] | None = None) -> Batch:
    """Every check on an officer's file against the current data: cells, references, repeats and warnings
    (`on_records`: see validate_indicators). A set-up workbook's `text` is its sheets' (name -> CSV text)."""
    if kind == "indicators":  # the kind that comes a million rows at a time: checked column by column
        return validate_indicators(con, text, file_name, on_records)
    known = queries.known_references(con)
    if kind == SETUP or kind in STRUCTURE_NAMES:
        known.structure = queries.structure_references(con)
    if kind == SETUP:
        return validate_workbook(text, file_name, known)
    batch = validate_sheet(kind, text, file_name, known)
    if kind == "actions":  # cycles and codes differing only in capitals (importer/action_checks.py)
        batch.problems.extend(action_problems(queries.action_parents(con), batch.records.get("actions", []),
                                              file_name))
        batch.problems.extend(stale_effective_problems(queries.latest_statuses(con),
                                                       batch.records.get("action_statuses", []), file_name))
        # File-wide problems first, then row by row as the officer reads the file.
        batch.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return batch


def upload_name(file_name: str) -> str:
    """The name an upload is recorded and shown under: the file's own name, without folders or control characters.
    Browsers send only that, but any client can send '../../x.csv' or 'C:\\x\\y.csv'; the name is never used
    to make a path (staged copies are named after the database), and this keeps folders out of the history too."""
    name = re.split(r"[\\/]", file_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[-200:]  # the end keeps the extension
    return name if name.strip(".") else "upload.csv"


def sha256(data: bytes) -> str:
    """The checksum recorded with an upload; the same file twice has the same one."""
    return hashlib.sha256(data).hexdigest()


def stage(db_path: Path, kind: str | None, file_name: str, data: bytes, uploaded_by: str,
          max_bytes: int | None = None, grant: Grant | None = None) -> Preview:
    """Check an upload and apply it to a staged copy of the database; the live database is not touched. With a
    `grant`, a kind or rows outside its scope are problems that block it. A full disk, an unwritable folder or a
    database locked by another program is a CommitError in words."""
    with faults.in_words("The file was not loaded", db_path, CommitError):
        return _stage(db_path, kind, file_name, data, uploaded_by, max_bytes, grant)


def _stage(db_path: Path, kind: str | None, file_name: str, data: bytes, uploaded_by: str,
           max_bytes: int | None, grant: Grant | None = None) -> Preview:
    remove_strays(db_path)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    file_name = upload_name(file_name)
    preview = Preview(kind or "", file_name, sha256(data), uploaded_by)
    if len(data) > limit:
        preview.problems.append(Problem(None, None, None, f"The file is {len(data) / 1048576:,.1f} MB; the limit "
                                        f"is {limit / 1048576:,.0f} MB. Split it into smaller files.",
                                        file=file_name))
        return preview
    if _refused(preview, grant, kind):  # before reading: a kind outside scope is refused whatever the file holds
        return preview
    several = len(setup_sheets(workbook_sheet_names(data))) > 1  # a sheet for each of several kinds
    if kind is None and several:
        kind = preview.kind = SETUP  # such a workbook is the set-up workbook
    text, problems = read_workbook(file_name, data) if kind == SETUP else read_upload(file_name, data, kind or "")
    preview.problems.extend(problems)
    if several and kind != SETUP and text is not None:
        preview.problems.append(Problem(None, None, None, f"Only this workbook's sheet for {kind} is read; to upload "
                                        "every sheet at once, choose 'Set-up workbook (everything)' (on the command "
                                        "line, --kind setup).", "warning", file_name))
    if text is None:
        return preview
    if kind is None:
        kind = guess_kind(text)
        if kind is None:
            preview.problems.append(Problem(1, None, None, "The columns do not say which kind of file this is; "
                                            "choose the kind (" + ", ".join(OFFICER_KINDS) + ").", file=file_name))
            return preview
        preview.kind = kind
    if _refused(preview, grant, kind):  # a kind read from the file's columns or sheets
        return preview
    live = _open_current(db_path)
    before = _PositionsBefore(live)
    try:
        with _cyclic_gc_paused():
            preview.duplicate_of = uploads.active_upload_with_sha(live, kind, preview.sha256)
            if preview.duplicate_of:
                return preview
            batch = validate_upload(live, kind, text, file_name, before.start)
            preview.problems.extend(batch.problems)
            preview.row_count = batch.row_count
            by_organisation = scope.rows_by_organisation(batch, queries.plan_organisations(live))
            preview.organisations = sorted(by_organisation)
            if grant is not None:
                preview.problems.extend(scope.problems_outside(grant, by_organisation, file_name))
            if preview.errors:
                return preview
            staged, preview.hold = stage_copy(db_path)
            try:
                _apply(staged, preview, batch)
                if preview.staged is not None:
                    _effects(live, preview, batch, before)
                else:
                    discard(preview)
            except BaseException:
                _unlink(staged)
                discard(preview)
                raise
    finally:
        before.close()
        live.close()
    return preview


def _refused(preview: Preview, grant: Grant | None, kind: str | None) -> bool:
    # True (and the problem added) when the grant does not cover the kind.
    refused = None if grant is None or kind is None else scope.kind_problem(grant, kind, KIND_LABELS.get(kind, kind),
                                                                            preview.file_name)
    if refused is not None:
        preview.problems.append(refused)
    return refused is not None


_gc_pauses = 0  # imports now pausing the collector (Streamlit runs each session's script in its own thread)
_gc_was_enabled = True
_gc_lock = threading.Lock()


@contextmanager
def _cyclic_gc_paused():
    # A large upload makes millions of small objects (a dict per row and per record) that live until the preview
    # is done, and every automatic collection of the oldest generation walks all of them again: half the compare of
    # a national file. Reference counting frees them as before; the few cycles made meanwhile are collected once the
    # collector resumes. Process-wide, so counted: the first import to pause it remembers whether it was on, and
    # the last one to finish puts it back, however two imports overlap.
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _apply(staged: Path, preview: Preview, batch: Batch) -> None:
    con = connect(staged)
    try:
        preview.base_upload_id = uploads.latest_upload_id(con)
        con.execute("BEGIN TRANSACTION")
        upload_id = uploads.record_upload(con, kind=preview.kind, file_name=preview.file_name,
                                          sha256=preview.sha256, uploaded_by=preview.uploaded_by,
                                          row_count=batch.row_count)
        for table in uploads.JOURNALLED:
            if table in batch.frames:
                change = _apply_frame(con, table, batch.frames[table], upload_id)
            else:
                incoming = batch.records.get(table, [])
                if not incoming:
                    continue
                keys = {column: [record.get(column) for record in incoming] for column in TABLE_KEYS[table]}
                change = diff.classify(table, uploads.current_rows(con, table, keys), incoming)
                uploads.supersede(con, table, change.replaced_rowids, upload_id)
                uploads.insert_rows(con, table, change.inserts, upload_id)
                _record_restated(con, table, change, upload_id)
            preview.changes[table] = change
            for missing in change.not_found:
                preview.problems.append(Problem(missing.get("upload_row"), "remove", "yes", "there is no such row in "
                                                "the dashboard to remove; this row changes nothing.", "warning",
                                                preview.file_name))
        added, changed, removed = diff.counts(preview.changes)
        if not (added or changed or removed):
            con.execute("ROLLBACK")
            con.close()
            _unlink(staged)
            return
        uploads.set_counts(con, upload_id, added, changed, removed)
        _reassess(con, preview, batch)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")  # everything in the file itself: no write-ahead log travels with the swap
        preview.upload_id = upload_id
        preview.staged = staged
    finally:
        con.close()


def _reassess(con: duckdb.DuckDBPyConnection, preview: Preview, batch: Batch) -> None:
    # The stored assessment (v_indicator_assessment) follows the data in the same transaction: the councils whose
    # values changed, or every council when indicator definitions or their areas did.
    touched = {table for table, change in preview.changes.items() if any(change.counts)}
    # The stored benchmarks (v_benchmarks) first, since the assessment reads them: every one when definitions or
    # organisations changed, else those of the published indicators whose figures did (usually none).
    if touched & {"indicators", "organisations"}:
        published.refresh_benchmarks(con)
    elif "observations" in touched:
        published.refresh_benchmarks(con, _indicator_codes(batch))
    if touched & {"indicators", "indicator_areas"}:
        assessment_table.materialise(con)
    elif "observations" in touched:
        assessment_table.materialise(con, _organisations(batch) if "observations" in batch.frames else None)


def _organisations(batch: Batch) -> list[str]:
    return sorted(pc.unique(batch.frames["observations"]["organisation_id"]).to_pylist())


def _indicator_codes(batch: Batch) -> list[str]:
    if "observations" in batch.frames:
        return pc.unique(batch.frames["observations"]["indicator_code"]).to_pylist()
    return sorted({record["indicator_code"] for record in batch.records.get("observations", [])})


def _apply_frame(con: duckdb.DuckDBPyConnection, table: str, incoming: pa.Table, upload_id: int) -> diff.FrameChange:
    """The upload's records of one table, held as columns, compared and applied by joins in DuckDB."""
    positioned = incoming.append_column("position", pa.array(range(incoming.num_rows), pa.int64()))
    matches = uploads.matching_rows(con, table, positioned, TABLE_KEYS[table],
                                    diff.compared_columns(table, incoming.column_names))
    change = diff.classify_frame(table, incoming, matches)
    uploads.supersede(con, table, change.replaced_rowids, upload_id)
    uploads.insert_table(con, table, change.inserts, upload_id)
    _record_restated(con, table, change, upload_id)
    return change


def _record_restated(con: duckdb.DuckDBPyConnection, table: str, change: diff.TableChange | diff.FrameChange,
                     upload_id: int) -> None:
    # Rows given again unchanged, and removals already done, write nothing; a rollback of the upload they depend on
    # must still undo this one (uploads.overlaps).
    counts = dict(change.restated)
    if change.not_found:
        missing = {column: [row.get(column) for row in change.not_found] for column in TABLE_KEYS[table]}
        for remover, n in uploads.removers(con, table, missing).items():
            counts[remover] = counts.get(remover, 0) + n
        # A removal that found nothing still named a council, indicator or action: an upload that added it
        # made the row acceptable, so its rollback undoes this upload too.
        for adder, n in uploads.adders(con, table, change.not_found).items():
            counts[adder] = counts.get(adder, 0) + n
    uploads.record_restated(con, upload_id, table, counts)


apply_frame = _apply_frame  # for other importers (dashboard.published.load) that compare and apply a table the same way


def _effects(live: duckdb.DuckDBPyConnection, preview: Preview, batch: Batch, positions: _PositionsBefore) -> None:
    staged = connect(preview.staged, read_only=True)
    try:
        if STRUCTURE_TABLES & set(preview.changes):
            preview.moves = moves(preview.changes, queries.structure_references(live))
        redefined = changed_definitions(preview.changes)
        if "observations" in preview.changes or redefined:
            # Only indicators with a row added, changed or removed, or whose polarity or tolerance changed, can
            # move: the others have the same values and rule, so the same position, before and after.
            touched = preview.changes["observations"].touched_pairs() if "observations" in preview.changes else set()
            touched |= queries.valued_pairs(live, redefined) if redefined else set()
            organisations = sorted({org for org, _ in touched})
            pairs = positions.pairs_or_all(touched, organisations)
            # One query per database for every council (DuckDB already spreads each query over the cores); the
            # live database's was started while the file was being checked.
            before = positions.result(organisations, pairs)
            after = assess(queries.indicator_positions_of(staged, organisations, pairs=pairs))
            preview.rag_changes = diff.rag_changes_by_council(before, after, organisations) if organisations \
                else None
        if {"actions", "action_statuses"} & set(preview.changes):
            preview.status_changes = diff.status_changes(queries.action_statuses_now(live),
                                                         queries.action_statuses_now(staged))
    finally:
        staged.close()


class _PositionsBefore:
    """The RAG positions an indicators upload could move, as the live database has them, assessed on a second
    connection in a worker thread while the rest of the file is checked and the staged copy is changed: at national
    scale the query takes a second or more and needs only the live database and the file's valid rows. The rows
    the file names are a superset of the rows it changes, and a position depends on its own pair's values alone,
    so the rows kept by `result` are exactly what the query for the changed pairs gives."""

    def __init__(self, live: duckdb.DuckDBPyConnection):
        self._live = live
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._future: Future | None = None
        self._indicators: int | None = None  # how many indicators there are: asked once, for both sides

    def pairs_or_all(self, pairs, organisations: list[str]) -> list[tuple[str, str]] | None:
        """The (council, indicator) pairs whose RAG positions to compare, or None for all of the councils'
        indicators: when the pairs are most of them, filtering would cost more than it saves, and changes no row."""
        if self._indicators is None:
            self._indicators = len(queries.indicator_units(self._live))
        return None if len(pairs) > len(organisations) * self._indicators // 2 else sorted(pairs)

    def start(self, records: pa.Table) -> None:
        """Begin assessing the councils and indicators of these records (an indicators upload's valid rows)."""
        named = records.select(["organisation_id", "indicator_code"]).group_by(
            ["organisation_id", "indicator_code"]).aggregate([])
        organisations = sorted(pc.unique(named["organisation_id"]).to_pylist())
        pairs = self.pairs_or_all(list(zip(named["organisation_id"].to_pylist(), named["indicator_code"].to_pylist())),
                                  organisations)
        self._cursor = cursor(self._live)  # a connection of its own: one connection is not for two threads
        self._future = _WORKER.submit(lambda: assess(queries.indicator_positions_of(self._cursor, organisations,
                                                                                    pairs=pairs)))

    def result(self, organisations: list[str], pairs: list[tuple[str, str]] | None) -> pd.DataFrame:
        """The assessed positions of these councils (and only these pairs, unless None) before the upload."""
        if self._future is None:  # not started (only an indicators file with no failed row starts it)
            return assess(queries.indicator_positions_of(self._live, organisations, pairs=pairs))
        positions = self._future.result()
        keep = positions["organisation_id"].isin(organisations)
        if pairs is not None:
            keep &= pd.Series(list(zip(positions["organisation_id"], positions["indicator_code"])),
                              index=positions.index).isin(set(pairs))
        return positions[keep].reset_index(drop=True)

    def close(self) -> None:
        """Stop the work if it is still running (the upload was refused) and close its connection."""
        if self._future is not None:
            if not self._future.cancel() and not self._future.done():  # running: stop its query
                self._cursor.interrupt()
            # Stopped; or failed, which `result` has raised already if the preview needed it.
            with contextlib.suppress(Exception):
                self._future.result()
            self._cursor.close()
            self._future = None


# Two: one for each of two uploads checked at once (the server runs each session in a thread of its own).
_WORKER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="positions-before")


def commit(preview: Preview, db_path: Path, locked: bool = False) -> int:
    """Swap the staged copy in as the live database, unless another change was committed since the preview."""
    if not preview.can_commit:
        raise CommitError("There is nothing to commit: " + preview.summary())
    with faults.in_words("The upload was not saved", db_path, CommitError, "The database is as it was."), \
            (_no_lock() if locked else change_lock(db_path)):
        live = connect(db_path, read_only=True)
        try:
            current = uploads.latest_upload_id(live)
        finally:
            live.close()
        if current != preview.base_upload_id:
            discard(preview)
            raise CommitError("The data changed after this preview (another upload or a rollback was saved); "
                              "upload the file again to see what it changes now. Nothing was changed.")
        swap_in(preview.staged, db_path)
    preview.staged = None
    discard(preview)  # releases the hold: the copy is the live database now
    return preview.upload_id


def discard(preview: Preview) -> None:
    """Cancel a preview: delete its staged copy and release its hold."""
    if preview.staged is not None:
        _unlink(preview.staged)
        preview.staged = None
    if preview.hold is not None:
        preview.hold.close()
        preview.hold = None


def rollback_plan(db_path: Path, upload_id: int) -> RollbackPlan:
    """What a rollback of `upload_id` would undo: it and every later upload that changed the same rows, and why
    (uploads.RollbackError, a ValueError, when it cannot be rolled back)."""
    ensure_schema(db_path)
    con = connect(db_path, read_only=True)
    try:
        return _plan(con, upload_id)
    finally:
        con.close()


def rollback_scope(db_path: Path, upload_id: int) -> list[int]:
    """The uploads a rollback of `upload_id` would undo, newest first (rollback_plan says why)."""
    return list(rollback_plan(db_path, upload_id).undone)


def _plan(con: duckdb.DuckDBPyConnection, upload_id: int) -> RollbackPlan:
    in_force, edges = uploads.overlaps(con, upload_id, TABLE_KEYS)
    return plan_rollback(upload_id, in_force, edges)


def roll_back(db_path: Path, upload_id: int, by: str, expected: list[int] | None = None) -> int:
    """Undo an upload (and the later ones that changed the same rows) on a staged copy and swap it in; returns the
    rollback's own id. With `expected` (what the officer confirmed), refuses if the plan is no longer that."""
    try:
        return _change_a_copy(db_path, lambda con: _rolled_back(con, upload_id, by, expected), "Not rolled back")
    except uploads.RollbackError as error:
        raise CommitError(f"Cannot roll back: {error}") from error


def _rolled_back(con: duckdb.DuckDBPyConnection, upload_id: int, by: str, expected: list[int] | None) -> int:
    plan = _plan(con, upload_id)  # under the change lock, on the copy being changed
    if expected is not None and sorted(expected) != sorted(plan.undone):
        raise uploads.RollbackError(f"the uploads it would undo have changed since you confirmed (now "
                                    f"{', '.join(map(str, plan.undone))}); check them and confirm again.")
    rollback_id = uploads.rollback(con, upload_id, by, list(plan.undone), plan.note())
    published.refresh_benchmarks(con)  # the restored figures' comparisons (v_benchmarks), read by the assessment
    assessment_table.materialise(con)  # the restored values' verdicts (v_indicator_assessment)
    return rollback_id


def history(db_path: Path) -> pd.DataFrame:
    """Every load of data, newest first."""
    ensure_schema(db_path)
    con = connect(db_path, read_only=True)
    try:
        return uploads.upload_history(con)
    finally:
        con.close()


@contextmanager
def _no_lock():
    yield
