"""The benchmark's synthetic dataset at a tiny scale: deterministic, plainly fictional, and loadable through the
normal pipeline (a test of the generator, not a timing)."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from dashboard.loading.build import SEED_DIR, build
from dashboard.store.connection import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import Scale, generate

TINY = Scale(councils=2, indicators=5, quarters=8, actions=10, status_reports=3, efficiency_lines=4)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.csv"))}


def test_the_generator_is_deterministic(tmp_path):
    first = _files(generate(tmp_path / "a", TINY))
    second = _files(generate(tmp_path / "b", TINY))
    assert first == second
    # A council's data depends on its number alone, so a small run is the start of the national one.
    bigger = _files(generate(tmp_path / "c", Scale(**{**TINY.__dict__, "councils": 3})))
    assert {name: data for name, data in bigger.items() if name.startswith(("F000", "F001", "F002"))} == {
        name: data for name, data in first.items() if name.startswith(("F000", "F001", "F002"))}


def test_every_council_is_fictional_and_no_real_name_appears(tmp_path):
    out = generate(tmp_path / "seed", TINY)
    with (out / "organisations.csv").open(encoding="utf-8") as handle:
        organisations = list(csv.DictReader(handle))
    assert [(o["name"], o["is_fictional"]) for o in organisations] == [
        ("Fictional Borough 001", "true"), ("Fictional Borough 002", "true")]
    with (SEED_DIR / "organisations.csv").open(encoding="utf-8") as handle:
        real = [row["name"] for row in csv.DictReader(handle)] + ["Hertfordshire", "Herefordshire"]
    everything = "\n".join(data.decode("utf-8") for data in _files(out).values())
    assert not [name for name in real if name.lower() in everything.lower()]


def test_it_loads_through_the_seed_pipeline(tmp_path):
    db = build(tmp_path / "bench.duckdb", generate(tmp_path / "seed", TINY))
    con = connect(db, read_only=True)
    try:
        counts = dict(con.execute("""
            SELECT 'observations', count(*) FROM observations UNION ALL
            SELECT 'actions', count(*) FROM actions UNION ALL
            SELECT 'statuses', count(*) FROM action_statuses UNION ALL
            SELECT 'efficiency', count(*) FROM efficiency_lines UNION ALL
            SELECT 'fictional', count(*) FROM organisations WHERE is_fictional""").fetchall())
        periods = con.execute("SELECT DISTINCT period_type FROM observations").fetchall()
    finally:
        con.close()
    assert counts == {"observations": TINY.observations, "actions": 2 * TINY.actions,
                      "statuses": 2 * TINY.actions * TINY.status_reports, "efficiency": 2 * TINY.efficiency_lines,
                      "fictional": 2}
    assert periods == [("quarter",)]


def test_the_least_import_baseline_makes_the_same_change_as_the_import(tmp_path):
    # bench/import_time's `least` is the baseline the import is read against: it must do the import's own work on
    # the data (replace the rows the file revises, journal them, add the new ones), only without checks or preview.
    from bench.import_time import least, make_file, pipeline

    db = build(tmp_path / "bench.duckdb", generate(tmp_path / "seed", Scale(
        councils=1, indicators=5, quarters=40, actions=2, status_reports=1, efficiency_lines=1)))
    upload = make_file(tmp_path / "upload.csv", rows=90, councils=1, indicators=5)  # 4 revised quarters, 2 new
    piped = pipeline(upload, db, tmp_path / "piped.duckdb")
    done = least(upload, db, tmp_path / "least.duckdb")
    assert (piped["added"], piped["changed"], done["replaced"]) == (30, 60, 60)
    key = ("indicator_code, organisation_id, period_text, period_start, period_end, measure, comparator_group, "
           "value_num, value_written")
    tables = {}
    for name in ("piped", "least"):
        con = connect(tmp_path / f"{name}.duckdb", read_only=True)
        try:
            tables[name] = (con.execute(f"SELECT {key} FROM observations ORDER BY ALL").fetchall(),
                            con.execute(f"SELECT {key} FROM superseded_observations ORDER BY ALL").fetchall())
        finally:
            con.close()
    assert tables["least"] == tables["piped"] and len(tables["least"][0]) == 600 + 30
