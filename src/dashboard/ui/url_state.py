"""The view lives in the link: widgets start from the URL's values and write theirs back, and the values are carried
across page switches (Streamlit empties the query string when the page changes) for the rest of the session."""
from __future__ import annotations

import streamlit as st

from dashboard.presenting.view_params import PARAMS, decode, encode, share_url

STORE = "_view_in_link"  # param -> the URL's strings; a plain session value, so it outlives a page's widgets
SLOT = "_view_link_slot"


def _store() -> dict[str, list[str]]:
    return st.session_state.setdefault(STORE, {})


def start() -> None:
    """Call once per run before any widget: take what the URL brings, and put back what a page switch removed."""
    st.session_state.pop(SLOT, None)  # last run's placeholder is gone; link_slot() makes this run's
    store = _store()
    # A parameter in the URL is newer than the session's copy (a link opened, or st.switch_page with parameters);
    # a widget the user has just changed still wins, as its own state is read before these defaults.
    for key in st.query_params:
        if key in PARAMS:
            store[key] = st.query_params.get_all(key)
    for key, values in store.items():
        if st.query_params.get_all(key) != values:
            st.query_params[key] = values


def initial(param: str, default=None, options=None):
    """The value a widget should start from: the link's, if it is valid (one of `options` when given), else
    `default`. A list keeps only the values among `options`."""
    value = decode(param, _store().get(param, []))
    if value is None:
        return default
    if options is not None:
        options = list(options)
        if PARAMS[param] == "list":
            kept = [v for v in value if v in options]
            return kept if kept or not value else default
        if value not in options:
            return default
    return value


def remember(param: str, value) -> None:
    """Keep a widget's value in the link, and refresh the link offered for copying."""
    values = encode(param, value)
    store = _store()
    if values:
        store[param] = values
        if st.query_params.get_all(param) != values:
            st.query_params[param] = values
    else:
        store.pop(param, None)
        if param in st.query_params:
            del st.query_params[param]
    _show_link()


def current_link() -> str:
    """The full link to this view (relative when Streamlit does not know the address, as in tests)."""
    try:
        base = st.context.url
    except Exception:  # no browser behind this run (AppTest): the query alone still reopens the view
        base = None
    return share_url(base, _store())


def link_slot() -> None:
    """Reserve the place (in the sidebar) where the copyable link is shown; it is filled as widgets report."""
    st.session_state[SLOT] = st.empty()
    _show_link()


def _show_link() -> None:
    slot = st.session_state.get(SLOT)
    if slot is None:
        return
    # A plain link, not a code block with a copy button: st.code makes every page open load Streamlit's 1.5 MB
    # syntax highlighter, which cost about a fifth of the time to the first chart (docs/PERFORMANCE.md).
    with slot.container():
        st.markdown(f"[Link to this view]({current_link()})")
        st.caption("Copy it (right-click, Copy link), or copy the address bar: it holds the same link.")
