"""Generate a synthetic dataset and load it through the normal seed pipeline (dashboard.loading.build), timed."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import emit, own_peak_mb
from bench.generate import Scale, generate
from dashboard.loading.build import build


def main(argv: list[str] | None = None) -> None:
    """python -m bench.load SEED_DIR DB --councils N: prints JSON with rows, seconds and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seed_dir", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--councils", type=int, required=True)
    args = parser.parse_args(argv)
    scale = Scale(councils=args.councils)
    started = time.perf_counter()
    generate(args.seed_dir, scale)
    generated = time.perf_counter()
    build(args.db, args.seed_dir)  # the same validate-and-write code `make run` and check-seed use
    loaded = time.perf_counter()
    emit({"councils": scale.councils, "observations": scale.observations,
          "actions": scale.councils * scale.actions, "generate_s": generated - started, "load_s": loaded - generated,
          "peak_mb": own_peak_mb(), "db_mb": args.db.stat().st_size / 2**20})


if __name__ == "__main__":
    main()
