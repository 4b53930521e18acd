"""Background jobs of the satisfaction surveys (SUR-01, SUR-02, JOB-05, JOB-09). Each takes ids
or ISO dates, loads, and calls a service; each is idempotent. Celery finds them
as this app's tasks module; the schedule is in schedules.py."""

from crm_project.core.jobs import job, job_day

from .services.rounds import (
    scheduled_rounds_start,
    survey_invitations_send,
    survey_invitations_send_unsent,
    survey_rounds_close_due,
)


@job(name="surveys.send_survey_invitations")
def send_survey_invitations(round_id: int) -> int:
    """E-mail a round's recipients who have not been sent their link yet. Returns how many
    were sent; a second run sends nothing."""
    return survey_invitations_send(round_id=round_id)


@job(name="surveys.send_unsent_survey_invitations")
def send_unsent_survey_invitations() -> int:
    """Every 10 minutes: the invitations of open rounds still unsent (the broker was down)."""
    return survey_invitations_send_unsent()


@job(name="surveys.scheduled_survey_rounds")
def scheduled_survey_rounds(today: str | None = None) -> int:
    """Daily: close the rounds whose time is up, then start this period's round of every
    scheduled survey that has none yet (JOB-05). Returns the number of rounds started."""
    survey_rounds_close_due()
    day = job_day(today)
    return len(scheduled_rounds_start(today=day))
