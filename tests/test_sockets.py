"""The server's connections send at once: Nagle's algorithm off on a socket bound the way Streamlit binds its own."""
from __future__ import annotations

import asyncio
import asyncio.base_events
import socket

from dashboard.ui.sockets import send_without_delay


def _accepted_nodelay() -> int:
    """TCP_NODELAY of a connection accepted by asyncio on a listening socket made as Streamlit 1.67 makes it
    (`socket.socket(family)`: protocol 0), as the server side sees it."""
    async def main() -> int:
        listener = socket.socket(socket.AF_INET)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Report(asyncio.Protocol):
            def connection_made(self, transport):
                seen.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                              socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Report, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def test_connections_accepted_on_a_protocol_0_socket_send_at_once(monkeypatch):
    current = asyncio.base_events._set_nodelay
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", getattr(current, "__wrapped__", current))
    assert _accepted_nodelay() == 0  # asyncio's own rule leaves Nagle on: the reason for the fix
    send_without_delay()
    send_without_delay()  # twice is once
    assert _accepted_nodelay() != 0
    assert not hasattr(asyncio.base_events._set_nodelay.__wrapped__, "__wrapped__")  # wrapped once
