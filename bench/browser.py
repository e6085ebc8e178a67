"""Browser time to chart in headless Chromium: each page of the dashboard against a bare Streamlit page with one
Plotly chart (the framework's floor). Concurrency is measured by bench.concurrency."""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from bench.common import REPO, WORK, emit, median, process_peak_mb

sys.path.insert(0, str(REPO / "tests"))
import browser_support
from browser_support import CHROMIUM, CHROMIUM_ARGS

PAGES = {"overview": "/", "rag": "/rag", "indicators": "/indicators", "efficiency": "/efficiency"}
BARE = REPO / "bench" / "bare_chart.py"
VIEWPORT = {"width": 1600, "height": 1000}
# True once `count` Plotly charts are drawn (Plotly has put its SVG in each) and no chart is still a skeleton.
CHARTS_DRAWN = """(count) => {
    const charts = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot');
    return charts.length >= count && [...charts].every(c => c.querySelector('svg.main-svg'));
}"""


class Server(browser_support.Server):
    """The tests' Streamlit server (`tests/browser_support.py`), with its peak memory read from /proc."""

    def __init__(self, script: Path, db: Path | None, log: Path):
        super().__init__(db, log, script=script, timeout=90)

    def peak_mb(self) -> float | None:
        """The server's peak resident memory so far."""
        return process_peak_mb(self.process.pid)


async def _visit(browser, url: str, charts: int) -> float:
    """Seconds from navigation to `charts` drawn charts, in a fresh browser context (nothing cached)."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=300_000, polling=50)  # not "raf": hidden pages throttle animation frames
        return time.perf_counter() - started
    finally:
        await context.close()


async def _count_charts(browser, url: str) -> int:
    """How many charts a page draws once it has finished running (also warms the server's cache)."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_selector('[data-testid="stMain"] h1', timeout=300_000)
        quiet_since = None
        while True:  # finished: no "running" indicator for 1.5 s in a row
            busy = await page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count()
            now = time.monotonic()
            quiet_since = None if busy else (quiet_since or now)
            if quiet_since and now - quiet_since > 1.5:
                break
            await asyncio.sleep(0.2)
        return await page.locator('[data-testid="stMain"] .js-plotly-plot').count()
    finally:
        await context.close()


async def _measure(db: Path, pages: list[str], repeats: int, log_dir: Path) -> dict:
    from playwright.async_api import async_playwright

    log_dir.mkdir(parents=True, exist_ok=True)
    result: dict = {"pages": {}}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare = Server(BARE, None, log_dir / "bare.log")
        app = Server(REPO / "app.py", db, log_dir / "app.log")
        try:
            await _count_charts(browser, bare.url)
            charts = {name: await _count_charts(browser, app.url + PAGES[name]) for name in pages}
            # Interleaved, so the baseline and the pages share whatever else the machine is doing at the time.
            bare_times, page_times = [], {name: [] for name in pages}
            for _ in range(repeats):
                bare_times.append(await _visit(browser, bare.url, 1))
                for name in pages:
                    page_times[name].append(await _visit(browser, app.url + PAGES[name], charts[name]))
            result["bare_s"] = median(bare_times)
            result["pages"] = {name: {"charts": charts[name], "seconds": median(page_times[name])} for name in pages}
            result["server_peak_mb"] = app.peak_mb()
        finally:
            bare.stop()
            app.stop()
        await browser.close()
    return result


def main(argv: list[str] | None = None) -> None:
    """python -m bench.browser DB: prints JSON with time to chart per page and for the bare page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)
    emit(asyncio.run(_measure(args.db, args.pages.split(","), args.repeats, WORK / "logs")))


if __name__ == "__main__":
    main()
