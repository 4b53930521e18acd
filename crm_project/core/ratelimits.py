"""Rate limits per client address for the public and login endpoints (CMP-01, SUR-01, EXP-11).

The limits are declared in one setting, RATE_LIMITS ({name: "count/period"}, e.g. "30/15m"),
and applied with one decorator, `rate_limit(name)`; over the limit the answer is 429 with
Retry-After (a page, or JSON `{"detail": …}` under /api/). The client address comes from
`crm_project.core.net.client_ip`, so TRUSTED_PROXY_COUNT applies.

django-ratelimit counts in the cache (Redis). When the cache cannot count — Redis is down —
the same limit is counted in PostgreSQL (RateLimitCount) instead of letting everything through
or refusing everything: the public keeps filing complaints, and a password guesser stays
throttled, at the price of one upsert per request while Redis is away.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import _split_rate, get_usage  # _split_rate: the library's reading of "30/15m"
from redis.exceptions import RedisError

from .models import RateLimitCount
from .net import client_ip

log = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)
ALL_METHODS = None


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    retry_after: int  # seconds until the window ends
    counted: bool  # whether this request was counted, or the count only looked at

    @property
    def limited(self) -> bool:
        # A request that was only looked at is refused once the next one would be over.
        return self.count > self.limit if self.counted else self.count >= self.limit


def _address(request) -> str:
    """The client's address; for IPv6 its /64 network, which one subscriber usually holds whole."""
    address = client_ip(request) or "unknown"
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
        except ValueError:
            pass
    return address


def usage(request, name: str, *, count: bool = True) -> Usage | None:
    """Count `request` against the limit `name` (or only look, with count=False). None when
    rate limits are switched off (RATELIMIT_ENABLE)."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    rate = settings.RATE_LIMITS[name]
    address = _address(request)
    try:
        found = get_usage(request, group=name, key=lambda _group, _request: address, rate=rate, increment=count)
    except CACHE_ERRORS:
        log.warning("rate limit %s: the cache cannot count; counting in PostgreSQL", name, exc_info=True)
        return _database_usage(name, rate, address, count=count)
    if found is None:  # the cache lost the key between add and incr (RATELIMIT_FAIL_OPEN)
        return None
    return Usage(found["count"], found["limit"], max(1, found["time_left"]), counted=count)


def _database_usage(name: str, rate: str, address: str, *, count: bool) -> Usage:
    limit, period = _split_rate(rate)
    now = int(time.time())
    window_end = now - now % period + period
    ends_at = datetime.fromtimestamp(window_end, tz=UTC)
    key = f"{name}:{address}"[:200]
    if count:
        table = RateLimitCount._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, window_ends_at, count) VALUES (%s, %s, 1) "  # noqa: S608 (the model's table)
                f"ON CONFLICT (key, window_ends_at) DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [key, ends_at],
            )
            used = cursor.fetchone()[0]
    else:
        used = RateLimitCount.objects.filter(key=key, window_ends_at=ends_at).values_list("count", flat=True).first()
    return Usage(used or 0, limit, max(1, window_end - now), counted=count)


def rate_limit_counts_purge() -> int:
    """Delete the PostgreSQL counts of windows that have ended (an hourly job)."""
    deleted, _by_model = RateLimitCount.objects.filter(window_ends_at__lte=timezone.now()).delete()
    return deleted


def too_many_requests(request, found: Usage, *, template: str = "429.html"):
    minutes = math.ceil(found.retry_after / 60)
    if request.path_info.startswith("/api/"):
        detail = _("Too many requests from your address. Try again in %(minutes)s minutes.") % {"minutes": minutes}
        response = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, template, {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(found.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limit(
    name: str, *, methods: tuple[str, ...] | None = ("POST",), count: bool = True, template: str = "429.html"
):
    """Answer 429 once the client's address is over the limit RATE_LIMITS[name]. Counts the
    requests with one of `methods` (all methods with None); with count=False it only looks
    at a count kept elsewhere (the failed log-ins, counted by crm_project.accounts.login_throttle)."""

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if methods is None or request.method in methods:
                found = usage(request, name, count=count)
                if found is not None and found.limited:
                    return too_many_requests(request, found, template=template)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
