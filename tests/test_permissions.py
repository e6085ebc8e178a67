"""The permission matrix through Streamlit's AppTest on two fictional councils, with local accounts whose roles and
scopes are declared in the secrets' `[access]` table: every role against every page in app.py's navigation and every
upload kind; then an officer's upload as a draft that an officer of another council cannot see and a second officer
approves."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURE_SEED
from dashboard.importer.officer import KIND_LABELS
from dashboard.loading import refresh
from dashboard.loading.build import build
from dashboard.published import upload as published_upload
from dashboard.published.load import KIND as PUBLISHED
from dashboard.store.connection import connect
from dashboard.trust.access import Grant, grant_for
from dashboard.trust.auth import add_officer

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
PASSWORD = "a long password for the matrix"
ORGS = "organisation_id,name,kind\nother-borough,Other Borough Council (fictional),unitary council\n"
IND = "indicator_code,organisation,period,measure,value\n"
OURS = IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n"
MIXED = OURS + "NI 65,other-borough,2010/11 Q1,actual,11%\n"
ACCESS = """
[access.people]
"vi.viewer" = "viewer"
"jo.officer" = { role = "officer", organisations = ["nowhere-borough"], kinds = ["indicators", "actions"] }
"ola.officer" = { role = "officer", organisations = ["other-borough"] }
"sam.approver" = { role = "approver", organisations = ["nowhere-borough"] }
"ad.admin" = "admin"
"""
PEOPLE = ("vi.viewer", "jo.officer", "ola.officer", "sam.approver", "ad.admin")
# Every page app.py can put in the navigation, read from app.py itself, so a page added there is in the matrix.
ALL_PAGES = tuple(re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', APP.read_text(encoding="utf-8")))
OFFICERS_ONLY = {"views/upload.py", "views/history.py", "views/drafts.py"}
ADMINS_ONLY = {"views/audit.py"}
KINDS = {**KIND_LABELS, PUBLISHED: published_upload.LABEL}  # every kind the upload page offers


@pytest.fixture(scope="module")
def secrets(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("matrix") / "secrets.toml"
    path.write_text(ACCESS)
    for name in PEOPLE:
        add_officer(path, name, PASSWORD)
    return tomllib.loads(path.read_text())


def _two_councils(path: Path) -> Path:
    db = build(path, FIXTURE_SEED)
    refresh.commit(refresh.stage(db, "organisations", "orgs.csv", ORGS.encode(), "set-up"), db)
    return db


@pytest.fixture(scope="module")
def matrix_db(tmp_path_factory) -> Path:
    return _two_councils(tmp_path_factory.mktemp("matrix-db") / "dashboard.duckdb")


def _signed_in(db: Path, secrets: dict, name: str | None, monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = secrets
    at.run()
    if name is not None:
        at.switch_page("views/sign_in.py").run()
        at.text_input(key="username").input(name)
        at.text_input(key="password").input(PASSWORD)
        at.button[0].click()
        at.run()
        assert at.success[0].value.startswith(f"Signed in as {name}.")
    assert not at.exception, [e.value for e in at.exception]
    return at


def _may_open(role: str | None, page: str) -> bool:
    rank = -1 if role is None else ("viewer", "officer", "approver", "admin").index(role)
    return rank >= 3 if page in ADMINS_ONLY else rank >= 1 if page in OFFICERS_ONLY else True


def test_the_matrix_reads_every_page_and_kind():
    assert len(ALL_PAGES) >= 12 and {"views/drafts.py", "views/audit.py", "views/upload.py"} <= set(ALL_PAGES)
    assert len(KINDS) == 9


@pytest.mark.parametrize("name", (None, *PEOPLE))
def test_each_role_sees_exactly_its_pages_and_upload_kinds(matrix_db, secrets, monkeypatch, name):
    person = grant_for(secrets, name) if name else Grant("anonymous", "viewer")
    role = person.role if name else None
    at = _signed_in(matrix_db, secrets, name, monkeypatch)
    if name:
        assert any(c.value.startswith(f"Your role: {person.role} (") for c in at.caption)
    for page in ALL_PAGES:
        if not _may_open(role, page):
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
            continue
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert "Officers only" not in [t.value for t in at.title], page
        if page == "views/upload.py":
            offered = at.radio(key="upload_kind").options
            assert offered == [KINDS[k] for k in KINDS if person.may_upload(kind=k)], name
            assert at.info[0].value.startswith("Approval is on here")  # roles declared: approval on by default
        if page == "views/audit.py":
            assert [t.value for t in at.title] == ["Audit trail"]


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("kind", tuple(KIND_LABELS))
def test_each_role_may_upload_exactly_the_kinds_in_its_scope(matrix_db, secrets, name, kind):
    person = grant_for(secrets, name)
    preview = refresh.stage(matrix_db, kind, "file.csv", b"nothing,useful\n", name, grant=person)
    refused = [str(p) for p in preview.errors if "You may not upload" in p.message]
    assert bool(refused) == (not person.may_upload(kind=kind)), (name, kind, refused)
    refresh.discard(preview)


def _value(db: Path) -> list:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT value_num FROM observations WHERE organisation_id = 'nowhere-borough' AND "
                           "indicator_code = 'NI 65' AND period_start = DATE '2010-04-01' AND measure = 'actual'"
                           ).fetchall()
    finally:
        con.close()


def _upload(at: AppTest, text: str) -> AppTest:
    at.switch_page("views/upload.py").run()
    at.radio(key="upload_kind").set_value("indicators").run()
    at.file_uploader[0].upload("q1.csv", text.encode(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_officers_draft_is_hidden_from_other_councils_until_a_second_officer_approves_it(tmp_path, secrets,
                                                                                            monkeypatch):
    db = _two_councils(tmp_path / "dashboard.duckdb")
    jo = _signed_in(db, secrets, "jo.officer", monkeypatch)
    _upload(jo, MIXED)
    shown = " ".join(frame.value.to_csv() for frame in jo.dataframe)
    assert "you may upload only for nowhere-borough; row(s) 3 are for 'other-borough'" in shown
    assert "confirm_upload" not in [b.key for b in jo.button]
    _upload(jo, OURS)
    assert jo.button(key="confirm_upload").label == "Confirm and send for approval"
    jo.button(key="confirm_upload").click().run()
    assert [s.value for s in jo.success] == [
        "Saved as draft 1. Viewers do not see it until a second officer approves it on the Drafts to approve page."]
    assert _value(db) == []  # nobody sees it: it is not in the data
    jo.switch_page("views/drafts.py").run()
    assert jo.dataframe[0].value["Draft"].tolist() == [1]
    assert jo.info[-1].value == ("You cannot approve or reject this draft: you uploaded it, and a second officer "
                                 "must approve it.")
    assert "approve_draft" not in [b.key for b in jo.button]

    ola = _signed_in(db, secrets, "ola.officer", monkeypatch)
    ola.switch_page("views/drafts.py").run()
    assert "There are no drafts waiting for approval." in [m.value for m in ola.markdown]

    sam = _signed_in(db, secrets, "sam.approver", monkeypatch)
    sam.switch_page("views/drafts.py").run()
    assert "q1.csv: 1 row(s) to add, 0 to change, 0 to remove (0 unchanged)." in [m.value for m in sam.markdown]
    assert sam.button(key="approve_draft").disabled  # not without a comment
    sam.text_area(key="draft_comment:1").input("Matches the signed-off return").run()
    sam.button(key="approve_draft").click().run()
    assert not sam.exception, [e.value for e in sam.exception]
    assert [s.value for s in sam.success] == ["Draft 1 approved and published as upload 3. Every page now shows it."]
    assert _value(db) == [(10.0,)]
    decided = sam.dataframe[-1].value
    assert decided[["Draft", "Uploaded by", "Decided by", "Comment", "Upload"]].values.tolist() == [
        [1, "jo.officer", "sam.approver", "Matches the signed-off return", "3"]]


def test_a_mistyped_role_stops_the_dashboard_in_words(matrix_db, secrets, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(matrix_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = {**secrets, "access": {"people": {"jo.officer": {"role": "boss"}}}}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This deployment is misconfigured: [access.people] \"jo.officer\": role 'boss' is not one of viewer, officer, "
        "approver, admin. See docs/deploy.md."]
