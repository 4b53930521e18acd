"""The outgoing notices' periodic job (TEN-06), added to the one schedule list."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Unsigned notice reminder",
        task="tenants.remind_unsigned_notices",
        minute="30",
        hour="9",
        description="Daily: tell the head of Operations and the drafter of each notice delivered "
        "TENANT_NOTICE_REMINDER_WORKING_DAYS working days ago or more that some tenants have not signed "
        "for it yet, once per notice (TEN-06, JOB-09).",
    )
)
