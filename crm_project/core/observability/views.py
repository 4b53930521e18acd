import hmac
import ipaddress

import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .metrics import scrape


def _is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback


def _from_this_machine(request) -> bool:
    """A request from loopback that no proxy forwarded: behind nginx every request comes from
    127.0.0.1, so a forwarded one is never taken for a local scraper."""
    return _is_loopback(request.META.get("REMOTE_ADDR", "")) and "HTTP_X_FORWARDED_FOR" not in request.META


def _bearer_ok(request, token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())


@login_not_required
@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics. With METRICS_TOKEN set: `Authorization: Bearer <token>` (401
    otherwise); without one, only scrapers on this machine (403 for everyone else)."""
    token = settings.METRICS_TOKEN
    if token:
        if not _bearer_ok(request, token):
            response = HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    elif not _from_this_machine(request):
        return HttpResponse("Metrics are served to this machine only.\n", status=403, content_type="text/plain")
    return HttpResponse(scrape(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
