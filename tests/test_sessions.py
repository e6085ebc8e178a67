"""A Streamlit session id alone carries no officer's rights (issue 24, class 9): the binding rule as a pure function
(dashboard.trust.session_binding) and on the real pages through AppTest; the replay itself, by a second client over the
websocket, is in tests/test_browser_sessions.py."""
from __future__ import annotations

import binascii
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, strategies as st_
from streamlit.testing.v1 import AppTest

from dashboard.settings import STREAMLIT_CONFIG
from dashboard.trust import audit, auth
from dashboard.trust.session_binding import BROWSER_COOKIE, Binding, binding_of, cookie_token, mismatch
from dashboard.ui.auth import BINDING_KEY
from upload_support import REPO

APP = REPO / "app.py"
PASSWORD = "a long password for tests"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def _cookie(token: bytes, mask: bytes | None = None, timestamp: int = 1_765_000_000) -> str:
    """Streamlit's XSRF cookie as its server writes it (version 2: the token XORed with a fresh random mask)."""
    mask = mask or os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(token))
    return f"2|{binascii.b2a_hex(mask).decode()}|{binascii.b2a_hex(masked).decode()}|{timestamp}"


# The rule -----------------------------------------------------------------------------------------------------------

@given(token=st_.binary(min_size=16, max_size=16), first=st_.binary(min_size=4, max_size=4),
       second=st_.binary(min_size=4, max_size=4))
def test_the_browsers_token_survives_the_fresh_mask_of_every_reconnect(token, first, second):
    # Streamlit re-sends its cookie with a new mask at every health check, so after every reconnect: the same
    # browser must still match, whatever the masks.
    assert cookie_token(_cookie(token, first)) == cookie_token(_cookie(token, second)) == token
    signed_in = binding_of({BROWSER_COOKIE: _cookie(token, first)}, CHROME, "198.51.100.7")
    assert mismatch(signed_in, binding_of({BROWSER_COOKIE: _cookie(token, second)}, CHROME, "198.51.100.7")) is None


def test_the_streamlit_cookie_is_read_as_streamlit_itself_reads_it():
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string, generate_xsrf_token_string
    for _ in range(20):
        value = generate_xsrf_token_string()
        assert cookie_token(value) == decode_xsrf_token_string(value)[0]


@pytest.mark.parametrize("value", [None, "", "2|zz|00|1", "2|0011", "2||abcd|1", "not hex", '"2|"'])
def test_an_unreadable_cookie_is_no_token(value):
    assert cookie_token(value) is None


def test_any_other_connection_is_refused_with_the_reason_in_words():
    signed_in = binding_of({BROWSER_COOKIE: _cookie(b"k" * 16)}, CHROME, "198.51.100.7")
    assert mismatch(signed_in, binding_of({BROWSER_COOKIE: _cookie(b"k" * 16)}, CHROME, "198.51.100.7")) is None
    reasons = {
        "no cookie": binding_of({}, CHROME, "198.51.100.7"),
        "another browser's cookie": binding_of({BROWSER_COOKIE: _cookie(b"z" * 16)}, CHROME, "198.51.100.7"),
        "an unreadable cookie": binding_of({BROWSER_COOKIE: "garbage"}, CHROME, "198.51.100.7"),
    }
    for case, now in reasons.items():
        assert mismatch(signed_in, now) == ("this session was continued from a browser that did not sign in (its "
                                            "Streamlit cookie differs)"), case
    same_cookie = {BROWSER_COOKIE: _cookie(b"k" * 16)}
    assert mismatch(signed_in, binding_of(same_cookie, "curl/8.5", "198.51.100.7")) == (
        "this session was continued from a different browser program (its User-Agent differs)")
    assert mismatch(signed_in, binding_of(same_cookie, CHROME, "203.0.113.9")) == (
        "this session was continued from another address (203.0.113.9)")
    # A session marked signed in with no record of who signed in fails closed.
    assert mismatch(None, signed_in) == "this session has no record of the browser that signed in"


def test_without_the_cookie_at_sign_in_the_browser_program_and_address_still_bind():
    # XSRF protection switched off: Streamlit sets no cookie, and only the User-Agent and address are left.
    signed_in = binding_of({}, CHROME, "198.51.100.7")
    assert mismatch(signed_in, binding_of({}, CHROME, "198.51.100.7")) is None
    assert mismatch(signed_in, binding_of({}, CHROME, "203.0.113.9")) is not None
    assert mismatch(signed_in, binding_of({}, None, "198.51.100.7")) is not None


def test_nothing_secret_is_kept_in_the_session():
    token = b"secret token 16b"
    binding = binding_of({BROWSER_COOKIE: _cookie(token)}, CHROME, "198.51.100.7")
    assert token.hex() not in repr(binding) and CHROME not in repr(binding)


def test_a_closed_tabs_session_can_be_resumed_for_thirty_seconds_not_two_minutes():
    server = tomllib.loads(STREAMLIT_CONFIG.read_text())["server"]
    assert server["disconnectedSessionTTL"] == 30
    from streamlit import config
    assert "server.disconnectedSessionTTL" in config._config_options_template  # the option exists in this version


# On the pages (AppTest) ---------------------------------------------------------------------------------------------

@pytest.fixture()
def officer_secrets(tmp_path) -> dict:
    path = tmp_path / "secrets.toml"
    auth.add_officer(path, "jo.officer", PASSWORD)
    return tomllib.loads(path.read_text())


def _signed_in(db: Path, monkeypatch, secrets: dict) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = secrets
    at.run()
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input(PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.exception and at.session_state["officer"] == "jo.officer"
    return at


IND = "indicator_code,organisation,period,measure,value\nNI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"


def test_a_session_continued_by_another_browser_is_signed_out_in_words_and_recorded(fixture_db, monkeypatch,
                                                                                  officer_secrets):
    at = _signed_in(fixture_db, monkeypatch, officer_secrets)
    assert isinstance(at.session_state[BINDING_KEY], Binding)
    at.switch_page("views/upload.py").run()
    at.radio(key="upload_kind").set_value("indicators").run()
    at.file_uploader[0].upload("q1.csv", IND.encode(), "text/csv")
    at.run()
    at.button(key="confirm_upload").click()
    at.run()
    at.switch_page("views/history.py").run()
    # The connection that signed in keeps the officer's rights, run after run: Roll back is there.
    assert [t.value for t in at.title] == ["Upload history"] and not at.warning
    assert [box.key for box in at.checkbox] == ["rollback_confirm"]

    # The session now says another browser signed in: this run's connection (AppTest's, with no cookie) is then
    # the one continuing the session by its id, as a replaying client would.
    at.session_state[BINDING_KEY] = binding_of({BROWSER_COOKIE: _cookie(b"officer's browser")}, CHROME,
                                               "localhost")
    at.checkbox(key="rollback_confirm").check()
    at.run()
    assert "Upload history" not in [t.value for t in at.title]
    assert not [box for box in at.checkbox if box.key == "rollback_confirm"]
    assert not [button for button in at.button if button.key == "rollback_button"]
    assert "officer" not in at.session_state and BINDING_KEY not in at.session_state
    assert [w.value for w in at.warning] == [
        r"You have been signed out: this session was continued from a browser that did not sign in \(its Streamlit "
        r"cookie differs\). Sign in again to upload or roll back."]
    trail = audit.events(fixture_db, limit=1)
    assert trail[["actor", "action", "client", "detail"]].values.tolist() == [
        ["jo.officer", "sign_out", "localhost",
         "this session was continued from a browser that did not sign in (its Streamlit cookie differs)"]]
    assert audit.events(fixture_db, actions=("rollback",)).empty
    at.run()
    assert not at.warning  # said once
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/history.py")  # Upload history (Roll back) has left the navigation


@pytest.mark.parametrize("name", ["upload.py", "history.py"])
def test_each_officer_page_run_on_its_own_refuses_a_continued_session(fixture_db, monkeypatch, officer_secrets,
                                                                      name):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    page = AppTest.from_file(str(REPO / "views" / name), default_timeout=60)
    page.secrets = officer_secrets
    page.session_state["officer"] = "jo.officer"
    page.session_state[BINDING_KEY] = binding_of({BROWSER_COOKIE: _cookie(b"officer's browser")}, CHROME,
                                                 "localhost")
    page.run()
    assert [t.value for t in page.title] == ["Officers only"]
    assert not page.file_uploader and not page.checkbox and not page.dataframe
    # A session marked as an officer's with no record of the browser (set by anything but the sign-in) fails too.
    bare = AppTest.from_file(str(REPO / "views" / name), default_timeout=60)
    bare.secrets = officer_secrets
    bare.session_state["officer"] = "jo.officer"
    bare.run()
    assert [t.value for t in bare.title] == ["Officers only"]


def test_signing_out_is_recorded(fixture_db, monkeypatch, officer_secrets):
    at = _signed_in(fixture_db, monkeypatch, officer_secrets)
    at.button(key="sign_out").click()
    at.run()
    assert "officer" not in at.session_state
    assert audit.events(fixture_db, limit=1)[["actor", "action", "detail"]].values.tolist() == [
        ["jo.officer", "sign_out", "by the officer"]]
