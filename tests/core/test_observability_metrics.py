"""Prometheus metrics at /metrics: requests, database time, queue lengths and job outcomes read
from the broker's Redis (shared by every machine), who may scrape, and gunicorn's multiprocess
mode (JOB-09: a job that fails or a queue that grows is seen)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from crm_project import celery_app
from crm_project.core.jobs import JOB_OPTIONS
from crm_project.notifications.tasks import send_notification_email
from tests.redis_server import forget_broker_connections

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@celery_app.task(name="tests.observability.always_fails")
def always_fails() -> None:
    raise RuntimeError("the ledger is closed")


@celery_app.task(name="tests.observability.succeeds")
def succeeds() -> int:
    return 1


# A job's own retry policy, but not in the jobs' registry (whose every job retries five times).
@celery_app.task(name="tests.observability.fails_once", **{**JOB_OPTIONS, "max_retries": 1, "retry_backoff": False})
def fails_once(attempts: list) -> None:
    attempts.append(1)
    if len(attempts) == 1:
        raise RuntimeError("the mail server hung up")


def sample(text: str, name: str, **labels) -> float | None:
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(key) == value for key, value in labels.items()):
                return found.value
    return None


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.fixture
def own_prefix():
    """The broker's keys under a prefix of this test's own, in the suite's Redis."""
    options = celery_app.conf.broker_transport_options
    prefix = f"test-metrics-{secrets.token_hex(4)}:"
    celery_app.conf.broker_transport_options = {**options, "global_keyprefix": prefix}
    forget_broker_connections()
    try:
        yield prefix
    finally:
        celery_app.conf.broker_transport_options = options
        forget_broker_connections()
        client = redis.Redis.from_url(celery_app.conf.broker_url)
        stale = list(client.scan_iter(f"{prefix}*"))
        if stale:
            client.delete(*stale)


def test_a_request_and_its_database_time_show_up(client):
    before = scrape(client)
    client.get("/healthz")
    after = scrape(client)
    requests = "django_http_requests_total_by_view_transport_method_total"
    labels = {"view": "healthz", "method": "GET"}
    assert (sample(after, requests, **labels) or 0) == (sample(before, requests, **labels) or 0) + 1
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert sample(after, latency, **labels) > (sample(before, latency, **labels) or 0)
    queries = "django_db_query_duration_seconds_count"
    database = {"alias": "default", "vendor": "postgresql"}
    assert sample(after, queries, **database) >= (sample(before, queries, **database) or 0) + 2
    assert connection.settings_dict["ENGINE"] == "django_prometheus.db.backends.postgresql"


def test_without_a_token_only_this_machine_may_scrape(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    # Through nginx every request comes from 127.0.0.1: a forwarded one is not a local scraper.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403


def test_with_a_token_a_scrape_must_bring_it(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Token s3cret-scrape-token").status_code == 401
    answered = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token"
    )  # from anywhere, with the token
    assert answered.status_code == 200
    assert answered["Content-Type"].startswith("text/plain")
    assert "no-store" in answered["Cache-Control"]


def test_it_is_read_only(client):
    assert client.post("/metrics").status_code == 405


def test_failed_retried_and_succeeded_jobs_are_counted_per_task_in_redis(client, own_prefix):
    # Run inline as a worker runs them: an error ends the job (and is counted), not the caller.
    celery_app.conf.task_eager_propagates = False
    for _ in range(2):
        assert always_fails.delay().state == "FAILURE"
    succeeds.delay()
    fails_once.delay([])  # inline, its retry runs at once
    text = scrape(client)
    assert sample(text, "crm_celery_task_failures_total", task="tests.observability.always_fails") == 2
    assert sample(text, "crm_celery_task_successes_total", task="tests.observability.succeeds") == 1
    assert sample(text, "crm_celery_task_retries_total", task="tests.observability.fails_once") == 1
    assert sample(text, "crm_celery_task_successes_total", task="tests.observability.fails_once") == 1
    # Kept in one Redis hash, for every web process and machine to read, across restarts.
    counts = redis.Redis.from_url(celery_app.conf.broker_url).hgetall(f"{own_prefix}metrics:celery-tasks:failure")
    assert counts == {b"tests.observability.always_fails": b"2"}


def test_queue_lengths_are_read_from_the_broker_under_its_key_prefix(client, own_redis):
    send_notification_email.delay(0)
    send_notification_email.delay(0)
    succeeds.delay()
    text = scrape(client)
    assert sample(text, "crm_celery_broker_up") == 1
    assert sample(text, "crm_celery_queue_length", queue="mail") == 2
    assert sample(text, "crm_celery_queue_length", queue="default") == 1
    assert sample(text, "crm_celery_queue_length", queue="reminders") == 0

    options = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {**options, "global_keyprefix": "elsewhere:"}
    forget_broker_connections()
    try:
        succeeds.delay()
        assert redis.Redis.from_url(own_redis.url).llen("elsewhere:default") == 1
        text = scrape(client)
        assert sample(text, "crm_celery_queue_length", queue="default") == 1
        assert sample(text, "crm_celery_queue_length", queue="mail") == 0
    finally:
        celery_app.conf.broker_transport_options = options


def test_with_the_broker_down_the_page_still_answers_and_says_so(client, redis_down):
    text = scrape(client)
    assert sample(text, "crm_celery_broker_up") == 0
    assert sample(text, "crm_celery_queue_length", queue="mail") is None


def test_the_beat_and_outbox_ages_are_gauges(client):
    text = scrape(client)
    assert sample(text, "crm_oldest_unsent_email_age_seconds") == -1  # nothing waiting


def _database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SENTRY_", "PROMETHEUS_"))}
    environment.update(env, DJANGO_SETTINGS_MODULE="crm_project.settings", DATABASE_URL=_database_url())
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_in_multiprocess_mode_the_page_adds_up_the_processes_and_a_dead_worker_is_let_go(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR (gunicorn with several workers): figures come from the folder;
    `child_exit` drops a dead worker's live gauges."""
    code = (
        "import django, os, types; django.setup()\n"
        "from django.test import Client\n"
        "from prometheus_client import Gauge\n"
        "from crm_project.core.observability.metrics import child_exit\n"
        "client = Client()\n"
        "client.get('/healthz'); client.get('/healthz')\n"
        "print(client.get('/metrics').content.decode())\n"
        "Gauge('probe_in_flight', 'p', multiprocess_mode='livesum').set(1)\n"
        "live = f'gauge_livesum_{os.getpid()}.db'\n"
        "before = live in os.listdir(os.environ['PROMETHEUS_MULTIPROC_DIR'])\n"
        "child_exit(None, types.SimpleNamespace(pid=os.getpid()))\n"
        "print('LIVE', before, live in os.listdir(os.environ['PROMETHEUS_MULTIPROC_DIR']))\n"
    )
    result = _python(code, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    text, live = result.stdout.rsplit("LIVE", 1)
    requests = "django_http_requests_total_by_view_transport_method_total"
    assert sample(text, requests, view="healthz", method="GET") == 2
    assert sample(text, "crm_celery_broker_up") == 1
    assert any(name.startswith("counter_") for name in os.listdir(tmp_path))
    assert live.split() == ["True", "False"]


def test_database_time_is_measured_with_psycopg_s_pool_too():
    pytest.importorskip("psycopg_pool")
    code = (
        "from django.conf import settings\n"
        "database = settings.DATABASES['default']\n"
        "database.setdefault('OPTIONS', {})['pool'] = {'min_size': 1, 'max_size': 2}\n"
        "database['CONN_MAX_AGE'] = 0\n"
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from prometheus_client import REGISTRY\n"
        "for _ in range(3):\n"
        "    with connection.cursor() as cursor: cursor.execute('SELECT 1')\n"
        "    connection.close()  # back to the pool\n"
        "labels = {'alias': 'default', 'vendor': 'postgresql'}\n"
        "queries = REGISTRY.get_sample_value('django_db_query_duration_seconds_count', labels)\n"
        "print(connection.pool is not None, queries)\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    pooled, queries = result.stdout.split()[-2:]
    assert pooled == "True"
    assert float(queries) >= 3
