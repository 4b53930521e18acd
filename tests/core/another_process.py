"""Another process of the application against the test database — a web process on another
machine, or a Celery worker — for the tests that something is shared between processes and not
kept in one process's memory or on its disk (two test clients in one process would share both).

`PathlessStorage` stands in for object storage: files reachable only through the storage API,
with no `path()`, so code that reaches for a local path fails."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

from django.core.files.storage import FileSystemStorage, Storage
from django.db import connections
from django.utils.deconstruct import deconstructible

ROOT = Path(__file__).resolve().parents[2]
PATHLESS_STORAGE = "tests.core.another_process.PathlessStorage"

# Run first in every other process: Django set up, and the pathless storage when asked for.
_PRELUDE = """
import json, os
import django
django.setup()
from django.conf import settings
from django.test.utils import override_settings
overrides = json.loads(os.environ.get("TEST_SETTINGS", "{}"))
if os.environ.get("TEST_PATHLESS_STORAGE"):
    overrides["STORAGES"] = {**settings.STORAGES, "default": {
        "BACKEND": "@BACKEND@", "OPTIONS": {"location": os.environ["TEST_PATHLESS_STORAGE"]}}}
if overrides:
    override_settings(**overrides).enable()
""".replace("@BACKEND@", PATHLESS_STORAGE)


@deconstructible
class PathlessStorage(Storage):
    """Files in a folder, as an object store keeps them in a bucket: opened, saved, listed and
    deleted through the storage, never by a path on this machine (`path()` raises)."""

    def __init__(self, location: str):
        self.location = location
        self._bucket = FileSystemStorage(location=location)

    def _open(self, name, mode="rb"):
        return self._bucket._open(name, mode)

    def _save(self, name, content):
        return self._bucket._save(name, content)

    def delete(self, name):
        self._bucket.delete(name)

    def exists(self, name):
        return self._bucket.exists(name)

    def size(self, name):
        return self._bucket.size(name)

    def listdir(self, path):
        return self._bucket.listdir(path)


def pathless_storages(settings, location: Path) -> None:
    """This process's default storage made a PathlessStorage over `location`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": PATHLESS_STORAGE, "OPTIONS": {"location": str(location)}},
    }


def database_url(alias: str = "default") -> str:
    """The URL of the database the tests run on (test_<name>), for DATABASE_URL."""
    config = connections[alias].settings_dict
    password = f":{quote(config['PASSWORD'], safe='')}" if config["PASSWORD"] else ""
    return (
        f"postgres://{quote(config['USER'] or '', safe='')}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


def environment(*, pathless_storage: Path | None = None, settings: dict | None = None, **env: str) -> dict:
    """The environment of another process: this one's, on the test database; settings the
    environment cannot say (`settings`, JSON-able) are applied after start-up."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith(("DB_", "DATABASE_"))}
    extra = {"TEST_SETTINGS": json.dumps(settings or {})}
    if pathless_storage is not None:
        extra["TEST_PATHLESS_STORAGE"] = str(pathless_storage)
    database = {"DJANGO_SETTINGS_MODULE": "crm_project.settings", "DATABASE_URL": database_url()}
    return {**inherited, **database, **extra, **env}


def run_elsewhere(code: str, *, timeout: float = 120, **options) -> object:
    """Run `code` in a new Python process of the application and return what it printed last,
    read as JSON. `options` as for `environment`."""
    result = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(code)],
        cwd=ROOT,
        env=environment(**options),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_worker(*, queues: str, **options) -> subprocess.Popen:
    """A Celery worker in its own process, consuming `queues` from the broker in its environment."""
    code = (
        "from crm_project import celery_app\n"
        f"celery_app.worker_main(['worker', '-Q', {queues!r}, '--pool=solo', '--without-heartbeat',"
        " '--without-gossip', '--without-mingle', '--loglevel=WARNING'])\n"
    )
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by stop())
    process = subprocess.Popen(
        [sys.executable, "-c", _PRELUDE + code], cwd=ROOT, env=environment(**options), stdout=log, stderr=log
    )
    process.log = log
    return process


def stop(process: subprocess.Popen) -> str:
    """Stop a process started here; what it logged, for a failing test's message."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log = process.log
    if log.closed:
        return ""
    log.seek(0)
    written = log.read()
    log.close()
    return written


def wait_until(condition, *, seconds: float = 60, process: subprocess.Popen | None = None):
    """Poll `condition()` until it returns something true; fail after `seconds` or when
    `process` (the worker doing the work) has died."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker died: {stop(process)[-4000:]}")
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.2)
