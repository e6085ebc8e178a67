"""A protocol-level Streamlit session: what a browser does to the server over `/_stcore/stream`, without a browser."""
from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect  # a Streamlit dependency (its server's own websocket library)

# What Chromium sent in its first BackMsg in this environment (recorded from a real session with Playwright):
# the same context makes `st.context` answer the same, so the script does the same work.
TIMEZONE, LOCALE = "UTC", "en-US"
# A browser opens at most six connections to one host; the assets a session fetches are fetched that way too.
BROWSER_CONNECTIONS = 6


class ProtocolError(RuntimeError):
    """The server did something a browser session would show as broken (or ran another page than asked for)."""


@dataclass
class Run:
    """One session's script run, timed from the moment the websocket was asked to connect."""
    charts: int = 0  # Plotly charts the run drew
    chart_s: float = float("nan")  # until the last Plotly chart delta arrived (time to chart, server side)
    finished_s: float = float("nan")  # until script_finished
    connected_s: float = float("nan")  # until the websocket handshake was done
    page: str | None = None  # the page st.navigation ran (its url_path; "" for the default); None: no navigation
    elements: dict[str, int] = field(default_factory=dict)  # element type -> count, for checks and reports


def rerun_request(base_url: str, path: str) -> BackMsg:
    """The BackMsg a browser sends as soon as its websocket is open: run the page at `path` ("/", "/indicators",
    optionally with "?query"), with the browser's context (time zone, locale, address)."""
    parts = urlsplit(path)
    message = BackMsg()
    state = message.rerun_script
    state.query_string = parts.query
    state.page_name = parts.path.strip("/")  # st.navigation picks the page by its url_path; "" is the default
    state.widget_states.SetInParent()  # a first run: no widget has a value yet, as in the browser's message
    state.context_info.timezone = TIMEZONE
    state.context_info.timezone_offset = 0
    state.context_info.locale = LOCALE
    state.context_info.url = base_url.rstrip("/") + path
    state.context_info.is_embedded = False
    state.context_info.color_scheme = "light"
    return message


def fetch_assets(base_url: str, paths: list[str]) -> int:
    """GET every path from the server, six at a time as a browser would; returns the bytes received. The server
    serves the page and its JavaScript to every browser that opens it, so a session that skipped them would give the
    server less work than a browser does."""
    def get(path: str) -> int:
        # Asked for gzip as a browser does; the body is read, not decoded (decoding is the browser's work, not the
        # server's).
        request = urllib.request.Request(base_url.rstrip("/") + path, headers={"Accept-Encoding": "gzip, br"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return len(response.read())
        except urllib.error.HTTPError as error:  # the browser meets these too: it first looks for the server's
            return len(error.read())  # endpoints under the page's own path (/indicators/_stcore/health: 404)

    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
        return sum(pool.map(get, paths))


async def run_page(base_url: str, path: str, expect_charts: int | None = None, timeout: float = 300) -> Run:
    """Open a session at `base_url` (http://host:port), ask for a run of the page at `path` and read ForwardMsgs
    until the script has finished successfully; raises ProtocolError if the run failed or, given `expect_charts`,
    drew another number of Plotly charts (the sign of a run of the wrong page)."""
    ws_url = "ws" + base_url[len("http"):].rstrip("/") + "/_stcore/stream"
    started = time.perf_counter()
    run = Run()
    # "streamlit" is the subprotocol the frontend asks for; compression is offered as Chromium offers it, so the
    # server compresses for this session what it would compress for a browser.
    async with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                       ping_interval=None) as socket:
        run.connected_s = time.perf_counter() - started
        await socket.send(rerun_request(base_url, path).SerializeToString())
        async with asyncio.timeout(timeout):
            async for payload in socket:
                now = time.perf_counter() - started
                message = ForwardMsg()
                message.ParseFromString(payload)
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    run.charts, run.elements, run.chart_s = 0, {}, float("nan")  # a rerun starts over
                elif kind == "navigation":  # the page st.navigation chose, by its address
                    chosen = [page for page in message.navigation.app_pages
                              if page.page_script_hash == message.navigation.page_script_hash]
                    run.page = "" if chosen and chosen[0].is_default else (chosen[0].url_pathname if chosen else "?")
                elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element.WhichOneof("type")
                    run.elements[element] = run.elements.get(element, 0) + 1
                    if element == "plotly_chart":
                        run.charts += 1
                        run.chart_s = now
                    elif element == "exception":
                        raise ProtocolError(f"{path}: the script raised: {message.delta.new_element.exception.message}")
                elif kind == "page_not_found":
                    raise ProtocolError(f"{path}: the server found no page {message.page_not_found.page_name!r}")
                elif kind == "script_finished":
                    status = message.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the script asked for a rerun (st.rerun): the run that counts follows
                    if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                        raise ProtocolError(f"{path}: script finished with status {status}")
                    run.finished_s = now
                    break
            else:
                raise ProtocolError(f"{path}: the server closed the session before the script finished")
    wanted = urlsplit(path).path.strip("/")
    if run.page is not None and run.page != wanted:
        raise ProtocolError(f"{path}: the server ran the page {run.page!r}, not {wanted!r}")
    if expect_charts is not None and run.charts != expect_charts:
        raise ProtocolError(f"{path}: {run.charts} Plotly charts received where a browser draws {expect_charts}: "
                            f"not the page a browser would see ({run.elements})")
    return run
