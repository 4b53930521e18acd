"""E-mail delivery as an outbox (JOB-09, JOB-10).

A notification that wants an e-mail is written `pending` in the same transaction as the change
it is about, so the e-mail cannot be lost with the broker: the task queued on commit is only a
shortcut, and a job every minute sends whatever is still due.

Each e-mail is claimed with a conditional UPDATE before it is sent, so two workers, the
shortcut and the periodic job, or a retry never send it twice. A claim is a lease: it is
confirmed as `sent` after the mail server accepted the message, and a claim left unconfirmed
(the worker died between claim and confirmation) lapses after NOTIFICATION_EMAIL_CLAIM_SECONDS
and is tried again. Each claim counts as an attempt; after NOTIFICATION_EMAIL_MAX_ATTEMPTS the
e-mail is `failed`, with its last error, and an administrator may send it again from the admin.
The one case that can still send twice is a worker dying in the instant after the mail server
accepted the message and before the confirmation was written.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone, translation

from .models import EmailState, Notification

log = logging.getLogger(__name__)

# The wait before the next attempt after the 1st, 2nd, … failure (the last one repeats).
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
BATCH = 500
GIVE_UP_RUN_AFTER = 3  # failures in a row
SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
NOTIFICATION_HEADER = "X-CRM-Notification"
OPEN = (EmailState.PENDING, EmailState.SENDING)


def max_attempts() -> int:
    return settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_SECONDS)


def retry_delay(attempt: int) -> timedelta:
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


def email_claim(*, notification_id: int) -> int | None:
    """Take the e-mail for sending if it is due and nobody holds a live claim on it. Returns
    the attempt number this claim is, or None when it is not ours to send."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, email_state__in=OPEN, email_due_at__lte=now, email_attempts__lt=max_attempts()
    ).update(email_state=EmailState.SENDING, email_attempts=F("email_attempts") + 1, email_due_at=now + claim_lease())
    if not claimed:
        return None
    return Notification.objects.values_list("email_attempts", flat=True).get(pk=notification_id)


def _message(notification: Notification) -> EmailMessage:
    """The e-mail in the recipient's language as it is when it is sent, not when it was made.
    It names its notification in a header, so a mail log shows whether any went out twice."""
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
        subject, body = notification.rendered_title, notification.rendered_body
    return EmailMessage(
        subject=" ".join(subject.splitlines()),
        body=f"{body}{link}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={NOTIFICATION_HEADER: str(notification.pk)},
    )


def email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail at most once. Returns whether this call sent it; a
    failure is recorded on the row for a later attempt, not raised."""
    return _deliver(notification_id) == SENT


def _deliver(notification_id: int) -> str:
    attempt = email_claim(notification_id=notification_id)
    if attempt is None:
        return SKIPPED
    mine = Notification.objects.filter(pk=notification_id, email_state=EmailState.SENDING, email_attempts=attempt)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _message(notification).send()
    except Exception as error:
        exhausted = attempt >= max_attempts()
        mine.update(
            email_state=EmailState.FAILED if exhausted else EmailState.PENDING,
            email_due_at=None if exhausted else timezone.now() + retry_delay(attempt),
            email_last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        log.warning("notification %s: e-mail attempt %s failed", notification_id, attempt, exc_info=True)
        return FAILED
    mine.update(email_state=EmailState.SENT, emailed_at=timezone.now(), email_due_at=None, email_last_error="")
    return SENT


def emails_send_due(*, limit: int = BATCH) -> int:
    """The periodic job: send every e-mail that is due — pending ones, and claims that lapsed
    unconfirmed. Returns how many were sent; a second run finds nothing to send."""
    now = timezone.now()
    Notification.objects.filter(
        email_state=EmailState.SENDING, email_due_at__lte=now, email_attempts__gte=max_attempts()
    ).update(
        email_state=EmailState.FAILED,
        email_due_at=None,
        email_last_error="The last attempt was claimed but never confirmed (the worker stopped).",
    )
    due = Notification.objects.filter(email_state__in=OPEN, email_due_at__lte=now).order_by("email_due_at", "pk")
    sent = failures_in_a_row = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        outcome = _deliver(pk)
        if outcome == SENT:
            sent, failures_in_a_row = sent + 1, 0
        elif outcome == FAILED:
            failures_in_a_row += 1
            if failures_in_a_row >= GIVE_UP_RUN_AFTER:
                # The mail server is down: leave the rest to the next run rather than wait on each.
                log.warning("e-mail outbox: %s failures in a row; the rest waits for the next run", failures_in_a_row)
                break
    return sent


def emails_retry(*, notification_ids: list[int]) -> int:
    """Give failed e-mails a fresh set of attempts (the admin's action)."""
    return Notification.objects.filter(pk__in=notification_ids, email_state=EmailState.FAILED).update(
        email_state=EmailState.PENDING, email_attempts=0, email_due_at=timezone.now(), email_last_error=""
    )
