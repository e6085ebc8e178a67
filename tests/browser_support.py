"""Real-browser support: start the dashboard in a subprocess and drive Debian's Chromium with Playwright."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No network, no background services: the tests must not depend on anything but the local server.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a long password for browser tests"  # every officer's in the servers started here


def require_browser() -> None:
    """Skip when Chromium or Playwright is missing, unless REQUIRE_BROWSER=1 (CI), where that is a failure."""
    missing = []
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (requirements-dev.txt)")
    if missing:
        reason = "real-browser tests need " + " and ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    """A TCP port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run app.py` (or another `script`) on a database of our choosing, stopped when the tests are done;
    the benchmarks start theirs with it too."""

    def __init__(self, db_path: Path | None, log_path: Path, secrets_file: Path | None = None,
                 extra_args: tuple[str, ...] = (), base_path: str = "", script: Path = REPO / "app.py",
                 timeout: float = 60, port: int | None = None):
        self.port = port or free_port()  # given when the secrets must name it first (an [auth] redirect_uri)
        self.url = f"http://127.0.0.1:{self.port}"
        self.health_url = f"{self.url}/{base_path.strip('/')}/_stcore/health" if base_path else \
            f"{self.url}/_stcore/health"
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"), **({"DASHBOARD_DB": str(db_path)} if db_path else {}))
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
             f"--server.port={self.port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none"]
            # Secrets from a test's own file, never from a developer's .streamlit/secrets.toml.
            + [f"--secrets.files={secrets_file or log_path.with_name('no-secrets.toml')}", *extra_args],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_healthy(log_path, timeout)

    def _wait_healthy(self, log_path: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log_path.read_text()}")

    def stop(self) -> None:
        """Stop the server and close its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def officers_server(folder: Path, db_path: Path, names: tuple[str, ...] = ("jo.officer",), secrets_text: str = "",
                    timeout: float = 60) -> Server:
    """The dashboard on `db_path` with these officers (password PASSWORD) in a secrets file of its own, after
    `secrets_text` (an `[access]` table, `admins`); the server knows its database and folder."""
    from dashboard.trust.auth import add_officer

    secrets = folder / "secrets.toml"
    secrets.write_text(secrets_text, encoding="utf-8")
    for name in names:
        add_officer(secrets, name, PASSWORD)
    running = Server(db_path, folder / "streamlit.log", secrets_file=secrets, timeout=timeout)
    running.db_path, running.folder = db_path, folder
    return running


def sign_in(tab, server, name: str = "jo.officer", go: bool = True) -> None:
    """Sign in as `name` (password PASSWORD) on the sign-in page (opened first unless `go` is false), as an officer
    would, and wait for the app."""
    if go:
        tab.goto(f"{server.url}/sign-in")
        wait_for_app(tab)
    tab.get_by_label("Username").fill(name)
    tab.get_by_label("Password", exact=True).fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text(f"Signed in as {name}").wait_for()
    wait_for_app(tab)


def main_text(tab) -> str:
    """The text of the page's main area (not the sidebar)."""
    return tab.locator('[data-testid="stMain"]').inner_text()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has drawn the page's title and stopped running the script for a moment."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    # Idleness is measured from this call: a mark left by an earlier wait would let a rerun that a click has not
    # yet started count as finished.
    page.evaluate("window.__idleSince = undefined")
    # The "running" widget comes and goes between reruns: wait until it has been absent for 1.5 s in a row.
    page.wait_for_function(
        """() => {
            const busy = document.querySelector('[data-testid="stStatusWidget"]')
                || document.querySelector('[data-testid="stSkeleton"]');
            const now = Date.now();
            if (busy) { window.__idleSince = undefined; return false; }
            if (window.__idleSince === undefined) { window.__idleSince = now; }
            return now - window.__idleSince > 1500;
        }""", timeout=timeout, polling=250)


def exceptions(page) -> list[str]:
    """The text of every exception box Streamlit shows on the page."""
    return [box.inner_text() for box in page.locator('[data-testid="stException"]').all()]


@pytest.fixture(scope="module")
def server(seed_db, tmp_path_factory):
    """The dashboard on the embedded data, served by the real `streamlit run` (one per test module)."""
    require_browser()
    running = Server(seed_db, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download does not work here)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, request):
    """A fresh page at meeting-screen size; a screenshot of where it ended is kept in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    tab.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    context.close()


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA scan of the page as it stands: the serious and critical violations, described."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [f"{v['id']} ({v['impact']}): {v['help']} -- {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
