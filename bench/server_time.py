"""Server time per page: every page through Streamlit's AppTest on one database, with a cold and a warm cache."""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import tomllib
from pathlib import Path

from bench.common import REPO, emit, median, own_peak_mb

PAGES = ("views/overview.py", "views/rag_by_area.py", "views/indicators.py", "views/compare.py", "views/efficiency.py",
         "views/method.py", "views/meeting.py")
UPLOAD = "views/upload.py"  # measured signed in as an officer, with the indicators kind chosen
OFFICER_PAGES = (UPLOAD, "views/history.py")
OFFICER, PASSWORD = "bench.officer", "a long password only for benchmarks"


def measure(db: Path, repeats: int = 3) -> dict:
    """Per page, the median seconds of a run after every cache is cleared (cold) and of a rerun (warm)."""
    os.environ["DASHBOARD_DB"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.secrets = _officer_secrets()
    at.run()  # imports and the first page once, so no page pays for Python's imports
    _sign_in(at)
    results = {}
    for page in PAGES + OFFICER_PAGES:
        at.switch_page(page)
        if page == UPLOAD:
            at.run()
            at.radio(key="upload_kind").set_value("indicators")  # the largest template: every indicator value
        cold, warm = [], []
        for _ in range(repeats):
            st.cache_data.clear()
            st.cache_resource.clear()  # the DuckDB connection too: cold means opening the file as a new server does
            started = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"{page} failed: {[e.value for e in at.exception]}")
        results[page] = {"cold_s": median(cold), "warm_s": median(warm), "title": at.title[0].value}
    return {"pages": results, "peak_mb": own_peak_mb()}


def _officer_secrets() -> dict:
    """Secrets with one officer, written by the same code as `python -m dashboard add-officer`."""
    from dashboard.trust.auth import add_officer

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "secrets.toml"
        add_officer(path, OFFICER, PASSWORD)
        return tomllib.loads(path.read_text())


def _sign_in(at) -> None:
    at.switch_page("views/sign_in.py")
    at.run()
    at.text_input(key="username").input(OFFICER)
    at.text_input(key="password").input(PASSWORD)
    at.button[0].click()
    at.run()
    if at.exception:
        raise RuntimeError(f"signing in failed: {[e.value for e in at.exception]}")


def main(argv: list[str] | None = None) -> None:
    """python -m bench.server_time DB: prints JSON with each page's cold and warm seconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    emit(measure(args.db, args.repeats))


if __name__ == "__main__":
    main()
