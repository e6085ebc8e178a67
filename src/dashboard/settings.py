"""Every deployment setting in one place: read from the environment, then root-level secrets, then a default."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.paths import DEFAULT_DB, DOCUMENTS_DIR as DEFAULT_DOCUMENTS, SECRETS_FILE, STREAMLIT_CONFIG

STREAMLIT_DEFAULT_MAX_MB = 200  # Streamlit's own default for server.maxUploadSize
VIEWING = ("public", "signed-in")
_ON, _OFF = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


class SettingsError(ValueError):
    """A setting with a value the dashboard does not understand; the message names the setting and the choices."""


@dataclass(frozen=True)
class Settings:
    """The deployment's settings, as documented in docs/deploy.md."""

    db_path: Path
    viewing: str             # "public": anyone may view; "signed-in": only a signed-in person may
    uploads_enabled: bool    # False on hosts whose disk does not persist (Streamlit Community Cloud)
    max_upload_mb: int       # server.maxUploadSize: the page's limit, and the command line's
    oidc: bool               # [auth] in secrets: sign-in through the organisation's identity provider
    officers: bool           # [officers] in secrets: a local list of officers with password hashes
    documents_dir: Path      # the source documents the seed data cites (tests point it elsewhere)
    approval: bool = False   # True: an officer's confirmed upload is a draft until a second officer approves it
    # Where a visitor reports an accessibility problem (an email address or a web page), named on the accessibility
    # statement; None where the council has not set it, and the statement then says so.
    accessibility_contact: str | None = None

    @property
    def sign_in_required(self) -> bool:
        """True when an anonymous session may see nothing but the sign-in page."""
        return self.viewing == "signed-in"

    @property
    def sign_in_possible(self) -> bool:
        """True when someone can sign in at all (an identity provider or a local officer list)."""
        return self.oidc or self.officers

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024


def load(env: Mapping[str, str] | None = None, secrets: Mapping | None = None,
         config: Path = STREAMLIT_CONFIG) -> Settings:
    """The settings from `env` (default: os.environ), then root-level `secrets` of the same name, then defaults."""
    env = os.environ if env is None else env
    secrets = read_secrets() if secrets is None else secrets

    def value(name: str) -> str | None:
        # Environment first, so a server's unit file can override a secrets file; Community Cloud sets root-level
        # secrets as environment variables too, so both routes give the same answer there.
        found = env.get(name)
        if found in (None, "") and name in secrets:
            found = secrets[name]
        return None if found in (None, "") else str(found)

    viewing = (value("DASHBOARD_VIEWING") or "public").strip().lower()
    if viewing not in VIEWING:
        raise SettingsError(f"DASHBOARD_VIEWING is {viewing!r}; use 'public' or 'signed-in'.")
    uploads = (value("DASHBOARD_UPLOADS") or "on").strip().lower()
    if uploads not in _ON + _OFF:
        raise SettingsError(f"DASHBOARD_UPLOADS is {uploads!r}; use 'on' or 'off'.")
    approval = (value("DASHBOARD_APPROVAL") or ("on" if secrets.get("access") else "off")).strip().lower()
    if approval not in _ON + _OFF:
        raise SettingsError(f"DASHBOARD_APPROVAL is {approval!r}; use 'on' or 'off'.")
    return Settings(
        db_path=Path(env.get("DASHBOARD_DB") or DEFAULT_DB),  # environment only, as database_path()
        viewing=viewing,
        uploads_enabled=uploads in _ON,
        max_upload_mb=_max_upload_mb(env, config),
        oidc="auth" in secrets,
        officers=bool(secrets.get("officers")),
        documents_dir=Path(env.get("SEED_DOCUMENTS") or DEFAULT_DOCUMENTS),
        # On by default once roles are declared ([access]): a deployment with roles has someone to approve.
        approval=approval in _ON,
        accessibility_contact=value("DASHBOARD_ACCESSIBILITY_CONTACT"),
    )


def read_secrets(path: Path = SECRETS_FILE) -> dict:
    """The secrets file the command line shares with `streamlit run` (empty when there is none)."""
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _max_upload_mb(env: Mapping[str, str], config: Path) -> int:
    # The same precedence Streamlit applies to server.maxUploadSize (its environment variable, then the config
    # file, then its default), so the command line refuses exactly what the page's uploader refuses.
    if env.get("STREAMLIT_SERVER_MAX_UPLOAD_SIZE"):
        return int(env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"])
    if config.is_file():
        server = tomllib.loads(config.read_text(encoding="utf-8")).get("server", {})
        return int(server.get("maxUploadSize", STREAMLIT_DEFAULT_MAX_MB))
    return STREAMLIT_DEFAULT_MAX_MB


def database_path() -> Path:
    """The database file: $DASHBOARD_DB, or data/dashboard.duckdb in the repository (docs/deploy.md)."""
    # Only the environment here: the path must not depend on whether a secrets file parses.
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def documents_dir() -> Path:
    """The folder of source documents the seed data cites: $SEED_DOCUMENTS, or data/sources."""
    return Path(os.environ.get("SEED_DOCUMENTS") or DEFAULT_DOCUMENTS)


def max_upload_bytes(config: Path = STREAMLIT_CONFIG) -> int:
    """The upload limit in bytes: server.maxUploadSize (MB), the one the page's uploader uses too."""
    return _max_upload_mb(os.environ, config) * 1024 * 1024
