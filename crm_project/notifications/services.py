"""The one way to tell someone something (JOB-09, JOB-10)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from crm_project.core.jobs import enqueue_on_commit

from .models import EmailState, Notification


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
    """Put a message in `recipient`'s inbox and its e-mail in the outbox, once per `key`.

    Returns the new notification, or None when one with this key already exists — the
    caller is a job that ran before. `title` and `body` are lazy translations with
    %(name)s placeholders filled from `params`, rendered in the recipient's own language.
    The e-mail is sent by a job queued on commit, or, if the broker is down, by the outbox's
    periodic job (notifications/outbox.py).
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title_text, body_text = str(title), str(body)
        if params:
            title_text, body_text = title_text % params, body_text % params
    wants_email = email and bool(recipient.email)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                recipient=recipient,
                kind=kind,
                title=title_text[:200],
                body=body_text,
                url=url,
                email_state=EmailState.PENDING if wants_email else EmailState.NONE,
                email_due_at=timezone.now() if wants_email else None,
            )
    except IntegrityError:
        return None
    if wants_email:
        from .tasks import send_notification_email

        enqueue_on_commit(send_notification_email, notification.pk)
    return notification


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    from .selectors import notification_visible_to

    unread = notification_visible_to(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
