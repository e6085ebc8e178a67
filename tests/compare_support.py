"""A database holding a subset of the real LAIT file (a few measures, every council and year) with its dictionary and
the May 2025 neighbour model, imported into the embedded seed data through the real published import."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.loading import refresh
from dashboard.loading.build import SEED_DIR, build
from dashboard.paths import PUBLISHED_DIR
from dashboard.published.load import stage_published

LAIT = PUBLISHED_DIR / "lait"  # the real files as published, shipped in data/published
EES = PUBLISHED_DIR / "ees" / "la_cla_placement_stability.csv"
needs_shared = pytest.mark.skipif(not (LAIT / "bds_long_0.parquet").is_file(),
                                  reason=f"the real published files are not at {LAIT}")
# Foster care (higher is better); continuous assessments completed in time (Herefordshire in band D in 2025 and
# worse than 2024); adoptions (no polarity, so no band); persistent absence of children in need (lower is better).
MEASURES = ("LAC_Foster_Placements", "Continue_Assess_Comp", "No_of LAC Adopted", "CINPermAbsent_3Term")


def lait_subset(folder: Path, measures=MEASURES) -> Path:
    """LAIT's real values of `measures` only, as a Parquet file of LAIT's own columns."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "bds_long_0.parquet"
    codes = ", ".join("'" + code.replace("'", "''") + "'" for code in measures)
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * FROM read_parquet('{LAIT / "bds_long_0.parquet"}')
                          WHERE "Short Desc" IN ({codes})) TO '{out}' (FORMAT parquet)""")
    con.close()
    return out


def ees_subset(folder: Path, councils=("884", "919")) -> Path:
    """The real EES placement stability file cut to England, the regions and a few councils by LA number (every
    column kept; Herefordshire is 884, written 'Herefordshire, County of' there)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / EES.name
    numbers = ", ".join(f"'{number}'" for number in councils)
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * FROM read_csv('{EES}', all_varchar = true)
                          WHERE geographic_level <> 'Local authority' OR old_la_code IN ({numbers}))
                    TO '{out}' (HEADER, DELIMITER ',')""")
    con.close()
    return out


def published_subset_db(folder: Path) -> Path:
    """The seed database with the LAIT subset, its dictionary and the May 2025 neighbour model committed."""
    db = build(folder / "dashboard.duckdb", SEED_DIR)
    values = lait_subset(folder / "lait")
    preview = stage_published(db, [values], uploaded_by="test", dictionary=LAIT / "lait_data_dictionary.csv",
                              neighbours=[LAIT / "sn_may_2025.xlsx"])
    assert not preview.errors, preview.errors
    refresh.commit(preview, db)
    return db
