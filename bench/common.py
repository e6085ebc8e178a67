"""Shared benchmark helpers: the machine's description, peak memory from the kernel, and simple statistics."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_WORK", REPO / "bench" / ".work"))  # generated data and databases (git-ignored)


def quick() -> bool:
    """True in quick mode (BENCH_QUICK=1): smaller scales so the whole run takes under two minutes."""
    return os.environ.get("BENCH_QUICK") == "1"


def machine() -> str:
    """One line on the machine: CPU model, cores, memory, Python and the key library versions."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb
    import streamlit
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}")


def own_peak_mb() -> float:
    """This process's peak resident memory in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_mb(pid: int) -> float | None:
    """Another process's peak resident memory (VmHWM) in MB, while it runs; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def median(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank): with 20 values, the 19th smallest."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def run_json(module: str, *args: str, timeout: float | None = None, env: dict | None = None) -> dict:
    """Run `python -m module args` in a fresh process (its own caches and peak memory); its last stdout line is
    JSON."""
    environment = dict(os.environ, PYTHONPATH=str(REPO / "src"), **(env or {}))
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=environment, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def emit(result: dict) -> None:
    """Print a result as the last line of stdout, for run_json in the parent process."""
    print(json.dumps(result, default=str), flush=True)
