"""Rendering helpers: status words with colour, provenance text, figures with PNG download, and tables."""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts.describe import figure_table
from dashboard.charts.layout import DOWNLOAD_CONFIG, has_data, title_of
from dashboard.presenting.palette import STATUS_LABELS
from dashboard.reading.sources import PROVENANCE, STATUS_PROVENANCE, item_source, since_words


def figure(fig: go.Figure, key: str, empty: str | None = None) -> bool:
    """Show a Plotly figure full width, with Plotly's own 'download as PNG' button, followed by its figures; a chart
    with nothing to draw is not drawn, and `empty` says why instead. Returns whether it was drawn."""
    title = plain(title_of(fig, "This chart"))
    if not has_data(fig):
        st.info(f"{title}: nothing to draw. " + (empty or "There is no figure for this selection."))
        return False
    # theme=None: the figure's own template (charts.layout), so the page draws what the PNG and board pack print.
    st.plotly_chart(fig, width="stretch", config=DOWNLOAD_CONFIG, key=key, theme=None)
    # Every chart is followed by its figures, collapsed: the text alternative for a screen reader, and the exact
    # numbers for anyone who cannot read them off the bars.
    data = figure_table(fig)
    if not data.empty:
        with st.expander(f"The figures in the chart: {title}"):
            table(data, hide_index=True)
    return True


def table(data, **dataframe_args) -> None:
    """st.dataframe with an unknown value shown blank, as the documents print it, never as Python's 'None'."""
    st.dataframe(data, **{"placeholder": "", **dataframe_args})


def with_source(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace provenance columns by one readable 'Source' column (an item's status report when the frame has one,
    see sources.item_source)."""
    out = frame.copy()
    out["Source"] = [item_source(row) for row in out.to_dict("records")]
    return out.drop(columns=[c for c in PROVENANCE + STATUS_PROVENANCE if c in out])


# Marks that start Markdown inside a line (links, images, emphasis, code, HTML, entities, Streamlit's :colour[]
# and $maths$), escaped with a backslash wherever they are; and marks that start a block (list, heading, quote)
# where a text begins. Text is put on one line first, so no other line can begin a block.
_INLINE_MARKS = re.compile(r"([\\`*_{}\[\]()<>:$~&|!#])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=>])")
# GFM turns a bare 'http://', 'www.' or 'name@host' in the text into a link after escapes are read, so a backslash
# cannot stop it: an invisible word joiner (U+2060) after 'http' and 'www' and before '@' breaks the pattern instead.
_AUTOLINK = re.compile(r"(?<=http)(?=s?:)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text) -> str:
    """Text from the data (action text, commentary, file names) made safe for st.markdown: shown as written, with
    no link, image, emphasis or HTML it could make. The one escaping function for every path from data to Markdown
    (tests/test_markdown_injection.py renders every page with hostile text in every text column)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = " ".join(str(text).split())
    if "@" in text or "http" in text.lower() or "www" in text.lower():
        text = _AUTOLINK.sub(WORD_JOINER, text)
    escaped = _INLINE_MARKS.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", escaped)


def status_badge(key: str) -> str:
    """A status as a coloured word for st.markdown (:color-badge[] shows the word, colour only supports it)."""
    colour = {"red": "red", "amber": "orange", "amber_green": "yellow", "green": "green", "dark_green": "green",
              "complete": "blue", "not_on_course": "violet", "worse": "violet"}.get(key, "gray")
    return f":{colour}-badge[{STATUS_LABELS.get(key, key)}]"


def red_action_lines(red: pd.DataFrame) -> list[str]:
    """Red actions (rows of queries.actions_at) as Markdown lines: the word, code, text, since when and why."""
    lines = []
    for row in red.itertuples():
        since = f"since {since_words(row.status_since, getattr(row, 'since_reported', False))}" \
            if pd.notna(row.status_since) else "since: not stated"
        if getattr(row, "effective_after_report", False):
            since += f", a date after the report it is in ({row.status_reported:%d/%m/%Y}): in doubt"
        # Action text and commentary come from officers' files: escaped, so they show as written.
        why = f" Why: {plain(row.commentary)}" if isinstance(row.commentary, str) and row.commentary else ""
        lines.append(f"{status_badge('red')} **{plain(row.code)}** {plain(row.text)} ({since}).{why}")
    return lines


def bullets(lines) -> str:
    """Markdown lines (each already safe, see `plain`) as one bulleted list."""
    return "\n".join(f"- {line}" for line in lines)


def money(value) -> str:
    """£000 as the documents print them: thousands separators, '-' for nil, blank for unknown."""
    if value is None or pd.isna(value):
        return ""
    if value == 0:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
