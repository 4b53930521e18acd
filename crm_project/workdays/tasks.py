from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.jobs import job, job_day
from crm_project.notifications.services import notify

from .selectors import unconfirmed_years


def administrators():
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR), is_active=True)
        .distinct()
    )


@job(name="workdays.calendar_coverage_reminder")
def calendar_coverage_reminder(today: str | None = None) -> int:
    """Weekly, while this or next year's holidays are unconfirmed, remind administrators
    that deadlines in it fall back to Monday–Friday (CAL-01). Idempotent per ISO week."""
    day = job_day(today)
    iso_year, iso_week, _weekday = day.isocalendar()
    sent = 0
    for year in unconfirmed_years(day):
        for admin in administrators():
            notification = notify(
                recipient=admin,
                key=f"calendar-unconfirmed:{year}:{iso_year}-W{iso_week:02d}:{admin.pk}",
                kind="calendar",
                title=_("Enter the %(year)s holidays in the working-day calendar"),
                body=_(
                    "The holidays and make-up days of %(year)s are not confirmed, so its deadlines "
                    "fall back to Monday–Friday. Enter them from the official notice and tick "
                    "“holidays confirmed”."
                ),
                params={"year": year},
                url=reverse("admin:workdays_calendaryear_changelist"),
            )
            sent += notification is not None
    return sent
