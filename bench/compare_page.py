"""How we compare against the indicator page: server time (AppTest) for one council, Herefordshire, cold and warm.
The goal's baseline is the indicator page at seed scale (a database of the seed data alone); How we compare runs on
a database holding the seed and the whole national set of published statistics (the default build), and the
indicator page on that database is measured too, all three alternated in one process.
Run: PYTHONPATH=src:. python -m bench.compare_page [--repeats N] [--db FILE] [--seed-db FILE] [--repo DIR]."""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import REPO

RUNS = (("indicators, seed", "seed", "views/indicators.py"), ("indicators, national", "national", "views/indicators.py"),
        ("compare, national", "national", "views/compare.py"))
COUNCIL = "herefordshire-council"


def built(db: Path, published: bool) -> Path:
    """The seed data alone, or the default build: the seed and data/published (LAIT's national set, both neighbour
    models, EES). An existing file is reused."""
    from dashboard.loading.build import SEED_DIR, build

    return db if db.exists() else build(db, SEED_DIR, REPO / "data" / "published" if published else None)


def measure(dbs: dict[str, Path], repo: Path, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Per run, the seconds of runs after every cache and the connection are cleared (cold: as after a data
    change, when the database's identity and so every cache key is new) and of a rerun (warm)."""
    os.environ["DASHBOARD_DB"] = str(dbs["seed"])
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(repo / "app.py"), default_timeout=600)
    at.query_params["org"] = COUNCIL
    at.run()  # Python's imports once, so no page pays for them
    times = {label: {"cold": [], "warm": []} for label, _, _ in RUNS}
    for _ in range(repeats):
        for label, db, page in RUNS:
            os.environ["DASHBOARD_DB"] = str(dbs[db])
            at.switch_page(page)
            at.query_params["org"] = COUNCIL
            st.cache_data.clear()
            st.cache_resource.clear()
            started = time.perf_counter()
            at.run()
            times[label]["cold"].append(time.perf_counter() - started)
            started = time.perf_counter()
            at.run()
            times[label]["warm"].append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{label} failed: {[e.value for e in at.exception]}")
            if at.selectbox(key="org").value != COUNCIL:
                raise RuntimeError(f"{label} showed {at.selectbox(key='org').value}, not {COUNCIL}")
    return times


def report(times: dict[str, dict[str, list[float]]]) -> str:
    """Medians and ranges per run, and the ratios of How we compare to the indicator page, cold and warm."""
    lines = []
    for label, runs in times.items():
        lines.append(f"{label}: " + ", ".join(f"{kind} {statistics.median(values):.3f} s "
                                              f"({min(values):.3f}-{max(values):.3f})"
                                              for kind, values in runs.items()))
    for kind in ("cold", "warm"):
        compare = statistics.median(times["compare, national"][kind])
        goal = compare / statistics.median(times["indicators, seed"][kind])
        same = compare / statistics.median(times["indicators, national"][kind])
        lines.append(f"{kind}: compare (national) / indicators (seed) {goal:.2f}x (goal <= 2x); "
                     f"/ indicators (national) {same:.2f}x")
    return "\n".join(lines)


def main() -> None:
    """Build (or reuse) the national database and print the two pages' times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--db", type=Path, help="the default build (seed and published files); reused if it exists")
    parser.add_argument("--seed-db", type=Path, help="the seed data alone; reused if it exists")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose app.py is run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        dbs = {"seed": built(args.seed_db or Path(folder) / "seed.duckdb", False),
               "national": built(args.db or Path(folder) / "national.duckdb", True)}
        print(report(measure(dbs, args.repo, args.repeats)))


if __name__ == "__main__":
    main()
