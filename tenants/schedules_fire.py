"""The fire-safety inspection's periodic jobs, added to the one schedule list; imported from
TenantsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Fire-safety inspection notice",
        task="tenants.issue_fire_safety_notice",
        minute="30",
        hour="8",
        description="Daily: on the month's 1st working day, issue the fire-safety inspection notice to every "
        "current tenant, once (TEN-07, JOB-08, JOB-09); on other days only e-mails left unsent are sent.",
    )
)
add(
    Schedule(
        name="Overdue rectification letters",
        task="tenants.escalate_rectifications",
        minute="0",
        hour="9",
        description="Daily: escalate each open rectification letter past its deadline, once, to the safety "
        "department head and the operations manager (TEN-07, JOB-09).",
    )
)
