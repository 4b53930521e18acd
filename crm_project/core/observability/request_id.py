"""The request id: taken from the proxy's `X-Request-ID` (nginx's $request_id) or made here, kept
for the request in a contextvar, sent back in the response, and carried into the jobs it queues
(celery_signals.py)."""

import re
import uuid
from contextvars import ContextVar

import sentry_sdk

HEADER = "X-Request-ID"
# What an id may be when it comes from outside: it is written into every log line and a header.
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# (task id, task name) while a Celery task runs.
task: ContextVar[tuple[str, str] | None] = ContextVar("task", default=None)


def current_request_id() -> str | None:
    return request_id.get()


def accepted_request_id(value: str | None) -> str:
    """The incoming id when it is a sane token, else a new one."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Early in MIDDLEWARE (after SecurityMiddleware), so everything below logs with the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = accepted_request_id(request.headers.get(HEADER))
        request.request_id = value
        token = request_id.set(value)
        sentry_sdk.set_tag("request_id", value)
        try:
            response = self.get_response(request)
        except BaseException:
            _forget(token)
            raise
        response[HEADER] = value
        # Kept until the server closes the response: Django logs a 4xx/5xx answer after the
        # middlewares returned, and a streamed download logs while it is sent. A thread serves
        # many requests, so the next one must not inherit this id.
        response._resource_closers.append(lambda: _forget(token))
        return response


def _forget(token) -> None:
    try:
        request_id.reset(token)
    except ValueError:  # closed in another context than it was opened in
        request_id.set(None)
