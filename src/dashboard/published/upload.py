"""Published statistics uploaded on the officers' page: the files' bytes, as the browser sent them, staged exactly as
`import-published` stages files on disk (same reading, checks, preview, commit and rollback)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from dashboard.importer.problems import Problem
from dashboard.loading import refresh
from dashboard.operations import faults
from dashboard.published.load import KIND, PublishedPreview, stage_published
from dashboard.store import database_file

LABEL = "Published national statistics (LAIT, EES)"
FILE_TYPES = ("parquet", "csv", "xlsx")  # LAIT's values, its dictionary and EES tidy files, neighbour workbooks
HELP = ("Upload DfE's published files together: LAIT's values (bds_long_0.parquet) with its data dictionary "
        "(lait_data_dictionary.csv) and a statistical neighbour workbook (sn_may_2025.xlsx), and/or any Explore "
        "Education Statistics tidy CSV. Each file is recognised by its columns, not its name. The format is "
        "described in `docs/published-data.md`.")


def stage_uploaded(db_path: Path, files: list[tuple[str, bytes]], uploaded_by: str,
                   max_bytes: int | None = None) -> PublishedPreview:
    """Check uploaded files (name, bytes) and apply them to a staged copy of the database, as import-published
    does; nothing live changes until refresh.commit. A file over the upload limit, a full disk or a locked
    database are problems or a refresh.CommitError in words."""
    limit = refresh.max_upload_bytes() if max_bytes is None else max_bytes
    names = [refresh.upload_name(name) for name, _ in files]
    too_big = [Problem(None, None, None, f"The file is {len(data) / 1048576:,.1f} MB; the limit is "
                       f"{limit / 1048576:,.0f} MB.", file=name) for name, (_, data) in zip(names, files, strict=True)
               if len(data) > limit]
    if too_big or not files:
        preview = PublishedPreview(KIND, refresh.upload_name(", ".join(names) or "published"), "", uploaded_by)
        preview.problems.extend(too_big or [Problem(None, None, None, "Choose at least one file.")])
        return preview
    with faults.in_words("The files were not loaded", db_path, refresh.CommitError):
        database_file.ensure_schema(db_path)
        # The readers take paths: the bytes go to a private folder that lives only while they are read (the
        # staged copy of the database holds everything afterwards). Each file gets a folder of its own, so two
        # files of one name do not overwrite each other, and each keeps its name for the history and problems.
        with tempfile.TemporaryDirectory(prefix="published-upload-") as folder, \
                database_file.change_lock(db_path):
            paths = []
            for number, (name, (_, data)) in enumerate(zip(names, files, strict=True)):
                path = Path(folder) / str(number) / name
                path.parent.mkdir()
                path.write_bytes(data)
                paths.append(path)
            return stage_published(db_path, paths, uploaded_by=uploaded_by)
