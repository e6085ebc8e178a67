"""The council-server set-up for real: the dashboard started with the flags of deploy/dashboard.service, behind
Debian's nginx running the location block of deploy/nginx-performance.conf on loopback, opened in headless Chromium at
/performance/. The overview's figures appear only if the page's websocket works through the proxy."""
from __future__ import annotations

import getpass
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser_support import ARTIFACTS, REPO, Server, browser, exceptions, free_port, page, require_browser, wait_for_app  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
DEPLOY = REPO / "deploy"


def require_nginx() -> str:
    """nginx's path; skip without it, unless REQUIRE_NGINX=1 or REQUIRE_BROWSER=1 (CI), where that is a failure."""
    found = NGINX if Path(NGINX).exists() else shutil.which("nginx")
    if not found:
        reason = f"the proxy test needs nginx ({NGINX}; apt-get install nginx)"
        if "1" in (os.environ.get("REQUIRE_NGINX"), os.environ.get("REQUIRE_BROWSER")):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def unit_streamlit_args() -> list[str]:
    """The `--server.*` and `--browser.*` flags of ExecStart in deploy/dashboard.service, minus address and port."""
    [line] = [line for line in (DEPLOY / "dashboard.service").read_text().splitlines()
              if line.startswith("ExecStart=")]
    return [arg for arg in shlex.split(line.removeprefix("ExecStart="))
            if arg.startswith(("--server.", "--browser.")) and not arg.startswith(("--server.port",
                                                                                  "--server.address"))]


def nginx_conf(tmp: Path, listen: int, upstream: int) -> str:
    """A whole nginx.conf for an unprivileged nginx in `tmp`: the shipped location block, the shipped map."""
    site = (DEPLOY / "nginx.conf").read_text()
    upgrade_map = re.search(r"map \$http_upgrade \$connection_upgrade \{.*?\n\}", site, re.S).group(0)
    # As root (CI containers), nginx would switch its workers to `nobody`, who cannot enter pytest's private tmp.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                            "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {tmp / 'nginx.pid'};
error_log {tmp / 'error.log'} info;
events {{ worker_connections 64; }}
http {{
    access_log {tmp / 'access.log'};
{temp}
    {upgrade_map}
    upstream performance_dashboard {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{listen};
        include {DEPLOY / 'nginx-performance.conf'};
    }}
}}
"""


@pytest.fixture(scope="module")
def proxied(seed_db, tmp_path_factory):
    """Streamlit with the unit's flags, nginx in front; yields nginx's base address."""
    require_browser()
    nginx = require_nginx()
    tmp = tmp_path_factory.mktemp("proxy")
    args = unit_streamlit_args()
    assert "--server.baseUrlPath=performance" in args
    server = Server(seed_db, tmp / "streamlit.log", extra_args=tuple(args), base_path="performance")
    port = free_port()
    (tmp / "nginx.conf").write_text(nginx_conf(tmp, port, server.port))
    checked = subprocess.run([nginx, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    log = (tmp / "nginx.out").open("w")
    proxy = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], stdout=log,
                             stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/performance/_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except (OSError, urllib.error.URLError):
                if proxy.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not serve:\n{(tmp / 'error.log').read_text()}") from None
                time.sleep(0.2)
        yield base, tmp
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        log.close()
        server.stop()


def test_the_overview_works_through_nginx_under_performance(browser, proxied):
    base, tmp = proxied
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    tab = context.new_page()
    try:
        tab.goto(f"{base}/performance/?org=herefordshire-council")
        wait_for_app(tab)
        assert exceptions(tab) == []
        main = tab.locator('[data-testid="stMain"]')
        assert tab.locator("h1").first.inner_text() == "Herefordshire Council"
        text = main.inner_text()
        assert "Indicators by RAG" in text and "Gains identified (£000)" in text
        assert main.locator('[data-testid="stMetricValue"]').count() >= 1
        assert tab.url.startswith(f"{base}/performance/")
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "proxy_overview.png"), full_page=True)
    finally:
        context.close()
    # The figures came over the page's websocket, and it went through nginx: nginx logs the upgrade (101) when the
    # connection closes, which closing the browser tab has just done.
    access = tmp / "access.log"
    deadline = time.monotonic() + 10
    while not re.search(r'"GET /performance/_stcore/stream HTTP/1\.1" 101 ', access.read_text()):
        assert time.monotonic() < deadline, access.read_text()[-2000:]
        time.sleep(0.2)


def test_the_address_without_the_slash_and_a_deep_link_work_through_nginx(page, proxied):
    base, _ = proxied
    page.goto(f"{base}/performance/efficiency?org=herefordshire-council")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Efficiency gains"
    assert "3,465" in page.locator('[data-testid="stMain"]').inner_text()
    request = urllib.request.Request(f"{base}/performance", method="GET")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=5)
    assert redirect.value.code == 301 and redirect.value.headers["Location"].endswith("/performance/")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def test_the_shipped_https_site_passes_nginx_t(tmp_path):
    """deploy/nginx.conf as an administrator installs it (TLS, HTTP/2, redirect to HTTPS) is valid for this nginx."""
    nginx = require_nginx()
    if not shutil.which("openssl"):
        pytest.skip("needs openssl to make a throwaway certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=performance.council.example", "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True)
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/ssl/certs/performance.council.example.pem", str(cert))
    site = site.replace("/etc/ssl/private/performance.council.example.key", str(key))
    site = site.replace("/etc/nginx/snippets/performance-dashboard.conf", str(DEPLOY / "nginx-performance.conf"))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
                                         f"events {{}}\nhttp {{\n    access_log off;\n"
                                         f"    include {tmp_path / 'site.conf'};\n}}\n")
    checked = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_static_assets_come_back_compressed_through_nginx(proxied):
    """Streamlit sends its scripts uncompressed; the shipped site compresses them (issue 21, item 7). The largest, the
    Plotly bundle every chart page loads, shrinks from 4.7 MB to well under a third."""
    import gzip

    import streamlit

    base, _ = proxied
    [bundle] = (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")
    url = f"{base}/performance/static/js/{bundle.name}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"]
        sent = r.read()
    assert gzip.decompress(sent) == bundle.read_bytes()  # the same script, byte for byte
    assert len(sent) < 0.35 * bundle.stat().st_size, (len(sent), bundle.stat().st_size)
    print(f"Plotly bundle through nginx: {len(sent):,} bytes gzip of {bundle.stat().st_size:,}")
    with urllib.request.urlopen(url, timeout=30) as plain:  # a client that does not ask gets it as it is
        assert plain.headers["Content-Encoding"] is None and len(plain.read()) == bundle.stat().st_size
    css = next((Path(streamlit.__file__).parent / "static" / "static" / "css").glob("index.*.css"))
    request = urllib.request.Request(f"{base}/performance/static/css/{css.name}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip"
