"""The rapport-fee deadline jobs (JOB-01 … JOB-03). Beat starts each one every morning; the
job decides from the working-day calendar whether today is a reminder day, and reminds only
those still open. Every message has a de-duplication key, so a second run — or a retry after
a crash — sends nothing twice (JOB-09)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.jobs import job, job_day
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_months, add_working_days, working_day_number

from .models import FeeSettings, SignerRole
from .selectors_jobs import (
    active_users,
    active_with_role,
    directors_of,
    payout_recipients,
    reps_yet_to_submit,
    statements_waiting_for_signature,
)
from .services.reminders import statement_reminder_send
from .services.review import signers_for, waiting_for
from .services.signoff import open_payout_work, payout_deadlines

SIGNOFF_URL = "expenses:signoff_list"
FINANCE_URL = "expenses:finance"


@job(name="expenses.statement_reminders")
def statement_reminders(today: str | None = None) -> int:
    """JOB-01: on the 1st and on the morning of the 3rd working day (EXP-06's due day), remind
    every active sales rep who has not yet handed in last month's statement."""
    day = job_day(today)
    due_day = FeeSettings.load().submit_working_day
    if day.day != 1 and working_day_number(day) != due_day:
        return 0
    month = add_months(day.replace(day=1), -1)
    return sum(statement_reminder_send(rep=rep, month=month, day=day) for rep in reps_yet_to_submit(month))


@job(name="expenses.review_reminders")
def review_reminders(today: str | None = None) -> int:
    """JOB-02: from the 4th working day, every working day, remind the signers a statement is
    waiting for (EXP-07); once its review due moment (end of the 8th working day) has passed,
    tell the sales director(s) of the rep's department, once per statement and review round."""
    day = job_day(today)
    number = working_day_number(day)
    remind_today = number is not None and number > FeeSettings.load().submit_working_day
    sent = 0
    for statement in statements_waiting_for_signature():
        signer_role = waiting_for(statement)
        params = {
            "rep": statement.rep.display_name,
            "month": f"{statement.month:%Y-%m}",
            "due": statement.review_due_at,
        }
        url = reverse("expenses:statement_detail", args=[statement.pk])
        if remind_today:
            for signer in signers_for(statement, signer_role):
                sent += (
                    notify(
                        recipient=signer,
                        key=(
                            f"statement-review-reminder:{statement.pk}:{statement.cycle}:{signer_role}:"
                            f"{day.isoformat()}:{signer.pk}"
                        ),
                        kind="statement",
                        title=_("Reminder: %(rep)s's %(month)s statement waits for your signature"),
                        body=_("The review is due by %(due)s."),
                        params=params,
                        url=url,
                    )
                    is not None
                )
        if timezone.localtime(statement.review_due_at).date() < day:
            for director in directors_of(statement.rep.department_id):
                sent += (
                    notify(
                        recipient=director,
                        key=f"statement-escalation:{statement.pk}:{statement.cycle}:{director.pk}",
                        kind="statement",
                        title=_("Overdue review: %(rep)s's %(month)s statement is not signed"),
                        body=_(
                            "The review was due by %(due)s and the statement still waits for the %(role)s's signature."
                        ),
                        params={**params, "role": SignerRole(signer_role).label},
                        url=url,
                    )
                    is not None
                )
    return sent


def reminder_days(due: date) -> set[date]:
    """Two working days before a deadline and the deadline itself (JOB-03)."""
    return {add_working_days(due, -2), due}


PAYOUT_STEPS = {
    # step: (title, body, page)
    "payout": (
        _("Pay out your rapport fees by %(due)s"),
        _("Not yet paid out: %(count)s sign-off sheets (statements %(months)s; a statement without sheets is "
          "not started)."),
        SIGNOFF_URL,
    ),
    "sheets": (
        _("Hand your sign-off sheets to finance by %(due)s"),
        _("Not yet confirmed or not yet handed to finance: %(count)s sign-off sheets (statements %(months)s). "
          "Without a sheet nothing is written off."),
        SIGNOFF_URL,
    ),
    "writeoff": (
        _("Complete the write-off of rapport fees by %(due)s"),
        _("%(count)s sign-off sheets handed in by the reps wait to be written off (statements %(months)s)."),
        FINANCE_URL,
    ),
}  # fmt: skip


@job(name="expenses.payout_reminders")
def payout_reminders(today: str | None = None) -> int:
    """JOB-03 (EXP-11): two working days before and on the payout (18th), sheets-to-finance
    (20th) and write-off (25th) deadlines — each the last working day on or before that date —
    remind those still open: reps with sheets to pay out (or none drawn up yet), reps with
    sheets not confirmed or not handed in, and finance while handed-in sheets wait. Overdue
    work from earlier months is included."""
    day = job_day(today)
    this_month = payout_deadlines(add_months(day.replace(day=1), -1))
    steps_today = [step for step in PAYOUT_STEPS if day in reminder_days(getattr(this_month, step))]
    if not steps_today:
        return 0
    work = [item for item in open_payout_work(day) if item.step in steps_today]
    sent = 0
    for step in steps_today:
        items = [item for item in work if item.step == step]
        if not items:
            continue
        if step == "writeoff":
            finance = active_with_role(Role.FINANCE).order_by("pk")
            recipients = {person.pk: (person, items) for person in finance}
        else:
            by_person = payout_recipients(items)
            recipients = {person.pk: (person, by_person[person.pk]) for person in active_users(by_person)}
        title, body, url_name = PAYOUT_STEPS[step]
        for person, own in recipients.values():
            sent += (
                notify(
                    recipient=person,
                    key=f"payout-reminder:{step}:{day:%Y-%m}:{day.isoformat()}:{person.pk}",
                    kind="payout",
                    title=title,
                    body=body,
                    params={
                        "count": sum(item.open_count for item in own),
                        "months": ", ".join(sorted({f"{item.month:%Y-%m}" for item in own})),
                        "due": getattr(this_month, step),
                    },
                    url=reverse(url_name),
                )
                is not None
            )
    return sent


from . import tasks_claims  # noqa: E402, F401  (registers expenses.remind_claims_due)
