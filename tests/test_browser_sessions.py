"""The session replay of issue 24 (class 9), for real: Chromium signs in as an officer; the test reads the session id
from the page's websocket frames, as anyone watching them would; a second client with the id but not the officer's
browser (a raw websocket from Python, with a Streamlit cookie of its own) resumes that very session (the server
says so: it answers with the same id) and must not reach Upload data, nor, after the officer's tab has closed,
Upload history with Roll back. The same raw client carrying the officer's own cookie and User-Agent does reach
Upload data, so the replay itself works and it is the binding that stops it."""
from __future__ import annotations

import urllib.request

import pytest

from browser_support import Server, browser, wait_for_app  # noqa: F401
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from dashboard.trust import audit, auth

pytestmark = pytest.mark.browser

PASSWORD = "a long password for browser tests"
ATTACKER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
SIGNED_OUT = "You have been signed out: this session was continued from a browser that did not sign in"


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory, browser):
    """The dashboard on the fictional council with one local officer."""
    folder = tmp_path_factory.mktemp("sessions")
    db_path = folder / "dashboard.duckdb"
    build(db_path, FIXTURE_SEED)
    secrets = folder / "secrets.toml"
    auth.add_officer(secrets, "jo.officer", PASSWORD)
    running = Server(db_path, folder / "streamlit.log", secrets_file=secrets)
    running.db_path = db_path
    yield running
    running.stop()


def _strings(message) -> list[str]:
    """Every string anywhere in a protobuf message (the text of whatever the server drew)."""
    found = []
    for _field, value in message.ListFields():
        single = isinstance(value, (str, bytes, int, float)) or hasattr(value, "ListFields")
        values = [value] if single else list(value)  # a repeated field
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "ListFields"):
                found.extend(_strings(item))
    return found


def _session_id(frames: list[bytes]) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for frame in frames:
        message = ForwardMsg()
        message.ParseFromString(frame)
        if message.WhichOneof("type") == "new_session":
            return message.new_session.initialize.session_id
    raise AssertionError("no new_session message among the page's websocket frames")


def _officer_on(browser, server, page: str):
    """A Chromium tab signed in as the officer and showing `page`, with the websocket frames it has received."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    tab = context.new_page()
    frames: list[bytes] = []
    tab.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: frames.append(payload) if isinstance(payload, bytes) else None))
    tab.goto(f"{server.url}/sign-in")
    wait_for_app(tab)
    tab.get_by_label("Username").fill("jo.officer")
    tab.get_by_label("Password", exact=True).fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text("Signed in as jo.officer").wait_for()
    wait_for_app(tab)
    tab.locator('[data-testid="stSidebarNav"]').get_by_text(page).click()
    wait_for_app(tab)
    assert tab.locator('[data-testid="stMain"] h1').first.inner_text() == page
    return context, tab, frames


def _own_cookie(server) -> str:
    """A Streamlit cookie of the attacker's own, as any browser gets from the server."""
    with urllib.request.urlopen(f"{server.url}/_stcore/health") as response:
        cookie = response.headers["Set-Cookie"]
    return cookie.split(";")[0].split("=", 1)[1]


def _resume(server, session_id: str, page: str, cookie: str | None, user_agent: str) -> tuple[str, list[str]]:
    """Resume `session_id` over a raw websocket (with `cookie` as its Streamlit cookie, or none, as Streamlit's
    own page sends when it has none) and ask for `page`; the session id the server answered with and every
    string it sent until the run finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    host = server.url.removeprefix("http://")
    headers = {"Origin": server.url, **({"Cookie": f"_streamlit_xsrf={cookie}"} if cookie else {})}
    with connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit", cookie or "PLACEHOLDER_AUTH_TOKEN",
                                                              session_id],
                 additional_headers=headers,
                 user_agent_header=user_agent, open_timeout=30) as socket:
        rerun = BackMsg()
        rerun.rerun_script.page_name = page
        rerun.rerun_script.query_string = ""
        socket.send(rerun.SerializeToString())
        answered, texts = None, []
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=60))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                answered = message.new_session.initialize.session_id
            if kind in ("delta", "navigation"):  # what the page draws, and the pages its menu offers
                texts.extend(_strings(getattr(message, kind)))
            if kind == "script_finished":
                return answered, texts


def test_a_replayed_session_id_reaches_no_officer_page_while_connected_or_after_the_tab_closes(browser,
                                                                                               officer_server):
    context, tab, frames = _officer_on(browser, officer_server, "Upload data")
    try:
        session_id = _session_id(frames)
        officer_cookie = next(c["value"] for c in context.cookies() if c["name"] == "_streamlit_xsrf")
        officer_agent = tab.evaluate("navigator.userAgent")

        # The replay works: the officer's own browser marks with the id reach the upload page of that session.
        answered, texts = _resume(officer_server, session_id, "upload", officer_cookie, officer_agent)
        assert answered == session_id and "Upload data" in texts and not any(SIGNED_OUT in t for t in texts)

        # Anyone else with the id resumes the same session but finds no officer there, while the officer is
        # connected; the trail says why.
        answered, texts = _resume(officer_server, session_id, "upload", _own_cookie(officer_server), officer_agent)
        assert answered == session_id  # the very session the officer signed in to
        assert "Upload data" not in texts and "Upload history" not in texts
        assert any(t.startswith(SIGNED_OUT) for t in texts)
        trail = audit.events(officer_server.db_path, actions=("sign_out",))
        assert trail[["actor", "detail"]].values.tolist() == [
            ["jo.officer", "this session was continued from a browser that did not sign in (its Streamlit cookie "
                           "differs)"]]
    finally:
        context.close()

    # Signed in afresh on Upload history (Roll back), then the tab is closed: within Streamlit's grace for a
    # closed tab the session can still be resumed by its id, but not with the officer's rights.
    context, tab, frames = _officer_on(browser, officer_server, "Upload history")
    session_id = _session_id(frames)
    officer_agent = tab.evaluate("navigator.userAgent")
    context.close()
    # This time a client with no cookie at all and a browser program of its own.
    answered, texts = _resume(officer_server, session_id, "history", None, ATTACKER_AGENT)
    assert answered == session_id
    assert "Upload history" not in texts and "Roll back an upload" not in texts
    assert any(t.startswith(SIGNED_OUT) for t in texts)
    assert len(audit.events(officer_server.db_path, actions=("sign_out",))) == 2
