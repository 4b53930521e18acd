"""The tenant meeting reminder in the one schedule list (TEN-05, JOB-09); imported from
TenantsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Quarterly tenant meeting reminder",
        task="tenants.remind_quarterly_meeting",
        minute="10",
        hour="9",
        description="Daily: from the 1st working day of a quarter's last month, remind the operations manager "
        "once per quarter while the quarter has no quarterly tenant meeting (TEN-05, JOB-09).",
    )
)
