"""`dashboard serve`: the Streamlit command line that runs app.py with the project's .streamlit/config.toml."""
from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

from dashboard.paths import APP_SCRIPT, STREAMLIT_CONFIG


def config_flags(config: Path = STREAMLIT_CONFIG, env: Mapping[str, str] | None = None) -> list[str]:
    """The project's Streamlit settings as `--section.option=value` flags, leaving out any set in the environment."""
    # Flags, not the file: Streamlit reads .streamlit/config.toml only from the working directory, and an installed
    # package is run from the deployment's own folder. A STREAMLIT_SECTION_OPTION variable still wins (as
    # STREAMLIT_SERVER_MAX_UPLOAD_SIZE, docs/deploy.md), because a flag would otherwise override it.
    env = {} if env is None else env
    flags = []
    for section, options in tomllib.loads(config.read_text(encoding="utf-8")).items():
        for option, value in options.items():
            if _env_name(section, option) in env:
                continue
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{option}={text}")
    return flags


def _env_name(section: str, option: str) -> str:
    # Streamlit's own rule (ConfigOption.env_var): server.maxUploadSize -> STREAMLIT_SERVER_MAX_UPLOAD_SIZE.
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", f"{section}_{option}")
    return "STREAMLIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()


def command(extra: list[str], env: Mapping[str, str], python: str = sys.executable) -> list[str]:
    """The process to run: `python -m streamlit run app.py`, the project's flags, then the caller's own flags."""
    return [python, "-m", "streamlit", "run", str(APP_SCRIPT), *config_flags(env=env), *extra]
