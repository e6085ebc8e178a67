"""Entry point: `streamlit run app.py`. Sets up the page frame and shared sidebar, then runs the chosen page."""
import sys
from pathlib import Path

# The core package lives in src/; hosted platforms run this file directly, without PYTHONPATH.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import streamlit as st

from dashboard.settings import SettingsError
from dashboard.trust.access import AccessError
from dashboard.ui import sockets, url_state, versions
from dashboard.ui.auth import (
    AUDIT_WARNING,
    check_access,
    is_admin,
    may_upload,
    may_view,
    note_identity_provider_session,
    settings,
    signed_out_notice,
)
from dashboard.ui.data import prepare_database
from dashboard.ui.selection import sidebar

# Every connection the server accepts from here on sends each small file at once, not after the browser's delayed
# acknowledgement (about 40 ms a file; a first visit fetches over a hundred). Connections accepted before this line
# first ran (the first visitor's after a restart) keep the delay.
sockets.send_without_delay()

SERVICE = "Children's services performance"
st.set_page_config(page_title=SERVICE, page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/rag_by_area.py", title="RAG by strategic area", icon=":material/account_tree:",
            url_path="rag"),
    st.Page("views/indicators.py", title="Indicator trends", icon=":material/show_chart:", url_path="indicators"),
    st.Page("views/compare.py", title="How we compare", icon=":material/leaderboard:", url_path="compare"),
    st.Page("views/efficiency.py", title="Efficiency", icon=":material/savings:", url_path="efficiency"),
    st.Page("views/method.py", title="Method and sources", icon=":material/menu_book:", url_path="method"),
    st.Page("views/meeting.py", title="Meeting mode", icon=":material/co_present:", url_path="meeting"),
]

# Officers' pages exist in the navigation only for a signed-in officer; each page checks again itself.
OFFICER_PAGES = [
    st.Page("views/upload.py", title="Upload data", icon=":material/upload_file:", url_path="upload"),
    st.Page("views/history.py", title="Upload history", icon=":material/history:", url_path="history"),
]
# Drafts waiting for a second officer's approval, for officers when approval is on (docs/decisions.md).
DRAFTS = st.Page("views/drafts.py", title="Drafts to approve", icon=":material/approval:", url_path="drafts")
# The audit trail, for officers listed as admins in the secrets file (docs/SECURITY.md).
AUDIT = st.Page("views/audit.py", title="Audit trail", icon=":material/policy:", url_path="audit")
SIGN_IN = st.Page("views/sign_in.py", title="Officer sign-in", icon=":material/login:", url_path="sign-in")
# Reachable by everyone, signed in or not, as the accessibility regulations expect; linked again at the foot of the
# sidebar, where GOV.UK services put it.
ACCESSIBILITY = st.Page("views/accessibility.py", title="Accessibility statement", icon=":material/accessibility:",
                        url_path="accessibility")

try:
    config = settings()
    check_access()
except (SettingsError, AccessError) as error:  # a mistyped setting stops here, in words, rather than half-working
    st.error(f"This deployment is misconfigured: {error} See docs/deploy.md.")
    st.stop()
prepare_database()
note_identity_provider_session()
if not may_view():
    # Viewing needs sign-in and nobody is signed in: the sign-in page is the only page there is, so no deep link
    # and no sidebar query reaches the data.
    only = st.navigation([SIGN_IN, ACCESSIBILITY])
    st.set_page_config(page_title=f"{only.title} – {SERVICE}")
    signed_out_notice()
    only.run()
    st.stop()
# With uploads off and viewing public there is nothing to sign in for (Streamlit Community Cloud).
sign_in = [SIGN_IN] if config.uploads_enabled or config.sign_in_required else []
officer_pages = OFFICER_PAGES + ([DRAFTS] if config.approval else []) if may_upload() else []
# expanded: every page listed; by default Streamlit folds all past the tenth under "View more", which hid an
# admin's Audit trail.
page = st.navigation(PAGES + officer_pages + ([AUDIT] if is_admin() else []) + sign_in + [ACCESSIBILITY],
                     expanded=True)
# Each page its own browser title, "Page – Service" as GOV.UK pages do: a tab, a bookmark and a screen reader's
# first words say which page it is (the title set above alone named every page the same).
st.set_page_config(page_title=f"{page.title} – {SERVICE}")
url_state.start()  # before any widget: the link's view, carried across page switches
if page.url_path in {p.url_path for p in PAGES}:
    # Before any data is read: which figures this run shows (officers' pages always work on the current data).
    versions.notice()
else:
    versions.current_figures()
st.session_state["selection"] = sidebar()
with st.sidebar:
    url_state.link_slot()
    st.page_link(ACCESSIBILITY, label="Accessibility statement")
if AUDIT_WARNING in st.session_state:
    st.warning(st.session_state.pop(AUDIT_WARNING))
signed_out_notice()
page.run()
