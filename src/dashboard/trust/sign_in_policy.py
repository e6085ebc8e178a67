"""When a sign-in may be tried: a growing delay after repeated failures and a lockout after ten, per account and per
client address, worked out from the audit trail's recent events (pure: no Streamlit, no database)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Per account: the tenth wrong password in a row locks it; from the third, each failure makes the next try wait
# twice as long (1, 2, 4 ... 60 s), so an officer who mistypes twice is never slowed.
ACCOUNT_DELAY_FROM, ACCOUNT_LOCK_AT = 3, 10
# Per client address: a larger allowance, as an office's staff may share one address behind its firewall, and
# no success resets it (an attacker with one good account must not clear the count for guessing others).
CLIENT_DELAY_FROM, CLIENT_LOCK_AT = 10, 30
MAX_DELAY = timedelta(seconds=60)
LOCKOUT = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(hours=24)  # failures older than this are forgotten
CLIENT_WINDOW = timedelta(hours=1)

FAILED, SUCCEEDED, LOCKED, UNLOCKED = "sign_in_failed", "sign_in", "lockout", "unlock"


@dataclass(frozen=True)
class Event:
    """One audit event as the policy needs it: when, and what."""

    at: datetime
    action: str
    target: str | None = None  # on a lockout: 'account' or 'client'


@dataclass(frozen=True)
class Verdict:
    """Whether a try may go ahead now; if not, until when and why (in words for the officer)."""

    allowed: bool
    until: datetime | None = None
    reason: str = ""
    account_failures: int = 0  # the account's failures in a row that count now
    client_failures: int = 0   # the client's

    def locks_after_failure(self) -> list[str]:
        """What one more failure locks: 'account' at its ACCOUNT_LOCK_AT-th, 'client' at its CLIENT_LOCK_AT-th."""
        return ((["account"] if self.account_failures + 1 >= ACCOUNT_LOCK_AT else [])
                + (["client"] if self.client_failures + 1 >= CLIENT_LOCK_AT else []))


def delay(failures: int, delay_from: int) -> timedelta:
    """How long the next try waits after `failures` failures in a row: nothing before `delay_from`, then 1 s,
    doubling, at most MAX_DELAY."""
    if failures < delay_from:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - delay_from)), MAX_DELAY)


def failures_and_lock(events: list[Event], now: datetime, window: timedelta, resets: tuple[str, ...], scope: str):
    """The failures since the last reset (a success or unlock, or the end of a lockout) within the window, and the
    lockout in force, if any."""
    start, lock_until, failures = now - window, None, []
    for event in sorted(events, key=lambda e: e.at):
        if event.action in resets:
            failures, lock_until = [], None
        elif event.action == LOCKED and event.target == scope:
            failures, lock_until = [], event.at + LOCKOUT
        elif event.action == FAILED and event.at >= start:
            failures.append(event.at)
    if lock_until is not None and lock_until <= now:
        lock_until = None
    return failures, lock_until


def verdict(account_events: list[Event], client_events: list[Event], now: datetime) -> Verdict:
    """May this account be tried from this client now? Locked accounts and clients wait out LOCKOUT; otherwise
    the next try waits `delay` after the last failure."""
    account, account_lock = failures_and_lock(account_events, now, ACCOUNT_WINDOW, (SUCCEEDED, UNLOCKED), "account")
    client, client_lock = failures_and_lock(client_events, now, CLIENT_WINDOW, (), "client")
    counts = {"account_failures": len(account), "client_failures": len(client)}
    if account_lock:
        return Verdict(False, account_lock, "locked", **counts)
    if client_lock:
        return Verdict(False, client_lock, "client locked", **counts)
    waits = ([account[-1] + delay(len(account), ACCOUNT_DELAY_FROM)] if account else []) + \
            ([client[-1] + delay(len(client), CLIENT_DELAY_FROM)] if client else [])
    until = max(waits, default=now)
    if until > now:
        return Verdict(False, until, "wait", **counts)
    return Verdict(True, **counts)


def message(v: Verdict, now: datetime) -> str:
    """What the officer reads when a try is refused: why, and when to try again (UTC, and in how long)."""
    wait = max(int((v.until - now).total_seconds() + 0.999), 1)
    when = f"{v.until:%H:%M:%S} UTC (in {_duration(wait)})"
    if v.reason == "locked":
        return (f"This account is locked after {ACCOUNT_LOCK_AT} wrong passwords in a row. Try again after {when}, or "
                "ask your dashboard administrator to unlock it.")
    if v.reason == "client locked":
        return f"Too many wrong passwords have come from your network address. Try again after {when}."
    return f"Too many wrong passwords in a row: wait before trying again. Try again after {when}."


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
