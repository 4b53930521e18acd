"""The suppliers app's periodic job, added to the one schedule list (crm_project.core.schedules);
imported from SuppliersConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Supplier survey and approval reminders",
        task="suppliers.remind_waiting_steps",
        minute="30",
        hour="9",
        description="Remind survey departments of unsigned on-site surveys and the head of purchasing of "
        "undecided applications, once each, after SUPPLIER_REMINDER_WORKING_DAYS (SUP-04, SUP-05, JOB-09).",
    )
)
