"""The Celery figures Prometheus scrapes, and the registry the `/metrics` view renders.

Requests and database time are django-prometheus' (its middlewares, its PostgreSQL backend).
What a web process cannot count itself is read from the broker's Redis at scrape time:

- each queue's length (LLEN of `<global_keyprefix><queue>`; Redis priority sub-queues are not
  used, so one list a queue);
- the jobs' outcomes, which the workers count in three Redis hashes (task name → count) from
  Celery's task_success / task_failure / task_retry signals: shared by every machine, kept
  across restarts, and the same whichever web process is scraped.

Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR (an empty folder at start) so
django-prometheus' figures add up over the processes; deploy/gunicorn.conf.py calls
`child_exit` when a worker ends.
"""

import logging
import os

import prometheus_client
import redis
from prometheus_client import multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from crm_project.core.queues import QUEUES

log = logging.getLogger(__name__)

OUTCOMES = {"success": "successes", "failure": "failures", "retry": "retries"}
_clients: dict[str, redis.Redis] = {}


def _broker():
    """The broker's Redis and key prefix, as Celery publishes (tests repoint the Celery app)."""
    from crm_project import celery_app

    url = celery_app.conf.broker_url or ""
    prefix = (celery_app.conf.broker_transport_options or {}).get("global_keyprefix", "") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None, prefix
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
    return _clients[url], prefix


def outcome_key(prefix: str, outcome: str) -> str:
    return f"{prefix}metrics:celery-tasks:{outcome}"


def record_task_outcome(task_name: str, outcome: str) -> None:
    """Count one outcome of a job; never fails the job (a lost count is the lesser harm)."""
    try:
        client, prefix = _broker()
        if client is not None:
            client.hincrby(outcome_key(prefix, outcome), task_name, 1)
    except Exception:
        log.warning("metrics: cannot count the %s of %s", outcome, task_name, exc_info=True)


class CeleryCollector(Collector):
    """Queue lengths and job outcomes, read from the broker in one round trip per scrape."""

    def collect(self):
        up = GaugeMetricFamily("crm_celery_broker_up", "Whether the broker's Redis answered this scrape.")
        try:
            client, prefix = _broker()
            if client is None:
                return
            pipeline = client.pipeline(transaction=False)
            for queue in QUEUES:
                pipeline.llen(f"{prefix}{queue}")
            for outcome in OUTCOMES:
                pipeline.hgetall(outcome_key(prefix, outcome))
            answers = pipeline.execute()
        except redis.RedisError:
            log.warning("metrics: the broker's Redis did not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        lengths = GaugeMetricFamily("crm_celery_queue_length", "Jobs waiting on each queue.", labels=["queue"])
        for queue, length in zip(QUEUES, answers, strict=False):
            lengths.add_metric([queue], length)
        yield lengths
        for (outcome, plural), counts in zip(OUTCOMES.items(), answers[len(QUEUES) :], strict=True):
            family = CounterMetricFamily(
                f"crm_celery_task_{plural}", f"Job runs that ended in {outcome}, by task.", labels=["task"]
            )
            for task_name, count in sorted(counts.items()):
                family.add_metric([task_name.decode()], int(count))
            yield family


class HealthCollector(Collector):
    """The ages /healthz reports, as gauges to alert on (-1 when there is none)."""

    def collect(self):
        from .health import beat_last_tick_seconds, oldest_unsent_email_seconds

        beat = beat_last_tick_seconds()
        yield GaugeMetricFamily(
            "crm_beat_last_tick_age_seconds",
            "Seconds since beat last ticked (-1: never).",
            value=-1 if beat is None else beat,
        )
        try:
            email = oldest_unsent_email_seconds()
        except Exception:
            log.warning("metrics: cannot read the e-mail outbox", exc_info=True)
            return
        yield GaugeMetricFamily(
            "crm_oldest_unsent_email_age_seconds",
            "Seconds since the oldest e-mail still to be sent was written (-1: none).",
            value=-1 if email is None else email,
        )


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def scrape() -> bytes:
    """The metrics page: this process's (or, in multiprocess mode, every process's) metrics,
    then the figures read from Redis and the database."""
    if multiprocess_dir():
        processes = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = prometheus_client.REGISTRY
    shared = prometheus_client.CollectorRegistry(auto_describe=False)
    shared.register(CeleryCollector())
    shared.register(HealthCollector())
    return prometheus_client.generate_latest(processes) + prometheus_client.generate_latest(shared)


def child_exit(server, worker) -> None:
    """gunicorn's `child_exit` hook: drop a dead worker's live gauges in multiprocess mode."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(worker.pid)
