"""Entry point: `streamlit run app.py`. Sets up the page frame and shared sidebar, then runs the chosen page."""
import sys
from pathlib import Path

# The core package lives in src/; hosted platforms run this file directly, without PYTHONPATH.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import streamlit as st  # noqa: E402

from dashboard.ui import url_state  # noqa: E402
from dashboard.ui.auth import officer  # noqa: E402
from dashboard.ui.selection import sidebar  # noqa: E402

st.set_page_config(page_title="Children's services performance", page_icon=":material/monitoring:",
                   layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/rag_by_area.py", title="RAG by strategic area", icon=":material/account_tree:",
            url_path="rag"),
    st.Page("views/indicators.py", title="Indicator trends", icon=":material/show_chart:", url_path="indicators"),
    st.Page("views/efficiency.py", title="Efficiency", icon=":material/savings:", url_path="efficiency"),
    st.Page("views/method.py", title="Method and sources", icon=":material/menu_book:", url_path="method"),
    st.Page("views/meeting.py", title="Meeting mode", icon=":material/co_present:", url_path="meeting"),
]

# Officers' pages exist in the navigation only for a signed-in officer; each page checks again itself.
OFFICER_PAGES = [
    st.Page("views/upload.py", title="Upload data", icon=":material/upload_file:", url_path="upload"),
    st.Page("views/history.py", title="Upload history", icon=":material/history:", url_path="history"),
]
SIGN_IN = st.Page("views/sign_in.py", title="Officer sign-in", icon=":material/login:", url_path="sign-in")

page = st.navigation(PAGES + (OFFICER_PAGES if officer() else []) + [SIGN_IN])
url_state.start()  # before any widget: the link's view, carried across page switches
st.session_state["selection"] = sidebar()
with st.sidebar:
    url_state.link_slot()
page.run()
