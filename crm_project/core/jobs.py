"""Background jobs: Celery tasks with one policy for all of them.

Every job late-acknowledges (a worker that dies mid-job leaves it on the queue), retries with
back-off on any error, and must be idempotent (JOB-09): a job that sends something does so
through `notify()`, whose de-duplication key makes a second run harmless. A scheduled job
is started by beat daily or more often and decides itself whether today is a deadline.
"""

from datetime import date
from importlib import import_module
from importlib.util import find_spec

from celery import shared_task
from django.apps import apps
from django.utils import timezone

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
