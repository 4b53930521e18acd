"""The customers app's periodic jobs, added to the one schedule list (crm_project.core.schedules);
imported from CustomersConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Visit plan generation",
        task="customers.generate_visit_plans",
        minute="0",
        hour="2",
        description="Plan visits three months ahead by grade frequency (CUS-09).",
    )
)
add(
    Schedule(
        name="Weekly visit digest",
        task="customers.weekly_visit_digest",
        minute="30",
        hour="8",
        day_of_week="1",
        description="Mondays: overdue visits and coming birthdays to owners, team overdue visits to managers (JOB-04).",
    )
)
add(
    Schedule(
        name="Interrupted imports",
        task="customers.import_sweep",
        minute="20",
        description="Fail the Excel imports a lost worker left checking or importing, and tell the uploader (CUS-12).",
    )
)
