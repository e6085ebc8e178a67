"""First visit, with and without the documented nginx site: the bytes a fresh browser downloads and the time to the
first chart, for the overview and for the bare page (the framework's floor), straight from Streamlit and through
nginx running deploy/nginx-performance.conf (which compresses scripts and styles). Measured on loopback and on an
emulated office line (20 Mbit/s, 40 ms), where the bytes cost time. Also the bare page given the dashboard's one
server fix (Nagle's algorithm off, bench/bare_chart_nodelay.py), to compare on equal terms as well."""
from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO, WORK, emit, median

sys.path.insert(0, str(REPO / "tests"))
from test_proxy import nginx_conf, require_nginx, unit_streamlit_args

from browser_support import CHROMIUM, CHROMIUM_ARGS, Server, free_port

BARE = REPO / "bench" / "bare_chart.py"
BARE_NODELAY = REPO / "bench" / "bare_chart_nodelay.py"
VIEWPORT = {"width": 1600, "height": 1000}
FIRST_CHART = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .some(c => c.querySelector('svg.main-svg'))"""
# An office line: 20 Mbit/s down, 10 up, 40 ms round trip (Chrome DevTools' units: bytes per second, ms).
LINES = {"loopback": None,
         "office line (20 Mbit/s, 40 ms)": {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8,
                                            "uploadThroughput": 10e6 / 8}}


async def visit(browser, url: str, line: dict | None) -> tuple[float, int]:
    """Seconds from navigation to the first chart drawn, and bytes received (bodies as sent, with headers), in a
    fresh browser context: nothing cached."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        if line:
            await cdp.send("Network.emulateNetworkConditions", line)
        received: list[int] = []
        cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
        started = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.wait_for_function(FIRST_CHART, timeout=300_000, polling=50)
        seconds = time.perf_counter() - started
        await asyncio.sleep(0.5)  # the last responses' loadingFinished events
        return seconds, sum(received)
    finally:
        await context.close()


class Proxy:
    """An unprivileged nginx running the shipped location block in front of one Streamlit server."""

    def __init__(self, folder: Path, upstream: int):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        (folder / "nginx.conf").write_text(nginx_conf(folder, self.port, upstream))
        self.log = (folder / "nginx.out").open("w")
        self.process = subprocess.Popen([require_nginx(), "-c", str(folder / "nginx.conf"), "-p", str(folder)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}/performance/"
        time.sleep(1)

    def stop(self) -> None:
        """Stop nginx."""
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


async def measure(db: Path, repeats: int, work: Path) -> dict:
    """Every (line, target) alternated `repeats` times; medians of seconds and bytes."""
    from playwright.async_api import async_playwright

    args = tuple(unit_streamlit_args())
    servers = {"bare page": Server(None, work / "bare.log", script=BARE), "overview": Server(db, work / "app.log"),
               "bare page, nginx": Server(None, work / "bare-proxied.log", script=BARE, extra_args=args,
                                          base_path="performance"),
               "overview, nginx": Server(db, work / "app-proxied.log", extra_args=args, base_path="performance"),
               # Not the goal's floor: the bare page given the overview's server fix, to compare on equal terms.
               "bare page, same fix": Server(None, work / "bare-nodelay.log", script=BARE_NODELAY)}
    proxies = {name: Proxy(work / name.replace(", ", "-").replace(" ", "-"), server.port)
               for name, server in servers.items() if name.endswith("nginx")}
    urls = {name: proxies[name].url if name in proxies else server.url + "/" for name, server in servers.items()}
    results: dict = {}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for url in urls.values():  # warm each server's caches once
                await visit(browser, url, None)
            for line_name, line in LINES.items():
                times: dict[str, list] = {name: [] for name in urls}
                for _ in range(repeats):
                    for name, url in urls.items():
                        times[name].append(await visit(browser, url, line))
                results[line_name] = {name: {"seconds": median([s for s, _ in runs]),
                                             "bytes": int(median([b for _, b in runs]))}
                                      for name, runs in times.items()}
            await browser.close()
    finally:
        for proxy in proxies.values():
            proxy.stop()
        for server in servers.values():
            server.stop()
    return results


def table(results: dict) -> str:
    """The results as the Markdown table docs/PERFORMANCE.md keeps."""
    lines = ["| line | page | served | first visit (MB) | first chart (s) | ratio to the bare page, same way |",
             "|---|---|---|---|---|---|"]
    for line_name, rows in results.items():
        for page in ("bare page", "overview"):
            for served, suffix in (("Streamlit alone", ""), ("through nginx", ", nginx")):
                row, bare = rows[page + suffix], rows["bare page" + suffix]
                lines.append(f"| {line_name} | {page} | {served} | {row['bytes'] / 1e6:.2f} | {row['seconds']:.2f} | "
                             f"{row['seconds'] / bare['seconds']:.2f} |")
    lines.append("")
    for line_name, rows in results.items():
        fixed = rows["bare page, same fix"]
        lines.append(f"{line_name}: the bare page with the overview's server fix (Nagle off) {fixed['seconds']:.2f} s; "
                     f"the overview, Streamlit alone, {rows['overview']['seconds'] / fixed['seconds']:.2f}x that.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """python -m bench.first_load [DB]: JSON of first-visit bytes and seconds, then the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path, nargs="?", help="the database (default: the embedded seed data, built)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    work = WORK / "first_load"
    work.mkdir(parents=True, exist_ok=True)
    db = args.db
    if db is None:
        from dashboard.loading.build import SEED_DIR, build

        db = work / "seed.duckdb"
        if not db.exists():
            build(db, SEED_DIR)
    results = asyncio.run(measure(db, args.repeats, work))
    emit(results)
    print(table(results))


if __name__ == "__main__":
    main()
