"""Error reports to a Sentry-compatible service (Sentry, GlitchTip …), when SENTRY_DSN is set."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> None:
    """Called from settings.py, as Sentry's Django guide asks, so web, worker and beat report.
    No user, cookies or client address (send_default_pii off) and no request bodies (business
    data) go out; frames' local variables do, scrubbed of passwords and tokens by the SDK."""
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
    )
