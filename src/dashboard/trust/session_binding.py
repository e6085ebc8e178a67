"""What ties a local officer's sign-in to the browser that signed in: the browser's secret cookie, its User-Agent
and its address, recorded at sign-in and compared on every run, so a Streamlit session id alone (which a second
client can present to resume the session) carries no officer's rights."""
from __future__ import annotations

import binascii
import hashlib
import hmac
from dataclasses import dataclass

# Streamlit's XSRF cookie: a random token per browser, set before the page's websocket opens and sent with every
# connection of that browser, never in an address (so never in a proxy's access log, unlike the session id, which
# is part of every upload's URL).
BROWSER_COOKIE = "_streamlit_xsrf"


@dataclass(frozen=True)
class Binding:
    """One connection's marks, as digests (nothing secret is kept in the session): the browser's cookie token
    (None when it sent none), its User-Agent and its address."""
    browser: str | None
    user_agent: str
    address: str


def cookie_token(value: str | None) -> bytes | None:
    """The token inside Streamlit's XSRF cookie, None when there is none or it cannot be read. The cookie is
    re-sent with a fresh random mask whenever Streamlit answers a health check (so after every reconnect); the
    token under the mask stays the same for the browser's lifetime, so that is what is compared."""
    if not value:
        return None
    value = value.strip("\"'")
    try:
        if value.startswith("2|"):  # version 2: 2|mask|masked token|timestamp, the token XORed with the mask
            _, mask_hex, masked_hex, _timestamp = value.split("|")
            mask, masked = binascii.a2b_hex(mask_hex), binascii.a2b_hex(masked_hex)
            if not mask or not masked:
                return None
            return bytes(byte ^ mask[i % len(mask)] for i, byte in enumerate(masked))
        return binascii.a2b_hex(value) or None  # version 1: the token in hex
    except (ValueError, binascii.Error):
        return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def binding_of(cookies: dict, user_agent: str | None, address: str) -> Binding:
    """The marks of a connection from its cookies, User-Agent header and client address."""
    token = cookie_token(cookies.get(BROWSER_COOKIE))
    return Binding(_digest(token) if token else None, _digest((user_agent or "").encode()), address)


def mismatch(signed_in: Binding | None, now: Binding) -> str | None:
    """Why this connection is not the one that signed in, in words, or None when it is. A missing record (a
    session marked as signed in some other way) fails closed."""
    if signed_in is None:
        return "this session has no record of the browser that signed in"
    if signed_in.browser is not None and (now.browser is None or not hmac.compare_digest(signed_in.browser,
                                                                                         now.browser)):
        return "this session was continued from a browser that did not sign in (its Streamlit cookie differs)"
    if not hmac.compare_digest(signed_in.user_agent, now.user_agent):
        return "this session was continued from a different browser program (its User-Agent differs)"
    if signed_in.address != now.address:
        return f"this session was continued from another address ({now.address})"
    return None
