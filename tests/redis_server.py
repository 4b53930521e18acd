"""A Redis of a test's own, to stop and start while the application runs (the Redis-down tests),
and the settings that point the cache and the Celery broker at a given Redis."""

import os
import shutil
import socket
import subprocess
import time

import kombu.pools
import redis

from crm_project import celery_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _without_fake_clock(environment) -> dict:
    """The server keeps the real clock when the suite runs under libfaketime (`make test-at`):
    Redis is not under test, and it does not start under a faked monotonic clock."""
    return {name: value for name, value in environment.items() if name != "LD_PRELOAD" and not name.startswith("FAKE")}


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_without_fake_clock(os.environ),
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def point_cache_at(settings, url: str) -> None:
    """The cache on `url` (Django drops its cache connections when CACHES changes)."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }


def point_broker_at(url: str) -> None:
    """Celery publishing to `url`, for real (not eager); the root conftest makes the next test eager again."""
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    forget_broker_connections()


def forget_broker_connections() -> None:
    # Pooled connections and producers (kombu keeps them per broker URL, process-wide) would
    # otherwise be reused: closed ones, or ones to a Redis that is gone.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
