"""Load the embedded default data (data/seed/) through the same import pipeline officers' uploads use."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from dashboard.importer.kinds import KINDS, Known
from dashboard.importer.pipeline import Batch, validate_text
from dashboard.parsing.identity import organisation_aliases
from dashboard.settings import documents_dir
from dashboard.store import queries
from dashboard.store.writes import insert_records, write_upload

SEED_USER = "seed"
# The five source documents, kept in the repository so every figure can be traced on any machine.
DOCUMENTS_DIR = documents_dir()


class SeedError(RuntimeError):
    """The seed CSVs do not validate: a curation mistake, listed problem by problem."""


def document_folders(seed_dir: Path) -> list[Path]:
    """The per-document folders (000, 001 ...) in order."""
    return sorted(path for path in seed_dir.iterdir() if path.is_dir())


def _read_reference(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(con: duckdb.DuckDBPyConnection, seed_dir: Path) -> None:
    """Load the organisations and the source documents list."""
    organisations = _read_reference(seed_dir / "organisations.csv")
    for row in organisations:
        row["is_fictional"] = row["is_fictional"].strip().lower() == "true"
    insert_records(con, "organisations",
                   [{k: (None if v == "" else v) for k, v in row.items()} for row in organisations])
    insert_records(con, "organisation_aliases", organisation_aliases(organisations))
    insert_records(con, "documents", _read_reference(seed_dir / "documents.csv"))


def validate_folder(folder: Path, known: Known) -> Batch:
    """Validate every seed file of one document folder, in dependency order."""
    batch = Batch()
    for kind in KINDS:
        path = folder / f"{kind.name}.csv"
        if path.exists():
            text = path.read_text(encoding="utf-8")
            batch.extend(validate_text(kind.name, text, f"{folder.name}/{path.name}", known, source_doc=folder.name))
    return batch


def folder_sha256(folder: Path) -> str:
    """A checksum of a folder's CSVs, recorded with the load."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_seed(con: duckdb.DuckDBPyConnection, seed_dir: Path) -> list[int]:
    """Load every document folder as one upload each; raises SeedError listing every problem found."""
    load_reference(con, seed_dir)
    known = queries.known_references(con)
    upload_ids = []
    for folder in document_folders(seed_dir):
        batch = validate_folder(folder, known)
        if batch.errors:
            listed = "\n".join(f"  {problem}" for problem in batch.errors[:50])
            raise SeedError(f"{len(batch.errors)} problem(s) in data/seed/{folder.name}:\n{listed}")
        upload_ids.append(write_upload(con, batch.records, kind="seed", file_name=f"data/seed/{folder.name}",
                                       sha256=folder_sha256(folder), uploaded_by=SEED_USER,
                                       row_count=batch.row_count,
                                       note=f"Embedded data from source document {folder.name}"))
    return upload_ids
