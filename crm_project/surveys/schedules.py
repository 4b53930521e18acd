"""The survey rounds' schedule (JOB-05), added to the one schedule list
(crm_project.core.schedules); imported from SurveysConfig.ready()."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Scheduled survey rounds",
        task="surveys.scheduled_survey_rounds",
        minute="0",
        hour="10",
        description="Daily: close survey rounds whose time is up and start this period's round of each "
        "scheduled survey (SUR-02, JOB-05).",
    )
)

add(
    Schedule(
        name="Survey invitations still unsent",
        task="surveys.send_unsent_survey_invitations",
        minute="*/10",
        description="Send the invitations of open survey rounds that are still unsent, e.g. queued while the "
        "broker was down (SUR-01, JOB-09).",
    )
)
