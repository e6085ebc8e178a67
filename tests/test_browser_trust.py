"""Sign-in and the audit trail in a real headless Chromium behind a (simulated) proxy on this machine: the password
field is one a password manager fills; a wrong password and then the right one are recorded with the address the
proxy passed on; an old hash is rehashed in the real secrets file; the upload page's problems CSV, made when
clicked in a thread of Streamlit's own, is recorded as an export; each event is a JSON line in the server's log; the
admin reads it all on the Audit trail page."""
from __future__ import annotations

import base64
import hashlib
import json
import tomllib

import pytest

from browser_support import Server, browser, exceptions, wait_for_app  # noqa: F401
from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from dashboard.trust import audit

pytestmark = pytest.mark.browser

PASSWORD = "a long password for browser tests"
CLIENT = "198.51.100.7"  # a documentation address, as a proxy would pass it on
BAD_FILE = "indicator_code,organisation,period,measure,value\nNI 65,nowhere-borough,quarter 1,actual,10%\n"


def _old_hash(password: str) -> str:
    salt = b"fedcba9876543210"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)
    return "$".join(["scrypt", "16384", "8", "1", base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


@pytest.fixture(scope="module")
def trust_server(tmp_path_factory, browser):
    """The dashboard on the fictional council, with one officer (an admin) whose hash is at the old cost."""
    folder = tmp_path_factory.mktemp("trust")
    db_path = folder / "dashboard.duckdb"
    build(db_path, FIXTURE_SEED)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'admins = ["jo.officer"]\n\n[officers]\n"jo.officer" = "{_old_hash(PASSWORD)}"\n')
    running = Server(db_path, folder / "streamlit.log", secrets_file=secrets)
    running.db_path, running.secrets, running.log_path = db_path, secrets, folder / "streamlit.log"
    yield running
    running.stop()


def test_sign_in_uploads_and_exports_are_recorded_with_the_address_and_logged(browser, trust_server):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True,
                                  extra_http_headers={"X-Forwarded-For": f"203.0.113.99, {CLIENT}"})
    tab = context.new_page()
    try:
        tab.goto(f"{trust_server.url}/sign-in")
        wait_for_app(tab)
        password = tab.get_by_label("Password", exact=True)
        assert password.get_attribute("autocomplete") == "current-password"
        assert tab.get_by_label("Username").get_attribute("autocomplete") == "username"
        tab.get_by_label("Username").fill("jo.officer")
        password.fill("not the password")
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("That username and password do not match").wait_for()
        wait_for_app(tab)
        tab.get_by_label("Password", exact=True).fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Signed in as jo.officer").wait_for()
        wait_for_app(tab)
        stored = tomllib.loads(trust_server.secrets.read_text())["officers"]["jo.officer"]
        assert stored.split("$")[1] == str(2 ** 17)  # rehashed in the file the server read

        tab.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data").click()
        wait_for_app(tab)
        tab.get_by_text("Indicator values", exact=True).click()
        wait_for_app(tab)
        source = trust_server.db_path.parent / "bad.csv"
        source.write_text(BAD_FILE, encoding="utf-8")
        tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
        tab.get_by_text("Problems to fix").wait_for(timeout=60_000)
        wait_for_app(tab)
        with tab.expect_download() as download:
            tab.get_by_role("button", name="All as CSV").first.click()
        assert "quarter 1" in download.value.path().read_text(encoding="utf-8-sig")

        tab.locator('[data-testid="stSidebarNav"]').get_by_text("Audit trail").click()
        wait_for_app(tab)
        page_text = tab.locator('[data-testid="stMain"]').inner_text()
        assert "Audit trail" in page_text and exceptions(tab) == []
    finally:
        context.close()

    trail = audit.events(trust_server.db_path).iloc[::-1]
    assert trail[["actor", "action", "client"]].values.tolist() == [
        ["jo.officer", "sign_in_failed", CLIENT], ["jo.officer", "sign_in", CLIENT],
        ["jo.officer", "export", CLIENT]]
    assert trail["detail"].iloc[1] == "password hash upgraded to the current scrypt cost"
    assert trail["target"].iloc[2] == "bad-csv-problems-to-fix.csv"
    logged = [json.loads(line) for line in trust_server.log_path.read_text().splitlines() if line.startswith("{")]
    assert [(line["event"], line["client"]) for line in logged if line.get("logger") == "dashboard.trust.audit"] == [
        ("sign_in_failed", CLIENT), ("sign_in", CLIENT), ("export", CLIENT)]
