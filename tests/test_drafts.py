"""Draft, then approve, and scopes, on real databases of two fictional councils: an upload outside an officer's
scope is refused naming its rows; a draft changes no data until a second officer in scope approves it (its preview
computed again on the data as it is then), or is discarded on rejection; each step is in the audit trail; the
command line does the same."""
from __future__ import annotations

from pathlib import Path

import pytest
from compare_support import ees_subset

from conftest import table_checksums
from dashboard.loading import drafts, refresh
from dashboard.published.upload import stage_uploaded
from dashboard.settings import SettingsError, load
from dashboard.store.connection import connect
from dashboard.trust import audit
from dashboard.trust.access import Grant
from upload_support import cli, data_checksums

ORGS = "organisation_id,name,kind\nother-borough,Other Borough Council (fictional),unitary council\n"
IND = "indicator_code,organisation,period,measure,value\n"
OURS = IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10%\n"
MIXED = OURS + "NI 65,other-borough,2010/11 Q1,actual,11%\nNI 65,other-borough,2010/11 Q2,actual,12%\n"
JO = Grant("jo.officer", "officer", frozenset({"nowhere-borough"}), frozenset({"indicators", "actions"}))
SAM = Grant("sam.approver", "approver", frozenset({"nowhere-borough"}))
OLA = Grant("ola.approver", "approver", frozenset({"other-borough"}))
CLIENT = "192.0.2.10"


@pytest.fixture()
def two_councils(fixture_db) -> Path:
    """The fictional council and a second fictional one, added by an organisations upload."""
    preview = refresh.stage(fixture_db, "organisations", "orgs.csv", ORGS.encode(), "set-up")
    refresh.commit(preview, fixture_db)
    return fixture_db


def _actual(db: Path, org: str = "nowhere-borough") -> list:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT value_num FROM observations WHERE organisation_id = ? AND indicator_code = 'NI 65' "
                           "AND period_start = DATE '2010-04-01' AND measure = 'actual'", [org]).fetchall()
    finally:
        con.close()


def _draft(db: Path, text: str = OURS, by: Grant = JO) -> int:
    preview = refresh.stage(db, "indicators", "q1.csv", text.encode(), by.name, grant=by)
    assert preview.can_commit, [str(p) for p in preview.problems]
    return drafts.save(db, preview, [("q1.csv", text.encode())], CLIENT)


def test_rows_for_another_council_are_refused_naming_them(two_councils):
    before = table_checksums(two_councils)
    preview = refresh.stage(two_councils, "indicators", "mixed.csv", MIXED.encode(), JO.name, grant=JO)
    assert [str(p) for p in preview.errors] == [
        "mixed.csv, Row 3, column 'organisation' ('other-borough'): you may upload only for nowhere-borough; "
        "row(s) 3, 4 are for 'other-borough'. Remove those rows, or ask the dashboard's administrator to add that "
        "council to your scope."]
    assert preview.staged is None and table_checksums(two_councils) == before
    # The same file from an officer of every council is fine.
    anywhere = refresh.stage(two_councils, "indicators", "mixed.csv", MIXED.encode(), "al", grant=Grant("al", "officer"))
    assert not anywhere.errors and anywhere.organisations == ["nowhere-borough", "other-borough"]
    refresh.discard(anywhere)


def test_a_kind_outside_scope_is_refused_and_a_viewer_may_upload_nothing(two_councils):
    preview = refresh.stage(two_councils, "efficiency", "e.csv", b"organisation,year,description,stage\n", JO.name,
                            grant=JO)
    assert [str(p) for p in preview.errors] == [
        "e.csv: You may not upload Efficiency lines: the kinds you may upload are actions, indicators. Ask the "
        "dashboard's administrator if you need to."]
    viewer = refresh.stage(two_councils, "indicators", "q1.csv", OURS.encode(), "vi", grant=Grant("vi", "viewer"))
    assert "the kinds you may upload are none" in str(viewer.errors[0])


def test_a_draft_changes_no_data_until_a_second_officer_approves_it(two_councils):
    before = data_checksums(two_councils)
    draft_id = _draft(two_councils)
    assert data_checksums(two_councils) == before and _actual(two_councils) == []
    [draft] = drafts.listed(two_councils, SAM)
    assert (draft.draft_id, draft.state, draft.uploaded_by, draft.organisations) == (
        draft_id, "draft", "jo.officer", ("nowhere-borough",))
    assert draft.summary == "q1.csv: 1 row(s) to add, 0 to change, 0 to remove (0 unchanged)."
    # The uploader, an officer and an approver of another council may not decide it; the last cannot even see it.
    preview = drafts.restage(two_councils, draft)
    for person, words in ((JO, "you uploaded it"), (Grant("kim", "officer"), "your role is officer")):
        with pytest.raises(drafts.DraftError, match=words):
            drafts.approve(two_councils, draft_id, preview, person, "fine", CLIENT)
    assert drafts.listed(two_councils, OLA) == []
    with pytest.raises(drafts.DraftError, match=f"There is no draft {draft_id} you may see"):
        drafts.reject(two_councils, draft_id, OLA, "no", CLIENT)
    with pytest.raises(drafts.DraftError, match="Write a comment"):
        drafts.approve(two_councils, draft_id, preview, SAM, "  ", CLIENT)
    assert data_checksums(two_councils) == before and preview.staged is None  # a refused preview is discarded

    preview = drafts.restage(two_councils, draft)
    upload_id = drafts.approve(two_councils, draft_id, preview, SAM, "Checked against the return", CLIENT)
    assert _actual(two_councils) == [(10.0,)]
    [done] = drafts.listed(two_councils, JO)
    assert (done.state, done.decided_by, done.comment, done.upload_id) == (
        "approved", "sam.approver", "Checked against the return", upload_id)
    history = refresh.history(two_councils)
    assert history.loc[history["upload_id"] == upload_id, "uploaded_by"].tolist() == ["jo.officer"]
    trail = audit.events(two_councils)
    assert trail[["actor", "action", "target", "client"]].values.tolist()[:2] == [
        ["sam.approver", "approve", f"draft {draft_id}", CLIENT], ["jo.officer", "draft", f"draft {draft_id}", CLIENT]]
    assert trail["detail"][0] == (f"published as upload {upload_id} (indicators file q1.csv by jo.officer): "
                                  "Checked against the return")
    with pytest.raises(drafts.DraftError, match="approved already"):
        drafts.restage(two_councils, done)


def test_rejection_discards_the_draft_and_keeps_who_why_and_when(two_councils):
    before = data_checksums(two_councils)
    draft_id = _draft(two_councils)
    drafts.reject(two_councils, draft_id, SAM, "Q1 is not signed off yet", CLIENT)
    assert data_checksums(two_councils) == before
    [done] = drafts.listed(two_councils, SAM)
    assert (done.state, done.decided_by, done.comment, done.upload_id) == (
        "rejected", "sam.approver", "Q1 is not signed off yet", None)
    con = connect(drafts.store.drafts_path(two_councils))
    assert con.execute("SELECT count(*) FROM draft_files").fetchone() == (0,)  # the file is gone
    con.close()
    assert audit.events(two_councils, actions=("reject",))["detail"].tolist() == [
        "indicators file q1.csv by jo.officer: Q1 is not signed off yet"]


def test_approval_previews_and_publishes_against_the_data_as_it_is_then(two_councils):
    draft_id = _draft(two_councils)
    # Meanwhile another officer publishes a different Q1 figure.
    other = refresh.stage(two_councils, "indicators", "fix.csv", OURS.replace("10%", "9%").encode(), "al")
    refresh.commit(other, two_councils)
    [draft] = drafts.listed(two_councils, SAM)
    preview = drafts.restage(two_councils, draft)
    assert preview.summary() == "q1.csv: 0 row(s) to add, 1 to change, 0 to remove (0 unchanged)."
    stale = drafts.restage(two_councils, draft)
    drafts.approve(two_councils, draft_id, preview, SAM, "supersedes the fix", CLIENT)
    assert _actual(two_councils) == [(10.0,)]
    # A second approval of a preview made before the first publishes nothing twice.
    with pytest.raises(drafts.DraftError, match="it is approved already"):
        drafts.approve(two_councils, draft_id, stale, SAM, "again", CLIENT)
    assert stale.staged is None


def test_approval_is_on_by_default_once_roles_are_declared_and_can_be_switched():
    assert load({}, {}).approval is False
    assert load({}, {"access": {"people": {"jo": "officer"}}}).approval is True
    assert load({"DASHBOARD_APPROVAL": "off"}, {"access": {"people": {"jo": "officer"}}}).approval is False
    assert load({}, {"DASHBOARD_APPROVAL": "on"}).approval is True
    with pytest.raises(SettingsError, match="DASHBOARD_APPROVAL is 'maybe'; use 'on' or 'off'."):
        load({"DASHBOARD_APPROVAL": "maybe"}, {})


def test_the_command_line_saves_lists_approves_and_rejects_drafts(two_councils, tmp_path):
    before = data_checksums(two_councils)
    source = tmp_path / "q1.csv"
    source.write_text(OURS)
    made = cli(two_councils, "import", str(source), "--kind", "indicators", "--draft", "--by", "jo.officer")
    assert made.returncode == 0, made.stderr
    assert "Saved as draft 1; `dashboard approve 1 --comment ...` publishes it." in made.stdout
    assert data_checksums(two_councils) == before
    listed = cli(two_councils, "drafts")
    assert "q1.csv" in listed.stdout and "jo.officer" in listed.stdout
    own = cli(two_councils, "approve", "1", "--comment", "mine", "--by", "jo.officer", "--yes")
    assert own.returncode == 1 and "you uploaded it" in own.stderr
    done = cli(two_councils, "approve", "1", "--comment", "checked", "--by", "sam.approver", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Draft 1 approved and published as upload 3." in done.stdout and _actual(two_councils) == [(10.0,)]
    source.write_text(OURS.replace("10%", "8%"))
    assert cli(two_councils, "import", str(source), "--kind", "indicators", "--draft").returncode == 0
    gone = cli(two_councils, "reject", "2", "--comment", "wrong quarter", "--by", "sam.approver", "--yes")
    assert gone.returncode == 0, gone.stderr
    assert _actual(two_councils) == [(10.0,)]
    everything = cli(two_councils, "drafts", "--all").stdout
    assert "Approved and published" in everything and "Rejected" in everything and "wrong quarter" in everything
    assert cli(two_councils, "drafts").stdout.strip() == "No drafts waiting for approval."
    actions = audit.events(two_councils)["action"].tolist()
    assert actions == ["reject", "draft", "approve", "draft"]


def test_published_statistics_go_through_a_draft_too(fixture_db, tmp_path):
    ees = ees_subset(tmp_path / "ees")
    files = [(ees.name, ees.read_bytes())]
    preview = stage_uploaded(fixture_db, files, "jo.officer")
    assert preview.can_commit, [str(p) for p in preview.problems]
    before = data_checksums(fixture_db)
    draft_id = drafts.save(fixture_db, preview, files, CLIENT)
    assert data_checksums(fixture_db) == before
    # A scope without the published kind neither sees nor approves it.
    assert drafts.listed(fixture_db, Grant("kim", "approver", kinds=frozenset({"indicators"}))) == []
    anyone = Grant("sam.approver", "approver")
    [draft] = drafts.listed(fixture_db, anyone)
    assert (draft.kind, draft.organisations) == ("published", ())
    again = drafts.restage(fixture_db, draft)
    assert again.can_commit and again.summary() == draft.summary
    upload_id = drafts.approve(fixture_db, draft_id, again, anyone, "DfE's release of this month", CLIENT)
    history = refresh.history(fixture_db)
    assert history.loc[history["upload_id"] == upload_id, ["kind", "uploaded_by"]].values.tolist() == [
        ["published", "jo.officer"]]
