"""Observability: request ids and structured logs, error reports to Sentry, Prometheus metrics.

- `request_id`: the id of the request (or of the request that queued a job) every log line carries;
- `logs`: the filter and the JSON formatter LOGGING uses;
- `celery_signals`: the request id from request to job, Celery's logging, the jobs' outcomes;
- `metrics`: the Celery figures Prometheus scrapes and the `/metrics` view's registry;
- `health`: the ages /healthz and /metrics report (beat, e-mail outbox);
- `sentry`: `sentry_sdk.init` when SENTRY_DSN is set.

Nothing here imports models at import time: settings.py and crm_project/celery.py import it.
"""
