"""The claim-deadline reminder (EXP-17, JOB-09): every morning, each applicant whose claim is
due within the reminder's working days is reminded once."""

from crm_project.core.jobs import job, job_day

from .services.claims import remind_claims_due


@job(name="expenses.remind_claims_due")
def claim_reminders(today: str | None = None) -> int:
    return remind_claims_due(job_day(today))
