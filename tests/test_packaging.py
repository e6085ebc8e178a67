"""The package: every import declared in pyproject.toml, the wheel carries the app, `dashboard serve`'s command."""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile

import duckdb
import pytest

from dashboard import paths
from dashboard.operations import serve
from upload_support import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Import names whose distribution is spelt otherwise.
DISTRIBUTION = {"PIL": "pillow", "fpdf": "fpdf2", "axe_playwright_python": "axe-playwright-python"}
# Our own: the package, the benchmarks, and any module of tests/ (a test may import another's helpers).
FIRST_PARTY = {"dashboard", "bench", "tests"} | {path.stem for path in (REPO / "tests").glob("*.py")}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def _imports(paths_: list) -> dict[str, str]:
    found = {}
    for path in paths_:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.setdefault(DISTRIBUTION.get(top, top).lower(), str(path.relative_to(REPO)))
    return found


def test_every_import_of_the_app_is_a_declared_runtime_dependency():
    app = [REPO / "app.py", *(REPO / "views").glob("*.py"), *(REPO / "src").rglob("*.py")]
    missing = set(_imports(app)) - _names(PROJECT["dependencies"])
    assert not missing, f"imported but not in [project] dependencies: {sorted(missing)}"


def test_every_import_of_the_tests_and_benchmarks_is_declared():
    declared = _names(PROJECT["dependencies"]) | _names(PROJECT["optional-dependencies"]["test"])
    missing = set(_imports([*(REPO / "tests").glob("*.py"), *(REPO / "bench").glob("*.py")])) - declared
    assert not missing, f"imported but not declared in pyproject.toml (test extra): {sorted(missing)}"


def test_the_locks_pin_every_declared_dependency_exactly():
    for lock, declared in (("requirements.txt", PROJECT["dependencies"]),
                           ("requirements-dev.txt", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
                            + PROJECT["optional-dependencies"]["dev"][1:])):
        pinned = {line.split("==")[0].lower() for line in (REPO / lock).read_text().splitlines() if "==" in line
                  and not line.startswith((" ", "#"))}
        assert _names(declared) <= pinned, (lock, _names(declared) - pinned)


def test_the_checkout_is_found_and_its_files_are_used():
    assert paths.IN_CHECKOUT and paths.APP_SCRIPT == REPO / "app.py"
    assert paths.SEED_DIR == REPO / "data" / "seed" and paths.STREAMLIT_CONFIG == REPO / ".streamlit" / "config.toml"


def test_serve_passes_the_projects_config_but_an_environment_variable_wins():
    command = serve.command(["--server.port=8502"], {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "5"}, python="py")
    assert command[:5] == ["py", "-m", "streamlit", "run", str(REPO / "app.py")]
    assert "--runner.postScriptGC=false" in command and "--theme.primaryColor=#0B5394" in command
    assert not any(flag.startswith("--server.maxUploadSize") for flag in command)  # the variable is left to win
    assert "--server.maxUploadSize=20" in serve.command([], {}, python="py")
    assert command[-1] == "--server.port=8502"  # the caller's own flags last, so they win over the project's


def test_every_streamlit_flag_serve_passes_is_an_option_streamlit_knows():
    from streamlit import config

    for flag in serve.config_flags():
        assert flag[2:].split("=")[0] in config._config_options_template, flag


def test_the_cli_refuses_streamlit_options_for_other_commands():
    result = subprocess.run([sys.executable, "-m", "dashboard", "check", "--server.port=1"], capture_output=True,
                            text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and "unrecognized arguments: --server.port=1" in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                    reason="hatchling (the build backend, in requirements-dev.txt) is not installed")
def test_the_wheel_carries_the_app_its_config_and_the_embedded_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, timeout=300)
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = "dashboard/_bundled/"
    assert {f"{bundled}app.py", f"{bundled}.streamlit/config.toml", f"{bundled}views/overview.py",
            f"{bundled}data/seed/documents.csv", "dashboard/store/views.sql", "dashboard/paths.py"} <= names
    assert not any("secrets.toml" in name or name.endswith(".duckdb") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "dashboard = dashboard.__main__:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_serve_builds_a_missing_database_then_streamlit_answers(tmp_path):
    """`dashboard serve` (the container's command) on a host with no database builds it as `dashboard build` does,
    with DfE's published figures, then Streamlit answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db_path = tmp_path / "served.duckdb"
    env = {**os.environ, "DASHBOARD_DB": str(db_path), "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", f"--server.port={port}",
                              "--server.address=127.0.0.1"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        deadline, answer = time.monotonic() + 120, None
        while time.monotonic() < deadline and child.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as response:
                    answer = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert answer == "ok"
        assert db_path.is_file()  # built before Streamlit started
    finally:
        child.terminate()  # serve exec'd Streamlit, so this is Streamlit itself
        output = child.communicate(timeout=60)[0]
    assert f"Built {db_path} from " in output and "published" in output
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        families = dict(con.execute("SELECT family, count(*) FROM observations JOIN indicators USING (indicator_code) "
                                    "GROUP BY family").fetchall())
    finally:
        con.close()
    # It once built the seed alone, and the app, finding the file fresh, served no comparator.
    assert families.get("LAIT", 0) > 600_000 and families.get("EES", 0) > 0, families

