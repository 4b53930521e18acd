"""The ages /healthz (and /metrics) report: both cheap enough to be read every few seconds."""

import logging

from django.utils import timezone

from crm_project.core.beat import last_tick_age

log = logging.getLogger(__name__)


def beat_last_tick_seconds() -> float | None:
    """Seconds since the beat holding the lock last ticked; None if none ever did, or when the
    cache cannot be read."""
    try:
        return last_tick_age()
    except Exception:
        log.warning("health: cannot read the beat's last tick from the cache", exc_info=True)
        return None


def oldest_unsent_email_seconds() -> float | None:
    """Seconds since the oldest e-mail still to be sent (pending, or claimed and not yet
    confirmed) was written; None when the outbox is empty. One query, on the partial index
    `notification_unsent_age_idx`."""
    from crm_project.notifications.models import Notification
    from crm_project.notifications.outbox import OPEN

    oldest = (
        Notification.objects.filter(email_state__in=OPEN)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())
