from crm_project.core.jobs import job

from .outbox import email_send, emails_send_due


@job(name="notifications.send_email")
def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail now (queued when it is created)."""
    return email_send(notification_id=notification_id)


@job(name="notifications.send_due_emails")
def send_due_emails() -> int:
    """Every minute: the outbox — send what is still unsent (JOB-09, JOB-10)."""
    return emails_send_due()
