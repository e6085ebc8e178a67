"""Who is signed in as an officer: Streamlit's OIDC sign-in (st.login) when `[auth]` is configured in secrets,
otherwise the local `[officers]` list of salted hashes; who may view; and the guard every officer page calls first."""
from __future__ import annotations

import os

import streamlit as st

from dashboard.auth import check_officer
from dashboard.settings import Settings, load

SESSION_KEY = "officer"


def _secrets() -> dict:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # no secrets file at all: nobody can sign in, the dashboard stays read-only
        return {}


def settings() -> Settings:
    """The deployment's settings (dashboard.settings), from the environment and this app's secrets."""
    return load(os.environ, _secrets())


def viewer() -> str | None:
    """Who is signed in for viewing: anyone the identity provider signed in, or a local officer; else None."""
    if oidc_configured():
        # With an identity provider, everyone it signs in may view; `officer_emails` limits uploading only.
        return (st.user.get("email") or st.user.get("name") or "signed in") if st.user.is_logged_in else None
    return st.session_state.get(SESSION_KEY)


def may_view() -> bool:
    """True when this session may see the dashboard: viewing is public, or someone is signed in."""
    return not settings().sign_in_required or viewer() is not None


def may_upload() -> bool:
    """True when uploads are switched on here and this session is a signed-in officer."""
    return settings().uploads_enabled and officer() is not None


def oidc_configured() -> bool:
    """True when the deployment configured an identity provider in secrets ([auth])."""
    return "auth" in _secrets()


def officer() -> str | None:
    """The signed-in officer's name, or None for an anonymous session."""
    if oidc_configured():
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email") or st.user.get("name") or "officer"
        allowed = _secrets().get("officer_emails")
        # With an identity provider, `officer_emails` (if given) says which signed-in people may upload.
        return email if not allowed or email in allowed else None
    return st.session_state.get(SESSION_KEY)


def require_officer() -> str:
    """Stop the page for anyone who is not a signed-in officer (the page is also hidden from them)."""
    if not settings().uploads_enabled:
        st.title("Uploads are switched off")
        st.info("This deployment shows the data read-only: uploads and rollbacks are switched off here "
                "(DASHBOARD_UPLOADS=off).")
        st.stop()
    name = officer()
    if name is None:
        st.title("Officers only")
        st.warning("Sign in as an officer to upload data or roll an upload back.")
        st.page_link("views/sign_in.py", label="Go to officer sign-in", icon=":material/login:")
        st.stop()
    return name


def sign_in_local(username: str, password: str) -> bool:
    """Check a name and password against the secrets' officer list; on success the session is signed in."""
    if check_officer(_secrets(), username.strip(), password):
        st.session_state[SESSION_KEY] = username.strip()
        return True
    return False


def sign_out_local() -> None:
    """End the local officer session."""
    st.session_state.pop(SESSION_KEY, None)
