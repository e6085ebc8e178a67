"""Issue 22 item 5 and issue 24 class 11, faults in words: no Chromium, a full disk, a read-only folder and a database
locked by another program are each a message naming the cause (never a traceback, never a hang), the database is
unchanged and no partial copy is left; staged copies left by a killed upload are removed by the next upload or
`check`. The full disk and the read-only disk are real: small tmpfs mounts, made when the tests run as root."""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.loading import refresh
from dashboard.loading.refresh import CommitError
from dashboard.operations import faults, health
from dashboard.presenting import exports
from dashboard.store import database_file
from upload_support import REPO, cli, data_checksums, held_open

IND = "indicator_code,organisation,period,measure,value\n"
GOOD = IND + "NI 65,nowhere-borough,2010/11 Q1,actual,10.2%\n"
NO_BROWSER = {"BROWSER_PATH": "/nowhere/chromium"}


def _leftovers(folder: Path) -> list[str]:
    """Files a change could leave behind: staged copies, part-built files, partial backups, their logs."""
    return sorted(p.name for p in folder.iterdir() if any(mark in p.name for mark in (
        ".staged-", ".building", ".partial", ".wal")))


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


# --- No Chromium -------------------------------------------------------------------------------------------------

def test_without_chromium_a_chart_export_is_refused_at_once_saying_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    assert "BROWSER_PATH is '/nowhere/chromium', which is not a program" in exports.missing_browser()
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no chromium on it
    reason = exports.missing_browser()
    assert reason.startswith("No Chromium was found") and "sudo apt-get install chromium" in reason
    started = time.monotonic()
    with pytest.raises(exports.ChartExportError, match="apt-get install chromium"):
        exports.figure_png(__import__("plotly.graph_objects").graph_objects.Figure())
    assert time.monotonic() - started < 1


def test_board_pack_without_chromium_exits_non_zero_within_ten_seconds(seed_db, tmp_path):
    env = {**os.environ, **NO_BROWSER, "DASHBOARD_DB": str(seed_db), "PYTHONPATH": str(REPO / "src")}
    out = tmp_path / "pack.pdf"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "dashboard", "board-pack", "--org", "herefordshire-council",
                             "--plan", "hfd-ieg6-2006", "--as-at", "2006-03-31", str(out)], capture_output=True,
                            text=True, env=env, cwd=REPO, timeout=10)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stderr.startswith("No board pack: BROWSER_PATH is '/nowhere/chromium', which is not a program")
    assert "sudo apt-get install chromium" in result.stderr and not out.exists()
    _no_traceback(result)


# --- Words for the machine's faults -----------------------------------------------------------------------------

def test_cause_names_the_fault_and_the_folder(tmp_path):
    db = tmp_path / "dashboard.duckdb"
    full = faults.cause(OSError(errno.ENOSPC, "No space left on device"), db)
    assert full.startswith(f"the disk holding {tmp_path} is full (") and "MB free" in full
    denied = faults.cause(PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "backups" / "x")), db)
    assert denied.startswith(f"the dashboard is not allowed to write in {tmp_path / 'backups'}")
    import duckdb
    locked = faults.cause(duckdb.IOException(f'IO Error: Could not set lock on file "{db}": Conflicting lock is '
                                             "held in /usr/bin/python3.11 (PID 4242)."), db)
    assert locked == ("the database dashboard.duckdb is open in python3.11 (process 4242), which has locked it. "
                      "Close that program, then try again")
    assert faults.cause(ValueError("x"), db) is None


@pytest.fixture()
def committed_db(fixture_db, tmp_path):
    """The fictional database with one officer's upload in force (so there is something to roll back)."""
    source = tmp_path / "first.csv"
    source.write_text(GOOD)
    result = cli(fixture_db, "import", "--yes", "--by", "officer", str(source))
    assert result.returncode == 0, result.stderr
    return fixture_db


def _every_change(db: Path, folder: Path, upload_id: int) -> dict[str, subprocess.CompletedProcess]:
    """Import, roll back `upload_id`, build and back up through the command line, each expected to fail."""
    update = folder.parent / "update.csv" if os.access(folder.parent, os.W_OK) else Path("/tmp") / "update.csv"
    update.write_text(IND + "NI 65,nowhere-borough,2010/11 Q2,actual,11.5%\n")
    return {
        "import": cli(db, "import", "--yes", "--by", "officer", str(update)),
        "rollback": cli(db, "rollback", "--yes", "--by", "officer", str(upload_id)),
        "build": cli(db, "build", "--force"),
        "backup": cli(db, "backup", str(folder / "backup.duckdb")),
    }


def _upload_ids(db: Path) -> list[int]:
    from dashboard.store.connection import connect

    con = connect(db, read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT upload_id FROM uploads ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_a_database_locked_by_another_program_is_named_and_left_as_it_was(committed_db):
    last = _upload_ids(committed_db)[-1]
    before = data_checksums(committed_db)
    with held_open(committed_db) as holder:
        results = _every_change(committed_db, committed_db.parent, last)
    for step, result in results.items():
        assert result.returncode != 0, step
        assert re.search(rf"the database fictional.duckdb is open in python[\d.]* \(process {holder.pid}\), "
                         "which has locked it. Close that program, then try again", result.stderr), \
            (step, result.stderr)
        _no_traceback(result)
    assert results["import"].stderr.startswith("update.csv: The database could not be opened: the database")
    assert results["rollback"].stderr.startswith("Cannot roll back: The database could not be opened:")
    assert results["build"].stderr.startswith("The database was not built: the database fictional.duckdb is open")
    assert results["backup"].stderr.startswith("No backup written: the database fictional.duckdb is open")
    assert data_checksums(committed_db) == before and _upload_ids(committed_db)[-1] == last
    assert _leftovers(committed_db.parent) == [] and not (committed_db.parent / "backup.duckdb").exists()


# --- Real full and read-only disks (tmpfs) --------------------------------------------------------------------------

@pytest.fixture()
def small_disk(tmp_path):
    """A 24 MB tmpfs mounted for the test (root only; skipped with the reason otherwise), unmounted after."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real full disk needs a tmpfs mount, which needs root (the test runs as a user)")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip()})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the disk holding `folder` until `leave` bytes are free."""
    free = shutil.disk_usage(folder).free - leave
    with open(folder / "filler", "wb") as handle:
        while free > 0:
            chunk = min(free, 1 << 20)
            handle.write(b"\0" * chunk)
            free -= chunk


def test_a_full_disk_is_said_in_words_and_leaves_no_partial_copy(committed_db, small_disk):
    db = small_disk / "dashboard.duckdb"
    shutil.copy(committed_db, db)
    before = data_checksums(db)
    _fill(small_disk, leave=db.stat().st_size // 3)  # room for a third of a copy: each copy fails part-way
    results = _every_change(db, small_disk, _upload_ids(db)[-1])
    for step, result in results.items():
        assert result.returncode != 0, step
        assert f"the disk holding {small_disk} is full" in result.stderr, (step, result.stderr)
        _no_traceback(result)
    assert results["import"].stderr.startswith("update.csv: The file was not loaded: the disk holding")
    assert "Nothing has changed." in results["import"].stderr
    assert "The database is as it was." in results["rollback"].stderr
    assert results["backup"].stderr.startswith("No backup written: the disk holding")
    assert data_checksums(db) == before
    assert _leftovers(small_disk) == [] and not (small_disk / "backup.duckdb").exists()
    # Through the code the upload page calls: a CommitError in words, and the staged copy deleted.
    with pytest.raises(CommitError, match="the disk holding .* is full"):
        refresh.stage(db, "indicators", "update.csv", (IND + "NI 65,nowhere-borough,2010/11 Q3,actual,9%\n").encode(),
                      "officer")
    assert _leftovers(small_disk) == []
    (small_disk / "filler").unlink()  # space again: the same upload goes through
    preview = refresh.stage(db, "indicators", "update.csv", GOOD.replace("Q1,actual,10.2", "Q3,actual,9").encode(),
                            "officer")
    assert preview.can_commit
    refresh.commit(preview, db)
    assert data_checksums(db) != before and _leftovers(small_disk) == []


def test_a_read_only_disk_is_said_in_words(committed_db, small_disk):
    db = small_disk / "dashboard.duckdb"
    shutil.copy(committed_db, db)
    before = data_checksums(db)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    results = _every_change(db, small_disk, _upload_ids(db)[-1])
    for step, result in results.items():
        assert result.returncode != 0, step
        assert f"{small_disk} is on a read-only disk" in result.stderr, (step, result.stderr)
        _no_traceback(result)
    assert data_checksums(db) == before and _leftovers(small_disk) == []


# --- Staged copies left by a killed upload ---------------------------------------------------------------------------

def _killed_upload(db: Path) -> Path:
    """Start an upload's preview in another process, kill it with SIGKILL while its staged copy exists, and return
    the copy it left."""
    script = ("import sys\nfrom pathlib import Path\nfrom dashboard.loading import refresh\n"
              f"preview = refresh.stage(Path({str(db)!r}), 'indicators', 'x.csv', {GOOD.encode()!r}, 'officer')\n"
              "print(preview.staged, flush=True)\nimport time; time.sleep(120)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    staged = Path(child.stdout.readline().strip())
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert staged.exists()
    old = time.time() - database_file.STRAY_GRACE - 1
    os.utime(staged, (old, old))  # as if the next upload came a few seconds later
    return staged


def test_a_killed_uploads_staged_copy_is_removed_by_the_next_upload_but_a_live_preview_is_kept(fixture_db):
    live = refresh.stage(fixture_db, "indicators", "mine.csv", GOOD.encode(), "officer")  # a preview in progress
    old = time.time() - 60
    os.utime(live.staged, (old, old))
    stray = _killed_upload(fixture_db)
    other = refresh.stage(fixture_db, "indicators", "other.csv", GOOD.replace("Q1", "Q2").encode(), "officer")
    assert not stray.exists()
    assert live.staged.exists()  # held by this process: an officer is still looking at it
    refresh.commit(live, fixture_db)
    refresh.discard(other)
    assert _leftovers(fixture_db.parent) == []


def test_check_removes_a_killed_uploads_staged_copy(fixture_db):
    stray = _killed_upload(fixture_db)
    report = health.check(fixture_db)
    assert not stray.exists()
    assert f"Removed {stray.name}: a staged copy left by a stopped upload or restore." in report.lines
    assert not any(stray.name in warning for warning in report.warnings)


def test_the_upload_page_says_the_disk_is_full_and_leaves_nothing(fixture_db, small_disk, tmp_path, monkeypatch):
    import tomllib

    from streamlit.testing.v1 import AppTest

    from dashboard.trust.auth import add_officer

    db = small_disk / "dashboard.duckdb"
    shutil.copy(fixture_db, db)
    before = data_checksums(db)
    add_officer(tmp_path / "secrets.toml", "jo.officer", "a long password for tests")
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.secrets = tomllib.loads((tmp_path / "secrets.toml").read_text())
    at.run()
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="username").input("jo.officer")
    at.text_input(key="password").input("a long password for tests")
    at.button[0].click().run()
    at.switch_page("views/upload.py").run()
    at.radio(key="upload_kind").set_value("indicators").run()
    _fill(small_disk, leave=db.stat().st_size // 3)
    at.file_uploader[0].upload("update.csv", GOOD.encode(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        f"The file was not loaded: the disk holding {small_disk} is full "
        f"({shutil.disk_usage(small_disk).free / 1048576:,.1f} MB free). Free some space (old backups, logs), then "
        "try again. Nothing has changed."]
    assert data_checksums(db) == before and _leftovers(small_disk) == []
