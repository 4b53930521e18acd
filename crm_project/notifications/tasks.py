from crm_project.core.jobs import job

from .services import notification_email_send


@job(name="notifications.send_email")
def send_notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)
