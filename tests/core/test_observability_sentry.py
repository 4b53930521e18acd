"""Error reports: with SENTRY_DSN set, a view that raises reaches the Sentry endpoint — here a
small HTTP server of the test's own on 127.0.0.1 — as an event envelope, with the environment
and release configured and without personal data; without SENTRY_DSN nothing is set up."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RAISING_VIEW = """
import sys, types, django
django.setup()
import sentry_sdk
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path

@login_not_required
def boom(request):
    raise RuntimeError("sentry probe: the ledger is closed")

urls = types.ModuleType("sentry_probe_urls")
urls.urlpatterns = [path("boom/", boom)]
sys.modules["sentry_probe_urls"] = urls
with override_settings(ROOT_URLCONF="sentry_probe_urls"):
    status = Client(raise_request_exception=False).get(
        "/boom/?customer=1", HTTP_X_REQUEST_ID="req-sentry", HTTP_COOKIE="preference=secret-cookie"
    ).status_code
sentry_sdk.flush(timeout=10)
print(status, sentry_sdk.get_client().is_active())
"""


class SentryEndpoint(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice when Brotli is installed
            import brotli

            body = brotli.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryEndpoint)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="crm_project.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _items(envelope: bytes) -> list[tuple[dict, dict]]:
    """An envelope: a header line, then (item header, item payload) line pairs."""
    lines = envelope.split(b"\n")[1:]
    return [(json.loads(lines[i]), json.loads(lines[i + 1])) for i in range(0, len(lines) - 1, 2) if lines[i]]


def test_an_error_in_a_view_is_reported_to_the_sentry_endpoint(sentry_endpoint):
    port = sentry_endpoint.server_address[1]
    result = _python(
        RAISING_VIEW,
        SENTRY_DSN=f"http://public@127.0.0.1:{port}/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="crm@1.2.3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["500", "True"]
    events = [
        payload
        for path, envelope in sentry_endpoint.envelopes
        if path == "/api/1/envelope/"
        for header, payload in _items(envelope)
        if header.get("type") == "event"
    ]
    assert len(events) == 1, sentry_endpoint.envelopes
    [event] = events
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "sentry probe: the ledger is closed")
    assert (event["environment"], event["release"]) == ("staging", "crm@1.2.3")
    assert event["tags"]["request_id"] == "req-sentry"
    assert "secret-cookie" not in json.dumps(event)  # no cookies: send_default_pii is off
    assert "user" not in event or not event["user"].get("ip_address")


def test_the_environment_defaults_to_django_env_and_tracing_is_off(sentry_endpoint):
    port = sentry_endpoint.server_address[1]
    code = (
        "from crm_project import settings\n"
        "import sentry_sdk\n"
        "options = sentry_sdk.get_client().options\n"
        "names = sorted(type(i).__name__ for i in sentry_sdk.get_client().integrations.values())\n"
        "print(options['environment'], options['traces_sample_rate'], options['send_default_pii'], *names)\n"
    )
    result = _python(code, SENTRY_DSN=f"http://public@127.0.0.1:{port}/1", DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert words[:3] == ["development", "0.0", "False"]
    assert {"CeleryIntegration", "DjangoIntegration"} <= set(words[3:])
    wrong = _python(code, SENTRY_DSN=f"http://public@127.0.0.1:{port}/1", SENTRY_TRACES_SAMPLE_RATE="lots")
    assert "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1" in wrong.stderr


def test_without_a_dsn_nothing_is_set_up():
    result = _python("from crm_project import settings\nimport sentry_sdk\nprint(sentry_sdk.get_client().is_active())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
