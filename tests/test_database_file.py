"""The database file's one owner (store/database_file.py), tested on real files: a change that fails part-way leaves
the old file whole and no copy behind, and every way of replacing the file (build, upload, rollback, migration,
restore) flushes the new file to disk before the rename and the folder after it (seen in the system calls)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.operations import backup
from dashboard.store import database_file
from upload_support import REPO, held_open, rows


def _bytes(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(db: Path) -> list[str]:
    """Files beside the database other than it and its lock: staged, part-built or kept copies."""
    return sorted(p.name for p in db.parent.iterdir() if p.name not in {db.name, db.name + ".lock"})


def test_a_change_that_fails_part_way_leaves_the_old_file_and_no_copy(fixture_db):
    before = _bytes(fixture_db)

    def half_done(con):
        con.execute("DELETE FROM observations")  # written to the copy ...
        con.execute("CHECKPOINT")
        raise RuntimeError("stopped part-way")  # ... and never swapped in

    with pytest.raises(RuntimeError, match="stopped part-way"):
        database_file.change_a_copy(fixture_db, half_done)
    assert _bytes(fixture_db) == before
    assert rows(fixture_db, "SELECT count(*) FROM observations")[0][0] > 0
    assert _beside(fixture_db) == []
    with database_file.change_lock(fixture_db, timeout=0.5):  # released on the way out
        pass


def test_a_change_that_succeeds_is_the_live_file_after(fixture_db):
    assert database_file.change_a_copy(fixture_db, lambda con: con.execute("DELETE FROM observations") and 7) == 7
    assert rows(fixture_db, "SELECT count(*) FROM observations") == [(0,)]
    assert _beside(fixture_db) == []


def test_a_new_file_that_fails_part_way_leaves_the_old_file_and_no_part_built_file(fixture_db):
    before = _bytes(fixture_db)

    def half_built(con):
        con.execute("CREATE TABLE half (n INTEGER)")
        con.execute("INSERT INTO half SELECT * FROM range(1000)")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        database_file.write_new(fixture_db, half_built)
    assert _bytes(fixture_db) == before and _beside(fixture_db) == []


def test_a_restore_refused_by_a_locked_database_keeps_no_copy_of_it(fixture_db, tmp_path):
    copy = backup.backup(fixture_db, tmp_path / "backup.duckdb")
    before = _bytes(fixture_db)
    with held_open(fixture_db), \
            pytest.raises(backup.BackupError, match="which has locked it.*The database is as it was"):
        backup.restore(copy, fixture_db)
    assert _bytes(fixture_db) == before
    assert [name for name in _beside(fixture_db) if name != "backup.duckdb"] == []


# --- Durability: the system calls themselves, traced (no mock of the file system) ------------------------------------

STEPS = {
    "build": "from dashboard.loading.build import build\nbuild(db, Path(sys.argv[2]))",
    "change": "from dashboard.store import database_file\n"
              "database_file.change_a_copy(db, lambda con: con.execute('DELETE FROM observations'))",
    "restore": "from dashboard.operations import backup\nbackup.restore(Path(sys.argv[2]), db)",
    "backup": "from dashboard.operations import backup\nbackup.backup(db, Path(sys.argv[2]))",
}


def _traced(step: str, *args: str) -> list[str]:
    if not shutil.which("strace"):
        pytest.skip("strace is not installed: the system calls cannot be seen")
    script = f"import sys\nfrom pathlib import Path\ndb = Path(sys.argv[1])\n{STEPS[step]}\n"
    result = subprocess.run(["strace", "-f", "-qq", "-y", "-e", "signal=none", "-e",
                             "trace=fsync,fdatasync,rename,renameat,renameat2",
                             sys.executable, "-c", script, *args],
                            capture_output=True, text=True, cwd=REPO, timeout=120,
                            env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    if "ptrace" in result.stderr and result.returncode:
        pytest.skip(f"strace is not allowed here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if "fsync" in line or "rename" in line]


def _flushed_then_swapped(calls: list[str], db: Path) -> None:
    """The new file is fsynced, then renamed onto the database, then the folder is fsynced."""
    rename = next(i for i, call in enumerate(calls) if "rename" in call and f'"{db}")' in call.replace(", ", ","))
    new_file = calls[rename].split('"')[1]
    assert any("fsync(" in call and f"<{new_file}>" in call for call in calls[:rename]), calls
    assert any("fsync(" in call and f"<{db.parent}>" in call for call in calls[rename + 1:]), calls


def test_build_flushes_the_new_file_and_the_folder(tmp_path):
    db = tmp_path / "built.duckdb"
    _flushed_then_swapped(_traced("build", str(db), str(REPO / "tests" / "data" / "fictional_seed")), db)


def test_a_change_flushes_the_copy_and_the_folder(fixture_db):
    _flushed_then_swapped(_traced("change", str(fixture_db)), fixture_db)


def test_a_restore_flushes_the_copy_and_the_folder(fixture_db, tmp_path):
    copy = backup.backup(fixture_db, tmp_path / "backup.duckdb")
    _flushed_then_swapped(_traced("restore", str(fixture_db), str(copy)), fixture_db)


def test_a_backup_is_flushed_before_it_takes_its_name(fixture_db, tmp_path):
    destination = tmp_path / "kept.duckdb"
    calls = _traced("backup", str(fixture_db), str(destination))
    rename = next(i for i, call in enumerate(calls) if "rename" in call and str(destination) in call)
    assert any("fsync(" in call and f"<{destination}.partial>" in call for call in calls[:rename]), calls
