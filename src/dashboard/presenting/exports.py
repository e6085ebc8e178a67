"""Exports: tables as CSV and XLSX with formula-like cells neutralised, and charts as PNG rendered on the server."""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import io
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

# One rule for uploads' templates and every export; the importer removes the mark again on the way back in.
from dashboard.importer.control import scrub
from dashboard.importer.read import neutralise_cell

# Characters a worksheet's name may not hold (Excel refuses the workbook, openpyxl raises).
_SHEET_NAME_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table fit for a spreadsheet: text cells neutralised, lists (small trends) written out as text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_cell)
    out.columns = [neutralise_cell(scrub(str(c))) for c in out.columns]
    return out


def _cell(value):
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        value = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in list(value))
    # Whatever is stored (a control character from before uploads refused them): shown, never a broken workbook.
    return neutralise_cell(scrub(value) if isinstance(value, str) else value)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark (so Excel reads £ and accents right), neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """The table as an Excel workbook of one sheet, neutralised (openpyxl would otherwise store '=…' as a formula)."""
    buffer = io.BytesIO()
    data = neutralise(frame)
    for column in data.columns:  # Excel has no time zones; dates are written as they are shown
        if isinstance(data[column].dtype, pd.DatetimeTZDtype):
            data[column] = data[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name=sheet_name(sheet), index=False)
    return buffer.getvalue()


def sheet_name(name: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\ or control characters, at most 31 characters, never empty."""
    return scrub(str(name)).replace("\ufffd", " ").translate(_SHEET_NAME_BAD).strip(" '")[:31].strip() or "Data"


# --- Charts as PNG and SVG ---------------------------------------------------------------------------------------

INSTALL_BROWSER = ("Install Chromium on the server (Debian or Ubuntu: sudo apt-get install chromium), or set "
                   "BROWSER_PATH to a Chromium or Chrome program")
START_SECONDS, DRAW_SECONDS = 30, 60  # a browser that has not started or drawn by then is given up, not waited on


class ChartExportError(RuntimeError):
    """A chart could not be drawn on the server (no browser, or it failed); the message says what to do."""


def browser_path() -> str | None:
    """The Chromium kaleido should drive: $BROWSER_PATH when set (even if wrong: the deployer chose it), else
    $CHROMIUM, else chromium (Debian) or chromium-browser (Ubuntu) on the PATH; None when there is none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() and os.access(explicit, os.X_OK) else None
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing_browser() -> str | None:
    """Why charts cannot be drawn on this server, in words, or None when a browser is there."""
    if browser_path():
        return None
    where = os.environ.get("BROWSER_PATH")
    found = f"BROWSER_PATH is {where!r}, which is not a program" if where else "No Chromium was found"
    return f"{found}, so charts cannot be drawn on the server (PNG downloads and the board pack). {INSTALL_BROWSER}."


class _Renderer:
    """One headless Chromium for the life of the process, driven by kaleido on its own event-loop thread; every call
    waits a bounded time, so a browser that dies or never starts is an error, never a hang."""

    def __init__(self, path: str):
        import kaleido  # imported here: the pages load without it, and only an export starts a browser

        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="chart-export", daemon=True).start()

        async def start():
            browser = kaleido.Kaleido(path=path, mathjax=False)
            await browser.open()
            return browser
        self.kaleido = self.call(start(), START_SECONDS, "start")
        atexit.register(self.close)

    def close(self) -> None:
        """Close the browser (at exit, or when it failed), waiting a bounded time."""
        with contextlib.suppress(Exception):
            self.call(self.kaleido.close(), 10, "close")
        self.loop.call_soon_threadsafe(self.loop.stop)

    def call(self, coroutine, seconds: float, doing: str):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ChartExportError(f"The chart browser did not {doing} within {seconds} s. {INSTALL_BROWSER}, "
                                   "and check that it runs (chromium --headless --version).") from None
        except ChartExportError:
            raise
        except Exception as error:  # kaleido's and choreographer's own errors, in words
            raise ChartExportError(f"The chart browser failed to {doing} ({type(error).__name__}: {error}). "
                                   f"{INSTALL_BROWSER}.") from None


_KALEIDO_LOCK = threading.Lock()  # one browser per process; requests from sessions take turns
_renderer: _Renderer | None = None


def _draw(figure: go.Figure, opts: dict) -> bytes:
    global _renderer
    reason = missing_browser()
    if reason:  # refused at once: kaleido itself would fail in a thread and leave its caller waiting for ever
        raise ChartExportError(reason)
    with _KALEIDO_LOCK:
        if _renderer is None:
            _renderer = _Renderer(browser_path())
        try:
            return _renderer.call(_renderer.kaleido.calc_fig(figure, opts=opts), DRAW_SECONDS, "draw the chart")
        except ChartExportError:
            _renderer.close()
            _renderer = None  # start afresh next time: the browser may have died
            raise


def figure_png(figure: go.Figure, width: int = 1200, height: int | None = None, scale: float = 2) -> bytes:
    """A chart as PNG bytes, drawn by kaleido in headless Chromium (the same Plotly.js the browser uses)."""
    return _draw(figure, {"format": "png", "width": width, "height": height or int(figure.layout.height or 420),
                          "scale": scale})


def figure_svg(figure: go.Figure, width: int = 1200, height: int | None = None) -> bytes:
    """A chart as SVG bytes (vector, its text kept as text), drawn as figure_png is."""
    return _draw(figure, {"format": "svg", "width": width, "height": height or int(figure.layout.height or 420)})


def with_notes(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """A table with lines of text after it (a source, a licence), a blank row between, in its first column: so a
    CSV or workbook carries them wherever it goes."""
    if not notes or frame.columns.empty:
        return frame
    first = frame.columns[0]
    lines = pd.DataFrame({first: ["", *notes]}).reindex(columns=frame.columns)
    return pd.concat([frame.astype(object), lines.astype(object)], ignore_index=True)
