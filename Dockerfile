# syntax=docker/dockerfile:1
#
# The portal's image: gunicorn serves Django (static files through whitenoise); the same image runs
# the Celery worker and beat (see docker-compose.yml). Three stages:
#   base     - Python and the shared libraries the portal needs at run time (WeasyPrint, libpq)
#   builder  - compilers and headers: installs requirements.txt into /opt/venv (psycopg2 is built
#              from source here), then compiles the translations and collects the static files
#   runtime  - base + /opt/venv + /app from the builder, run as the unprivileged user `app`

FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media

# WeasyPrint 70: Pango, HarfBuzz (with its subsetter, for embedding font subsets in PDFs) and
# fontconfig. No font packages: the project ships its fonts (static/fonts). libpq5: psycopg2.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        libpq5 \
    && rm -rf /var/lib/apt/lists/*


FROM base AS builder

# gcc and libpq-dev build psycopg2; gettext's msgfmt is what compilemessages runs. None of them
# reaches the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
# Requirements first, so that a code change does not reinstall every package.
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /app
COPY . /app

# Settings must load to run these two commands, and production settings need secrets and a
# database the build does not have. DJANGO_DEBUG=1 with a throw-away key loads them; neither
# command touches the database, and the key is not kept in the image (it is set for this line only).
RUN DJANGO_DEBUG=1 DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv

# Static files are collected here, at build time, not when a container starts: every container
# (web, worker, beat) then has the same hashed files and manifest, including the fonts the PDFs use,
# the application directory can stay read-only for the `app` user, and startup does no file copying.
# DJANGO_STATIC_MANIFEST=1 because DEBUG=1 would otherwise choose the plain storage, and production
# (DEBUG=0) reads staticfiles.json from the manifest storage.
RUN DJANGO_DEBUG=1 DJANGO_SECRET_KEY=build-only DJANGO_STATIC_MANIFEST=1 \
    python manage.py collectstatic --noinput


FROM base AS runtime

RUN useradd --create-home --home-dir /home/app --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv
# Code, compiled translations and collected static files: owned by root, read-only for `app`.
COPY --from=builder /app /app
# Uploaded and generated files: the one writable place. A new named volume mounted here copies
# this directory's owner, so the `media` volume is writable by `app` too.
RUN mkdir -p /app/media && chown app:app /app/media

WORKDIR /app
USER app

EXPOSE 8000

# docker-compose.yml runs migrations before this (see the `web` service); `docker run` of the bare
# image serves straight away.
CMD ["gunicorn", "movement.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
