"""Issue 24, class 1: text from the data never becomes Markdown. Every page is rendered through AppTest on a
database whose every text column (codes, titles, action text, commentary, names, file names, uploaders, periods,
notes) ends in hostile Markdown; no element's Markdown may then hold a link, image, emphasis, HTML or Streamlit
directive made from it, nor a bare address GFM would turn into a link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from streamlit.testing.v1 import AppTest

from conftest import FIXTURE_SEED
from dashboard.loading.build import build
from dashboard.store.connection import connect
from dashboard.trust.auth import add_officer
from dashboard.ui.render import plain

APP = Path(__file__).resolve().parents[1] / "app.py"
PASSWORD = "a long password for tests"
HOSTILE = ("[Sign in again](javascript:alert(1)) ![i](http://evil.example/i.png) *em* __strong__ <b>bold</b> "
           ":red[red] `code` www.evil.example x@evil.example https://evil.example/x $x^2$ "
           '<a href="https://evil.example/a">Sign in</a>')
# What each construct would look like in the Markdown if it were not escaped (escaped characters removed first).
MADE = ("[Sign in again](", "![i](", "<b>bold", "*em*", "__strong__", ":red[red]", "`code`", "www.evil",
        "x@evil", "https://evil", "$x^2$", "<a href")
# Every text column a person writes: codes are changed the same way in every table, so the joins still hold.
COLUMNS = {
    "organisations": ["name"], "plans": ["title", "period_text"], "areas": ["code", "parent_code", "title"],
    "actions": ["code", "parent_code", "area_code", "text", "lead_officer", "lead_organisation", "due_text"],
    "action_statuses": ["action_code", "status_text", "commentary", "effective_text", "as_at_text"],
    "indicators": ["indicator_code", "name"], "indicator_aliases": ["alias", "indicator_code"],
    "indicator_areas": ["indicator_code", "area_code"],
    "observations": ["indicator_code", "period_text", "value_text", "value_written", "note"],
    "efficiency_lines": ["directorate", "category", "description"], "efficiency_summaries": ["label"],
    "uploads": ["file_name", "uploaded_by", "note"]}


def build_hostile(folder: Path) -> Path:
    """The fictional council with HOSTILE at the end of every text column."""
    db_path = build(folder / "dashboard.duckdb", FIXTURE_SEED)
    con = connect(db_path)
    try:
        for table, columns in COLUMNS.items():
            sets = ", ".join(f"{column} = {column} || ' ' || ?" for column in columns)
            con.execute(f"UPDATE {table} SET {sets}", [HOSTILE] * len(columns))
    finally:
        con.close()
    return db_path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


def unescaped(markdown: str) -> list[str]:
    """The hostile constructs that would render as Markdown in this text (escaped characters taken out first)."""
    # The sidebar's own link carries the view in its address, percent-encoded: one destination, nothing to render.
    markdown = re.sub(r"^\[Link to this view\]\(\?[^()\s<>]*\)$", "", markdown)
    bare = re.sub(r"\\[\s\S]", "", markdown)
    return [made for made in MADE if made in bare]


def _bodies(at: AppTest) -> list[str]:
    """The Markdown of every element that renders it."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
             "exception")
    bodies = [element.value for kind in kinds for element in getattr(at, kind)]
    bodies += [metric.label for metric in at.metric] + [str(e.label) for e in at.expander]
    return [str(body) for body in bodies]


def _assert_clean(at: AppTest, where: str) -> int:
    assert not at.exception, (where, [e.value for e in at.exception])
    bodies = _bodies(at)
    for body in bodies:
        assert not unescaped(body), (where, unescaped(body), body)
    return sum("evil" in body for body in bodies)


def test_every_page_shows_hostile_text_as_text(hostile_db, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    add_officer(secrets, "jo.officer", PASSWORD)
    import tomllib
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = tomllib.loads(secrets.read_text())
    at.run()
    shown = _assert_clean(at, "overview")
    for page in ("views/rag_by_area.py", "views/indicators.py", "views/efficiency.py", "views/method.py"):
        at.switch_page(page).run()
        shown += _assert_clean(at, page)
    at.switch_page("views/rag_by_area.py").run()
    for area in at.selectbox(key="area").options:  # every area's drill-down
        at.selectbox(key="area").set_value(area).run()
        shown += _assert_clean(at, f"area {area}")
    at.switch_page("views/indicators.py").run()
    for code in at.selectbox(key="indicator").options:
        at.selectbox(key="indicator").set_value(code).run()
        shown += _assert_clean(at, f"indicator {code}")
    # Meeting mode, presenting every item of the default agenda (areas, red indicators, efficiency).
    at.switch_page("views/meeting.py").run()
    agenda = at.multiselect(key="meeting_agenda").options
    at.multiselect(key="meeting_agenda").set_value(agenda).run()
    at.button(key="meeting_start").click().run()
    for step in range(len(agenda)):
        shown += _assert_clean(at, f"meeting item {step + 1}")
        if step + 1 < len(agenda):
            at.button(key="meeting_next").click().run()
    at.button(key="meeting_end").click().run()
    # The officer's pages: the history names the hostile file and uploader.
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input(PASSWORD)
    at.button[0].click().run()
    for page in ("views/upload.py", "views/history.py"):
        at.switch_page(page).run()
        shown += _assert_clean(at, page)
    assert shown >= 10  # the hostile text is on the pages (escaped), not merely absent


def test_the_check_finds_what_escaping_prevents():
    """The check is honest: the raw text fails it, the escaped text passes, on any text around the payload."""
    assert set(unescaped(HOSTILE)) == set(MADE)
    assert unescaped(plain(HOSTILE)) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]()!*_`<>:@.$#-+=|~&\\ ab1\nhtpsw/")), max_size=40))
def test_plain_makes_no_markdown_from_any_text(text):
    escaped = plain(text)
    bare = re.sub(r"\\[\s\S]", "", escaped)
    # Every Markdown mark is escaped (so nothing is left to start a construct), on one line, and no bare address.
    assert not re.search(r"[\[\]()!*_`<>$|~&#]", bare), escaped
    assert "\n" not in escaped
    assert not re.search(r"https?:|www\.|\w@", bare, re.IGNORECASE), escaped
