# syntax=docker/dockerfile:1
# HOPEful's image: `hopeful serve` (waitress, static files by WhiteNoise) by default, and
# `hopeful worker` / `hopeful manage ...` with the same image. docs/deployment.md.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- build: the project and its dependencies in a virtualenv ----------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/hopeful
WORKDIR /src
# The dependencies change less often than the code: a layer of their own.
COPY pyproject.toml README.md LICENSE ./
RUN mkdir -p src/hopeful && touch src/hopeful/__init__.py \
    && /opt/hopeful/bin/pip install . \
    && /opt/hopeful/bin/pip uninstall -y hopeful
COPY src ./src
RUN /opt/hopeful/bin/pip install --no-deps .

# -- runtime ---------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# WeasyPrint (PDF reports) loads pango through ctypes and needs a font; tini passes signals
# on (SIGTERM lets a worker finish its task) and reaps child processes; `hopeful backup` and
# `hopeful restore` run pg_dump and pg_restore (bookworm's client is PostgreSQL 15's).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core tini postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 hopeful \
    && useradd --system --uid 10001 --gid hopeful --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin hopeful \
    && mkdir -p /data && chown hopeful:hopeful /data
COPY --from=build /opt/hopeful /opt/hopeful
ENV PATH=/opt/hopeful/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=hopeful.web.config.settings \
    HOPEFUL_DATA_DIR=/data
# Fail the build, not the first report, when pango or the settings are broken. (Static files
# need no collecting: WhiteNoise serves them from the installed package, inside the image.)
RUN python -c "import weasyprint" \
    && HOPEFUL_SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijkl \
       HOPEFUL_DATA_DIR=/tmp/hopeful-build hopeful manage check \
    && rm -rf /tmp/hopeful-build
USER hopeful
WORKDIR /data
# Uploaded files, the credential keys (and the SQLite file when no DATABASE_URL is set).
VOLUME ["/data"]
EXPOSE 8000
# The Host header must be one of HOPEFUL_ALLOWED_HOSTS: keep "localhost" in the list.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; r = u.urlopen(u.Request('http://127.0.0.1:8000/health/', headers={'Host': 'localhost'}), timeout=4); sys.exit(r.status != 200)"]
ENTRYPOINT ["tini", "--"]
CMD ["hopeful", "serve", "--host", "0.0.0.0", "--port", "8000"]
