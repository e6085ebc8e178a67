"""The Dockerfile and compose.yaml, read as Docker would where there is no Docker engine, and the health command they
name, run against good and bad databases."""
from __future__ import annotations

import fnmatch
import importlib.util
import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from dashboard.store.connection import connect
from upload_support import REPO, cli


def instructions(path: Path = REPO / "Dockerfile") -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments): comments dropped, continuation lines joined."""
    lines, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        lines.append(current)
        current = ""
    assert not current, "the Dockerfile ends in a continuation line"
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in lines]


def every(name: str) -> list[str]:
    return [arguments for instruction, arguments in instructions() if instruction == name]


def ignored(relative: str) -> bool:
    patterns = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    return any(fnmatch.fnmatch(relative, pattern.removeprefix("**/")) or relative.startswith(pattern + "/")
               for pattern in patterns)


def test_the_dockerfile_is_debian_with_chromium_and_runs_dashboard_serve():
    known = {"FROM", "ENV", "RUN", "COPY", "WORKDIR", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK", "CMD", "ARG"}
    assert {instruction for instruction, _ in instructions()} <= known
    (base,) = every("FROM")
    assert base.startswith(("debian:", "python:")) and ("bookworm" in base or "trixie" in base), base
    installs = " ".join(every("RUN"))
    assert "apt-get install" in installs and " chromium " in f"{installs} " and "fonts-dejavu-core" in installs
    assert "--require-hashes -r /tmp/requirements.txt" in installs and "pip install --no-deps ." in installs
    assert json.loads(every("CMD")[-1])[:2] == ["dashboard", "serve"]
    assert every("USER")[-1] not in ("root", "0")


def test_the_database_is_on_the_volume_the_image_declares():
    env = dict(pair.split("=", 1) for arguments in every("ENV") for pair in shlex.split(arguments))
    volumes = [volume for arguments in every("VOLUME") for volume in json.loads(arguments)]
    assert str(PurePosixPath(env["DASHBOARD_DB"]).parent) in volumes
    assert env["BROWSER_PATH"] == "/usr/bin/chromium"  # the Chromium kaleido is told to drive (exports.py)


def test_every_file_the_image_copies_exists_and_is_not_dockerignored():
    for arguments in every("COPY"):
        *sources, _destination = shlex.split(arguments)
        for source in sources:
            assert (REPO / source).exists(), source
            assert not ignored(source), f"{source} is in .dockerignore"
    for secret in (".streamlit/secrets.toml", "data/dashboard.duckdb", ".venv"):
        assert ignored(secret), secret


def test_the_image_copies_everything_the_wheel_bundles():
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    copied = {source for arguments in every("COPY") for source in shlex.split(arguments)[:-1]}
    assert set(wheel["force-include"]) | {"src", "pyproject.toml", "README.md"} <= copied


def test_the_health_check_is_dashboard_check_in_the_image_and_in_compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML (requirements-dev.txt) reads compose.yaml")
    (healthcheck,) = every("HEALTHCHECK")
    assert json.loads(healthcheck.split(" CMD ", 1)[1]) == ["dashboard", "check"]
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["dashboard"]
    assert service["healthcheck"]["test"] == ["CMD", "dashboard", "check"]
    assert service["build"] == "."
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}
    assert mounts["/data"] in compose["volumes"]  # a named volume at the database's folder


def test_the_health_command_passes_on_a_served_database(fixture_db):
    result = cli(fixture_db, "check")
    assert result.returncode == 0 and result.stdout.strip().endswith("OK")


def test_the_health_command_fails_on_a_database_older_than_its_schema(fixture_db):
    con = connect(fixture_db)
    try:
        con.execute("UPDATE schema_info SET version = version - 1")  # as a file an older release wrote
    finally:
        con.close()
    result = cli(fixture_db, "check")
    assert result.returncode == 1 and "is older than this code's" in result.stderr


def test_the_health_command_fails_when_the_database_cannot_be_opened(tmp_path):
    broken = tmp_path / "dashboard.duckdb"
    broken.write_bytes(b"not a database" * 1000)
    result = cli(broken, "check")
    assert result.returncode == 1 and "cannot be opened" in result.stderr
    missing = cli(tmp_path / "absent.duckdb", "check")
    assert missing.returncode == 1 and "No database at" in missing.stderr


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None,
                    reason="hatchling (the build backend, in requirements-dev.txt) is not installed")
def test_the_files_the_image_copies_are_enough_to_build_the_package(tmp_path):
    context = tmp_path / "context"
    for arguments in every("COPY"):
        *sources, destination = shlex.split(arguments)
        for source in sources:
            if destination.startswith("/"):  # outside the build folder (requirements.txt)
                continue
            target = context / source
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (REPO / source).is_dir() else shutil.copy2)(REPO / source, target)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(context)], check=True, timeout=300)
    assert list(tmp_path.glob("*.whl"))


def docker_engine() -> bool:
    """True where a Docker engine answers (a docker client alone is not enough)."""
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not docker_engine(), reason="no Docker engine here; the tests above read the files instead")
def test_docker_builds_the_image_and_compose_accepts_the_file():
    subprocess.run(["docker", "compose", "-f", str(REPO / "compose.yaml"), "config", "--quiet"], check=True,
                   timeout=120)
    subprocess.run(["docker", "build", "-t", "performance-dashboard:test", str(REPO)], check=True, timeout=1800)
