# The dashboard in a container: Debian (bookworm) with Python 3.11, Debian's Chromium (kaleido draws the chart PNGs
# and the board pack's charts with it) and DejaVu fonts (the board pack's £ and dashes), the locked runtime packages,
# and this package installed as a wheel (app.py, views/ and data/ travel inside it). The database lives on the
# volume /data; the health check is `dashboard check`. Guide: docs/deploy.md, (c).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The locked versions first, in their own layer, so a code change does not reinstall them.
COPY requirements.txt /tmp/requirements.txt
RUN pip install --require-hashes -r /tmp/requirements.txt

WORKDIR /tmp/build
COPY pyproject.toml README.md app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY src src
COPY views views
COPY data/seed data/seed
COPY data/sources data/sources
COPY data/published data/published
RUN pip install --no-deps . && rm -rf /tmp/build

# A user without a login; the database folder is the only place it writes.
RUN useradd --system --create-home --home-dir /home/dashboard --shell /usr/sbin/nologin dashboard \
 && mkdir -p /data /home/dashboard/.streamlit \
 && chown dashboard:dashboard /data
ENV DASHBOARD_DB=/data/dashboard.duckdb \
    BROWSER_PATH=/usr/bin/chromium
VOLUME ["/data"]
USER dashboard
# Secrets (officers, [auth]) are read from here: mount .streamlit/secrets.toml at
# /home/dashboard/.streamlit/secrets.toml (compose.yaml shows how).
WORKDIR /home/dashboard
EXPOSE 8501

# Fails (exit 1) when the database is missing, cannot be opened, is not the dashboard's, has another schema version
# than the code (older: not migrated; newer: an older image on a newer file) or a setting is wrong. Streamlit's own
# /_stcore/health says "ok" whatever state the database is in.
HEALTHCHECK --interval=30s --timeout=30s --start-period=120s --retries=3 CMD ["dashboard", "check"]

# Builds the database on an empty volume, else migrates it, then execs Streamlit, which so becomes PID 1 and gets
# `docker stop`'s SIGTERM itself.
CMD ["dashboard", "serve", "--server.address=0.0.0.0", "--server.port=8501"]
