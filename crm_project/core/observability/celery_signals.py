"""Celery's side of observability, connected when crm_project/celery.py is imported:

- the request id travels with each job a request queues (a message header `request_id`), and
  while the job runs its log lines carry it, with the job's id and name;
- worker and beat log through Django's LOGGING (the same formatter as web), not Celery's own;
- every job's outcome is counted for /metrics (metrics.py).
"""

from celery import signals

from . import request_id as context
from .metrics import record_task_outcome

HEADER = "request_id"
# task id → the contextvar tokens its task_prerun set, for task_postrun to restore.
_tokens: dict[str, tuple] = {}


@signals.setup_logging.connect(weak=False, dispatch_uid="observability.setup_logging")
def use_django_logging(**kwargs) -> None:
    """A receiver here keeps Celery from configuring (hijacking) the root logger."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@signals.before_task_publish.connect(weak=False, dispatch_uid="observability.request_id_header")
def put_request_id_on_message(headers=None, **kwargs) -> None:
    value = context.request_id.get()
    if value and headers is not None:
        headers.setdefault(HEADER, value)


def _request_id_of(request) -> str | None:
    # Protocol 2 puts custom headers among the request's own fields; an eager `apply()` under
    # `headers`; an eager job run inside the request has neither, and keeps its context.
    value = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    return value if isinstance(value, str) else context.request_id.get()


@signals.task_prerun.connect(weak=False, dispatch_uid="observability.task_context")
def enter_task_context(task_id=None, task=None, **kwargs) -> None:
    value = _request_id_of(task.request)
    _tokens[task_id] = (context.request_id.set(value), context.task.set((task_id, task.name)))


@signals.task_postrun.connect(weak=False, dispatch_uid="observability.task_context_end")
def leave_task_context(task_id=None, **kwargs) -> None:
    tokens = _tokens.pop(task_id, None)
    if tokens is not None:
        request_token, task_token = tokens
        try:
            context.task.reset(task_token)
            context.request_id.reset(request_token)
        except ValueError:  # set in another context (a thread pool): nothing to restore here
            context.task.set(None)
            context.request_id.set(None)


@signals.task_success.connect(weak=False, dispatch_uid="observability.count_success")
def count_success(sender=None, **kwargs) -> None:
    record_task_outcome(sender.name, "success")


@signals.task_failure.connect(weak=False, dispatch_uid="observability.count_failure")
def count_failure(sender=None, **kwargs) -> None:
    record_task_outcome(sender.name, "failure")


@signals.task_retry.connect(weak=False, dispatch_uid="observability.count_retry")
def count_retry(sender=None, **kwargs) -> None:
    record_task_outcome(sender.name, "retry")
