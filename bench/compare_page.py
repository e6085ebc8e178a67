"""How we compare against the indicator page: server time (AppTest) for one council, Herefordshire, on a database
holding the seed and the whole national set of published statistics (the default build), cold and warm, the two
pages alternated. Run: PYTHONPATH=src:. python -m bench.compare_page [--repeats N] [--db FILE] [--repo DIR]."""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import REPO

PAGES = ("views/indicators.py", "views/compare.py")
COUNCIL = "herefordshire-council"


def national(db: Path) -> Path:
    """The default build: the seed data and data/published (LAIT's national set, both neighbour models, EES)."""
    from dashboard.build import SEED_DIR, build

    return build(db, SEED_DIR, REPO / "data" / "published")


def measure(db: Path, repo: Path, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Per page, the seconds of runs after every cache and the connection are cleared (cold: as after a data
    change, when the database's identity and so every cache key is new) and of a rerun (warm)."""
    os.environ["DASHBOARD_DB"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(repo / "app.py"), default_timeout=600)
    at.query_params["org"] = COUNCIL
    at.run()  # Python's imports once, so no page pays for them
    times = {page: {"cold": [], "warm": []} for page in PAGES}
    for _ in range(repeats):
        for page in PAGES:
            at.switch_page(page)
            at.query_params["org"] = COUNCIL
            st.cache_data.clear()
            st.cache_resource.clear()
            started = time.perf_counter()
            at.run()
            times[page]["cold"].append(time.perf_counter() - started)
            started = time.perf_counter()
            at.run()
            times[page]["warm"].append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{page} failed: {[e.value for e in at.exception]}")
    if "Herefordshire" not in " ".join(str(c.value) for c in at.selectbox):
        raise RuntimeError("the pages did not show Herefordshire")
    return times


def report(times: dict[str, dict[str, list[float]]]) -> str:
    """Medians and ranges per page, and the ratio of How we compare to the indicator page, cold and warm."""
    lines = []
    for page, runs in times.items():
        lines.append(f"{page}: " + ", ".join(f"{kind} {statistics.median(values):.3f} s "
                                              f"({min(values):.3f}-{max(values):.3f})"
                                              for kind, values in runs.items()))
    for kind in ("cold", "warm"):
        ratio = statistics.median(times[PAGES[1]][kind]) / statistics.median(times[PAGES[0]][kind])
        lines.append(f"ratio {kind}: {ratio:.2f}x (goal <= 2x)")
    return "\n".join(lines)


def main() -> None:
    """Build (or reuse) the national database and print the two pages' times and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a database built already with the published files (reused)")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose app.py is run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db if args.db and args.db.exists() else national(args.db or Path(folder) / "national.duckdb")
        print(report(measure(db, args.repo, args.repeats)))


if __name__ == "__main__":
    main()
