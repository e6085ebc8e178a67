"""Security checks that need no browser: templates neutralise formula-like cells; no user text can reach
`unsafe_allow_html` or raw HTML; file names with path segments write nothing outside the data folder; the secrets
file holds no password; the upload size limit holds on the page; signed-in viewers who are not officers cannot
upload or roll back. The threat model and where each defence is proved: docs/SECURITY.md."""
from __future__ import annotations

import ast
import csv
import io
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import table_checksums
from dashboard.importer.read import FORMULA_STARTS
from dashboard.loading import refresh, templates
from dashboard.loading.build import build
from dashboard.store.connection import connect
from dashboard.store.uploads import upload_history
from upload_support import REPO, cli

APP = REPO / "app.py"
IND = "indicator_code,organisation,period,measure,value\n"
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"]


def _edit_seed(seed: Path, name: str, replace: dict[str, str]) -> None:
    path = seed / "900" / name
    text = path.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- 5. Spreadsheet formula injection: the template with the current data ------------------------------------------

def test_a_template_with_the_current_data_neutralises_formula_like_cells(fixture_seed_copy, tmp_path):
    # Seed data (not officers' uploads, which refuse such cells) may hold text a spreadsheet would run.
    quoted = '"' + FORMULAS[0].replace('"', '""') + '"'  # it holds commas and quotes: a quoted CSV cell
    _edit_seed(fixture_seed_copy, "actions.csv", {"Audit repeat referrals": quoted,
                                                  "Publish attendance data": FORMULAS[1]})
    _edit_seed(fixture_seed_copy, "statuses.csv", {"No data owner": FORMULAS[2]})
    _edit_seed(fixture_seed_copy, "efficiency.csv", {"Fewer taxis": FORMULAS[3]})
    _edit_seed(fixture_seed_copy, "observations.csv", {",14.1%,": ",-3.5%,"})
    db = build(tmp_path / "formulas.duckdb", fixture_seed_copy)
    con = connect(db, read_only=True)
    try:
        files = {kind: templates.prefilled(con, kind) for kind in ("actions", "indicators", "efficiency")}
    finally:
        con.close()
    cells = [cell for data in files.values() for row in _cells(data) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)] == []
    # "-3.5%" is a value officers may upload, but a spreadsheet would read it as a formula: it is marked too.
    for planted in (*FORMULAS, "-3.5%"):
        assert "'" + planted in cells
    # The apostrophe is the spreadsheet's text mark: the importer drops it, so the indicator template (whose
    # values officers may upload) still changes nothing when uploaded back unchanged.
    preview = refresh.stage(db, "indicators", "indicators.csv", files["indicators"], "tester")
    assert not preview.problems, [str(p) for p in preview.problems]
    assert preview.staged is None
    # A formula behind the mark is still refused: the mark does not smuggle a formula in.
    refused = refresh.stage(db, "efficiency", "efficiency.csv", files["efficiency"], "tester")
    assert [p.value for p in refused.errors] == [FORMULAS[3]]


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
        return True
    except ValueError:
        return False


def test_neutralise_cell_leaves_numbers_and_plain_text_alone():
    assert [templates.neutralise_cell(v) for v in ("-12", "+3.5", "1,774", "Plain", "", None, 4.0)] == [
        "-12", "+3.5", "1,774", "Plain", "", None, 4.0]
    assert [templates.neutralise_cell(v) for v in ("=1+1", "@A1", "-x", "+x", "\t=1", "\r=1", "-")] == [
        "'=1+1", "'@A1", "'-x", "'+x", "'\t=1", "'\r=1", "'-"]


# --- 4. No user-supplied text reaches unsafe_allow_html or raw HTML -----------------------------------------------

SOURCES = [APP, *sorted((REPO / "views").glob("*.py")), *sorted((REPO / "src" / "dashboard").rglob("*.py"))]
RAW_HTML_CALLS = {"html", "components.html", "components.v1.html", "iframe"}


def _call_name(node: ast.Call) -> str:
    parts, target = [], node.func
    while isinstance(target, ast.Attribute):
        parts.append(target.attr)
        target = target.value
    if isinstance(target, ast.Name):
        parts.append(target.id)
    return ".".join(reversed(parts))


def _safe_html_argument(node: ast.expr) -> bool:
    """A constant string, or text that went through html.escape: nothing else may become HTML."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Call) and _call_name(node) in {"html.escape", "escape"}:
        return True
    if isinstance(node, ast.JoinedStr):  # an f-string whose every value is escaped
        return all(_safe_html_argument(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
    return False


def raw_html_uses(source: str, name: str) -> list[str]:
    """Every place in a module where text becomes HTML, and whether only constant or escaped text reaches it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = _call_name(node)
        unsafe = next((k for k in node.keywords if k.arg in {"unsafe_allow_html", "unsafe_allow_javascript"}),
                      None)
        if unsafe is not None and not (isinstance(unsafe.value, ast.Constant) and unsafe.value.value is False):
            argument = node.args[0] if node.args else None
            safe = argument is not None and _safe_html_argument(argument)
            found.append(f"{name}:{node.lineno} {called}(unsafe_allow_html) {'safe' if safe else 'UNSAFE'}")
        elif called.split(".", 1)[-1] in RAW_HTML_CALLS and called.split(".", 1)[0] in {"st", "components"}:
            safe = bool(node.args) and _safe_html_argument(node.args[0])
            found.append(f"{name}:{node.lineno} {called} {'safe' if safe else 'UNSAFE'}")
    return found


def test_the_html_scanner_catches_user_text_and_passes_escaped_text():
    sample = ("st.markdown(row.text, unsafe_allow_html=True)\n"
              "st.markdown('<b>fixed</b>', unsafe_allow_html=True)\n"
              "st.markdown(f'<b>{html.escape(name)}</b>', unsafe_allow_html=True)\n"
              "st.html(f'<p>{comment}</p>')\n"
              "st.markdown(text, unsafe_allow_html=False)\n")
    assert raw_html_uses(sample, "sample") == [
        "sample:1 st.markdown(unsafe_allow_html) UNSAFE", "sample:2 st.markdown(unsafe_allow_html) safe",
        "sample:3 st.markdown(unsafe_allow_html) safe", "sample:4 st.html UNSAFE"]


def test_only_constant_or_escaped_text_reaches_unsafe_allow_html_or_st_html():
    uses = [use for path in SOURCES for use in raw_html_uses(path.read_text(encoding="utf-8"),
                                                               str(path.relative_to(REPO)))]
    assert [use for use in uses if use.endswith("UNSAFE")] == []
    assert len(SOURCES) > 40  # the scan saw the whole application, not an empty list


def test_plain_text_escapes_markdown_so_it_shows_as_written():
    from dashboard.ui.render import plain

    for text in ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![x](http://example.invalid/t.png)",
                 ":red[red] **b** $x^2$ `c` # h", "a\\b &amp; &lt;", "1. not a list", "- not a list"]:
        escaped = plain(text).replace("\u2060", "")  # the word joiner that keeps a bare address unlinked
        assert escaped.replace("\\", "") == text.replace("\\", "")
        for mark in "[]()*`$:<>&#!":
            assert mark not in escaped.replace("\\" + mark, "")


# --- 6. Access: file names, passwords, size limit, viewers ---------------------------------------------------------

HOSTILE_NAMES = {"../../etc/x.csv": "x.csv", "C:\\x\\..\\y.csv": "y.csv", "/etc/passwd.csv": "passwd.csv",
                 "..\\..\\z.csv": "z.csv", "a\x00b.csv": "ab.csv", "..": "upload.csv", "": "upload.csv",
                 "q\n2.csv": "q2.csv"}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES))
def test_a_file_name_with_path_segments_writes_nothing_outside_the_data_folder(fixture_db, tmp_path, name):
    def tree() -> set[Path]:  # this test's folder and its neighbours, and the repository's data folder
        return set(tmp_path.parent.rglob("*")) | set((REPO / "data").iterdir())

    before = tree()
    preview = refresh.stage(fixture_db, "indicators", name,
                            (IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n").encode(), "tester")
    assert preview.file_name == HOSTILE_NAMES[name]
    refresh.commit(preview, fixture_db)
    # Only the database, its lock and nothing else changed: no file was made from the name, anywhere.
    assert tree() - before <= {fixture_db.with_name(fixture_db.name + ".lock")}
    assert not any(Path(target).exists() for target in ("/etc/x.csv", "/etc/passwd.csv", "/x.csv", "/y.csv"))
    con = connect(fixture_db, read_only=True)
    try:
        assert upload_history(con)["file_name"].iloc[0] == HOSTILE_NAMES[name]
    finally:
        con.close()


def test_the_secrets_file_written_by_add_officer_holds_no_password(tmp_path):
    secrets = tmp_path / "secrets.toml"
    password = "plain text never stored 42"
    result = cli(tmp_path / "unused.duckdb", "add-officer", "b.officer", "--secrets", str(secrets),
                 stdin=password + "\n")
    assert result.returncode == 0, result.stderr
    text = secrets.read_text(encoding="utf-8")
    assert password not in text and password.encode().hex() not in text
    stored = tomllib.loads(text)["officers"]["b.officer"]
    assert stored.startswith("scrypt$") and len(stored.split("$")) == 6
    assert password not in result.stdout + result.stderr
    assert secrets.stat().st_mode & 0o077 == 0  # readable by its owner only


def _officer_app(db: Path, monkeypatch, secrets: dict, user: dict | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception
    return at


def test_an_upload_over_the_size_limit_is_refused_on_the_page(fixture_db, tmp_path, monkeypatch):
    from dashboard.trust.auth import add_officer

    path = tmp_path / "secrets.toml"
    add_officer(path, "jo.officer", "a long password for tests")
    at = _officer_app(fixture_db, monkeypatch, tomllib.loads(path.read_text()))
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input("a long password for tests")
    at.button[0].click()
    at.run()
    at.switch_page("views/upload.py").run()
    before = table_checksums(fixture_db)
    limit = refresh.max_upload_bytes()
    assert limit == 20 * 1024 * 1024  # .streamlit/config.toml, the same number the browser's uploader enforces
    big = (IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n" * (limit // 44 + 10)).encode()
    assert len(big) > limit
    at.radio(key="upload_kind").set_value("indicators").run()
    at.file_uploader[0].upload("big.csv", big, "text/csv")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["big.csv was not loaded: 1 problem(s) to fix. Nothing has changed in the "
                                           "dashboard."]
    assert table_checksums(fixture_db) == before
    assert not list(fixture_db.parent.glob("*.staged-*"))


OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "https://id.example.invalid/.well-known/openid-configuration"},
        "officer_emails": ["jo.officer@example.invalid"]}


def test_a_signed_in_viewer_who_is_not_an_officer_cannot_upload_or_roll_back(fixture_db, monkeypatch):
    before = table_checksums(fixture_db)
    viewer = _officer_app(fixture_db, monkeypatch, OIDC, {"is_logged_in": True, "email": "viewer@example.invalid"})
    viewer.switch_page("views/sign_in.py").run()
    assert [w.value for w in viewer.warning] == [
        "Your account is not on this dashboard's officer list, so you cannot upload."]
    for page in ("views/upload.py", "views/history.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            viewer.switch_page(page)
    for script in ("upload.py", "history.py"):  # each page refuses too when run on its own
        page = AppTest.from_file(str(REPO / "views" / script), default_timeout=60)
        page.secrets = OIDC
        page.user = {"is_logged_in": True, "email": "viewer@example.invalid"}
        page.run()
        assert [t.value for t in page.title] == ["Officers only"]
        assert not page.file_uploader and not page.button and not page.dataframe
    # The same page lets an officer on the list in, so the refusal above is about who, not a broken page.
    officer = AppTest.from_file(str(REPO / "views" / "history.py"), default_timeout=60)
    officer.secrets = OIDC
    officer.user = {"is_logged_in": True, "email": "jo.officer@example.invalid"}
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    officer.run()
    assert [t.value for t in officer.title] == ["Upload history"]
    assert table_checksums(fixture_db) == before
