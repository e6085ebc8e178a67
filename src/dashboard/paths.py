"""Where the app's files are: the repository checkout when running from one, else the copies inside the package."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]  # src/dashboard -> the repository, when this is a checkout (or an editable install)
BUNDLED = PACKAGE / "_bundled"  # where `pip install .` puts app.py, views/, .streamlit/config.toml and data/

# A checkout has app.py beside src/; an installed wheel has its copies in dashboard/_bundled (pyproject.toml,
# [tool.hatch.build.targets.wheel.force-include]). The checkout wins, so an editable install runs the files being
# edited.
IN_CHECKOUT = (CHECKOUT / "app.py").is_file() and (CHECKOUT / "src" / "dashboard").is_dir()
APP_ROOT = CHECKOUT if IN_CHECKOUT else BUNDLED
APP_SCRIPT = APP_ROOT / "app.py"
STREAMLIT_CONFIG = APP_ROOT / ".streamlit" / "config.toml"
DATA_DIR = APP_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DOCUMENTS_DIR = DATA_DIR / "sources"
# DfE's published statistics (LAIT, EES) built in beside the seed: the default run shows today's comparators.
PUBLISHED_DIR = DATA_DIR / "published"

# What a deployment writes: in a checkout, beside the code as before (data/dashboard.duckdb, .streamlit/secrets.toml);
# installed, in the folder the command is run from, where Streamlit itself looks for .streamlit/secrets.toml.
WORK_ROOT = CHECKOUT if IN_CHECKOUT else Path.cwd()
DEFAULT_DB = (WORK_ROOT / "data" / "dashboard.duckdb") if IN_CHECKOUT else (WORK_ROOT / "dashboard.duckdb")
SECRETS_FILE = WORK_ROOT / ".streamlit" / "secrets.toml"
