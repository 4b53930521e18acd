"""`make run` behaves like the product: DEBUG off with hashed static files and the app's own
pages, links on the port it serves, and its own share of a shared Redis."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import redis
from django.conf import settings

from crm_project.core.queues import MAIL, QUEUES

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HOST", "PORT", "SITE_URL", "ALLOWED_HOSTS", "DEBUG", "REDIS_NAMESPACE", "CACHE_KEY_PREFIX"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="crm_project.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _settings(**env) -> dict:
    code = (
        "import json; from crm_project import settings as s; "
        "print(json.dumps({'SITE_URL': s.SITE_URL, 'ALLOWED_HOSTS': s.ALLOWED_HOSTS}))"
    )
    result = _python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_links_in_e_mails_follow_the_port_it_serves_on():
    """A server started on another port mails links to that port, and accepts its own host (JOB-10)."""
    assert _settings()["SITE_URL"] == "http://127.0.0.1:8000"
    assert _settings(PORT="8765")["SITE_URL"] == "http://127.0.0.1:8765"
    on_lan = _settings(HOST="192.168.10.5", PORT="8765")
    assert on_lan["SITE_URL"] == "http://192.168.10.5:8765"
    assert {"127.0.0.1", "localhost", "192.168.10.5"} <= set(on_lan["ALLOWED_HOSTS"])
    assert _settings(HOST="0.0.0.0", PORT="9000")["SITE_URL"] == "http://127.0.0.1:9000"  # noqa: S104
    behind_proxy = _settings(PORT="8765", SITE_URL="https://crm.example.com")
    assert behind_proxy["SITE_URL"] == "https://crm.example.com"


def test_cache_broker_and_queue_keep_to_their_namespace():
    """With REDIS_NAMESPACE set, the cache, the broker's keys and the job queues all live under it,
    and a worker started without -Q consumes every named queue (JOB-09: jobs are never picked up by
    another project, and none is left without a worker)."""
    namespace = f"crm-test-{secrets.token_hex(4)}"
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    before = set(connection.keys("*"))
    code = (
        "import django; django.setup()\n"
        "from django.core.cache import cache\n"
        "from crm_project.celery import app\n"
        "cache.set('probe', 1, 60)\n"
        "app.send_task('notifications.send_email', args=[0])\n"
        "print(','.join(queue.name for queue in app.amqp.queues.consume_from.values()))\n"
    )
    try:
        result = _python(code, REDIS_NAMESPACE=namespace)
        assert result.returncode == 0, result.stderr
        # what `celery worker` consumes without -Q
        assert sorted(result.stdout.strip().split(",")) == sorted(QUEUES)
        new_keys = {key.decode() for key in set(connection.keys("*")) - before}
        assert new_keys, "nothing was written to Redis"
        assert all(key.startswith(f"{namespace}:") for key in new_keys), new_keys
        assert connection.llen(f"{namespace}:{MAIL}") == 1  # the queued job, on its own queue
        assert connection.exists(f"{namespace}:1:probe")  # the cache entry
    finally:
        stale = list(connection.scan_iter(f"{namespace}:*"))
        if stale:
            connection.delete(*stale)


def test_without_debug_it_serves_hashed_static_files_and_its_own_pages(tmp_path):
    """DEBUG off, as `make run` and production: collectstatic's hashed, compressed files are
    linked and served by whitenoise, and an unknown address gets the app's 404 page."""
    static_root = tmp_path / "static"
    environment = {"DEBUG": "false", "STATIC_ROOT": str(static_root)}
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    code = (
        "import django, json, re; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "login = client.get('/login/')\n"
        "css = re.search(r'href=\"(/static/css/crm\\.[0-9a-f]{12}\\.css)\"', login.content.decode()).group(1)\n"
        "static = client.get(css, HTTP_ACCEPT_ENCODING='gzip')\n"
        "missing = client.get('/no-such-page/')\n"
        "print(json.dumps({'login': login.status_code, 'static': static.status_code,\n"
        "    'encoding': static.headers.get('Content-Encoding'), 'cache': static.headers.get('Cache-Control'),\n"
        "    'missing': missing.status_code, 'missing_html': missing.content.decode()}))\n"
    )
    result = _python(code, **environment)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["login"] == 200
    assert answers["static"] == 200
    assert answers["encoding"] == "gzip"
    assert "immutable" in answers["cache"]
    assert answers["missing"] == 404
    assert "<nav" in answers["missing_html"]  # the app's page, not Django's technical one
