"""The one way to tell someone something (JOB-09, JOB-10)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .models import Notification

log = logging.getLogger(__name__)


def notify(
    *,
    recipient,
    key: str,
    title,
    body="",
    params: dict | None = None,
    url: str = "",
    kind: str = "",
    email: bool = True,
) -> Notification | None:
    """Put a message in `recipient`'s inbox and queue its e-mail, once per `key`.

    Returns the new notification, or None when one with this key already exists — the
    caller is a job that ran before. `title` and `body` are lazy translations with
    %(name)s placeholders filled from `params`, rendered in the recipient's own language.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title_text, body_text = str(title), str(body)
        if params:
            title_text, body_text = title_text % params, body_text % params
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                recipient=recipient,
                kind=kind,
                title=title_text[:200],
                body=body_text,
                url=url,
                email_requested=email and bool(recipient.email),
            )
    except IntegrityError:
        return None
    if notification.email_requested:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """Send a notification's e-mail at most once: claim it with a conditional UPDATE first,
    so two workers (or a retry) never both send it. Returns whether this call sent it."""
    claimed = Notification.objects.filter(pk=notification_id, email_requested=True, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    try:
        send_mail(
            subject=notification.title,
            message=f"{notification.body}{link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        # Release the claim so the retry can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    from .selectors import notification_visible_to

    unread = notification_visible_to(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
