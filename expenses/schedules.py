"""The rapport-fee deadline jobs' beat schedules (JOB-01 … JOB-03). Each fires every morning;
the job itself decides from the working-day calendar whether today is a reminder day."""

from crm_project.core.schedules import Schedule, add

add(
    Schedule(
        name="Rapport fees: statement reminders",
        task="expenses.statement_reminders",
        minute="30",
        hour="8",
        description="On the 1st and the 3rd working day, remind reps who have not submitted last month's "
        "statement (JOB-01).",
    )
)
add(
    Schedule(
        name="Rapport fees: review reminders and escalations",
        task="expenses.review_reminders",
        minute="30",
        hour="8",
        description="From the 4th working day, remind signers daily; after the 8th, escalate to the director (JOB-02).",
    )
)
add(
    Schedule(
        name="Rapport fees: payout, sign-off sheet and write-off reminders",
        task="expenses.payout_reminders",
        minute="30",
        hour="8",
        description="Before the 18th, 20th and 25th, remind those still open (JOB-03).",
    )
)
add(
    Schedule(
        name="Expenses: claim deadline reminders",
        task="expenses.remind_claims_due",
        minute="40",
        hour="8",
        description="Two working days before an expense claim is due, remind its applicant once (EXP-17).",
    )
)
