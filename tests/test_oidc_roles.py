"""Roles from the identity provider's claims on the pages (AppTest): `ui.auth.grant` passes st.user's claims to
`dashboard.trust.access`, so a group mapped in `[access.claims]` opens Upload data or the Audit trail, and a broken
`[access]` table leaves everyone a viewer with no traceback. The same in a real browser: tests/test_browser_oidc.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.trust import audit

APP = Path(__file__).resolve().parents[1] / "app.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://id.example.invalid/.well-known/openid-configuration"}
CLAIMS = {"claim": "groups", "roles": {"cs-performance-officers": "officer", "cs-dashboard-admins": "admin"}}


def _app(db: Path, monkeypatch, user: dict, access: dict | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = {"auth": AUTH, "access": {"claims": CLAIMS} if access is None else access}
    at.user = {"is_logged_in": True, **user}
    at.run()
    assert not at.exception
    return at


def _reaches(at: AppTest, page: str) -> bool:
    try:
        at.switch_page(f"views/{page}.py")
    except ValueError:  # "Could not find a navigation page": left out of this person's menu
        return False
    at.run()
    assert not at.exception
    return True


@pytest.mark.parametrize(("groups", "upload", "audit_page"), [
    (["all-staff"], False, False),
    (["all-staff", "cs-performance-officers"], True, False),
    (["cs-dashboard-admins"], True, True),
])
def test_a_mapped_group_claim_gives_its_role(fixture_db, monkeypatch, groups, upload, audit_page):
    at = _app(fixture_db, monkeypatch, {"email": "sam@example.invalid", "name": "Sam", "groups": groups})
    assert _reaches(at, "upload") is upload
    assert _reaches(at, "audit") is audit_page
    # Every new session signed in through the provider is in the trail, whatever the role.
    events = audit.events(fixture_db, actor="sam@example.invalid", actions=("sign_in",))
    assert events["detail"].tolist() == ["identity provider session"]


def test_a_broken_access_table_stops_the_dashboard_in_words(fixture_db, monkeypatch):
    # A claim mapped to a role that does not exist must never give rights; the dashboard stops, saying which entry.
    broken = {"claims": {"claim": "groups", "roles": {"cs-performance-officers": "boss"}}}
    at = _app(fixture_db, monkeypatch, {"email": "sam@example.invalid", "groups": ["cs-performance-officers"]},
              access=broken)
    assert any("roles.cs-performance-officers" in e.value and "not one of viewer" in e.value for e in at.error)
    _reaches(at, "upload")  # a deep link to the upload page: the same stop, nothing of the page
    assert any("misconfigured" in e.value for e in at.error)
    assert not at.file_uploader and not [t for t in at.title if "Upload" in t.value]
