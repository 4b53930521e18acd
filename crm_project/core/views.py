from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .navigation import panels


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


@login_not_required
@never_cache
def healthz(request):
    """200 when PostgreSQL and Redis both answer, else 503; for load balancers and operators."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "fail", **{name: "ok" if ok else "fail" for name, ok in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
