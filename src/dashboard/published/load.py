"""Import published national statistics through the officers' upload pipeline: read and check every file, apply
them to a staged copy of the database (new organisations, aliases, indicators, neighbour models; figures compared
with those already held, the replaced ones journalled for rollback), preview, then commit by swap."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dashboard.importer.problems import Problem
from dashboard.loading import refresh
from dashboard.published.ees import read_ees
from dashboard.published.lait import read_lait
from dashboard.published.mapping import apply_mapping, read_mapping
from dashboard.published.neighbours import NeighbourModel, read_neighbours
from dashboard.published.organisations import Organisations
from dashboard.published.reading import LICENCE, Reading
from dashboard.published.recognise import recognise
from dashboard.published.records import observations
from dashboard.reading import assessment_table
from dashboard.store import database_file, published as store, uploads
from dashboard.store.connection import connect
from dashboard.store.references import alias_key

KIND = "published"
DICTIONARY_NAME = "lait_data_dictionary.csv"
INDICATOR_COLUMNS = ("indicator_code", "name", "unit", "polarity", "polarity_basis", "family", "year_type",
                     "decimals", "description", "owner", "topic", "no_quartile", "upload_row")


@dataclass
class Files:
    """The files of one import, read and checked (nothing written yet)."""

    readings: list[Reading] = field(default_factory=list)
    models: list[NeighbourModel] = field(default_factory=list)
    indicator_aliases: list[dict] = field(default_factory=list)  # from a mapping file
    problems: list[Problem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that refuse the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def names(self) -> str:
        """The files' names, as the upload history shows them."""
        return ", ".join(path.name for path in self.paths)

    @property
    def source(self) -> str:
        """The sources named with the licence line, for the upload's note."""
        sources = list(dict.fromkeys(reading.source for reading in self.readings))
        return "; ".join(sources + [LICENCE]) + "."

    def sha256(self) -> str:
        """One checksum of every file, in order."""
        digest = hashlib.sha256()
        for path in self.paths:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def read_files(paths: list[Path], dictionary: Path | None = None, neighbours: list[Path] | tuple = (),
               mapping: Path | None = None) -> Files:
    """Recognise and read every file. LAIT's values need its data dictionary: --dictionary, one of the paths, or
    lait_data_dictionary.csv beside the values file. A mapping file (dashboard.published.mapping) renames series,
    gives them polarity or aliases them."""
    files = Files()
    kinds: dict[str, list[Path]] = {"lait": [], "dictionary": [], "ees": [], "neighbours": []}
    for path in [Path(p) for p in paths] + ([Path(dictionary)] if dictionary else []) + [Path(p) for p in neighbours]:
        if path in files.paths:
            continue
        kind, problem = recognise(path)
        if problem:
            files.problems.append(problem)
            continue
        files.paths.append(path)
        kinds[kind].append(path)
    if files.errors:
        return files
    if len(kinds["dictionary"]) > 1:
        names = ", ".join(path.name for path in kinds["dictionary"])
        files.problems.append(Problem(None, None, None, "Give one LAIT data dictionary, not "
                                      f"{len(kinds['dictionary'])}.", file=names))
        return files
    lait_dictionary = kinds["dictionary"][0] if kinds["dictionary"] else None
    for path in kinds["lait"]:
        if lait_dictionary is None and (path.parent / DICTIONARY_NAME).is_file():
            lait_dictionary = path.parent / DICTIONARY_NAME
            files.paths.append(lait_dictionary)
        if lait_dictionary is None:
            files.problems.append(Problem(None, None, None, "LAIT's values need its data dictionary for each "
                                          "measure's name, unit and polarity: give lait_data_dictionary.csv with it "
                                          "(on the command line, --dictionary FILE).",
                                          file=path.name))
            continue
        files.readings.append(read_lait(path, lait_dictionary))
    files.readings.extend(read_ees(path) for path in kinds["ees"])
    files.models.extend(read_neighbours(path) for path in kinds["neighbours"])
    for item in files.readings + files.models:
        files.problems.extend(item.problems)
    if mapping is not None and not files.errors:
        rows, problems = read_mapping(Path(mapping))
        files.problems.extend(problems)
        files.paths.append(Path(mapping))
        if not any(p.severity == "error" for p in problems):
            files.indicator_aliases, problems = apply_mapping(files.readings, rows, Path(mapping).name)
            files.problems.extend(problems)
    if not files.readings and not files.models and not files.errors:
        files.problems.append(Problem(None, None, None, "There is nothing to import: give LAIT's values, an EES "
                                      "tidy CSV or a statistical neighbour workbook."))
    return files


@dataclass
class PublishedPreview(refresh.Preview):
    """A published import checked and applied to a staged copy, with what it adds besides figures."""

    added: dict[str, int] = field(default_factory=dict)   # table -> new rows (organisations, indicators ...)

    def summary(self, text=str) -> str:
        """One sentence on the outcome, with what the import adds besides figures."""
        sentence = super().summary(text)
        extra = ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in self.added.items() if count)
        return f"{sentence} New: {extra}." if extra and not self.errors else sentence


def stage_published(db_path: Path, paths: list[Path], *, dictionary: Path | None = None,
                    neighbours: list[Path] | tuple = (), mapping: Path | None = None,
                    uploaded_by: str) -> PublishedPreview:
    """Read and check the files, then apply them to a staged copy of the database; the live one is not touched
    (call with the database at the current schema, database_file.ensure_schema, and the change lock held)."""
    database_file.remove_strays(db_path)
    files = read_files(paths, dictionary, neighbours, mapping)
    named = files.names or ", ".join(Path(path).name for path in paths)  # a refused file is named too
    preview = PublishedPreview(KIND, refresh.upload_name(named or "published"), "", uploaded_by, source=files.source)
    preview.problems.extend(files.problems)
    if files.errors:
        return preview
    preview.sha256 = files.sha256()
    live = connect(db_path, read_only=True)
    try:
        preview.duplicate_of = uploads.active_upload_with_sha(live, KIND, preview.sha256)
    finally:
        live.close()
    if preview.duplicate_of:
        return preview
    # The copy is held (locked) from before its first byte until commit or cancel, so no clean-up takes it.
    staged, preview.hold = database_file.stage_copy(db_path)
    try:
        con = connect(staged)
        try:
            preview.base_upload_id = uploads.latest_upload_id(con)
            upload_id = write(con, files, preview, kind=KIND)
            if upload_id is None:
                con.close()
                preview.hold.close()
                preview.hold = None
                database_file.remove_copy(staged)
                return preview
            # Every council's verdicts against comparators follow (v_indicator_assessment): new figures move every
            # council's band and neighbours' mean, not only the councils whose own figures came. They read the
            # stored benchmarks (v_benchmarks), recomputed first.
            store.refresh_benchmarks(con)
            assessment_table.materialise(con)
            con.execute("CHECKPOINT")  # everything in the file itself: no write-ahead log travels with the swap
        finally:
            con.close()
        preview.upload_id, preview.staged = upload_id, staged
    except BaseException:
        preview.hold.close()
        preview.hold = None
        database_file.remove_copy(staged)
        preview.staged = None
        raise
    return preview


def write(con: duckdb.DuckDBPyConnection, files: Files, preview: PublishedPreview, *, kind: str) -> int | None:
    """Apply the files in one transaction on `con`: record the upload, add what is new, compare and apply the
    figures. Returns the upload id, or None (rolled back) when the files change nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        known = Organisations.from_rows(*store.known_organisations(con))
        table, problems = observations(files.readings, known) if files.readings else (None, [])
        preview.problems.extend(problems)
        preview.row_count = table.num_rows if table is not None else 0
        upload_id = uploads.record_upload(con, kind=kind, file_name=preview.file_name, sha256=preview.sha256,
                                          uploaded_by=preview.uploaded_by, row_count=preview.row_count,
                                          note=files.source)
        neighbour_rows, models = _neighbours(con, files.models, known)
        indicators = _new_indicators(con, files.readings)
        for name, rows in (("organisations", known.new), ("organisation_aliases", known.new_aliases),
                           ("indicators", indicators), ("indicator_aliases", _new_aliases(con, files, indicators)),
                           ("neighbour_models", models), ("measure_updates", _new_updates(con, files.readings))):
            store.add_rows(con, name, rows, upload_id)
            preview.added[name] = len(rows)
        store.add_neighbours(con, neighbour_rows, upload_id)
        preview.added["statistical_neighbours"] = len(neighbour_rows["model_id"])
        if table is not None and table.num_rows:
            preview.changes["observations"] = refresh.apply_frame(con, "observations", table, upload_id)
        added, changed, removed = refresh.diff.counts(preview.changes)
        if not (added or changed or removed or any(preview.added.values())):
            con.execute("ROLLBACK")
            return None
        uploads.set_counts(con, upload_id, added + sum(preview.added.values()), changed, removed)
        con.execute("COMMIT")
        return upload_id
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _new_indicators(con: duckdb.DuckDBPyConnection, readings: list[Reading]) -> list[dict]:
    """The readings' indicators not yet defined (one already defined keeps its definition)."""
    known = store.known_indicator_codes(con)
    out = []
    for reading in readings:
        for row in reading.indicators:
            if row["indicator_code"] not in known:
                known.add(row["indicator_code"])
                out.append({column: row.get(column) for column in INDICATOR_COLUMNS})
    return out


def _new_updates(con: duckdb.DuckDBPyConnection, readings: list[Reading]) -> list[dict]:
    """The publisher's dates of each measure (LAIT's dictionary) that differ from those the last import gave."""
    known = store.known_updates(con)
    out = []
    for reading in readings:
        for row in reading.indicators:
            dates = (row.get("updated"), row.get("next_update"))
            if any(dates) and known.get(row["indicator_code"]) != dates:
                known[row["indicator_code"]] = dates
                out.append({"indicator_code": row["indicator_code"], "updated": dates[0], "next_update": dates[1],
                            "upload_row": row.get("upload_row")})
    return out


def _new_aliases(con: duckdb.DuckDBPyConnection, files: Files, indicators: list[dict]) -> list[dict]:
    """Each new indicator's own code, and the mapping's aliases, as indicator aliases not yet known (so an officer's
    file may name a published series; an alias already pointing elsewhere keeps its indicator)."""
    known = store.known_indicator_aliases(con)
    out = []
    own = [{"alias_key": alias_key(row["indicator_code"]), "alias": row["indicator_code"],
            "indicator_code": row["indicator_code"], "upload_row": row.get("upload_row")} for row in indicators]
    for row in own + files.indicator_aliases:
        if row["alias_key"] not in known:
            known.add(row["alias_key"])
            out.append(row)
    return out


def _neighbours(con: duckdb.DuckDBPyConnection, models: list[NeighbourModel],
                known: Organisations) -> tuple[dict[str, list], list[dict]]:
    """New models' rows, and their neighbour lists column by column (an LA the model names that is not yet known
    becomes an organisation: older models name councils since reorganised, such as Poole)."""
    loaded = store.known_models(con)
    columns: dict[str, list] = {name: [] for name in ("model_id", "organisation_id", "neighbour_rank",
                                                      "neighbour_id", "closeness", "upload_row")}
    rows = []
    for model in models:
        if model.model_id in loaded:
            continue
        loaded.add(model.model_id)
        rows.append({"model_id": model.model_id, "name": model.name, "file_name": model.file_name,
                     "published": model.published})
        councils = [known.resolve(entry["la_name"], entry["la_number"], None, "local authority", entry["region"],
                                  entry["row"]) for entry in model.lists]
        for entry, council in zip(model.lists, councils):
            for rank, (number, closeness) in enumerate(entry["neighbours"], start=1):
                neighbour = known.find(number) or known.resolve(f"LA {number}", number, None, "local authority",
                                                                None, entry["row"])
                for name, value in (("model_id", model.model_id), ("organisation_id", council),
                                    ("neighbour_rank", rank), ("neighbour_id", neighbour), ("closeness", closeness),
                                    ("upload_row", entry["row"])):
                    columns[name].append(value)
    return columns, rows


def folder_files(folder: Path) -> list[Path]:
    """The published files in a folder (data/published): Parquet, CSV and workbooks, in name order."""
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in (".parquet", ".csv", ".xlsx"))


def load_folder(con: duckdb.DuckDBPyConnection, folder: Path, uploaded_by: str) -> PublishedPreview:
    """Import every published file of a folder into an open database being built, as embedded data (kind 'seed':
    rebuilt with the seed, not rolled back); raises ValueError listing the errors when a file is refused."""
    files = read_files(folder_files(folder))
    preview = PublishedPreview("seed", refresh.upload_name(files.names or folder.name), "", uploaded_by,
                               source=files.source)
    preview.problems.extend(files.problems)
    if files.errors:
        raise ValueError("; ".join(str(problem) for problem in files.errors))
    preview.sha256 = files.sha256()
    preview.upload_id = write(con, files, preview, kind="seed")
    return preview
