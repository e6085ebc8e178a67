"""Organisation sign-in (st.login) end to end: a real OpenID Connect provider (oidc-provider-mock, see
docs/decisions.md) on loopback, the dashboard served by `streamlit run` with `[auth]` pointing at it, and Debian's
Chromium signing in there and coming back signed in. A group claim mapped in `[access.claims]` gives the officer
Upload data and the admin the Audit trail, and a person without it gets neither; a reload keeps the person signed
in (Streamlit's signed cookie); signing out ends it; each sign-in and sign-out is in the audit trail."""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from browser_support import CHROMIUM_ARGS, Server, browser, free_port, require_browser, wait_for_app  # noqa: F401
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from dashboard.trust import audit

pytestmark = pytest.mark.browser

SIGN_IN_BUTTON = "Sign in with your organisation's account"
OFFICERS, ADMINS = "cs-performance-officers", "cs-dashboard-admins"
# The provider's people: its sign-in page offers each as a button. Their claims are what an organisation's
# identity provider sends: email and name, and a `groups` claim that [access.claims] maps to roles.
PEOPLE = {
    "jo.officer@example.invalid": {"name": "Jo Officer", "groups": ["all-staff", OFFICERS]},
    "vi.viewer@example.invalid": {"name": "Vi Viewer", "groups": ["all-staff"]},
    "ada.admin@example.invalid": {"name": "Ada Admin", "groups": ["all-staff", ADMINS]},
}


def _wait_for(url: str, process: subprocess.Popen, log, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the identity provider did not answer in {timeout}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """oidc-provider-mock on 127.0.0.1 at a free port, with the three people above; its address (the issuer)."""
    require_browser()
    if importlib.util.find_spec("oidc_provider_mock") is None:
        reason = "the organisation sign-in test needs the oidc-provider-mock package (requirements-dev.txt)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for email, claims in PEOPLE.items():
        args += ["--user-claims", json.dumps({"sub": email, "email": email, **claims})]
    log_path = tmp_path_factory.mktemp("provider") / "provider.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, NO_COLOR="1"))
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", process, log_path)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def oidc_server(provider, tmp_path_factory):
    """The dashboard on the fictional council, signing people in through the provider; groups mapped to roles."""
    folder = tmp_path_factory.mktemp("oidc")
    db_path = build(folder / "dashboard.duckdb", FIXTURE_SEED)
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "childrens-services-dashboard"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n\n'
        "[access.claims]\n"
        'claim = "groups"\n'
        f'roles = {{ "{OFFICERS}" = "officer", "{ADMINS}" = "admin" }}\n')
    running = Server(db_path, folder / "streamlit.log", secrets_file=secrets_file, port=port)
    running.db_path = db_path
    yield running
    running.stop()


@pytest.fixture()
def person(browser, request):
    """A fresh browser (no cookies) that may reach this machine only: the provider's page links a stylesheet on
    the internet, which is refused here so the test never leaves loopback."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})

    def loopback_only(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", loopback_only)
    tab = context.new_page()
    yield tab
    context.close()


def _sign_in(page, server, provider: str, email: str) -> None:
    page.goto(f"{server.url}/sign-in")
    wait_for_app(page)
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(f"{provider}/oauth2/authorize**")  # the provider's own sign-in page
    # The button that signs this person in (named "email" in 0.3, "Authorize as email" in 0.4, the same form).
    page.locator(f'button[name="sub"][value="{email}"]').click()
    page.wait_for_url(lambda url: url.startswith(f"{server.url}/"))  # back, through /oauth2callback
    wait_for_app(page)


def _menu(page) -> list[str]:
    # Each link's text is its icon's name, then its title.
    return [link.inner_text().split("\n")[-1].strip() for link in page.locator('[data-testid="stSidebarNav"] a').all()]


def _open(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_for_app(page)


def _signed_in_as(page) -> str:
    # Without the word joiner plain() puts before an @ (so Markdown makes no mail link of it).
    return page.locator('[data-testid="stAlertContentSuccess"]').inner_text().replace("\u2060", "")


def _sign_ins(db_path, email: str) -> int:
    events = audit.events(db_path, actor=email, actions=("sign_in",))
    return int((events["detail"] == "identity provider session").sum())


def test_an_officer_signs_in_at_the_provider_stays_signed_in_on_reload_and_signs_out(person, oidc_server, provider):
    email = "jo.officer@example.invalid"
    _sign_in(person, oidc_server, provider, email)
    assert "Upload data" in _menu(person) and "Audit trail" not in _menu(person)
    _open(person, "Officer sign-in")
    assert _signed_in_as(person) == f"Signed in as Jo Officer ({email})."
    _open(person, "Upload data")
    assert person.locator('[data-testid="stMain"] h1').first.inner_text() == "Upload data"
    recorded = _sign_ins(oidc_server.db_path, email)
    assert recorded >= 1

    # A reload is a new Streamlit session: the signed cookie set at /oauth2callback signs it in again.
    person.reload()
    wait_for_app(person)
    assert person.locator('[data-testid="stMain"] h1').first.inner_text() == "Upload data"
    assert "Upload data" in _menu(person)
    assert _sign_ins(oidc_server.db_path, email) == recorded + 1  # the new session is recorded too
    cookies = {cookie["name"]: cookie for cookie in person.context.cookies()}
    assert cookies["_streamlit_user"]["httpOnly"] and cookies["_streamlit_user"]["expires"] > time.time() + 86_400

    _open(person, "Officer sign-in")
    person.get_by_role("button", name="Sign out").click()
    # The provider is asked to end its session too (its end_session_endpoint), then sends the browser back.
    person.wait_for_url(f"{provider}/oauth2/end_session**")
    person.get_by_role("button", name="End session").click()
    person.wait_for_url(lambda url: url.startswith(f"{oidc_server.url}/"))
    wait_for_app(person)
    assert "Upload data" not in _menu(person)
    assert "_streamlit_user" not in {cookie["name"] for cookie in person.context.cookies()}
    person.goto(f"{oidc_server.url}/upload")
    wait_for_app(person)
    assert person.locator('[data-testid="stMain"] h1').first.inner_text() != "Upload data"
    outs = audit.events(oidc_server.db_path, actor=email, actions=("sign_out",))
    assert len(outs) == 1


def test_without_the_officers_group_a_signed_in_person_may_only_view(person, oidc_server, provider):
    email = "vi.viewer@example.invalid"
    _sign_in(person, oidc_server, provider, email)
    assert "Upload data" not in _menu(person) and "Audit trail" not in _menu(person)
    _open(person, "Officer sign-in")
    assert _signed_in_as(person) == f"Signed in as Vi Viewer ({email})."
    assert "you cannot upload" in person.locator('[data-testid="stAlertContentWarning"]').inner_text()
    assert _sign_ins(oidc_server.db_path, email) >= 1


def test_the_admins_group_opens_the_audit_trail(person, oidc_server, provider):
    email = "ada.admin@example.invalid"
    _sign_in(person, oidc_server, provider, email)
    assert {"Upload data", "Audit trail"} <= set(_menu(person))  # admin has every right of officer
    _open(person, "Audit trail")
    assert person.locator('[data-testid="stMain"] h1').first.inner_text() == "Audit trail"
    events = audit.events(oidc_server.db_path, actor=email, actions=("sign_in",))
    assert list(events["detail"]) == ["identity provider session"] and set(events["client"]) == {"localhost"}
