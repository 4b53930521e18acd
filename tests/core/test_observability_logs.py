"""Request ids and structured logs: the id comes from nginx or is made here, is sent back, is on
every log line of the request and of the jobs it queues, travels on the queued message, and a
real worker logs it, as JSON, in the job's lines (JOB-09: what a job did can be traced back to the
request that queued it)."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import redis
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory

from crm_project import celery_app
from crm_project.core.observability import request_id as context
from crm_project.core.observability.logs import ContextFilter, JsonFormatter
from crm_project.core.observability.request_id import RequestIdMiddleware
from crm_project.notifications.tasks import send_notification_email

ROOT = Path(__file__).resolve().parents[2]
probe_log = logging.getLogger("tests.observability.probe")


@celery_app.task(name="tests.observability.log_probe")
def log_probe() -> None:
    probe_log.info("probe ran")


@pytest.fixture
def json_lines():
    """Every record reaching the root logger, formatted as the console handler does in JSON mode."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _within_request(action, request_id: str | None = None):
    """Run `action` as a view would, behind the request-id middleware; returns the response."""
    headers = {"HTTP_X_REQUEST_ID": request_id} if request_id is not None else {}
    request = RequestFactory().get("/somewhere/", **headers)

    def view(request):
        from django.http import HttpResponse

        action()
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(request)
    # As the WSGI server does at the end; without closing the database connection (like the
    # test client).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


@pytest.mark.django_db
def test_it_takes_a_sane_request_id_from_the_proxy_and_sends_it_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="7f3c9a.e-1_b")
    assert response["X-Request-ID"] == "7f3c9a.e-1_b"
    assert context.current_request_id() is None  # nothing left behind for the next request


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", [None, "", "a" * 65, "two words", "id\r\nX-Evil: 1", "<script>", "ид"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    first = client.get("/healthz", **headers)["X-Request-ID"]
    second = client.get("/healthz", **headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == "req-404"
    assert line["level"] == "WARNING"
    assert line["status_code"] == 404  # an `extra` field of Django's


def test_the_json_line_has_the_time_with_its_offset_the_error_as_text_and_the_extra_fields(json_lines):
    log = logging.getLogger("tests.observability")
    try:
        raise ValueError("bad figure")
    except ValueError:
        log.exception("statement %s failed", 42, extra={"statement": 42, "month": datetime(2026, 9, 1)})
    [line] = json_lines()
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "task_id", "task_name", "exc_info"}
    assert line["message"] == "statement 42 failed"
    assert (line["level"], line["logger"]) == ("ERROR", "tests.observability")
    assert (line["request_id"], line["task_id"], line["task_name"]) == (None, None, None)
    assert datetime.fromisoformat(line["time"]).utcoffset() is not None
    assert "ValueError: bad figure" in line["exc_info"]
    assert (line["statement"], line["month"]) == (42, "2026-09-01 00:00:00")


def test_the_text_format_names_the_request_and_the_task():
    formatter = logging.Formatter("%(levelname)s %(name)s%(log_context)s: %(message)s")
    record = logging.LogRecord("crm", logging.INFO, __file__, 1, "hello", (), None)
    request_token, task_token = context.request_id.set("r1"), context.task.set(("t1", "core.export_run"))
    try:
        ContextFilter().filter(record)
    finally:
        context.task.reset(task_token)
        context.request_id.reset(request_token)
    assert formatter.format(record) == "INFO crm [request_id=r1 task=core.export_run[t1]]: hello"


def test_an_eager_job_queued_by_a_request_logs_with_the_request_id_and_its_own_id_and_name(json_lines):
    response = _within_request(log_probe.delay, request_id="req-eager")
    assert response["X-Request-ID"] == "req-eager"
    [line] = [line for line in json_lines() if line["message"] == "probe ran"]
    assert line["request_id"] == "req-eager"
    assert line["task_name"] == "tests.observability.log_probe"
    assert re.fullmatch(r"[0-9a-f-]{36}", line["task_id"])
    assert (context.current_request_id(), context.task.get()) == (None, None)


def _queued_messages(server, queue: str) -> list[dict]:
    """The messages waiting on `queue`, oldest first (kombu pushes on the left, pops on the right)."""
    prefix = celery_app.conf.broker_transport_options["global_keyprefix"]
    waiting = redis.Redis.from_url(server.url).lrange(f"{prefix}{queue}", 0, -1)
    return [json.loads(raw) for raw in reversed(waiting)]


def test_the_request_id_is_a_header_of_the_message_put_on_the_broker(own_redis):
    """With a real broker: the message a request queues carries `request_id`; one queued outside
    a request (beat, a shell) carries none."""
    _within_request(log_probe.delay, request_id="req-queued")
    log_probe.delay()
    first, second = _queued_messages(own_redis, "default")
    assert first["headers"]["task"] == "tests.observability.log_probe"
    assert first["headers"]["request_id"] == "req-queued"
    assert "request_id" not in second["headers"]


def _database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


def _json_lines(path: Path) -> list[dict]:
    # Celery prints a few things without logging (a warning when run as root, "Warm shutdown").
    return [json.loads(raw) for raw in path.read_text().splitlines() if raw.startswith("{")]


def _wait_for_line(path: Path, found, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for line in _json_lines(path):
            if found(line):
                return line
        time.sleep(0.2)
    raise AssertionError(f"no such line in {seconds}s:\n{path.read_text()[-3000:]}")


@pytest.mark.django_db
def test_a_real_worker_logs_the_job_in_json_with_the_request_id_that_queued_it(own_redis, tmp_path):
    """A `celery worker` run for a few seconds: its log lines are JSON objects, Celery's own
    included (the setup_logging signal), and the job's lines carry the queuing request's id."""
    _within_request(lambda: send_notification_email.delay(0), request_id="req-worker")
    assert _queued_messages(own_redis, "mail")[0]["headers"]["request_id"] == "req-worker"
    log_path = tmp_path / "worker.log"
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("SENTRY_", "PROMETHEUS_"))},
        "REDIS_URL": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        "DATABASE_URL": _database_url(),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "celery", "-A", "crm_project", "--quiet", "worker", "-P", "solo", "-Q", "mail"]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    with log_path.open("w") as log_file:
        worker = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            done = _wait_for_line(log_path, lambda line: "succeeded" in line["message"])
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert done["task_name"] == "notifications.send_email"
    assert done["request_id"] == "req-worker"
    assert done["task_id"]
    ready = [line for line in _json_lines(log_path) if line["logger"] == "celery.apps.worker"]
    assert ready and ready[0]["message"].endswith("ready.") and ready[0]["task_id"] is None
    # No line in Celery's own format ("[2026-… INFO/MainProcess] …") or the text one.
    assert not re.search(r"^(\[\d{4}-|\d{4}-\d\d-\d\d )", log_path.read_text(), re.MULTILINE)


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"LOG_FORMAT", "DJANGO_ENV"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="crm_project.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "crm.example.com",
}


def test_logs_are_json_in_production_and_text_elsewhere_unless_log_format_says():
    code = "from crm_project import settings as s; print(s.LOG_FORMAT, s.LOGGING['handlers']['console']['formatter'])"
    assert _python(code).stdout.split() == ["text", "text"]
    assert _python(code, **PRODUCTION).stdout.split() == ["json", "json"]
    assert _python(code, LOG_FORMAT="text", **PRODUCTION).stdout.split() == ["text", "text"]
    wrong = _python(code, LOG_FORMAT="xml")
    assert wrong.returncode != 0
    assert 'LOG_FORMAT must be "json" or "text"' in wrong.stderr


def test_beat_and_worker_logging_set_up_by_celery_is_django_s_json():
    """Celery's logging set-up (what `celery beat` and `celery worker` run) leaves the root
    handler to LOGGING: no hijack, the same JSON formatter."""
    code = (
        "import django, logging; django.setup()\n"
        "from crm_project import celery_app\n"
        "celery_app.log.setup(loglevel='INFO', redirect_stdouts=True)\n"
        "logging.getLogger('celery.beat').info('beat: Starting...')\n"
        "print(type(logging.getLogger().handlers[0].formatter).__name__)\n"
    )
    result = _python(code, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "JsonFormatter"
    lines = [json.loads(raw) for raw in result.stderr.splitlines()]
    assert {"logger": "celery.beat", "message": "beat: Starting..."}.items() <= lines[-1].items()
