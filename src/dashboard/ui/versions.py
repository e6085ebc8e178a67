"""The data version in the link: a link opened after the data changed says so at the top of the page and offers the
current figures or the figures as they were (rebuilt from the upload journal; ui/data.py reads the choice)."""
from __future__ import annotations

import streamlit as st

from dashboard.reading import data_version
from dashboard.store import queries
from dashboard.ui import url_state
from dashboard.ui.data import AS_OF, current_query

LINK_VERSION = "_link_version"  # session: the older version the opened link carried, None when it was current
CHOICE = "data_version_choice"
KEPT = "_data_version_kept"  # the choice, kept while a page without it (an officer's) is open
CURRENT, THEN = "current", "then"


def notice() -> None:
    """Call before any data is read: decide which figures this run shows, and say so at the top when the link is
    older than the data."""
    rows = current_query(queries.load_history).to_dict("records")
    now = data_version.latest(rows)
    if LINK_VERSION not in st.session_state:  # the link this session was opened from, read once
        carried = url_state.initial("v")
        st.session_state[LINK_VERSION] = carried if carried is not None and carried != now else None
    version = st.session_state[LINK_VERSION]
    since = data_version.since(rows, version) if version is not None else None
    if since is None or not since.changed:
        _show(None, now)
        return
    with st.container(border=True, key="data_version_notice"):
        st.warning(since.words(), icon=":material/update:")
        if not since.reconstructable:
            if since.why_not_as_they_were():
                st.caption(since.why_not_as_they_were())
            _show(None, now)
            return
        if CHOICE not in st.session_state and st.session_state.get(KEPT):
            # Back from an officer's page, which does not draw the choice: the widget starts where it was left.
            st.session_state[CHOICE] = st.session_state[KEPT]
        choice = st.radio(
            "Show", [CURRENT, THEN], key=CHOICE, horizontal=True,
            format_func={CURRENT: f"The current figures (data version {now})",
                         THEN: f"The figures as they were when the link was made (data version {version})"}.get)
        st.session_state[KEPT] = choice
        if choice == THEN:
            st.info(f"These are the figures as of upload {version}, rebuilt from the upload journal: not the "
                    f"current ones. Choose 'The current figures' above to see the data as they are now.",
                    icon=":material/history:")
        else:
            st.caption(f"Showing the current figures (data version {now}).")
    _show(version if choice == THEN else None, now)


def current_figures() -> None:
    """This run shows the current data, whatever was chosen on another page (the officers' pages)."""
    _show(None, data_version.latest(current_query(queries.load_history).to_dict("records")))


def _show(as_of: int | None, now: int) -> None:
    # The link offered (and the address bar) carries the version of the figures on screen.
    st.session_state[AS_OF] = as_of
    url_state.remember("v", as_of if as_of is not None else now)


def as_of() -> int | None:
    """The upload whose figures this run shows, None for the current figures."""
    return st.session_state.get(AS_OF)
