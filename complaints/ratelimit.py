"""A fixed-window rate limit per client address, kept in the shared Redis cache, for the
public complaint form and its API (CMP-01). Setting COMPLAINT_PUBLIC_RATE ("5/h": five
submissions per hour and address; units s, m, h, d)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(value: str) -> Rate:
    count, _slash, period = value.partition("/")
    period = period.strip().lower()
    number = period[:-1] or "1"
    return Rate(count=int(count), seconds=int(number) * _UNITS[period[-1]])


def current_rate() -> Rate:
    return parse_rate(getattr(settings, "COMPLAINT_PUBLIC_RATE", "5/h"))


def _key(address: str) -> str:
    namespace = getattr(settings, "COMPLAINT_PUBLIC_RATE_NAMESPACE", "complaints:public-rate")
    return f"{namespace}:{address or 'unknown'}"


def allow_submission(address: str) -> bool:
    """Count one submission from `address`; False once it is over the limit in this window.
    Atomic in Redis: ADD starts the window with its expiry, INCR counts."""
    rate = current_rate()
    key = _key(address)
    cache.add(key, 0, timeout=rate.seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window expired between ADD and INCR
        cache.add(key, 1, timeout=rate.seconds)
        used = 1
    return used <= rate.count


def retry_after() -> int:
    return current_rate().seconds


def reset(address: str) -> None:
    cache.delete(_key(address))
