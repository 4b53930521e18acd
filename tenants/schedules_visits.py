"""The tenant visit plan's and bulk notices' periodic jobs (TEN-08, JOB-04); imported from
TenantsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Tenant visit digest",
        task="tenants.tenant_visit_digest",
        minute="40",
        hour="8",
        day_of_week="1",
        description="Mondays: overdue tenant visits to each visitor, the team's to the operations manager "
        "(TEN-08, JOB-04, JOB-09).",
    )
)
add(
    Schedule(
        name="Tenant visit plan",
        task="tenants.generate_visit_plan",
        minute="10",
        hour="2",
        description="Daily: a visit this year for every current tenant that has none planned or done (TEN-08).",
    )
)
add(
    Schedule(
        name="Pending bulk notices",
        task="tenants.send_pending_bulk_notices",
        minute="*/10",
        description="Every 10 minutes: e-mail the tenants of recent bulk notices whose job did not (TEN-08, JOB-09).",
    )
)
