"""Who is signed in as an officer: Streamlit's OIDC sign-in (st.login) when `[auth]` is configured in secrets,
otherwise the local `[officers]` list of salted hashes; who may view; and the guard every officer page calls first."""
from __future__ import annotations

import contextlib
import logging
import os
import tomllib
from pathlib import Path

import streamlit as st
from streamlit import config as st_config

from dashboard.settings import Settings, database_path, load
from dashboard.trust import access, audit, session_binding, sign_in_policy
from dashboard.trust.auth import SECTION, check_officer, needs_rehash, rehash
from dashboard.ui.render import plain

SESSION_KEY = "officer"
BINDING_KEY = "officer_binding"  # the marks of the connection that signed in (dashboard.trust.session_binding)
SIGNED_OUT_NOTICE = "signed_out_notice"  # why this session lost its officer's rights, shown by app.py


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
    return _local_officer()


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
    """The signed-in officer's name (an officer, approver or admin), or None for a viewer or anonymous session."""
    person = grant()
    return person.name if person.at_least("officer") else None


ANONYMOUS = access.Grant("anonymous", "viewer")


def check_access() -> None:
    """Raise access.AccessError when the secrets' `[access]` table has an entry the dashboard does not understand."""
    access.check(_secrets())


def grant() -> access.Grant:
    """What this session may do (dashboard.trust.access): the signed-in person's role and scope, from the secrets'
    `[access]` table or the identity provider's claims; a viewer's grant when nobody is signed in."""
    if oidc_configured():
        if not st.user.is_logged_in:
            return ANONYMOUS
        name = st.user.get("email") or st.user.get("name") or "officer"
        claims = st.user.to_dict()
    else:
        name, claims = _local_officer(), None
        if name is None:
            return ANONYMOUS
    try:
        return access.grant_for(_secrets(), name, claims)
    except access.AccessError as error:  # a mistyped [access] table: said in words, nobody gets more than viewing
        st.error(f"This deployment's roles are misconfigured: {error} See docs/SECURITY.md.")
        return access.Grant(name, "viewer")


def _connection() -> session_binding.Binding:
    # The connection running this script now: after a resume by session id, the resuming client's (Streamlit
    # reads headers and cookies from the session's current websocket).
    cookies, agent = st.context.cookies, st.context.headers.get("User-Agent")
    return session_binding.binding_of(cookies.to_dict() if hasattr(cookies, "to_dict") else {},
                                      agent if isinstance(agent, str) else None, client_address())


def _local_officer() -> str | None:
    # A local sign-in holds only while the session is driven by the browser that signed in: Streamlit lets any
    # client resume a session by presenting its id, so the id alone must not carry the officer's rights. On a
    # mismatch the session is signed out and the trail says why. (With an identity provider Streamlit itself
    # binds a session to the signed cookie of whoever signed in.)
    name = st.session_state.get(SESSION_KEY)
    if name is None:
        return None
    reason = session_binding.mismatch(st.session_state.get(BINDING_KEY), _connection())
    if reason is None:
        return name
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(BINDING_KEY, None)
    # plain(): the reason may name the newcomer's address, which is shown, never read as Markdown.
    st.session_state[SIGNED_OUT_NOTICE] = (f"You have been signed out: {plain(reason)}. Sign in again to upload "
                                           "or roll back.")
    with contextlib.suppress(audit.AuditError):  # logged at error level by audit.record; the sign-out stands
        audit.record(database_path(), "sign_out", name, client_address(), detail=reason)
    return None


def signed_out_notice() -> None:
    """Say once why this session was signed out, if it was signed out because another browser continued it."""
    if SIGNED_OUT_NOTICE in st.session_state:
        st.warning(st.session_state.pop(SIGNED_OUT_NOTICE))


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


def is_admin() -> bool:
    """True when the signed-in person's role is admin (`[access]`, or the older `admins` list)."""
    return grant().at_least("admin")


def client_address() -> str:
    """Where this session connects from (`audit.client_of` of Streamlit's peer address and X-Forwarded-For)."""
    direct, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    # Not strings in AppTest, which has no connection: as a browser on this machine.
    return audit.client_of(direct if isinstance(direct, str) else None,
                           forwarded if isinstance(forwarded, str) else None)


AUDIT_WARNING = "audit_warning"  # a failure to record, shown by app.py on the next run (pages rerun after changes)


def record(action: str, target: str | None = None, detail: str | None = None, actor: str | None = None) -> bool:
    """Record an event by this session's officer (or `actor`) in the audit trail; False (and a warning on the page,
    now or after the page's rerun) when the trail could not be written."""
    try:
        audit.record(database_path(), action, actor or officer() or "anonymous", client_address(), target, detail)
        return True
    except audit.AuditError as error:
        st.session_state[AUDIT_WARNING] = (f"This was not recorded in the audit trail: {error} Tell the "
                                           "dashboard's administrator.")
        return False


def record_later(action: str, target: str | None = None, detail: str | None = None):
    """A function that records the event when called outside the script run (a download made when clicked, in a
    thread with no session): who and from where are read now."""
    db_path, actor, client = database_path(), officer() or "anonymous", client_address()

    def write() -> None:
        with contextlib.suppress(audit.AuditError):  # logged at error level by audit.record; the download goes on
            audit.record(db_path, action, actor, client, target, detail)

    return write


def note_identity_provider_session() -> None:
    """Record a sign-in through the identity provider once per browser session (Streamlit signs the browser in
    with its own cookie, so a new session after a reload is recorded too)."""
    if oidc_configured() and st.user.is_logged_in and not st.session_state.get("sign_in_recorded"):
        st.session_state["sign_in_recorded"] = True
        record("sign_in", detail="identity provider session", actor=viewer())


def _secrets_file_with(username: str) -> Path | None:
    # The secrets file Streamlit read this officer from (the last of its files wins, as in st.secrets).
    found = None
    for name in st_config.get_option("secrets.files") or []:
        path = Path(name)
        try:
            if path.is_file() and username in (tomllib.loads(path.read_text(encoding="utf-8")).get(SECTION) or {}):
                found = path
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return found


def sign_in_local(username: str, password: str) -> str | None:
    """Check a name and password against the secrets' officer list, unless the account or this client must wait
    (dashboard.trust.sign_in_policy); every try is recorded in the audit trail. On success the session is signed in and
    None is returned; otherwise what to tell the officer."""
    name, client, db_path = username.strip(), client_address(), database_path()
    try:
        verdict = audit.sign_in_verdict(db_path, name, client)
        if not verdict.allowed:
            audit.record(db_path, "sign_in_refused", name, client, detail=verdict.reason)
            return sign_in_policy.message(verdict, audit.now())
        if check_officer(_secrets(), name, password):
            st.session_state[SESSION_KEY] = name
            st.session_state[BINDING_KEY] = _connection()
            st.session_state.pop(SIGNED_OUT_NOTICE, None)
            audit.record(db_path, "sign_in", name, client, detail=_rehashed(name, password))
            return None
        audit.record(db_path, "sign_in_failed", name, client,
                     detail=f"wrong password or unknown name ({verdict.account_failures + 1} in a row)")
        for scope in verdict.locks_after_failure():
            audit.record(db_path, "lockout", name, client, target=scope,
                         detail=f"until {audit.now() + sign_in_policy.LOCKOUT:%Y-%m-%d %H:%M:%S} UTC")
        after = audit.sign_in_verdict(db_path, name, client)
    except audit.AuditError as error:
        # Without the trail the lockout cannot be checked or recorded: refuse rather than let guesses through.
        st.session_state.pop(SESSION_KEY, None)
        return f"Sign-in is unavailable just now: {error} Tell the dashboard's administrator."
    wrong = "That username and password do not match an officer on this dashboard."
    return wrong if after.allowed else f"{wrong} {sign_in_policy.message(after, audit.now())}"


def _rehashed(name: str, password: str) -> str | None:
    # An old-cost hash is replaced at today's cost now that the password is known to be right (OWASP's advice);
    # a secrets file the server may not write (a hosted platform's) keeps the old hash, which still works.
    stored = (_secrets().get(SECTION) or {}).get(name)
    if not isinstance(stored, str) or not needs_rehash(stored):
        return None
    path = _secrets_file_with(name)
    try:
        if path is None:
            return "password hash at an old cost (no secrets file the server can update)"
        # False when the file no longer holds the hash just checked: someone changed it, and that one stands.
        return "password hash upgraded to the current scrypt cost" if rehash(path, name, password, stored) else None
    except (OSError, ValueError) as error:
        logging.getLogger(__name__).warning("could not rehash %s's password: %s", name, error)
        return "password hash at an old cost (the secrets file could not be updated)"


def sign_out_local() -> None:
    """End the local officer session (recorded in the audit trail)."""
    name = st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(BINDING_KEY, None)
    if name is not None:
        record("sign_out", detail="by the officer", actor=name)
