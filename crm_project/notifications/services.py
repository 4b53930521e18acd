"""The one way to tell someone something (JOB-09, JOB-10)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from crm_project.core.jobs import enqueue_on_commit

from .messages import freeze_params, freeze_template, render_message
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
    %(name)s placeholders filled from `params`; parameters may be lazy translations too
    (a role, a status), `Message`/`Lines`/`Localized` values, dates or decimals
    (notifications/messages.py). The row keeps the message ids and parameters and is
    rendered in the reader's language wherever it is shown and when it is e-mailed; the
    text as it reads for the recipient now is stored too, for old rows, search and the admin.
    The e-mail is sent by a job queued on commit, or, if the broker is down, by the outbox's
    periodic job (notifications/outbox.py).
    """
    title_message, body_message = freeze_template(title), freeze_template(body)
    frozen_params = freeze_params(params)
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title_text = render_message(title_message, frozen_params)
        body_text = render_message(body_message, frozen_params)
    wants_email = email and bool(recipient.email)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                recipient=recipient,
                kind=kind,
                title=title_text[:200],
                body=body_text,
                title_message=title_message,
                body_message=body_message,
                params=frozen_params,
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
