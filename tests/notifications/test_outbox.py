"""The e-mail outbox (JOB-09, JOB-10): every notification that wants an e-mail records whether it
went out; the periodic job sends what is due, once; a failed attempt is retried later, a claim
left unconfirmed by a worker that died is retried after its lease, and the attempts are bounded.

These tests do not run on-commit callbacks, so a new notification stays pending until a job
sends it, as when the broker is down."""

import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from crm_project.notifications.models import EmailState, Notification
from crm_project.notifications.outbox import email_claim, email_send, emails_send_due
from crm_project.notifications.services import notify
from crm_project.notifications.tasks import send_due_emails
from tests.redis_server import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(time_machine):
    time_machine.move_to("2027-01-04 09:30 +0800", tick=False)
    return time_machine


@pytest.fixture
def smtp_down(settings):
    """A real SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


def smtp_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _notify(user, key="reminder:2027-01:rep", **kwargs) -> Notification:
    return notify(recipient=user, key=key, title="Submit your statement", body="Please.", url="/fees/", **kwargs)


def test_each_notification_records_whether_its_email_went_out(rep, clock, settings):
    """JOB-10: pending until sent; sent with its time; none when no e-mail is wanted."""
    settings.SITE_URL = "https://crm.example.cn"
    waiting = _notify(rep)
    inbox_only = _notify(rep, key="k-inbox", email=False)
    assert (waiting.email_state, waiting.email_attempts, waiting.emailed_at) == (EmailState.PENDING, 0, None)
    assert inbox_only.email_state == EmailState.NONE
    assert send_due_emails.delay().get() == 1
    waiting.refresh_from_db()
    assert (waiting.email_state, waiting.email_attempts, waiting.emailed_at) == (EmailState.SENT, 1, timezone.now())
    assert waiting.email_due_at is None
    [message] = mail.outbox
    assert (message.to, message.subject) == ([rep.email], "Submit your statement")
    assert message.body == "Please.\n\nhttps://crm.example.cn/fees/"
    inbox_only.refresh_from_db()
    assert inbox_only.email_state == EmailState.NONE


def test_running_the_job_again_sends_nothing_more(rep, other_rep, clock):
    """JOB-09"""
    _notify(rep)
    _notify(other_rep, key="reminder:2027-01:other")
    assert emails_send_due() == 2
    assert emails_send_due() == 0
    call_command("run_job", "notifications.send_due_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_a_failed_attempt_is_retried_later_with_the_error_kept(rep, clock, smtp_down, settings):
    """JOB-09: the mail server is down; the e-mail waits, with the reason, and goes out once it is back."""
    notification = _notify(rep)
    assert emails_send_due() == 0
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (EmailState.PENDING, 1)
    assert notification.email_due_at == timezone.now() + timedelta(minutes=1)
    assert "ConnectionRefusedError" in notification.email_last_error
    assert emails_send_due() == 0  # not due yet: no attempt
    notification.refresh_from_db()
    assert notification.email_attempts == 1

    clock.shift(timedelta(minutes=1))
    assert emails_send_due() == 0
    notification.refresh_from_db()
    assert notification.email_attempts == 2
    assert notification.email_due_at == timezone.now() + timedelta(minutes=5)

    smtp_back(settings)
    clock.shift(timedelta(minutes=5))
    assert emails_send_due() == 1
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts, notification.email_last_error) == ("sent", 3, "")
    assert emails_send_due() == 0
    assert len(mail.outbox) == 1


def test_a_run_stops_after_three_failures_in_a_row_and_leaves_the_rest_for_later(rep, clock, smtp_down):
    """JOB-09: with the mail server down, a run does not wait on every e-mail in turn."""
    waiting = [_notify(rep, key=f"k{index}") for index in range(5)]
    assert emails_send_due() == 0
    attempts = sorted(
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).values_list("email_attempts", flat=True)
    )
    assert attempts == [0, 0, 1, 1, 1]


def test_after_the_last_attempt_it_is_failed_until_an_administrator_sends_it_again(
    rep, clock, smtp_down, settings, client_for, administrator
):
    """JOB-09: a bounded number of attempts; the admin shows the failure and retries it."""
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    notification = _notify(rep)
    emails_send_due()
    clock.shift(timedelta(minutes=1))
    emails_send_due()
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts, notification.email_due_at) == ("failed", 2, None)
    clock.shift(timedelta(days=1))
    assert emails_send_due() == 0
    assert mail.outbox == []

    smtp_back(settings)
    admin = client_for(administrator)
    page = admin.get("/admin/notifications/notification/?email_state__exact=failed")
    assert page.status_code == 200 and "Submit your statement" in page.content.decode()
    response = admin.post(
        "/admin/notifications/notification/", {"action": "send_again", "_selected_action": [notification.pk]}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (EmailState.PENDING, 0)
    assert emails_send_due() == 1
    assert len(mail.outbox) == 1


def test_a_claim_never_confirmed_is_retried_once_its_lease_lapses(rep, clock, settings):
    """JOB-09: a worker claimed the e-mail and died before sending it; the e-mail is not lost."""
    settings.NOTIFICATION_EMAIL_CLAIM_SECONDS = 600
    notification = _notify(rep)
    assert email_claim(notification_id=notification.pk) == 1  # … and the worker dies here
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENDING
    assert emails_send_due() == 0  # the claim is still live: nobody else sends it
    assert email_send(notification_id=notification.pk) is False
    clock.shift(timedelta(seconds=599))
    assert emails_send_due() == 0
    clock.shift(timedelta(seconds=1))
    assert emails_send_due() == 1
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == (EmailState.SENT, 2)
    assert emails_send_due() == 0
    assert len(mail.outbox) == 1


def test_a_lapsed_claim_on_the_last_attempt_is_failed_not_retried_for_ever(rep, clock, settings):
    """JOB-09"""
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 1
    notification = _notify(rep)
    email_claim(notification_id=notification.pk)
    clock.shift(timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_SECONDS))
    assert emails_send_due() == 0
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED
    assert "never confirmed" in notification.email_last_error
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_it_once(rep):
    """JOB-09: the task queued on commit and the periodic job race on the same e-mail."""
    notification = _notify(rep)  # its own task was queued on commit, and ran inline: sent
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.PENDING, email_attempts=0, email_due_at=timezone.now()
    )
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(email_send(notification_id=notification.pk))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
