"""The complaints app's periodic jobs, added to the one schedule list
(crm_project.core.schedules); imported from ComplaintsConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Complaint escalations",
        task="complaints.escalate_breaches",
        minute="*/10",
        description="Escalate complaints past a response or solution target to the department head (CMP-04, JOB-06).",
    )
)
