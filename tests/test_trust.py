"""Sign-in that holds and the audit trail (issue 22, items 3 and 4): hashes at OWASP's scrypt cost and old ones
rehashed; one hash for any name; a growing delay and a lockout per account and per client, tried through the real
sign-in page (AppTest) with the tenth wrong password locking the account and all ten in the trail; password
managers may fill the form; no error details for visitors; the Audit page for admins only; `python -m dashboard
audit`; the trail kept across uploads, rollbacks and restores, and its JSON log lines."""
from __future__ import annotations

import base64
import hashlib
import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from dashboard.loading import refresh
from dashboard.operations import backup
from dashboard.settings import STREAMLIT_CONFIG
from dashboard.trust import audit, auth, sign_in_policy as policy
from upload_support import REPO, cli

APP = REPO / "app.py"
PASSWORD = "a long password for tests"
IND = "indicator_code,organisation,period,measure,value\nNI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"


def _old_hash(password: str) -> str:
    """A hash as the dashboard wrote them before (scrypt N=2^14)."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)
    return "$".join(["scrypt", "16384", "8", "1", base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


# Hashes ----------------------------------------------------------------------------------------------------------

def test_new_hashes_use_owasps_scrypt_parameters():
    stored = auth.hash_password(PASSWORD)
    assert stored.split("$")[:4] == ["scrypt", str(2 ** 17), "8", "1"]
    assert auth.verify_password(PASSWORD, stored) and not auth.verify_password(PASSWORD + "x", stored)
    assert not auth.needs_rehash(stored)


def test_an_old_hash_still_signs_in_and_is_rehashed_once(tmp_path):
    path = tmp_path / "secrets.toml"
    old = _old_hash(PASSWORD)
    path.write_text(f'admins = ["jo.officer"]\n\n[officers]\n"jo.officer" = "{old}"\n"sam" = "{old}"\n')
    assert auth.needs_rehash(old) and auth.check_officer(tomllib.loads(path.read_text()), "jo.officer", PASSWORD)
    assert auth.rehash(path, "jo.officer", PASSWORD, old)
    secrets = tomllib.loads(path.read_text())
    new = secrets["officers"]["jo.officer"]
    assert new.split("$")[1] == str(2 ** 17) and auth.check_officer(secrets, "jo.officer", PASSWORD)
    assert secrets["officers"]["sam"] == old and secrets["admins"] == ["jo.officer"]  # nothing else touched
    assert not auth.rehash(path, "jo.officer", PASSWORD, new)  # already current
    # A hash an administrator changed since the check is left alone.
    assert not auth.rehash(path, "sam", PASSWORD, _old_hash("another password entirely"))
    assert tomllib.loads(path.read_text())["officers"]["sam"] == old


def test_a_known_and_an_unknown_name_each_cost_one_hash_at_todays_cost(monkeypatch):
    secrets = {"officers": {"jo.officer": auth.hash_password(PASSWORD)}}
    costs = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: costs.append((k["n"], k["r"], k["p"])) or real(*a, **k))
    for name, expected in (("jo.officer", True), ("nobody.here", False)):
        costs.clear()
        assert auth.check_officer(secrets, name, PASSWORD) is expected
        assert costs == [(auth.N, auth.R, auth.P)], name


def test_no_more_than_two_hashes_run_at_once(monkeypatch):
    # Each hash takes 128 MB: a burst of sign-ins from many addresses must queue, not take gigabytes.
    import threading
    import time

    running, most = [0], [0]
    lock = threading.Lock()
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        try:
            return real(*args, **{**kwargs, "n": 2 ** 10})  # the cost is not what is tested here
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(hashlib, "scrypt", counted)
    stored = _old_hash(PASSWORD)
    threads = [threading.Thread(target=auth.verify_password, args=(PASSWORD, stored)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == auth.MAX_CONCURRENT_HASHES == 2


# The policy ------------------------------------------------------------------------------------------------------

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _failures(count: int, start: datetime = T0, step: timedelta = timedelta(minutes=2)) -> list[policy.Event]:
    return [policy.Event(start + i * step, policy.FAILED) for i in range(count)]


def test_the_delay_grows_from_the_third_failure_and_is_capped():
    assert [policy.delay(n, policy.ACCOUNT_DELAY_FROM).total_seconds() for n in range(1, 11)] == [
        0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    events = _failures(3, step=timedelta(0))
    v = policy.verdict(events, [], T0)
    assert not v.allowed and v.reason == "wait" and v.until == T0 + timedelta(seconds=1)
    assert "Try again after 09:00:01 UTC (in 1 second)" in policy.message(v, T0)
    assert policy.verdict(events, [], T0 + timedelta(seconds=1)).allowed
    assert policy.verdict(_failures(2, step=timedelta(0)), [], T0).allowed  # two typos: never slowed


def test_a_lockout_lasts_fifteen_minutes_and_a_success_or_unlock_starts_afresh():
    locked = _failures(10) + [policy.Event(T0 + timedelta(minutes=18), policy.LOCKED, "account")]
    v = policy.verdict(locked, [], T0 + timedelta(minutes=20))
    assert (v.allowed, v.reason, v.until) == (False, "locked", T0 + timedelta(minutes=33))
    assert "locked after 10 wrong passwords in a row. Try again after 09:33:00 UTC (in 13 minutes)" in \
        policy.message(v, T0 + timedelta(minutes=20))
    after = policy.verdict(locked, [], T0 + timedelta(minutes=33))
    assert after.allowed and after.account_failures == 0
    unlocked = locked + [policy.Event(T0 + timedelta(minutes=19), policy.UNLOCKED)]
    assert policy.verdict(unlocked, [], T0 + timedelta(minutes=20)).allowed
    succeeded = _failures(9) + [policy.Event(T0 + timedelta(minutes=17), policy.SUCCEEDED)]
    assert policy.verdict(succeeded, [], T0 + timedelta(minutes=18)).account_failures == 0
    # Failures older than a day are forgotten.
    assert policy.verdict(_failures(9), [], T0 + timedelta(days=2)).account_failures == 0


def test_a_client_guessing_many_names_is_slowed_then_locked_though_no_account_is():
    client = _failures(29, step=timedelta(seconds=70))
    now = client[-1].at + timedelta(seconds=1)
    v = policy.verdict([], client, now)
    assert not v.allowed and v.reason == "wait" and v.client_failures == 29
    v = policy.verdict([], client, now + timedelta(minutes=1))
    assert v.allowed and v.locks_after_failure() == ["client"]
    locked = client + [policy.Event(now + timedelta(minutes=1), policy.LOCKED, "client")]
    v = policy.verdict([], locked, now + timedelta(minutes=2))
    assert v.reason == "client locked"
    assert "from your network address" in policy.message(v, now + timedelta(minutes=2))
    # A success does not clear a client's count (one good account must not let its holder guess others).
    assert policy.verdict([], client + [policy.Event(now, policy.SUCCEEDED)], now + timedelta(minutes=1)) \
        .client_failures == 29


def test_the_client_address_trusts_forwarded_for_only_from_a_proxy_on_this_machine():
    assert audit.client_of("198.51.100.7", None) == "198.51.100.7"
    assert audit.client_of(None, None) == "localhost"
    assert audit.client_of(None, "203.0.113.9, 198.51.100.7") == "198.51.100.7"  # the entry the proxy appended
    assert audit.client_of("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert audit.client_of("::1", "2001:db8::7") == "2001:db8::7"
    assert audit.client_of("10.1.2.3", "198.51.100.7") == "10.1.2.3"  # an intranet peer may not say who it is
    assert audit.client_of("192.0.2.4", "198.51.100.7") == "192.0.2.4"


# The sign-in page -------------------------------------------------------------------------------------------------

class Clock:
    """The trail's and the policy's clock, moved on by the test instead of waiting."""

    def __init__(self):
        self.time = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += timedelta(seconds=seconds)


@pytest.fixture()
def officer_secrets(tmp_path) -> dict:
    path = tmp_path / "secrets.toml"
    path.write_text('admins = ["ann.admin"]\n')
    auth.add_officer(path, "jo.officer", PASSWORD)
    auth.add_officer(path, "ann.admin", PASSWORD)
    return tomllib.loads(path.read_text())


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(audit, "now", fake)
    return fake


def _app(db: Path, monkeypatch, secrets: dict) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = secrets
    at.run()
    at.switch_page("views/sign_in.py").run()
    assert not at.exception
    return at


def _try(at: AppTest, password: str, name: str = "jo.officer") -> list[str]:
    at.text_input(key="username").input(name)
    at.text_input(key="password").input(password)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.error]


WRONG = "That username and password do not match an officer on this dashboard."


def test_the_tenth_wrong_password_locks_the_account_and_the_trail_shows_all_ten(fixture_db, monkeypatch, clock,
                                                                                officer_secrets):
    at = _app(fixture_db, monkeypatch, officer_secrets)
    password = at.text_input(key="password")
    assert password.proto.autocomplete == "current-password"  # password managers fill it
    assert at.text_input(key="username").proto.autocomplete == "username"
    assert _try(at, "wrong 1") == [WRONG]
    assert _try(at, "wrong 2") == [WRONG]
    shown = _try(at, "wrong 3")
    assert shown == [f"{WRONG} Too many wrong passwords in a row: wait before trying again. Try again after "
                     f"{clock.time + timedelta(seconds=1):%H:%M:%S} UTC (in 1 second)."]
    # Trying again at once is refused without checking the password, even the right one.
    assert _try(at, PASSWORD)[0].startswith("Too many wrong passwords in a row: wait")
    assert "officer" not in at.session_state
    for attempt in range(4, 11):
        clock.advance(60)
        shown = _try(at, f"wrong {attempt}")
    until = clock.time + policy.LOCKOUT
    assert shown == [f"{WRONG} This account is locked after 10 wrong passwords in a row. Try again after "
                     f"{until:%H:%M:%S} UTC (in 15 minutes), or ask your dashboard administrator to unlock it."]
    clock.advance(600)
    assert _try(at, PASSWORD)[0].startswith("This account is locked")  # the right password waits too
    trail = audit.events(fixture_db, actor="jo.officer").iloc[::-1]
    assert trail["action"].tolist() == ["sign_in_failed"] * 3 + ["sign_in_refused"] + ["sign_in_failed"] * 7 + [
        "lockout", "sign_in_refused"]
    failed = trail[trail["action"] == "sign_in_failed"]
    assert failed["detail"].tolist() == [f"wrong password or unknown name ({n} in a row)" for n in range(1, 11)]
    assert set(trail["client"]) == {"localhost"}
    clock.advance(301)
    assert _try(at, PASSWORD) == []
    assert at.session_state["officer"] == "jo.officer"
    assert audit.events(fixture_db, actor="jo.officer", limit=1)["action"].tolist() == ["sign_in"]


def test_another_account_is_not_locked_by_the_first_ones_failures(fixture_db, monkeypatch, clock, officer_secrets):
    for _ in range(10):  # guessed from elsewhere (from here, the client's own allowance would be used up too)
        audit.record(fixture_db, "sign_in_failed", "jo.officer", "192.0.2.50")
    audit.record(fixture_db, "lockout", "jo.officer", "192.0.2.50", "account")
    at = _app(fixture_db, monkeypatch, officer_secrets)
    assert _try(at, PASSWORD)[0].startswith("This account is locked")
    assert _try(at, PASSWORD, "ann.admin") == []
    assert at.session_state["officer"] == "ann.admin"


def test_an_old_hash_is_rehashed_at_the_next_sign_in_on_the_page(fixture_db, monkeypatch, clock, tmp_path):
    from streamlit import config

    path = tmp_path / "secrets.toml"
    path.write_text(f'[officers]\n"jo.officer" = "{_old_hash(PASSWORD)}"\n')
    monkeypatch.setattr(config, "get_option", lambda key, real=config.get_option:
                        [str(path)] if key == "secrets.files" else real(key))
    at = _app(fixture_db, monkeypatch, tomllib.loads(path.read_text()))
    assert _try(at, PASSWORD) == []
    assert tomllib.loads(path.read_text())["officers"]["jo.officer"].split("$")[1] == str(2 ** 17)
    assert audit.events(fixture_db, actions=("sign_in",))["detail"].tolist() == [
        "password hash upgraded to the current scrypt cost"]


def test_the_audit_page_is_for_admins_only(fixture_db, monkeypatch, clock, officer_secrets):
    officer = _app(fixture_db, monkeypatch, officer_secrets)
    assert _try(officer, PASSWORD) == []
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        officer.switch_page("views/audit.py")
    alone = AppTest.from_file(str(REPO / "views" / "audit.py"), default_timeout=60)
    alone.secrets = officer_secrets
    alone.run()
    assert [t.value for t in alone.title] == ["Admins only"] and not alone.dataframe
    admin = _app(fixture_db, monkeypatch, officer_secrets)
    assert _try(admin, "not it", "ann.admin") == [WRONG]
    assert _try(admin, PASSWORD, "ann.admin") == []
    admin.switch_page("views/audit.py").run()
    assert not admin.exception
    table = admin.dataframe[0].value
    assert table[["Who", "What", "From"]].values.tolist() == [
        ["ann.admin", "signed in", "localhost"], ["ann.admin", "wrong username or password", "localhost"],
        ["jo.officer", "signed in", "localhost"]]
    admin.selectbox(key="audit_action").set_value("sign_in_failed").run()
    assert admin.dataframe[0].value["Who"].tolist() == ["ann.admin"]


def test_uploads_and_rollbacks_on_the_pages_are_in_the_trail(fixture_db, monkeypatch, clock, officer_secrets):
    at = _app(fixture_db, monkeypatch, officer_secrets)
    assert _try(at, PASSWORD) == []
    at.switch_page("views/upload.py").run()
    at.radio(key="upload_kind").set_value("indicators").run()
    at.file_uploader[0].upload("q1.csv", IND.encode(), "text/csv")
    at.run()
    at.button(key="confirm_upload").click()
    at.run()
    at.switch_page("views/history.py").run()
    at.checkbox(key="rollback_confirm").check()
    at.run()
    at.button(key="rollback_button").click()
    at.run()
    assert not at.exception and not at.warning
    trail = audit.events(fixture_db)
    assert trail[["actor", "action", "target"]].values.tolist()[:2] == [
        ["jo.officer", "rollback", "upload 2"], ["jo.officer", "upload", "upload 2"]]
    assert trail["detail"].iloc[0] == "undoes upload(s) 2; recorded as upload 3"
    assert trail["detail"].iloc[1].startswith("indicators file q1.csv, sha256 ")


def test_no_error_details_reach_a_visitor():
    shown = tomllib.loads(STREAMLIT_CONFIG.read_text())["client"]["showErrorDetails"]
    assert shown == ShowErrorDetailsConfigOptions.NONE == "none"


# The trail across changes to the data, the command line and the log -------------------------------------------

def test_the_trail_survives_uploads_staged_meanwhile_rollbacks_and_restores(fixture_db, tmp_path):
    first = audit.record(fixture_db, "sign_in", "jo.officer", "192.0.2.1")
    preview = refresh.stage(fixture_db, "indicators", "q1.csv", IND.encode(), "jo.officer")
    assert preview.can_commit
    # Written while the staged copy exists: the commit swaps the database file, not the trail's.
    during = audit.record(fixture_db, "sign_in_failed", "sam", "192.0.2.2")
    upload_id = refresh.commit(preview, fixture_db)
    audit.record(fixture_db, "upload", "jo.officer", "192.0.2.1", f"upload {upload_id}")
    copy = backup.backup(fixture_db, tmp_path / "backup.duckdb")
    refresh.roll_back(fixture_db, upload_id, "jo.officer")
    audit.record(fixture_db, "rollback", "jo.officer", "192.0.2.1", f"upload {upload_id}")
    backup.restore(copy, fixture_db)
    ids = audit.events(fixture_db)["event_id"].tolist()
    assert ids == [4, 3, during, first] and during == 2
    assert audit.audit_path(fixture_db).name == "fictional.audit.duckdb"


def test_the_command_line_records_its_changes_and_lists_the_trail(fixture_db, tmp_path):
    data = tmp_path / "q1.csv"
    data.write_text(IND)
    assert cli(fixture_db, "import", str(data), "--kind", "indicators", "--yes", "--by", "cli.officer").returncode == 0
    done = cli(fixture_db, "rollback", "2", "--yes", "--by", "cli.officer")
    assert done.returncode == 0, done.stderr
    # Each change is a JSON line on standard error, the server log's stream.
    logged = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(line["event"], line["actor"], line["client"], line["target"]) for line in logged] == [
        ("rollback", "cli.officer", "command line", "upload 2")]
    assert logged[0]["logger"] == "dashboard.trust.audit" and logged[0]["time"].endswith("+00:00")
    listed = cli(fixture_db, "audit")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["event_id", "occurred_at", "actor", "action", "target", "client", "detail"]
    assert [line.split()[3:5] for line in lines[1:]] == [["cli.officer", "rollback"], ["cli.officer", "upload"]]
    uploads = cli(fixture_db, "audit", "--json", "--action", "upload")
    as_json = [json.loads(line) for line in uploads.stdout.splitlines()]
    assert [(row["action"], row["target"], row["client"]) for row in as_json] == [
        ("upload", "upload 2", "command line")]
    assert cli(fixture_db, "audit", "--who", "nobody").stdout.strip() == "Nothing recorded that matches."


def test_an_unlock_from_the_command_line_ends_a_lockout(fixture_db):
    for _ in range(10):
        audit.record(fixture_db, "sign_in_failed", "jo.officer", "192.0.2.9")
    audit.record(fixture_db, "lockout", "jo.officer", "192.0.2.9", "account")
    assert audit.sign_in_verdict(fixture_db, "jo.officer", "192.0.2.10").reason == "locked"
    result = cli(fixture_db, "audit", "--unlock", "jo.officer")
    assert result.returncode == 0 and "jo.officer unlocked" in result.stdout
    assert audit.sign_in_verdict(fixture_db, "jo.officer", "192.0.2.10").allowed
    assert audit.events(fixture_db, limit=1)["detail"].iloc[0].startswith("unlocked by ")


def test_text_typed_at_sign_in_reaches_the_trail_and_log_on_one_line(fixture_db):
    audit.record(fixture_db, "sign_in_failed", "x\n{\"event\": \"sign_in\"}" + "y" * 500, "192.0.2.1")
    actor = audit.events(fixture_db)["actor"].iloc[0]
    assert "\n" not in actor and len(actor) == audit.MAX_TEXT
    with pytest.raises(ValueError):
        audit.record(fixture_db, "delete_everything", "x", "y")


def test_without_a_trail_it_can_write_sign_in_refuses_in_words(fixture_db, monkeypatch, officer_secrets):
    audit.audit_path(fixture_db).mkdir()  # a folder where the trail's file should be: it cannot be opened
    at = _app(fixture_db, monkeypatch, officer_secrets)
    shown = _try(at, PASSWORD)
    assert shown == ["Sign-in is unavailable just now: The audit trail (fictional.audit.duckdb) could not be "
                     "opened. Tell the dashboard's administrator."]  # no folder named, no database error text
    assert "officer" not in at.session_state
