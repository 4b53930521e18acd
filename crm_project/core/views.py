from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .navigation import panels
from .observability.health import beat_last_tick_seconds, oldest_unsent_email_seconds


def my_work(request):
    """Each role's landing page: the panels registered for it (DSH-02). A panel whose context is
    None has nothing to show this user today and is left out."""
    cards = []
    for panel in panels.for_user(request.user):
        context = panel.context(request)
        if context is not None:
            cards.append({"panel": panel, "context": context})
    return render(request, "core/my_work.html", {"cards": cards})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _redis_ok() -> bool:
    try:
        return bool(cache._cache.get_client(write=True).ping())
    except Exception:
        return False


def _oldest_unsent_email_age() -> float | None:
    try:
        return oldest_unsent_email_seconds()
    except Exception:
        return None


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and operators: 200 when PostgreSQL and Redis both answer, else 503.

    It also reports the age of the beat's last tick and of the oldest e-mail still to be sent
    (null: never ticked / nothing waiting), with `warnings` naming "beat" (no tick for
    HEALTH_BEAT_MAX_AGE seconds, or none ever) and "email" (older than HEALTH_EMAIL_MAX_AGE).
    Those never change the status code: a stuck beat or mail server is for an operator to see,
    not a reason for the load balancer to take web out of service. Probed every few seconds, so
    it stays cheap: one indexed query for the e-mail age, one cache read for the tick.
    """
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "fail", **{name: "ok" if ok else "fail" for name, ok in checks.items()}}
    beat_age = beat_last_tick_seconds() if checks["redis"] else None
    email_age = _oldest_unsent_email_age() if checks["database"] else None
    warnings = []
    if checks["redis"] and (beat_age is None or beat_age > settings.HEALTH_BEAT_MAX_AGE):
        warnings.append("beat")
    if email_age is not None and email_age > settings.HEALTH_EMAIL_MAX_AGE:
        warnings.append("email")
    body.update(
        beat_last_tick_seconds=_seconds(beat_age), oldest_unsent_email_seconds=_seconds(email_age), warnings=warnings
    )
    return JsonResponse(body, status=200 if healthy else 503)
