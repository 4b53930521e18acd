# The CRM's one image (deploy/README.md, "Containers"): gunicorn by default; the same image runs
# the workers and beat by command (deploy/compose.yaml). Building needs a registry this machine
# can reach: Docker Hub or a mirror for the base image, PyPI or a mirror for the packages
# (docker build --build-arg PIP_INDEX_URL=https://mirrors.example.com/pypi/simple .).
FROM python:3.11-slim-bookworm

ARG PIP_INDEX_URL=https://pypi.org/simple
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=crm_project.settings \
    STATIC_ROOT=/srv/crm/staticfiles \
    MEDIA_ROOT=/var/lib/crm/media \
    BACKUP_DIR=/var/backups/crm \
    GUNICORN_BIND=0.0.0.0:8001

# pg_dump/pg_restore for `manage.py backup` (Debian 12's are version 15, the compose file's server).
# No gettext: the compiled catalogue (locale/*/LC_MESSAGES/django.mo) is in the repository.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system crm \
    && useradd --system --gid crm --home-dir /srv/crm --no-create-home --shell /usr/sbin/nologin crm \
    && install -d -o crm -g crm /var/lib/crm /var/lib/crm/media /var/backups/crm

# The packages first, so a change of code alone reuses this layer.
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code belongs to root and is read-only for the app's user; only staticfiles is the user's.
WORKDIR /srv/crm
COPY . /srv/crm
RUN python -m compileall -q /srv/crm \
    && install -d -o crm -g crm /srv/crm/staticfiles

USER crm
# Hashed, compressed static files as production serves them; the settings need a key and a host
# to load in production mode, and these are used for nothing else.
RUN DJANGO_ENV=production SECRET_KEY=collectstatic-at-build-only ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8001
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "crm_project.wsgi"]
