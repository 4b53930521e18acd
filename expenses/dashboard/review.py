"""The review progress of the statements filed in the period (DSH-01, EXP-06, EXP-07).

A month's statements are filed in the first working days of the month after it: due by the end
of its 3rd working day, signed three times by the end of its 8th (settings). So a month period
shows the statements of the month before it, a quarter or a year those of each of its months
one month earlier (`period.shifted(-1)`). Whom a statement is expected from is the roster's
list (`/fees/roster/`, `roster_reps`), and each rep's standing against the two deadlines is
told as the roster tells it — here counted in SQL rather than row by row.
"""

import calendar
from collections import defaultdict
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.pickers import fee_reps
from crm_project.dashboard.blocks import Chart, Number, Presentation, Series, Table, list_url
from crm_project.workdays.calendar import add_months, end_of_working_day, working_days_between

from ..models import FeeSettings, Statement, StatementStatus
from ..selectors_queues import may_see_roster, roster_reps
from .common import month_code

Status = StatementStatus
HANDED_IN = (Status.SUBMITTED, Status.CLERK_SIGNED, Status.MANAGER_SIGNED, Status.VALID, Status.RETURNED)
STAGES = {
    "not_submitted": _("Not submitted"),
    Status.SUBMITTED.value: _("Waiting for the clerk"),
    Status.CLERK_SIGNED.value: _("Waiting for the manager"),
    Status.MANAGER_SIGNED.value: _("Waiting for finance"),
    Status.VALID.value: _("Fully signed"),
    Status.RETURNED.value: _("Returned"),
}
LATE = ("late_submission", "late_review")
COUNTS = (*STAGES, *LATE)


def review_deadlines(months: list[date], fee_settings: FeeSettings | None = None) -> dict[date, tuple]:
    """deadlines_for(month) of each month — the ends of the statement's and the review's working
    days (3rd and 8th, EXP-06/07) in the month after it — from one read of the calendar, where
    deadlines_for reads it twice per month."""
    fee_settings = fee_settings or FeeSettings.load()
    filing = {month: add_months(month, 1) for month in months}
    last = max(filing.values())
    days = working_days_between(min(filing.values()), last.replace(day=calendar.monthrange(last.year, last.month)[1]))
    by_month = defaultdict(list)
    for day in days:
        by_month[day.replace(day=1)].append(day)
    return {
        month: (
            end_of_working_day(by_month[first][fee_settings.submit_working_day - 1]),
            end_of_working_day(by_month[first][fee_settings.review_working_day - 1]),
        )
        for month, first in filing.items()
    }


def review_reps(scope):
    """The reps who should have a statement: the roster's (`roster_reps`: every active rep of
    the viewer's department, every department's for finance). Management has no roster; it
    gets the reps whose fee data it may see (EXP-13, `fee_reps`)."""
    reps = roster_reps(scope.user) if may_see_roster(scope.user) else fee_reps(scope.user).filter(is_active=True)
    return scope.in_department(reps, "pk")


def _progress(row: dict, reps: int, deadlines: tuple[datetime, datetime], now: datetime) -> dict:
    """One month's counts as the roster tells them (selectors_queues `_submission`/`_review`):
    late to submit = handed in late, or not handed in with the due moment past; late in review =
    signed three times after the review due moment, or not yet with it past."""
    due_at, review_due_at = deadlines
    handed_in = sum(row.get(status, 0) for status in HANDED_IN)
    counts = {"reps": reps, "not_submitted": reps - handed_in}
    counts.update({status.value: row.get(status, 0) for status in HANDED_IN})
    counts["late_submission"] = row.get("submitted_late", 0) + (
        reps - row.get("ever_submitted", 0) if now > due_at else 0
    )
    counts["late_review"] = row.get("signed_late", 0) + (reps - row.get(Status.VALID, 0) if now > review_due_at else 0)
    return counts


def review_figures(scope) -> dict:
    """The statements filed in the period — those of the month before each of its months — by
    stage, and how many are late against the 3rd and the 8th working day, as of now."""
    now, fee_settings = timezone.now(), FeeSettings.load()
    months, before = scope.period.shifted(-1).months, scope.period.previous().shifted(-1).months
    deadlines = review_deadlines(before + months, fee_settings)
    reps = review_reps(scope)
    rep_count = reps.count()
    signed_late = Q()
    for month in before + months:
        signed_late |= Q(month=month, valid_at__gt=deadlines[month][1])
    statements = scope.in_department(
        scope.visible(Statement).filter(month__in=before + months, rep__in=reps.order_by().values("pk")), "rep"
    )
    rows = {
        row["month"]: row
        for row in statements.values("month")
        .annotate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in HANDED_IN},
            ever_submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            submitted_late=Count("pk", filter=Q(first_submitted_at__isnull=False, late=True)),
            signed_late=Count("pk", filter=Q(status=Status.VALID) & signed_late),
        )
        .order_by()
    }
    progress = {month: _progress(rows.get(month, {}), rep_count, deadlines[month], now) for month in before + months}

    def total(span: list[date]) -> dict:
        counts = {key: sum(progress[month][key] for month in span) for key in COUNTS}
        return {**counts, "expected": rep_count * len(span)}

    return {
        "reps": rep_count,
        "submit_working_day": fee_settings.submit_working_day,
        "review_working_day": fee_settings.review_working_day,
        "as_of": timezone.localtime(now).isoformat(),
        **total(months),
        "previous": total(before),
        "months": [
            {
                "month": month_code(month),
                "due_at": timezone.localtime(deadlines[month][0]).isoformat(),
                "review_due_at": timezone.localtime(deadlines[month][1]).isoformat(),
                **progress[month],
            }
            for month in months
        ],
    }


def _roster_url(scope, month: str) -> str:
    """The month's roster, for those who have one, and only for a month that has ended."""
    if not may_see_roster(scope.user) or month >= month_code(timezone.localdate()):
        return ""
    return list_url("expenses:roster", month=month)


def review_present(figures: dict, scope) -> Presentation:
    months = [row["month"] for row in figures["months"]]
    month = months[0] if len(months) == 1 else None  # a quarter's or a year's lists are not narrowed
    before = figures["previous"]
    roster = _roster_url(scope, month) if month else ""
    submit_day, review_day = figures["submit_working_day"], figures["review_working_day"]
    labels = {
        **STAGES,
        "late_submission": _("Late to submit (due on working day %(day)s)") % {"day": submit_day},
        "late_review": _("Late in review (due on working day %(day)s)") % {"day": review_day},
    }
    urls = {status.value: list_url("expenses:statement_list", month=month, status=status) for status in HANDED_IN}
    urls.update(
        not_submitted=roster,
        late_submission=roster or list_url("expenses:statement_list", month=month, late="yes"),
        late_review=roster,
    )
    numbers = [Number(labels[key], figures[key], before[key], urls[key], key=key.replace("_", "-")) for key in COUNTS]
    stages = list(STAGES)
    if month:
        chart = Chart(
            "review-stages",
            _("Statements for %(month)s by stage") % {"month": month},
            "pie",
            [STAGES[stage] for stage in stages],
            [Series(_("Statements"), [figures[stage] for stage in stages])],
            links=[urls[stage] for stage in stages],
        )
    else:
        chart = Chart(
            "review-stages",
            _("Statements by month and stage"),
            "stacked",
            months,
            [Series(STAGES[stage], [row[stage] for row in figures["months"]]) for stage in stages],
            links=[_roster_url(scope, name) or list_url("expenses:statement_list", month=name) for name in months],
        )
    if not figures["expected"]:
        chart.categories = []  # nobody to count: the page says so rather than drawing zeros
    rows = [
        [
            row["month"],
            datetime.fromisoformat(row["due_at"]),
            datetime.fromisoformat(row["review_due_at"]),
            row["reps"],
            *(row[key] for key in COUNTS),
        ]
        for row in figures["months"]
    ]
    headers = [_("Month"), _("Due"), _("Review due"), _("Reps"), *(labels[key] for key in COUNTS)]
    note = _(
        "Statements for %(months)s, filed in the month after each: due by the end of working day %(submit)s and "
        "signed three times by the end of working day %(review)s; late counts as of %(now)s."
    ) % {
        "months": months[0] if len(months) == 1 else f"{months[0]} … {months[-1]}",
        "submit": submit_day,
        "review": review_day,
        "now": datetime.fromisoformat(figures["as_of"]).strftime("%Y-%m-%d %H:%M"),
    }
    return Presentation(
        numbers=numbers,
        charts=[chart],
        tables=[Table(_("Statement review"), headers, rows, ["", "", "", *(["quantity"] * (len(COUNTS) + 1))])],
        list_url=roster or list_url("expenses:statement_list", month=month),
        note=str(note),
    )
