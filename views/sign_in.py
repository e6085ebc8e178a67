"""Officer sign-in: the identity provider (st.login) when configured, else the local officer list."""
import streamlit as st

from dashboard.trust.access import ROLE_WORDS
from dashboard.ui.auth import (
    grant,
    officer,
    oidc_configured,
    record,
    settings,
    sign_in_local,
    sign_out_local,
    viewer,
)
from dashboard.ui.render import plain

config = settings()
st.title("Sign in" if config.sign_in_required else "Officer sign-in")
if config.sign_in_required:
    st.markdown("This dashboard is for signed-in staff only. Sign in to view it.")
    if not config.sign_in_possible:
        st.error("No sign-in is configured on this deployment ([auth] or [officers] in its secrets), so nobody "
                 "can view it yet. The administrator's guide is docs/deploy.md.")
        st.stop()
elif config.uploads_enabled:
    st.markdown("Viewing the dashboard needs no sign-in. Officers sign in to upload new data and to roll uploads "
                "back.")
name = officer()
if oidc_configured():
    if st.user.is_logged_in:
        # The person's name as their organisation gives it, and the email their rights and the audit trail use.
        shown, email = st.user.get("name"), st.user.get("email")
        st.success(f"Signed in as {plain(shown or email)}" + (f" ({plain(email)})." if shown and email else "."))
        if name is None and config.uploads_enabled:
            st.warning("Your account is not on this dashboard's officer list, so you cannot upload.")
        if st.button("Sign out", key="sign_out"):
            record("sign_out", detail="by the person, through the identity provider", actor=viewer())
            st.logout()
    elif st.button("Sign in with your organisation's account", key="sign_in", type="primary"):
        st.login()
elif viewer():
    st.success(f"Signed in as {plain(viewer())}." + (" The Upload data and Upload history pages are in the menu."
                                                   if config.uploads_enabled and name else ""))
    if st.button("Sign out", key="sign_out"):
        sign_out_local()
        st.rerun()
else:
    # The autocomplete hints let password managers fill the form (Streamlit's password default, "new-password",
    # tells them not to).
    with st.form("sign_in_form"):
        username = st.text_input("Username", key="username", autocomplete="username")
        password = st.text_input("Password", type="password", key="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        refusal = sign_in_local(username, password)
        if refusal is None:
            st.rerun()
        st.error(refusal)
if viewer():  # what this person may do here (dashboard.trust.access)
    person = grant()
    scope = "".join(f" {label}: {', '.join(sorted(values))}." for label, values in
                    (("Councils", person.organisations), ("Kinds of upload", person.kinds)) if values is not None)
    st.caption(f"Your role: {person.role} ({ROLE_WORDS[person.role]}).{plain(scope)}")
