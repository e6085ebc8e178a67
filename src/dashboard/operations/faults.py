"""Faults of the machine in words: a full disk, a folder the dashboard may not write, a database another program has
locked; raised as the caller's own error, so pages and the command line show a message, never a traceback."""
from __future__ import annotations

import errno
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)


def _free(folder: Path) -> str:
    try:
        return f" ({shutil.disk_usage(folder).free / 1048576:,.1f} MB free)"
    except OSError:
        return ""


def cause(error: BaseException, path: Path) -> str | None:
    """What went wrong with the machine, in words naming the folder or program, or None when `error` is not a
    fault of the disk, the folder's permissions or another program's lock."""
    text = str(error)
    number = getattr(error, "errno", None)
    full = number in DISK_FULL or "No space left on device" in text or "Disk quota exceeded" in text
    # shutil's copies name the source first and the file being written second: a full disk is the second's.
    named = (full and getattr(error, "filename2", None)) or getattr(error, "filename", None) \
        or (re.findall(r'"(/[^"]+)"', text) or [None])[0]
    if named:  # the file the system named is the one that failed: a backup's folder, not the database's
        path = Path(named)
    folder = path if path.is_dir() else path.parent
    if full:
        return (f"the disk holding {folder} is full{_free(folder)}. Free some space (old backups, logs), "
                "then try again")
    if number == errno.EROFS or "Read-only file system" in text:
        return f"{folder} is on a read-only disk, so the dashboard cannot write there"
    if number in NOT_ALLOWED or "Permission denied" in text:
        return (f"the dashboard is not allowed to write in {folder} (permission denied). Give the user the "
                "dashboard runs as write access to that folder")
    held = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", text)
    if held or "Could not set lock" in text:
        program = f"{Path(held.group(1)).name} (process {held.group(2)})" if held else "another program"
        return (f"the database {path.name} is open in {program}, which has locked it. Close that program, "
                "then try again")
    if isinstance(error, OSError) and number is not None:
        return f"the system refused to read or write in {folder} ({error.strerror or text})"
    return None


@contextmanager
def in_words(doing: str, path: Path, error_class: type[Exception], unchanged: str = "Nothing has changed."):
    """Turn the machine's faults inside the block into `error_class("<doing>: <cause>. <unchanged>")` (without
    "<doing>: " when the caller says it itself); other errors pass through as they are."""
    try:
        yield
    except (OSError, duckdb.Error) as error:
        words = cause(error, path)
        if words is None:
            raise
        raise error_class(f"{doing}: {words}. {unchanged}" if doing else f"{words}. {unchanged}") from error
