"""The outgoing notices' periodic jobs (TEN-06), added to the one schedule list."""

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
add(
    Schedule(
        name="Notice sign-for links still unsent",
        task="tenants.send_unsent_notice_links",
        minute="*/10",
        description="Send the sign-for links of delivered notices that are still unsent, e.g. queued while the "
        "broker was down (TEN-06, JOB-09).",
    )
)
