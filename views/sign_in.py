"""Officer sign-in: the identity provider (st.login) when configured, else the local officer list."""
import streamlit as st

from dashboard.ui.auth import oidc_configured, officer, sign_in_local, sign_out_local
from dashboard.ui.render import plain

st.title("Officer sign-in")
st.markdown("Viewing the dashboard needs no sign-in. Officers sign in to upload new data and to roll uploads back.")
name = officer()
if oidc_configured():
    if st.user.is_logged_in:
        st.success(f"Signed in as {plain(st.user.get('email') or st.user.get('name'))}.")
        if name is None:
            st.warning("Your account is not on this dashboard's officer list, so you cannot upload.")
        if st.button("Sign out", key="sign_out"):
            st.logout()
    elif st.button("Sign in with your organisation's account", key="sign_in", type="primary"):
        st.login()
elif name:
    st.success(f"Signed in as {name}. The Upload data and Upload history pages are in the menu.")
    if st.button("Sign out", key="sign_out"):
        sign_out_local()
        st.rerun()
else:
    with st.form("sign_in_form"):
        username = st.text_input("Username", key="username")
        password = st.text_input("Password", type="password", key="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        if sign_in_local(username, password):
            st.rerun()
        st.error("That username and password do not match an officer on this dashboard.")
