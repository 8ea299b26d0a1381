# syntax=docker/dockerfile:1
#
# AuraStream production image. One image runs every role; docker-compose.yml picks the command:
#   web     gunicorn aurastream.wsgi:application -c deploy/gunicorn.conf.py   (default CMD)
#   ws      daphne -b 0.0.0.0 -p 8001 aurastream.asgi:application
#   worker  celery -A aurastream worker -Q priority,default -l info
#   beat    celery -A aurastream beat -l info --schedule /app/var/beat/celerybeat-schedule
#   migrate python manage.py migrate --noinput
# The built CSS/JS are committed under static/, so no Node stage is needed.

# Bookworm pinned: the font packages below are checked against Debian 12.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: every requirement as a wheel, compiled here if PyPI has no wheel for it ------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# Compilers stay in this stage; the final image gets only the wheels. Unpinned on purpose:
# bookworm's security updates replace old versions, and nothing of this stage ships.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

# --- runtime ----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=aurastream.settings.production \
    STATIC_ROOT=/app/staticfiles

# Fonts the render engine sets text in, from Debian, under /usr/share/fonts/opentype/{inter,
# bebas-neue,league-spartan}/. Pinned: another font version moves rendered pixels.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-inter=4.0~beta7+ds-1 \
        fonts-bebas-neue=3.0-2 \
        fonts-league-spartan=2.210-1 \
    && rm -rf /var/lib/apt/lists/*

# The wheels are bind-mounted from the builder, so they never become a layer of this image.
COPY requirements.txt /tmp/requirements.txt
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m venv "$VIRTUAL_ENV" \
    && pip install --no-index --find-links=/wheels -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# A fixed uid/gid, so volumes and host bind mounts can be given to it.
RUN groupadd --system --gid 10001 aurastream \
    && useradd --system --uid 10001 --gid aurastream --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin aurastream

WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Static files collected, hashed and compressed at build time with the production settings.
# production.py refuses to load without its four variables; these throwaway values exist only
# for this one step (nothing connects to them) and are not part of the image's environment.
RUN SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/build.db \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.db* \
    && python -m compileall -q -j 0 /app

# The only places the app writes: local media (STORAGE_BACKEND=local) and celery beat's
# schedule file. Compose mounts named volumes here; Docker seeds them with this ownership.
RUN mkdir -p /app/var/media /app/var/beat \
    && chown -R aurastream:aurastream /app/var

# Numeric, so orchestrators can verify it is not root without reading /etc/passwd.
USER 10001:10001

EXPOSE 8000 8001

# Liveness of the default role (gunicorn). Compose overrides it per service: /readyz for web,
# daphne's port for ws, a celery ping for workers, none for beat and migrate.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py", "http://127.0.0.1:8000/healthz"]

CMD ["gunicorn", "aurastream.wsgi:application", "-c", "deploy/gunicorn.conf.py"]
