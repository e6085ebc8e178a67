"""Officers' sign-in secrets: salted scrypt password hashes, checked in constant time, and the `[officers]` table
of .streamlit/secrets.toml that holds them."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path

# scrypt cost at OWASP's current minimum (N=2^17, r=8, p=1): 128 MB and a few tenths of a second per check, so
# guessing a stolen hash is expensive. Hashes made at older costs still verify and are rehashed at sign-in.
N, R, P = 2 ** 17, 8, 1
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
SECTION = "officers"
# A well-formed hash no password matches (its digest is zeros), checked for an unknown name: one scrypt either way.
NOBODY = "$".join(["scrypt", str(N), str(R), str(P), base64.b64encode(b"unknown username").decode(),
                   base64.b64encode(bytes(32)).decode()])


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash as one string: scrypt$N$r$p$salt$hash (base64)."""
    if not password:
        raise ValueError("the password is empty")
    salt = salt or os.urandom(16)
    with _hashing:
        digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32, maxmem=_maxmem(N, R, P))
    return "$".join(["scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        with _hashing:
            actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                    dklen=len(base64.b64decode(digest)), maxmem=_maxmem(int(n), int(r), int(p)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


def check_officer(secrets: Mapping, username: str, password: str) -> bool:
    """True when `username` is in the secrets' officer list and the password is theirs."""
    officers = secrets.get(SECTION) or {}
    stored = officers.get(username)
    if not isinstance(stored, str):
        verify_password(password, NOBODY)  # one hash, as for a known name: the time says nothing about who exists
        return False
    return verify_password(password, stored)


def add_officer(secrets_path: Path, username: str, password: str) -> None:
    """Add or replace one officer's hash in the [officers] table of a secrets.toml, keeping everything else."""
    if not USERNAME.match(username):
        raise ValueError("a username may use letters, digits and . _ @ - (up to 64 characters)")
    line = f'"{username}" = "{hash_password(password)}"'
    text = secrets_path.read_text(encoding="utf-8") if secrets_path.exists() else ""
    lines = text.splitlines()
    start = next((i for i, text in enumerate(lines) if text.strip() == f"[{SECTION}]"), None)
    if start is None:
        lines += ([""] if lines else []) + [f"[{SECTION}]", line]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        key = re.compile(rf'^\s*"?{re.escape(username)}"?\s*=')
        existing = next((i for i in range(start + 1, end) if key.match(lines[i])), None)
        if existing is None:
            lines.insert(end if end == len(lines) or lines[end - 1].strip() else end - 1, line)
        else:
            lines[existing] = line
    new_text = "\n".join(lines) + "\n"
    tomllib.loads(new_text)  # never write a file Streamlit could not read
    secrets_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = secrets_path.with_name(secrets_path.name + ".new")
    temporary.write_text(new_text, encoding="utf-8")
    os.chmod(temporary, 0o600)  # hashes are not passwords, but nobody else needs to read them
    os.replace(temporary, secrets_path)


# At most this many hashes at once in a process: each takes 128 MB, and the server checks every session's sign-in
# in a thread of its own, so a burst of tries from many addresses would otherwise take gigabytes.
MAX_CONCURRENT_HASHES = 2
_hashing = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


def _maxmem(n: int, r: int, p: int) -> int:
    # OpenSSL refuses scrypt above 32 MB unless told; N=2^17, r=8 needs 128 MB (128 * N * r) plus a little.
    return 128 * n * r * (p + 1) + 2 ** 20


def needs_rehash(stored: str) -> bool:
    """True when a stored hash was made at other costs than today's (an older, cheaper scrypt)."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or parts[1:4] != [str(N), str(R), str(P)]


def rehash(secrets_path: Path, username: str, password: str, stored: str) -> bool:
    """After a successful sign-in with an old-cost hash, write a new one, unless the file no longer holds `stored`
    for that name (an administrator changed it meanwhile); returns True when it was rewritten."""
    if not needs_rehash(stored) or not secrets_path.is_file():
        return False
    current = (tomllib.loads(secrets_path.read_text(encoding="utf-8")).get(SECTION) or {}).get(username)
    if current != stored:
        return False
    add_officer(secrets_path, username, password)
    return True
