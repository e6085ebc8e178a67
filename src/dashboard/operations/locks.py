"""Advisory file locks held with a deadline: the database's change lock and the audit trail's lock."""
from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held(lock_path: Path, timeout: float, busy: Exception, poll: float = 0.05):
    """Hold an exclusive lock on `lock_path` (created if missing), waiting at most `timeout` seconds, else raise
    `busy` (an error in words). Closing the file releases the lock, also when the process is killed."""
    handle = open(lock_path, "a+")  # noqa: SIM115 (held for the lock's whole life; closed in finally)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise busy from None
                time.sleep(poll)
        yield
    finally:
        handle.close()
