"""Exports: tables as CSV and XLSX with formula-like cells neutralised, and charts as PNG rendered on the server."""
from __future__ import annotations

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
_SHEET_NAME_BAD = str.maketrans({ch: " " for ch in "[]:*?/\\"})


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


# --- Charts as PNG -----------------------------------------------------------------------------------------------

_KALEIDO_LOCK = threading.Lock()  # kaleido runs one browser per process; requests from sessions take turns
_kaleido_started = False


def browser_path() -> str | None:
    """The Chromium kaleido should drive: $BROWSER_PATH, else $CHROMIUM, else Debian's chromium on the PATH."""
    for candidate in (os.environ.get("BROWSER_PATH"), os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def figure_png(figure: go.Figure, width: int = 1200, height: int | None = None, scale: float = 2) -> bytes:
    """A chart as PNG bytes, drawn by kaleido in headless Chromium (the same Plotly.js the browser uses)."""
    import kaleido  # imported here: the pages load without it, and only an export starts a browser

    global _kaleido_started
    height = height or int(figure.layout.height or 420)
    with _KALEIDO_LOCK:
        if not _kaleido_started:
            # One browser for the life of the process: starting Chromium takes seconds, a chart then takes ~0.2 s.
            path = browser_path()
            kaleido.start_sync_server(silence_warnings=True, **({"path": path} if path else {}))
            _kaleido_started = True
        return kaleido.calc_fig_sync(figure, opts={"format": "png", "width": width, "height": height,
                                                   "scale": scale})
