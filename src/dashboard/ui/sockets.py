"""Streamlit's server sends each small response at once: Nagle's algorithm off on every connection it accepts."""
from __future__ import annotations

import asyncio.base_events
import contextlib
import socket

_TCP = {socket.AF_INET, socket.AF_INET6}


def send_without_delay() -> None:
    """From now on, turn Nagle's algorithm off (TCP_NODELAY) on every TCP connection the server's asyncio accepts.

    asyncio does this itself only for a socket whose protocol number is IPPROTO_TCP; Streamlit 1.67's server binds
    its listening socket with `socket.socket(family)`, protocol 0, so every accepted connection kept Nagle on
    (the same bug as uvicorn's pre-bound sockets, Kludex/uvicorn#3149). A static file is sent as headers, then
    body: the body waited for the browser's delayed acknowledgement, about 40 ms a file on Linux, and a first visit
    fetches 70-130 small scripts (docs/PERFORMANCE.md, "First visit"). Idempotent."""
    current = getattr(asyncio.base_events, "_set_nodelay", None)
    if current is None or getattr(current, "__wrapped__", None) is not None:
        return  # a Python without the hook (nothing to wrap), or wrapped already

    def set_nodelay(sock: socket.socket) -> None:
        if sock.family in _TCP and sock.type == socket.SOCK_STREAM:
            with contextlib.suppress(OSError):  # a socket that refuses the option is served as before
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        else:
            current(sock)

    set_nodelay.__wrapped__ = current
    asyncio.base_events._set_nodelay = set_nodelay
