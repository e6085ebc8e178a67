"""Injection in a real headless Chromium, on the fictional council: action text, commentary, file names and a search
holding <script>, <img onerror>, javascript: links, Markdown and the source documents' own HTML fragments are shown
as the text they are, and no script runs. The payloads try to set window.__xss and to open a dialog; the page is
checked for both, and for any element or link the payloads could have made."""
from __future__ import annotations

import pytest

from browser_support import Server, browser, exceptions, page, wait_for_app  # noqa: F401 (fixtures)
from conftest import FIXTURE_SEED
from dashboard.loading import refresh
from dashboard.loading.build import build
from dashboard.trust.auth import add_officer

pytestmark = pytest.mark.browser

PASSWORD = "a long password for browser tests"
SCRIPT = "<script>window.__xss='script';alert('script')</script>"
IMG = "<img src=x onerror=\"window.__xss='img';alert('img')\">"
LINKS = "[click](javascript:window.__xss='md') <a href=\"javascript:window.__xss='a'\">a</a>"
SVG = "<svg onload=\"window.__xss='svg'\"></svg><iframe src=\"javascript:window.__xss='iframe'\"></iframe>"
# As printed in the source documents (data/sources 002 line 650, 003 lines 20 and 30): HTML and a Markdown-like *NEW*.
SOURCE_HTML = "<p>Commenced 27.01.06</p> <p>No material issues</p> ( <i>priority wording tbc</i> ) *NEW*"
SOURCE_BOLD = "<b>Priority 1</b> :red[red] $x^2$ ![t](http://example.invalid/t.png)"
# A file name as any browser would send it (no folders): HTML, to be shown as text in the history and overview.
FILE_NAME = "<img src=x onerror=\"window.__xss='name'\">.csv"
ACTIONS = ("plan_id,code,text,status,as_at,commentary\n"
           + "\n".join(f'nowhere-plan,X{n},"{text.replace(chr(34), chr(34) * 2)}",Red,30/06/2010,'
                       f'"{comment.replace(chr(34), chr(34) * 2)}"'
                       for n, (text, comment) in enumerate([(SCRIPT, IMG), (LINKS, SVG),
                                                            (SOURCE_BOLD, SOURCE_HTML)], start=1)) + "\n")
PAYLOADS = [SCRIPT, IMG, SVG, SOURCE_HTML, SOURCE_BOLD]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, browser):
    """The dashboard on the fictional council after an officer's upload full of payloads (warned, and accepted)."""
    folder = tmp_path_factory.mktemp("hostile")
    db_path = folder / "dashboard.duckdb"
    build(db_path, FIXTURE_SEED)
    preview = refresh.stage(db_path, "actions", FILE_NAME, ACTIONS.encode(), "<b>an officer</b>")
    assert not preview.errors, [str(p) for p in preview.errors]
    assert preview.warnings  # HTML is a warning: stored as written, shown as text
    refresh.commit(preview, db_path)
    secrets = folder / "secrets.toml"
    add_officer(secrets, "jo.officer", PASSWORD)
    running = Server(db_path, folder / "streamlit.log", secrets_file=secrets)
    running.folder = folder
    yield running
    running.stop()


@pytest.fixture()
def watched(page):
    """The page, with every dialog recorded (and dismissed, so a payload cannot block the test)."""
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def _go(tab, server, path: str) -> None:
    tab.goto(f"{server.url}/{path}")
    wait_for_app(tab)


def _main_text(tab) -> str:
    # An invisible word joiner breaks a bare address in the data so GFM makes no link of it (render.plain).
    return tab.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def _assert_nothing_ran(tab) -> None:
    assert tab.evaluate("() => window.__xss") is None, "a payload's script ran"
    assert tab.dialogs == []
    made = tab.evaluate("""() => ({
        images: [...document.querySelectorAll('img')].filter(i => /x$|example\\.invalid/.test(i.src)).length,
        svg: document.querySelectorAll('svg[onload]').length,
        iframes: [...document.querySelectorAll('iframe')].filter(f => f.src.startsWith('javascript')).length,
        js_links: [...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript')).length,
        scripts: [...document.querySelectorAll('script')].filter(s => s.text.includes('__xss')).length,
        bold: [...document.querySelectorAll('[data-testid="stMain"] b')].filter(
            b => b.textContent === 'Priority 1').length,
    })""")
    assert made == {"images": 0, "svg": 0, "iframes": 0, "js_links": 0, "scripts": 0, "bold": 0}, made
    assert exceptions(tab) == []


def test_payloads_in_action_text_commentary_and_file_names_show_as_text(watched, hostile_server):
    _go(watched, hostile_server, "")
    text = _main_text(watched)
    # Red now: each payload action with its commentary, word for word (HTML tags, Markdown marks and all).
    for payload in PAYLOADS:
        assert payload in text, payload
    assert "[click](javascript:window.__xss='md')" in text
    assert f"from {FILE_NAME} (actions, 3 rows, by <b>an officer</b>)" in text
    _assert_nothing_ran(watched)
    # The drill-down table and the status comparison hold the same text (drawn in a canvas grid, never as HTML).
    _go(watched, hostile_server, "rag-by-area")
    _assert_nothing_ran(watched)
    # A search typed by a visitor is echoed as text too.
    _go(watched, hostile_server, "indicators")
    watched.get_by_label("Find by code, name or area").fill(IMG)
    watched.keyboard.press("Enter")
    watched.get_by_text("No indicator matches").wait_for(timeout=60_000)
    wait_for_app(watched)
    assert f"No indicator matches '{IMG}'." in _main_text(watched)
    _assert_nothing_ran(watched)


def test_an_officer_sees_hostile_file_names_and_cells_as_text_in_preview_and_history(watched, hostile_server):
    _go(watched, hostile_server, "sign-in")
    watched.get_by_label("Username").fill("jo.officer")
    watched.get_by_label("Password", exact=True).fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.get_by_text("Signed in as jo.officer").wait_for()
    wait_for_app(watched)
    watched.locator('[data-testid="stSidebarNav"]').get_by_text("Upload data").click()
    wait_for_app(watched)
    # No double quote in it: Chromium sends one in a file name as %22.
    name = "<svg onload=window.__xss='upload'>[x](javascript:alert(1)).csv"
    source = hostile_server.folder / name
    source.write_text(ACTIONS.replace("Red,30/06/2010", "Amber,30/09/2010"), encoding="utf-8")
    watched.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(source))
    watched.get_by_text("What this upload changes").wait_for(timeout=60_000)
    wait_for_app(watched)
    assert f"{name}: 3 row(s) to add" in _main_text(watched)
    _assert_nothing_ran(watched)
    watched.get_by_role("button", name="Cancel").click()
    watched.get_by_text("Cancelled: nothing has changed.").wait_for(timeout=60_000)
    wait_for_app(watched)  # the cancel's rerun is over: a click in the menu now is not lost
    watched.locator('[data-testid="stSidebarNav"]').get_by_text("Upload history").click()
    watched.get_by_text("Roll back an upload").wait_for(timeout=60_000)
    wait_for_app(watched)
    chosen = watched.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    shown = chosen.text_content() + " ".join(i.input_value() for i in chosen.locator("input").all())
    assert f"Upload 2: {FILE_NAME} (actions, by <b>an officer</b>)" in shown, shown
    _assert_nothing_ran(watched)


@pytest.fixture(scope="module")
def markdown_server(tmp_path_factory, browser):
    """The dashboard on the fictional council with hostile Markdown at the end of every text column."""
    from test_markdown_injection import build_hostile
    folder = tmp_path_factory.mktemp("markdown")
    running = Server(build_hostile(folder), folder / "streamlit.log")
    yield running
    running.stop()


def test_no_request_goes_to_a_host_named_in_the_data(browser, markdown_server):
    """Issue 24 class 1: images, links and bare addresses in every text column (codes, titles, file names...) make
    no request and no link in a real Chromium, on every public page and in meeting mode."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    hosts = []
    context.route("**/*", lambda route: (hosts.append(route.request.url), route.continue_()
                                         if route.request.url.startswith(markdown_server.url) else route.abort()))
    tab = context.new_page()
    try:
        for path in ("", "rag", "indicators", "efficiency",
                     "meeting?mode=present&agenda=efficiency&step=1",
                     "meeting?mode=present&agenda=area%3A1+%5BSign+in+again%5D%28javascript%3Aalert%281%29%29"):
            _go(tab, markdown_server, path)
            assert exceptions(tab) == []
            made = tab.evaluate("""() => ({
                // In Markdown and in charts (Plotly draws its own '<a href>' as an SVG link): any link that leaves
                // the dashboard or runs a script. (Its own links, such as 'Link to this view', may carry the data
                // in their query string.)
                links: [...document.querySelectorAll('a')].map(
                    a => new URL(a.getAttribute('href') || a.getAttribute('xlink:href') || '#', location.href)).filter(
                    url => url.host !== location.host || url.protocol === 'javascript:').length,
                images: [...document.querySelectorAll('img')].filter(i => /evil/.test(i.src)).length,
                emphasis: [...document.querySelectorAll('[data-testid="stMain"] em, [data-testid="stMain"] strong,'
                    + '[data-testid="stMain"] b, [data-testid="stMain"] code')].filter(
                    e => /^(em|strong|bold|code)$/.test(e.textContent)).length,
            })""")
            assert made == {"links": 0, "images": 0, "emphasis": 0}, (path, made)
            assert "evil.example" in _main_text(tab).replace("\u2060", "")  # shown, as text
        assert [url for url in hosts if "evil" in url] == []
    finally:
        context.close()
