"""Run every benchmark and write the results (ratios against side-by-side baselines) to docs/PERFORMANCE.md;
BENCH_QUICK=1 runs smaller scales in under two minutes and writes bench/.work/PERFORMANCE-quick.md instead."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import REPO, WORK, machine, median, p95, quick, run_json
from bench.generate import NATIONAL

DOC = REPO / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->", "<!-- bench:end -->"
GOALS = {"server": 2.0, "browser": 1.5, "import": 4.0, "concurrency": 2.0}


def _settings(is_quick: bool) -> dict:
    if is_quick:  # the full scale takes minutes to load; quick mode says so in its report
        return {"councils": 5, "import_rows": 20_000, "repeats": 1, "browser_repeats": 1, "sessions": 4,
                "waves": 2, "pages": "overview", "concurrency_pages": "overview", "browser": True}
    return {"councils": NATIONAL.councils, "import_rows": 1_000_000, "repeats": 5, "browser_repeats": 5,
            "sessions": 20, "waves": 10, "pages": "overview,rag,indicators,efficiency",
            "concurrency_pages": "overview,indicators", "browser": True}


def _verdict(ratio: float, goal: float) -> str:
    return f"**{ratio:.2f}×** (goal ≤ {goal}×: {'met' if ratio <= goal else 'not met'})"


def _dataset(name: str, councils: int, work: Path, reuse: bool) -> dict:
    db = work / f"{name}.duckdb"
    info = work / f"{name}.load.json"
    if reuse and db.exists() and info.exists():
        return json.loads(info.read_text()) | {"db": db, "reused": True}
    result = run_json("bench.load", str(work / f"{name}-seed"), str(db), "--councils", str(councils))
    shutil.rmtree(work / f"{name}-seed", ignore_errors=True)
    info.write_text(json.dumps(result))
    return result | {"db": db, "reused": False}


def run(is_quick: bool, reuse: bool, only: set[str] | None = None) -> str:
    """Run the measurements; returns the report's Markdown."""
    settings = _settings(is_quick)
    work = WORK / ("quick" if is_quick else "full")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    out: list[str] = []

    # --- data: the embedded seed, one fictional council, and the national dataset, all by the normal pipeline
    seed_db = work / "seed.duckdb"
    run_json("bench.build_seed", str(seed_db))
    one = _dataset("one", 1, work, reuse)
    national = _dataset("national", settings["councils"], work, reuse)
    out.append("### Loading the synthetic data through the seed pipeline\n")
    out.append("| dataset | councils | indicator values | actions | generate (s) | load (s) | peak memory (MB) | "
               "file (MB) |\n|---|---|---|---|---|---|---|---|")
    for name, data in (("one council", one), ("national" if not is_quick else "quick national", national)):
        name += " (loaded by an earlier run, reused)" if data.get("reused") else ""
        out.append(f"| {name} | {data['councils']} | {data['observations']:,} | {data['actions']:,} | "
                   f"{data['generate_s']:.1f} | {data['load_s']:.1f} | {data['peak_mb']:.0f} | {data['db_mb']:.0f} |")
    out.append("")

    # --- server time per page
    if not only or "server" in only:
        times = {name: run_json("bench.server_time", str(db), "--repeats", str(settings["repeats"]))
                 for name, db in (("seed", seed_db), ("one", one["db"]), ("national", national["db"]))}
        out.append("### Server time per page (AppTest; median seconds)\n")
        out.append("Baseline: the same page for the same council (Fictional Borough 001) on a database holding only "
                   "that council. Ratio = national ÷ one council. The embedded seed data (real, small) is shown for "
                   "context.\n")
        out.append("| page | seed cold | seed warm | one council cold | one council warm | national cold | "
                   "national warm | warm ratio | cold ratio |\n|---|---|---|---|---|---|---|---|---|")
        worst = 0.0
        for page, nat in times["national"]["pages"].items():
            s, o = times["seed"]["pages"][page], times["one"]["pages"][page]
            ratio, cold_ratio = nat["warm_s"] / o["warm_s"], nat["cold_s"] / o["cold_s"]
            worst = max(worst, ratio)
            out.append(f"| {page} | {s['cold_s']:.3f} | {s['warm_s']:.3f} | {o['cold_s']:.3f} | {o['warm_s']:.3f} | "
                       f"{nat['cold_s']:.3f} | {nat['warm_s']:.3f} | {ratio:.2f} | {cold_ratio:.2f} |")
        out.append(f"\nWorst warm ratio: {_verdict(worst, GOALS['server'])}. Peak memory of the AppTest process: "
                   f"{times['national']['peak_mb']:.0f} MB national, {times['one']['peak_mb']:.0f} MB one council.\n")

    # --- import
    if not only or "import" in only:
        rows = settings["import_rows"]
        upload = work / f"indicators-{rows}.csv"
        made = run_json("bench.import_time", "make", str(upload), "--rows", str(rows), "--councils",
                        str(national["councils"]))
        floor = run_json("bench.import_time", "floor", str(upload), "--db", str(work / "floor.duckdb"))
        least = run_json("bench.import_time", "least", str(upload), "--db", str(national["db"]), "--copy",
                         str(work / "import-copy.duckdb"))
        piped = run_json("bench.import_time", "pipeline", str(upload), "--db", str(national["db"]), "--copy",
                         str(work / "import-copy.duckdb"))
        for leftover in work.glob("import-copy.duckdb*"):
            leftover.unlink()
        ratio = piped["seconds"] / floor["seconds"]
        with_preview = least["seconds"] + least["positions_s"]
        phases = ", ".join(f"{name.strip('_')} {seconds:.1f} s" for name, seconds in piped["phases"].items())
        out.append(f"### Import of a {rows:,}-row indicators CSV ({made['bytes'] / 2**20:.0f} MB) into the "
                   f"{'quick ' if is_quick else ''}national database\n")
        out.append("| | seconds | peak memory (MB) |\n|---|---|---|")
        out.append(f"| floor: DuckDB `read_csv` into a table | {floor['seconds']:.2f} | {floor['peak_mb']:.0f} |")
        out.append(f"| least compare and commit: DuckDB alone, no checks, no preview | {least['seconds']:.2f} | "
                   f"{least['peak_mb']:.0f} |")
        out.append(f"| officers' import: validate, compare, commit | {piped['seconds']:.2f} | {piped['peak_mb']:.0f} |")
        out.append(f"\nRatio: {_verdict(ratio, GOALS['import'])}. The file added {piped['added']:,} and changed "
                   f"{piped['changed']:,} rows ({piped['warnings']:,} warnings). Phases: {phases}.\n")
        out.append(f"The least compare and commit (`bench/import_time.py least`: copy the database, read the file, "
                   f"match its rows to the stored ones by key, keep the {least['replaced']:,} replaced rows in the "
                   f"rollback journal, delete them, insert the file's rows, checkpoint) is "
                   f"**{least['seconds'] / floor['seconds']:.2f}×** the floor on its own. The preview's RAG "
                   f"positions before and after (the dashboard's query, once on each database) add "
                   f"{least['positions_s']:.2f} s: together **{with_preview / floor['seconds']:.2f}×** the floor "
                   f"before any check is made. The officers' import is {piped['seconds'] / with_preview:.2f}× the "
                   "two.\n")

    # --- browser
    if settings["browser"] and (not only or "browser" in only):
        result = run_json("bench.browser", str(national["db"]), "--repeats", str(settings["browser_repeats"]),
                          "--pages", settings["pages"])
        bare = result["bare_s"]
        out.append("### Browser time to chart (headless Chromium, fresh browser context each visit; median s)\n")
        out.append(f"Floor: a bare Streamlit page with one Plotly chart of three 40-point series: **{bare:.2f} s**. "
                   "Time to chart = from navigation until every chart the page draws is drawn.\n")
        out.append("| page | charts | seconds | ratio to the bare page |\n|---|---|---|---|")
        worst = 0.0
        for name, page in result["pages"].items():
            worst = max(worst, page["seconds"] / bare)
            out.append(f"| {name} | {page['charts']} | {page['seconds']:.2f} | {page['seconds'] / bare:.2f} |")
        out.append(f"\nWorst ratio: {_verdict(worst, GOALS['browser'])}.\n")

    # --- concurrency
    if settings["browser"] and (not only or "concurrency" in only):
        out += concurrency_section(run_json("bench.concurrency", str(national["db"]), "--sessions",
                                            str(settings["sessions"]), "--waves", str(settings["waves"]),
                                            "--pages", settings["concurrency_pages"]))

    command = ("make bench-quick" if is_quick else "make bench") if not reuse else (
        f"{'BENCH_QUICK=1 ' if is_quick else ''}python -m bench.run --reuse")
    header = [f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{command}`"
              f" in {time.perf_counter() - started:.0f} s on: {machine()}. Load average (1 min) {load_before:.1f} at "
              f"the start and {os.getloadavg()[0]:.1f} at the end: other work on the machine shares its two cores, "
              "which is why every figure is a ratio against a baseline measured in the same run.\n"]
    if is_quick:
        header.append(f"**Quick mode**: {settings['councils']} councils instead of {NATIONAL.councils}, an import of "
                      f"{settings['import_rows']:,} rows instead of 1,000,000, {settings['sessions']} sessions "
                      "instead of 20 and fewer repeats. Indicative only; the figures that count are `make bench`'s.\n")
    return "\n".join(header + out)


def concurrency_section(result: dict) -> list[str]:
    """The concurrency report: the real browser's time to chart with the other sessions against alone (the goal),
    beside the server-only figures (protocol sessions, all at once against one)."""
    n, others = result["sessions"], result["sessions"] - 1
    out = [f"### Concurrency: {n} simultaneous sessions against one ({result['waves']} waves; national database)\n",
           f"One real session (headless Chromium, a fresh context, from navigation until every chart is drawn) with "
           f"{others} protocol-level sessions (`bench/sessions.py`: the browser's websocket messages, and "
           f"{'the page and assets it fetches' if result['assets'] else 'no page or assets'}) opening their "
           "websockets when the browser opens its own, so all the script runs start together; against the same "
           "browser alone, alternated wave by wave. The server sees every session a browser would give it; the "
           "machine runs one browser, not "
           f"{n}. Server only: {n} protocol sessions at once against one (time from connect to the last chart "
           "message). The bare one-chart page is the framework's floor under the same load.\n",
           f"| page | charts | alone: median | alone: p95 | with {others} others: median | with {others} others: p95 "
           f"| median ratio | p95 ratio | server only: one, median | {n} at once: median | {n} at once: p95 | "
           "server median ratio | server p95 ratio |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    worst = 0.0
    for name, page in result["pages"].items():
        alone, loaded, one, many = page["alone"], page["loaded"], page["protocol_one"], page["protocol_many"]
        ratio, tail = median(loaded) / median(alone), p95(loaded) / p95(alone)
        server, server_tail = median(many) / median(one), p95(many) / p95(one)
        if name != "bare page":
            worst = max(worst, ratio, tail)
        out.append(f"| {name} | {page['charts']} | {median(alone):.2f} | {p95(alone):.2f} | {median(loaded):.2f} | "
                   f"{p95(loaded):.2f} | {ratio:.2f} | {tail:.2f} | {median(one):.2f} | {median(many):.2f} | "
                   f"{p95(many):.2f} | {server:.1f} | {server_tail:.1f} |")
    offsets = "; ".join(f"{name} {median(page['offsets']):.2f} s alone, {median(page['loaded_offsets']):.2f} s "
                        f"with the others" for name, page in result["pages"].items())
    late = max(max(page["others_late"]) for page in result["pages"].values())
    out.append(f"\nWorst ratio of the real browser (median or p95, dashboard pages): "
               f"{_verdict(worst, GOALS['concurrency'])}. The p95 of {result['waves']} visits is their "
               f"{'largest' if result['waves'] < 20 else '95th percentile'}. Peak server memory: "
               f"{result['server_peak_mb']:.0f} MB (the bare page's server: {result['bare_server_peak_mb']:.0f} MB). "
               f"Browser's navigation to websocket (median): {offsets}; the {others} others connected at most "
               f"{late * 1000:.0f} ms after it.\n")
    return out


def write(report: str, path: Path) -> None:
    """Put the report between the markers of `path`, keeping everything written by hand outside them."""
    block = f"{BEGIN}\n{report}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    path.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S),
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """python -m bench.run [--quick] [--reuse] [--only server,import,browser,concurrency]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="same as BENCH_QUICK=1")
    parser.add_argument("--reuse", action="store_true", help="reuse generated databases from an earlier run")
    parser.add_argument("--only", help="comma-separated: server, import, browser, concurrency")
    args = parser.parse_args(argv)
    is_quick = args.quick or quick()
    report = run(is_quick, args.reuse, set(args.only.split(",")) if args.only else None)
    target = WORK / "PERFORMANCE-quick.md" if is_quick else DOC
    if args.only and not is_quick:
        target = WORK / "PERFORMANCE-partial.md"  # a partial run never replaces the full report
    write(report, target)
    print(report)
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
