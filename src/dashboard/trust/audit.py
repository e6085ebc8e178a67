"""The audit trail: every sign-in, failed sign-in, lockout, upload, rollback, export of officer data and settings
change, written as a row of the append-only trail (dashboard.store.audit) and as a JSON line in the server log."""
from __future__ import annotations

import ipaddress
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.store import audit as store
from dashboard.store.audit import AuditError, audit_path
from dashboard.trust import sign_in_policy as policy

__all__ = ["AuditError", "audit_path", "record", "events", "sign_in_verdict", "now", "COMMAND_LINE", "ACTIONS"]

COMMAND_LINE = "command line"  # the client of everything done with `python -m dashboard`
# Every action the trail records, with what it means (the Audit page and docs/SECURITY.md use these words).
ACTIONS = {
    "sign_in": "signed in",
    "sign_in_failed": "wrong username or password",
    "sign_in_refused": "sign-in refused while waiting or locked",
    "lockout": "locked out after repeated failures",
    "unlock": "unlocked by an administrator",
    "sign_out": "signed out (by the officer, or because another browser continued the session)",
    "upload": "upload committed",
    "rollback": "upload rolled back",
    "draft": "upload saved as a draft, waiting for approval",
    "approve": "draft approved and published",
    "reject": "draft rejected and discarded",
    "export": "officer data downloaded",
    "settings_change": "setting changed",
}
LOGGER = logging.getLogger("dashboard.trust.audit")
MAX_TEXT = 200  # a name typed at the sign-in form is stored, but never more than this


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "audit", {}))
        return json.dumps(line, default=_text, ensure_ascii=False)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _logger() -> logging.Logger:
    # Its own handler on standard error (where Streamlit's server log goes), not the root logger's format: log
    # collectors read these lines as JSON whatever the rest of the log looks like.
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False
    return LOGGER


def client_of(direct: str | None, forwarded: str | None) -> str:
    """The address an event is recorded from: the peer's; when the peer is this machine (None, as Streamlit gives
    for a local connection, or loopback: a reverse proxy here, as in deploy/nginx.conf), the last X-Forwarded-For
    entry, which that proxy appended. The header from any other peer is ignored: on an intranet anyone may send one."""
    try:
        local = direct is None or ipaddress.ip_address(direct).is_loopback
    except ValueError:
        local = False
    last = forwarded.split(",")[-1].strip() if local and forwarded else ""
    return last or direct or "localhost"


def now() -> datetime:
    """The time now, in UTC (one clock for the trail and the sign-in policy)."""
    return datetime.now(UTC)


def _clean(text: str | None) -> str | None:
    # What a visitor typed may hold anything: keep it printable and short, so the log stays one line per event.
    if text is None:
        return None
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in str(text))[:MAX_TEXT]


def record(db_path: Path, action: str, actor: str, client: str, target: str | None = None,
           detail: str | None = None) -> int:
    """Write one event to the trail and the log; returns its id. Raises AuditError when the trail cannot be
    written (the event is still logged, at error level)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = now()
    fields = {"event": action, "actor": _clean(actor) or "(blank)", "client": _clean(client) or "unknown",
              "target": _clean(target), "detail": _clean(detail)}
    try:
        event_id = store.append(db_path, at, fields["actor"], action, fields["target"], fields["client"],
                                fields["detail"])
    except AuditError as error:
        _logger().error("audit trail not written: %s %s", error, error.__cause__ or "",
                        extra={"audit": {**fields, "occurred_at": at}})
        raise
    _logger().info(ACTIONS[action], extra={"audit": {**fields, "occurred_at": at, "event_id": event_id}})
    return event_id


def events(db_path: Path, since: datetime | None = None, actor: str | None = None,
           actions: tuple[str, ...] | None = None, limit: int | None = None) -> pd.DataFrame:
    """The trail, newest first, optionally filtered."""
    return store.events(db_path, since=since, actor=actor, actions=actions, limit=limit)


def _policy_events(frame: pd.DataFrame) -> list[policy.Event]:
    return [policy.Event(at.to_pydatetime(), action, target)
            for at, action, target in zip(frame["occurred_at"], frame["action"], frame["target"])]


def sign_in_verdict(db_path: Path, account: str, client: str) -> policy.Verdict:
    """May `account` be tried from `client` now? sign_in_policy.verdict on the trail's recent events: the account's
    failures, successes, lockouts and unlocks, and the failures and lockouts of everyone from that client."""
    moment = now()
    since = moment - max(policy.ACCOUNT_WINDOW, policy.CLIENT_WINDOW) - policy.LOCKOUT
    relevant = (policy.FAILED, policy.SUCCEEDED, policy.LOCKED, policy.UNLOCKED)
    by_account = store.events(db_path, since=since, actor=_clean(account) or "(blank)", actions=relevant)
    by_account = by_account[(by_account["action"] != policy.LOCKED) | (by_account["target"] == "account")]
    by_client = store.events(db_path, since=since, client=_clean(client) or "unknown",
                             actions=(policy.FAILED, policy.LOCKED))
    by_client = by_client[(by_client["action"] != policy.LOCKED) | (by_client["target"] == "client")]
    return policy.verdict(_policy_events(by_account), _policy_events(by_client), moment)
