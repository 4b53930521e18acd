"""The e-mail outbox's schedule, added to the one schedule list (crm_project.core.schedules);
imported from NotificationsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="E-mail outbox",
        task="notifications.send_due_emails",
        minute="*",
        description="Every minute: send the notification e-mails that are still unsent — queued while the broker "
        "was down, failed earlier, or claimed by a worker that stopped (JOB-09, JOB-10).",
    )
)
