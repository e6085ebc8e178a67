"""Concurrency: one real Chromium session's time to chart while 19 protocol-level sessions run the same page at the
same moment, against the same browser alone; and 20 protocol sessions at once against one (the server alone)."""
from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg

from bench.browser import BARE, CHARTS_DRAWN, PAGES, REPO, VIEWPORT, Server, _count_charts
from bench.common import WORK, emit
from bench.sessions import fetch_assets, rerun_request, run_page
from browser_support import CHROMIUM, CHROMIUM_ARGS  # bench.browser has put tests/ on the path


async def _browser_visit(browser, url: str, charts: int, record: dict | None = None,
                         opened: asyncio.Event | None = None) -> dict:
    """One fresh-context Chromium visit: seconds from navigation to every chart drawn, and from navigation to the
    opening of its websocket. With `record`, also keeps the page's same-origin HTTP requests (the assets a session
    fetches) and the first BackMsg the browser sent (to check that the protocol sessions send the same); `opened` is
    set when the browser opens its websocket."""
    context = await browser.new_context(viewport=VIEWPORT)
    seen: dict = {}
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    try:
        page = await context.new_page()

        def on_websocket(socket) -> None:
            seen.setdefault("websocket_s", time.perf_counter() - started)
            if opened is not None:
                opened.set()
            if record is not None:
                socket.on("framesent", lambda payload: seen.setdefault("backmsg", payload))

        page.on("websocket", on_websocket)
        if record is not None:
            page.on("request", lambda request: request.url.startswith(origin) and request.method == "GET"
                    and request.resource_type != "websocket"
                    # Media files (a chart's or download's data) belong to the browser's own session; a protocol
                    # session does not ask for them, so what it fetches is the page and the framework's assets.
                    and not request.url.startswith(origin + "/media/")
                    and record.setdefault("assets", []).append(request.url[len(origin):]))
        started = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=300_000, polling=50)  # as in bench.browser
        seconds = time.perf_counter() - started
        if record is not None and "backmsg" in seen:
            record["backmsg"] = seen["backmsg"]
        return {"seconds": seconds, "websocket_s": seen.get("websocket_s", float("nan"))}
    finally:
        await context.close()


async def _protocol_session(base_url: str, path: str, charts: int, opened: asyncio.Event,
                            assets: list[str] | None) -> tuple[float, float]:
    """A protocol session that behaves like a browser opened with the real one: it fetches the page's assets at
    once, and opens its websocket when the real browser opens its own (`opened`); returns the seconds from then
    until its connect (how late it was) and its time to chart, from its connect."""
    if assets:
        await asyncio.to_thread(fetch_assets, base_url, assets)
    await opened.wait()
    late = time.perf_counter() - opened.at
    return late, (await run_page(base_url, path, charts)).chart_s


class _Opened(asyncio.Event):
    """Set when the real browser opens its websocket; `at` says when (perf_counter)."""

    def set(self) -> None:
        """Note the moment, then wake the waiting sessions."""
        self.at = time.perf_counter()
        super().set()


def _check_same_request(name: str, recorded: bytes | str | None, base_url: str, path: str) -> None:
    """Fail loudly unless the browser asked for the same page (name, query, page hash) as the protocol sessions
    do: a run of another page would make the comparison meaningless."""
    if recorded is None:
        raise RuntimeError(f"{name}: no BackMsg seen from the browser")
    browser = BackMsg()
    browser.ParseFromString(recorded if isinstance(recorded, bytes) else recorded.encode("latin-1"))
    ours = rerun_request(base_url, path)
    for field in ("page_name", "query_string", "page_script_hash"):
        if getattr(browser.rerun_script, field) != getattr(ours.rerun_script, field):
            raise RuntimeError(f"{name}: the browser sent {field}={getattr(browser.rerun_script, field)!r}, the "
                               f"protocol sessions {getattr(ours.rerun_script, field)!r}")


async def _measure(db: Path, pages: list[str], sessions: int, waves: int, assets: bool, log_dir: Path) -> dict:
    from playwright.async_api import async_playwright

    log_dir.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare = Server(BARE, None, log_dir / "concurrency-bare.log")
        app = Server(REPO / "app.py", db, log_dir / "concurrency-app.log")
        try:
            targets = {"bare page": (bare, "/")} | {name: (app, PAGES[name]) for name in pages}
            result: dict = {"sessions": sessions, "waves": waves, "assets": assets, "pages": {}}
            for name, (server, path) in targets.items():
                # Warms the server's caches, counts the charts a browser draws, and records what the browser asks
                # for: the protocol sessions are checked against both.
                charts = await _count_charts(browser, server.url + path)
                record: dict = {}
                first = await _browser_visit(browser, server.url + path, charts, record)
                _check_same_request(name, record.get("backmsg"), server.url, path)
                await run_page(server.url, path, charts)  # raises if the server runs another page or chart count
                result["pages"][name] = {
                    "path": path, "charts": charts, "assets": len(record.get("assets", [])),
                    "asset_bytes": fetch_assets(server.url, record.get("assets", [])) if assets else None,
                    "alone": [], "loaded": [], "offsets": [first["websocket_s"]], "loaded_offsets": [],
                    "protocol_one": [], "protocol_many": [], "others_late": [], "others_chart": [],
                    "_asset_list": record.get("assets", [])}
            # Waves outside, pages inside, every condition in every wave: the baselines and the loads share whatever
            # else the machine is doing at the time.
            for _ in range(waves):
                for name, (server, path) in targets.items():
                    entry = result["pages"][name]
                    charts = entry["charts"]
                    alone = await _browser_visit(browser, server.url + path, charts)
                    entry["alone"].append(alone["seconds"])
                    entry["offsets"].append(alone["websocket_s"])
                    entry["protocol_one"].append((await run_page(server.url, path, charts)).chart_s)
                    many = await asyncio.gather(*[run_page(server.url, path, charts) for _ in range(sessions)])
                    entry["protocol_many"] += [run.chart_s for run in many]
                    # The 19 open their websockets when the browser opens its own, so all 20 script runs start
                    # together: started at the browser's offset measured alone, they would have run while the
                    # browser was still loading its page under the load (its offset grows: see loaded_offsets).
                    opened = _Opened()
                    others = [_protocol_session(server.url, path, charts, opened,
                                                entry["_asset_list"] if assets else None)
                              for _ in range(sessions - 1)]
                    loaded, *rest = await asyncio.gather(
                        _browser_visit(browser, server.url + path, charts, opened=opened), *others)
                    entry["loaded"].append(loaded["seconds"])
                    entry["loaded_offsets"].append(loaded["websocket_s"])
                    entry["others_late"].append(max(late for late, _ in rest) if rest else 0.0)
                    entry["others_chart"] += [chart for _, chart in rest]
            for entry in result["pages"].values():
                del entry["_asset_list"]
            result["server_peak_mb"] = app.peak_mb()
            result["bare_server_peak_mb"] = bare.peak_mb()
        finally:
            bare.stop()
            app.stop()
        await browser.close()
    return result


def main(argv: list[str] | None = None) -> None:
    """python -m bench.concurrency DB: prints JSON with every time measured, per page and condition."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--waves", type=int, default=10)
    parser.add_argument("--pages", default="overview,indicators")
    # Off by default: fetching 19 times the page's ~9 MB of uncompressed JavaScript from threads in this process
    # took seconds longer than the browser's own page load, so the 19 script runs started up to 16 s after the
    # browser's and the sessions were no longer simultaneous (docs/PERFORMANCE.md).
    parser.add_argument("--assets", action="store_true",
                        help="protocol sessions also fetch the page's HTTP assets before connecting")
    args = parser.parse_args(argv)
    emit(asyncio.run(_measure(args.db, args.pages.split(","), args.sessions, args.waves, args.assets,
                              WORK / "logs")))


if __name__ == "__main__":
    main()
