"""Build the embedded seed data into a database of the benchmark's own (never data/dashboard.duckdb)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.common import emit, own_peak_mb
from dashboard.loading.build import SEED_DIR, build

if __name__ == "__main__":
    started = time.perf_counter()
    build(Path(sys.argv[1]), SEED_DIR)
    emit({"load_s": time.perf_counter() - started, "peak_mb": own_peak_mb()})
