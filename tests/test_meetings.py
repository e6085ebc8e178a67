"""Issue 5, meetings and board packs: the view in the link (round trips through AppTest, across page switches),
exports with formula-like cells neutralised, the 'what changed' summary, meeting mode's agenda, and the board pack
PDF rendered and read back."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.presenting import exports, meeting
from dashboard.presenting.view_params import decode, encode, share_url
from dashboard.reading import what_changed
from dashboard.store.connection import connect

APP = Path(__file__).resolve().parents[1] / "app.py"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HEREFORDSHIRE, IEG6 = "herefordshire-council", "hfd-ieg6-2006"


def test_view_params_round_trip_and_make_a_stable_link():
    assert decode("as_at", encode("as_at", date(2006, 3, 31))) == date(2006, 3, 31)
    assert decode("status", encode("status", ["red", "amber"])) == ["red", "amber"]
    assert encode("overdue", False) == [] and decode("overdue", ["1"]) is True
    assert decode("step", ["x"]) is None and decode("as_at", ["31/03/2006"]) is None  # hand-edited: ignored
    link = share_url("http://host/rag", {"status": ["red"], "org": ["a b"], "unknown": ["x"]})
    assert link == "http://host/rag?org=a+b&status=red"  # fixed order, unknown parameters dropped


def test_neutralise_cell_and_exports_read_back():
    assert [exports.neutralise_cell(v) for v in ("=1+2", "+x", "-cmd", "@SUM(A1)", "-12", "+3.5", "ok", 5)] == \
        ["'=1+2", "'+x", "'-cmd", "'@SUM(A1)", "-12", "+3.5", "ok", 5]
    frame = pd.DataFrame({"Description": ['=HYPERLINK("http://x","click")', "£3,465 gains"], "Total £000": [-5, 3465],
                          "Trend": [[1.0, 2.5], [3.0]]})
    csv = pd.read_csv(io.BytesIO(exports.to_csv(frame)), encoding="utf-8-sig")
    assert csv["Description"].tolist() == ['\'=HYPERLINK("http://x","click")', "£3,465 gains"]
    assert csv["Total £000"].tolist() == [-5, 3465] and csv["Trend"].tolist() == ["1, 2.5", "3"]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame, "Lines"))).active
    assert sheet.title == "Lines"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")  # text, not a formula
    assert sheet["B2"].value == -5 and sheet["B3"].value == 3465


def test_what_changed_on_the_ieg6_return(seed_db):
    con = connect(seed_db, read_only=True)
    try:
        summary = what_changed.summarise(lambda query, *a: query(con, *a), HEREFORDSHIRE, IEG6,
                                         date(2006, 3, 31))
    finally:
        con.close()
    text = summary.text()
    assert ("Statuses: Between the status reports of 31/12/2005 and 31/03/2006, 4 items moved up the status scale "
            "and none moved down.") in text
    assert "Moved up: R4 (Amber to Green), G2 (Amber to Green), G6 (Amber to Green), CM8 (Red to Amber)." in text
    assert "Gains identified in 2006/07: £3,465k" in text
    assert summary.text() == text  # deterministic: the same data says the same words


def test_meeting_agenda_items_and_steps():
    agenda = meeting.default_agenda(["S1", "S2"], ["NI 59", "NI 60"], True, most_indicators=1)
    assert agenda == ["area:S1", "area:S2", "indicator:NI 59", "efficiency"]
    assert meeting.parse("indicator:NI 59") == meeting.Item("indicator", "NI 59")
    assert meeting.title("area:S1", {"S1": "Outcomes"}, {}) == "Area: Outcomes"
    assert [meeting.clamp(s, 4) for s in (None, 0, 2, 9)] == [1, 1, 2, 4] and meeting.clamp(3, 0) == 1


@pytest.fixture()
def app(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    return AppTest.from_file(str(APP), default_timeout=60)


def _rag_view(at: AppTest) -> tuple:
    return (at.selectbox(key="org").value, at.selectbox(key=f"plan:{HEREFORDSHIRE}").value,
            at.multiselect(key="statuses").value, at.radio(key="count_mode").value,
            at.selectbox(key="compare_from").value, at.selectbox(key="area").value)


def test_a_link_reopens_the_same_widgets_on_every_page_and_after_switching(app):
    link = {"org": HEREFORDSHIRE, "plan": IEG6, "as_at": "2006-03-31", "status": "red", "count": "parents",
            "from": "2005-12-31", "to": "2006-03-31", "year": "2006/07", "search": "transport"}
    app.query_params = dict(link)
    app.run()  # AppTest opens the default page first; the link's view is taken from the URL there
    app.switch_page("views/rag_by_area.py").run()
    assert not app.exception, [e.value for e in app.exception]
    view = _rag_view(app)
    assert view[:4] == (HEREFORDSHIRE, IEG6, ["red"], "parents")
    assert view[4] == date(2005, 12, 31)
    app.selectbox(key="area").set_value(app.selectbox(key="area").options[-1]).run()  # a change goes into the link
    view = _rag_view(app)
    # Streamlit empties the query string on a page switch; the pages put the view back.
    app.query_params = {}
    app.switch_page("views/efficiency.py").run()
    assert app.selectbox(key="efficiency_year").value == "2006/07"
    assert app.text_input(key="efficiency_search").value == "transport"
    assert app.query_params["status"] == "red" and app.query_params["org"] == HEREFORDSHIRE
    app.query_params = {}
    app.switch_page("views/rag_by_area.py").run()
    assert _rag_view(app) == view
    assert any(text.value.startswith("[Link to this view](?org=herefordshire-council") for text in app.sidebar.markdown)
    # The link as it now stands, opened in a new session, shows the same view.
    fresh = AppTest.from_file(str(APP), default_timeout=60)
    fresh.query_params = dict(app.query_params)
    fresh.run()
    fresh.switch_page("views/rag_by_area.py").run()
    assert _rag_view(fresh) == view


def test_meeting_mode_link_carries_agenda_and_step(app):
    app.query_params = {"org": HEREFORDSHIRE, "plan": IEG6, "agenda": ["efficiency", "area:S2"], "mode": "present",
                        "step": "2"}
    app.run()
    app.switch_page("views/meeting.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value.startswith("Area\\: Section 2")  # escaped: titles come from the data
    assert "**Item 2 of 2**" in app.markdown[0].value
    app.button(key="meeting_previous").click().run()
    assert app.title[0].value == "Efficiency position" and app.query_params["step"] == "1"
    assert "Gains identified: £3,465k" in "\n".join(m.value for m in app.markdown)
    app.button(key="meeting_end").click().run()
    assert app.multiselect(key="meeting_agenda").value == ["efficiency", "area:S2"]


@pytest.mark.slow
def test_board_pack_pdf_from_the_command_line(seed_db, monkeypatch, tmp_path):
    from browser_support import require_browser
    require_browser()  # kaleido draws the charts in Debian's Chromium
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.skip("needs poppler-utils (pdftotext, pdftoppm)")
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    out = tmp_path / "pack.pdf"
    assert main(["board-pack", "--org", HEREFORDSHIRE, "--plan", IEG6, "--as-at", "2006-03-31", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("Board pack", "Herefordshire Council", "1 RAG by strategic area", "18 Red at 31/03/2006",
                     "2 Exceptions: red and worsening", "4 Efficiency position", "£3,465k", "surplus",
                     "5 What changed since the last refresh", "4 items moved up", "6 Sources of every figure",
                     "document 002, line 313"):
        assert expected in text, expected
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(out), str(ARTIFACTS / "board-pack")],
                   check=True)
    pages = sorted(ARTIFACTS.glob("board-pack-*.png"))
    assert len(pages) >= 3 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
    assert main(["board-pack", "--org", HEREFORDSHIRE, "--plan", "no-such-plan", "--as-at", "2006-03-31",
                 str(tmp_path / "x.pdf")]) == 2
