"""The statement reminder (JOB-01, EXP-06), in one place: the daily job and the roster's
"remind" button (DSH-02) send the same message under the same de-duplication key
(JOB-09) — one per rep, statement month and day — so a job run and a button press on the
same day never both reach the rep, and pressing the button twice sends one message."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..selectors_jobs import reps_yet_to_submit
from .statements import deadlines_for

REMINDER_TITLE = gettext_lazy("Submit your %(month)s rapport-fee statement by %(due)s")
REMINDER_BODY = gettext_lazy(
    "Your monthly statement (附表1) for %(month)s is due by the end of the working day on "
    "%(due)s. A later submission is accepted but marked late."
)
REMINDER_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR)


def statement_reminder_key(*, rep_id: int, month: date, day: date) -> str:
    return f"statement-reminder:{month:%Y-%m}:{day.isoformat()}:{rep_id}"


def statement_reminder_send(*, rep: User, month: date, day: date) -> bool:
    """Remind `rep` to hand in `month`'s statement; False when already reminded on `day`."""
    due_at, _review_due_at = deadlines_for(month)
    return (
        notify(
            recipient=rep,
            key=statement_reminder_key(rep_id=rep.pk, month=month, day=day),
            kind="statement",
            title=REMINDER_TITLE,
            body=REMINDER_BODY,
            params={"month": f"{month:%Y-%m}", "due": due_at},
            url=reverse("expenses:statement_list"),
        )
        is not None
    )


def may_remind(user: User) -> bool:
    return user.has_role(*REMINDER_ROLES) and user.department_id is not None


def statement_remind(*, actor: User, month: date, reps=None) -> tuple[int, int]:
    """The roster's button: remind the reps of the actor's department who have not handed in
    `month`'s statement — all of them, or those in `reps`. Returns (sent, already reminded
    today). Refuses reps of another department and reps who have handed it in."""
    if not may_remind(actor):
        raise PermissionDenied(_("Only the sales clerk, manager or director of the department sends reminders."))
    today = timezone.localdate()
    if month >= today.replace(day=1):
        raise DomainError(_("A statement is filed only for a month that has ended."), field="month")
    open_reps = reps_yet_to_submit(month).filter(department_id=actor.department_id).exclude(pk=actor.pk)
    if reps is not None:
        wanted = {rep.pk for rep in reps}
        chosen = list(open_reps.filter(pk__in=wanted))
        if len(chosen) != len(wanted):
            raise DomainError(_("This rep has already handed in the statement, or is not in your department."))
    else:
        chosen = list(open_reps)
    if not chosen:
        raise DomainError(_("Every rep of your department has handed in this statement."))
    sent = sum(statement_reminder_send(rep=rep, month=month, day=today) for rep in chosen)
    return sent, len(chosen) - sent
