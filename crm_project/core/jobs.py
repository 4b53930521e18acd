"""Background jobs: Celery tasks with one policy for all of them.

Every job late-acknowledges (a worker that dies mid-job leaves it on the queue), retries with
back-off on any error, and must be idempotent (JOB-09): a job that sends something does so
through `notify()`, whose de-duplication key makes a second run harmless. A scheduled job
is started by beat daily or more often and decides itself whether today is a deadline.

A request hands a job to the broker with `enqueue_on_commit()`, never with a bare `.delay()`:
the broker (Redis) being down must not turn a committed signature into a 500. Whatever such a
job would have done is then picked up by a periodic job (the e-mail outbox, the survey
invitations) or reported on its object (an import batch is marked failed).
"""

import logging
from collections.abc import Callable
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from celery import shared_task
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What publishing a message raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, RedisError, OSError)

JOB_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 5,
}

registry: dict[str, object] = {}


def job_day(today: str | None) -> date:
    """A job's `today` argument: an ISO date (tests, `run_job`), or the local date when beat runs it."""
    return date.fromisoformat(today) if today else timezone.localdate()


def job(*, name: str, **options):
    """Declare a background job under a stable name (used by beat and `run_job`)."""

    def decorator(function):
        task = shared_task(name=name, **{**JOB_OPTIONS, **options})(function)
        registry[name] = task
        return task

    return decorator


def load_all_jobs() -> dict[str, object]:
    """Import every app's `tasks` module so the registry is complete (for `run_job`)."""
    for app_config in apps.get_app_configs():
        module = f"{app_config.name}.tasks"
        if find_spec(module) is not None:
            import_module(module)
    return registry


def enqueue(task, *args, on_failure: Callable[[], None] | None = None, **kwargs) -> bool:
    """Hand `task(*args, **kwargs)` to the broker now. A broker that cannot be reached is
    logged and `on_failure` is called, never raised. Returns whether the job was queued."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS:
        if task.app.conf.task_always_eager:
            raise  # the job itself failed, in-process (tests): that error must reach the caller
        log.warning("job %s%r not queued: the broker is unavailable", task.name, args, exc_info=True)
        if on_failure is not None:
            on_failure()
        return False
    return True


def enqueue_on_commit(task, *args, on_failure: Callable[[], None] | None = None, **kwargs) -> None:
    """`enqueue()` once the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, on_failure=on_failure, **kwargs))
