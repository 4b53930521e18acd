from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind `TRUSTED_PROXY_COUNT` reverse proxies it is read from
    X-Forwarded-For, counting from the right, so a client cannot spoof it by sending its
    own header."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote
