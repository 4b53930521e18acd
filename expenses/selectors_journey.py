"""What follows a valid statement (EXP-08, EXP-10, EXP-11), for its page: each step with its
deadline from the working-day calendar, the page where it is done, and what is done of it.

    advance      from the 9th working day of the month after the statement's month (EXP-10)
    sheets       one sign-off sheet per contact with a fee (EXP-11)
    payout       paid out by the 18th (the last working day on or before it)
    handed       sheets handed to finance by the 20th
    writeoff     written off by finance by the 25th
    original     the signed original filed by finance (EXP-08)
    copy         a copy filed by sales (the rep's department's clerk)

A fixed number of queries whatever the number of sheets, contacts and advances: the settings,
the month's working days (two), the advances drawn, the sheets' counts, and the contacts
with a fee (two) — one query set per step."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.workdays.calendar import end_of_working_day, next_month, start_of_working_day, working_days_in_month

from .models import Advance, FeeSettings, SignoffSheet, Statement, StatementLine, StatementStatus
from .models.common import ZERO
from .permissions import is_finance
from .services.advances import DRAWN_STATUSES
from .services.archive import may_file_copy, may_file_original
from .services.signoff import contact_totals


@dataclass
class Step:
    key: str
    title: str
    progress: str  # what is done of it, in words
    done: bool
    url: str = ""  # the page where it is done
    link_label: str = ""
    deadline: datetime | None = None  # "by" this moment
    opens_at: datetime | None = None  # "from" this moment
    overdue: bool = False
    optional: bool = False
    action: str = ""  # a POST on the statement page: "file_original" or "file_copy"


def _day_in_month(days: list[date], year: int, month: int, day: int) -> date:
    """The last working day on or before the `day`-th (EXP-11), from the month's working days."""
    before = [d for d in days if d.day <= day]
    return before[-1] if before else date(year, month, min(day, 28))


def _nth(days: list[date], year: int, month: int, n: int) -> date:
    return days[n - 1] if 0 < n <= len(days) else date(year, month, 28)


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def statement_journey(statement: Statement, *, user, now: datetime | None = None) -> list[Step]:
    """The steps after a valid statement, for `user` (links and actions they may use), or []
    while the statement is not valid."""
    if not statement.is_valid:
        return []
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    settings = FeeSettings.load()
    year, month = next_month(statement.month.year, statement.month.month)
    days = working_days_in_month(year, month)
    opens_on = _nth(days, year, month, settings.advance_working_day)
    payout_by = _day_in_month(days, year, month, settings.payout_day)
    sheets_by = _day_in_month(days, year, month, settings.sheets_day)
    writeoff_by = _day_in_month(days, year, month, settings.writeoff_day)

    drawn = Advance.objects.filter(statement=statement, status__in=DRAWN_STATUSES).aggregate(s=Sum("amount"))["s"]
    drawn = drawn or ZERO
    sheets = SignoffSheet.objects.filter(statement=statement).aggregate(
        made=Count("pk"),
        paid=Count("pk", filter=Q(paid_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        handed=Count("pk", filter=Q(submitted_to_finance_at__isnull=False)),
        written_off=Count("pk", filter=Q(written_off_at__isnull=False)),
    )
    expected = max(len(contact_totals(statement)), sheets["made"])
    total = sheets["made"] or expected

    is_rep = statement.rep_id == user.pk
    payouts = reverse("expenses:signoff_statement", args=[statement.pk])
    steps: list[Step] = []

    opens_at = start_of_working_day(opens_on)
    # What follows is listed in order; only the advance is optional.
    steps.append(
        Step(
            key="advance",
            title=_("Advance 借支 (optional)"),
            progress=_("%(drawn)s drawn on this statement; at most %(cap)s outstanding per rep")
            % {"drawn": yuan(drawn), "cap": yuan(settings.advance_cap)},
            done=drawn > 0,
            optional=True,
            opens_at=opens_at,
            url=f"{reverse('expenses:advance_request')}?statement={statement.pk}" if is_rep else payouts,
            link_label=_("Request an advance") if is_rep else _("Advances and spot-checks"),
        )
    )

    def _by(day: date, done: bool) -> tuple[datetime, bool]:
        return end_of_working_day(day), not done and today > day

    nothing = expected == 0
    made_done = nothing or sheets["made"] >= expected
    steps.append(
        Step(
            key="sheets",
            title=_("Sign-off sheets 签收表 made"),
            progress=_("nothing to pay out")
            if nothing
            else _("%(made)d of %(total)d made") % {"made": sheets["made"], "total": expected},
            done=made_done,
            url=payouts,
            link_label=_("Sign-off sheets and payouts"),
        )
    )
    paid_done = nothing or bool(total and sheets["paid"] >= total)
    deadline, overdue = _by(payout_by, paid_done)
    steps.append(
        Step(
            key="payout",
            title=_("Payouts recorded"),
            progress=_("%(paid)d of %(total)d paid out, %(confirmed)d confirmed by the contact")
            % {"paid": sheets["paid"], "total": total, "confirmed": sheets["confirmed"]},
            done=paid_done,
            deadline=deadline,
            overdue=overdue,
            url=payouts,
            link_label=_("Record payouts"),
        )
    )
    handed_done = nothing or bool(total and sheets["handed"] >= total)
    deadline, overdue = _by(sheets_by, handed_done)
    steps.append(
        Step(
            key="handed",
            title=_("Sheets handed to finance"),
            progress=_("%(handed)d of %(total)d handed in") % {"handed": sheets["handed"], "total": total},
            done=handed_done,
            deadline=deadline,
            overdue=overdue,
            url=payouts,
            link_label=_("Hand sheets to finance"),
        )
    )
    written_off = statement.written_off_at is not None
    deadline, overdue = _by(writeoff_by, written_off or nothing)
    steps.append(
        Step(
            key="writeoff",
            title=_("Written off 核销 by finance"),
            progress=_("written off on %(day)s") % {"day": f"{timezone.localtime(statement.written_off_at):%Y-%m-%d}"}
            if written_off
            else _("%(done)d of %(total)d sheets written off") % {"done": sheets["written_off"], "total": total},
            done=written_off or nothing,
            deadline=deadline,
            overdue=overdue,
            url=reverse("expenses:finance") if is_finance(user) else payouts,
            link_label=_("Write off") if is_finance(user) else _("Sign-off sheets and payouts"),
        )
    )
    for which, title, may, action in (
        ("original", _("Signed original filed by finance"), may_file_original, "file_original"),
        ("copy", _("Copy filed by sales"), may_file_copy, "file_copy"),
    ):
        filed_at = getattr(statement, f"archived_{which}_at")
        filed_by = getattr(statement, f"archived_{which}_by")  # select_related by the page
        if filed_at:
            when = f"{timezone.localtime(filed_at):%Y-%m-%d %H:%M}"
            progress = _("filed %(when)s") % {"when": when}
            if filed_by:
                progress = _("filed by %(name)s, %(when)s") % {"name": filed_by.display_name, "when": when}
        else:
            progress = _("not filed yet")
        steps.append(
            Step(
                key=which,
                title=title,
                progress=progress,
                done=filed_at is not None,
                action=action if not filed_at and may(user, statement) else "",
            )
        )
    return steps


def rep_work_open(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """The valid statements, not written off, with something to pay out whose rep still has
    work on them (EXP-11): no sign-off sheet yet, or a sheet not paid out or not handed to
    finance — as the payout reminders count it (`open_payout_work`), in one query."""
    payable = StatementLine.objects.filter(statement=OuterRef("pk"), blocked=False, payable__gt=0)
    return (
        statements.filter(status=StatementStatus.VALID, written_off_at__isnull=True)
        .filter(Exists(payable))
        .annotate(
            sheet_count=Count("signoff_sheets"),
            rep_open=Count(
                "signoff_sheets",
                filter=Q(signoff_sheets__paid_at__isnull=True)
                | Q(signoff_sheets__submitted_to_finance_at__isnull=True),
            ),
        )
        .filter(Q(sheet_count=0) | Q(rep_open__gt=0))
    )
