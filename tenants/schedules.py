"""The tenant desk's periodic jobs, added to the one schedule list (crm_project.core.schedules);
imported from TenantsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Tenant request breach escalation",
        task="tenants.escalate_breaches",
        minute="*/5",
        description="Every 5 minutes: escalate each passed response or resolution target of an open tenant "
        "request, once, to the department head and the operations manager (TEN-03, JOB-06, JOB-09).",
    )
)
add(
    Schedule(
        name="Call recording purge",
        task="tenants.purge_recordings",
        minute="40",
        hour="2",
        description="Daily: delete call recordings older than TENANT_RECORDING_RETENTION_DAYS that are not in "
        "the recording archive, and log each (TEN-04, JOB-07).",
    )
)
