"""Advances 借支 (EXP-10): from the 9th working day of the month after the statement's month a
rep may draw cash against their fully signed statement, at most ¥3,000 outstanding (setting);
after paying out, the sales manager spot-checks 3 customers (setting) before the rep may draw
the rest.

"Outstanding" is the sum of the rep's PAID advances not yet SETTLED; an advance is settled when
finance completes the write-off of its statement (EXP-11, `signoff_write_off`). At request time
the advances still waiting for finance count too, so two quick requests cannot pass the cap.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import next_month, nth_working_day
from customers.models import Customer

from ..models import (
    Advance,
    AdvanceStatus,
    EntryKind,
    FeeSettings,
    SpotCheck,
    Statement,
    StatementLine,
    StatementStatus,
)
from ..models.common import FEN, ZERO, yuan
from .ledger import ledger_post

DRAWN_STATUSES = (AdvanceStatus.REQUESTED, AdvanceStatus.PAID, AdvanceStatus.SETTLED)


# --- small shared helpers (special fees and sign-off sheets use them too) ---------------------


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A money amount in yuan to the fen: positive (or zero when allowed), never a float."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter the amount as a number in yuan, e.g. 1200.50."), field=field) from None
    if not amount.is_finite():
        raise DomainError(_("Enter the amount as a number in yuan, e.g. 1200.50."), field=field)
    if amount != amount.quantize(FEN):
        raise DomainError(_("An amount has at most two decimals (fen)."), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("The amount must be more than zero."), field=field)
    if amount >= Decimal("1000000000000"):
        raise DomainError(_("This amount is too large."), field=field)
    return amount.quantize(FEN)


def department_people(rep: User, role: Role):
    """The active holders of `role` in the rep's department (finance: everyone with it)."""
    users = User.objects.filter(groups__name=role, is_active=True).exclude(pk=rep.pk)
    if role != Role.FINANCE:
        users = users.filter(department_id=rep.department_id)
    return users.distinct()


def is_department_manager(user: User, rep: User) -> bool:
    return user.pk != rep.pk and user.has_role(Role.SALES_MANAGER) and user.department_id == rep.department_id


# --- reads ---------------------------------------------------------------------------------


def advance_opens_on(statement: Statement) -> date:
    """The n-th working day (setting, 9) of the month after the statement's month."""
    year, month = next_month(statement.month.year, statement.month.month)
    return nth_working_day(year, month, FeeSettings.load().advance_working_day)


def statement_payable(statement: Statement) -> Decimal:
    """What the statement lets the rep pay out: the payable fees of its lines not blocked by
    an investigation (EXP-15)."""
    total = StatementLine.objects.filter(statement=statement, blocked=False).aggregate(s=Sum("payable"))["s"]
    return total or ZERO


def drawn_on(statement: Statement) -> Decimal:
    total = Advance.objects.filter(statement=statement, status__in=DRAWN_STATUSES).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


def outstanding_advances(rep: User, *, include_requested: bool = False) -> Decimal:
    """EXP-10: PAID advances not yet settled by a write-off (plus the requested ones)."""
    statuses = [AdvanceStatus.PAID, AdvanceStatus.REQUESTED] if include_requested else [AdvanceStatus.PAID]
    total = Advance.objects.filter(rep=rep, status__in=statuses).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


def advances_waiting_for_spot_check(rep: User) -> list[Advance]:
    """The rep's paid advances whose payout the manager has not yet confirmed by a spot-check
    recorded after the advance was paid; while there is one, no further advance may be drawn
    (EXP-10). Two queries."""
    advances = list(Advance.objects.filter(rep=rep, status=AdvanceStatus.PAID).select_related("statement"))
    if not advances:
        return []
    latest = dict(
        SpotCheck.objects.filter(statement_id__in={a.statement_id for a in advances}, all_confirmed=True)
        .values("statement_id")
        .annotate(last=Max("checked_at"))
        .values_list("statement_id", "last")
    )
    return [a for a in advances if latest.get(a.statement_id) is None or latest[a.statement_id] < a.paid_at]


def advance_available(rep: User) -> Decimal:
    """How much more the rep may draw under the cap, requests waiting for finance included."""
    return max(ZERO, FeeSettings.load().advance_cap - outstanding_advances(rep, include_requested=True))


def spot_check_size(statement: Statement) -> int:
    """N customers (setting), or all of them when the statement has fewer."""
    customers = StatementLine.objects.filter(statement=statement).values("customer_id").distinct().count()
    return min(FeeSettings.load().spot_check_customers, customers)


# --- writes --------------------------------------------------------------------------------


def advance_request(*, actor: User, statement: Statement, amount) -> Advance:
    """EXP-10: against the rep's own valid statement, from the n-th working day, within what
    the statement still leaves to draw and the cap on outstanding advances, and only once the
    manager has spot-checked the payout of the previous advance."""
    if not actor.has_role(Role.SALES_REP):
        raise PermissionDenied(_("Only sales representatives draw advances."))
    amount = parse_amount(amount)
    with transaction.atomic():
        # One rep's requests queue up here, so two at once cannot both pass the cap.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        statement = Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)
        if statement.rep_id != actor.pk:
            raise PermissionDenied(_("An advance is drawn only against your own statement."))
        if statement.status != StatementStatus.VALID:
            raise DomainError(
                _(
                    "The %(month)s statement is not signed by the clerk, the manager and finance: "
                    "nothing can be paid from it."
                )
                % {"month": f"{statement.month:%Y-%m}"},
                field="statement",
            )
        if statement.written_off_at:
            raise DomainError(_("This statement is already written off."), field="statement")
        opens_on = advance_opens_on(statement)
        if timezone.localdate() < opens_on:
            raise DomainError(
                _("Advances against the %(month)s statement open on %(date)s (working day %(n)d).")
                % {
                    "month": f"{statement.month:%Y-%m}",
                    "date": opens_on.isoformat(),
                    "n": FeeSettings.load().advance_working_day,
                },
                field="statement",
            )
        left = statement_payable(statement) - drawn_on(statement)
        if amount > left:
            raise DomainError(
                _("The statement leaves %(left)s to draw; %(amount)s is more.")
                % {"left": yuan(max(ZERO, left)), "amount": yuan(amount)},
                field="amount",
            )
        waiting = advances_waiting_for_spot_check(actor)
        if waiting:
            raise DomainError(
                _(
                    "Your advance of %(amount)s (%(month)s) has been paid out but not yet spot-checked: "
                    "the sales manager must confirm %(n)d customers received their fees first."
                )
                % {
                    "amount": yuan(waiting[0].amount),
                    "month": f"{waiting[0].statement.month:%Y-%m}",
                    "n": FeeSettings.load().spot_check_customers,
                },
                field="amount",
            )
        cap = FeeSettings.load().advance_cap
        available = max(ZERO, cap - outstanding_advances(actor, include_requested=True))
        if amount > available:
            raise DomainError(
                _("At most %(cap)s may be outstanding in advances; you can still draw %(available)s.")
                % {"cap": yuan(cap), "available": yuan(available)},
                field="amount",
            )
        advance = Advance.objects.create(rep=actor, statement=statement, amount=amount)
        transaction.on_commit(lambda: _notify_finance_of_request(advance.pk))
    return advance


def _locked_advance(advance: Advance) -> Advance:
    return Advance.objects.select_for_update().select_related("rep", "statement").get(pk=advance.pk)


def advance_pay(*, actor: User, advance: Advance) -> Advance:
    """Finance pays a requested advance out (EXP-10) and posts it to the ledger (EXP-03). The
    cap is checked again: what is outstanding now is what counts."""
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance pays advances out."))
    with transaction.atomic():
        advance = _locked_advance(advance)
        if advance.rep_id == actor.pk:
            raise PermissionDenied(_("Nobody pays an advance to themselves."))
        if advance.status != AdvanceStatus.REQUESTED:
            raise DomainError(_("This advance is %(status)s.") % {"status": advance.get_status_display()})
        if advance.statement.written_off_at:
            raise DomainError(_("Its statement is already written off; nothing more is advanced on it."))
        cap = FeeSettings.load().advance_cap
        outstanding = outstanding_advances(advance.rep)
        if outstanding + advance.amount > cap:
            raise DomainError(
                _("Paying it would put %(rep)s over the cap of %(cap)s (%(outstanding)s outstanding).")
                % {"rep": advance.rep.display_name, "cap": yuan(cap), "outstanding": yuan(outstanding)}
            )
        advance.status, advance.paid_by, advance.paid_at = AdvanceStatus.PAID, actor, timezone.now()
        advance.save(update_fields=["status", "paid_by", "paid_at"])
        ledger_post(
            kind=EntryKind.ADVANCE,
            amount=advance.amount,
            month=advance.statement.month,
            rep=advance.rep,
            posted_by=actor,
            statement=advance.statement,
            advance=advance,
            note=f"借支 #{advance.pk}",
        )
        transaction.on_commit(lambda: _notify_rep(advance.pk, "paid"))
    return advance


def advance_reject(*, actor: User, advance: Advance, note: str) -> Advance:
    """Finance declines a requested advance, saying why."""
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance decides on advances."))
    if not (note or "").strip():
        raise DomainError(_("Say why the advance is declined."), field="note")
    with transaction.atomic():
        advance = _locked_advance(advance)
        if advance.status != AdvanceStatus.REQUESTED:
            raise DomainError(_("This advance is %(status)s.") % {"status": advance.get_status_display()})
        advance.status, advance.note = AdvanceStatus.REJECTED, note.strip()[:300]
        advance.save(update_fields=["status", "note"])
        transaction.on_commit(lambda: _notify_rep(advance.pk, "rejected"))
    return advance


def spot_check_record(
    *, actor: User, statement: Statement, customers, all_confirmed: bool, note: str = ""
) -> SpotCheck:
    """The sales manager asked N customers (setting) of the statement whether their contacts
    received the fees (EXP-10). A check that found a problem is recorded too, with what was
    found, and keeps further advances closed."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)
        if statement.rep_id == actor.pk:
            raise PermissionDenied(_("Nobody spot-checks their own payouts."))
        if not is_department_manager(actor, statement.rep):
            raise PermissionDenied(_("Only the sales manager of the rep's department spot-checks payouts."))
        if statement.status != StatementStatus.VALID:
            raise DomainError(_("Only a valid statement's payouts are spot-checked."))
        ids = {customer.pk if isinstance(customer, Customer) else int(customer) for customer in customers or []}
        on_statement = set(
            StatementLine.objects.filter(statement=statement, customer_id__in=ids).values_list("customer_id", flat=True)
        )
        if ids - on_statement:
            raise DomainError(_("Choose customers of this statement."), field="customers")
        size = spot_check_size(statement)
        if len(ids) != size:
            raise DomainError(
                _("Check exactly %(n)d different customers of this statement.") % {"n": size}, field="customers"
            )
        if not all_confirmed and not (note or "").strip():
            raise DomainError(_("Write down what the customers said."), field="note")
        advance = (
            Advance.objects.filter(statement=statement, status__in=[AdvanceStatus.PAID, AdvanceStatus.SETTLED])
            .order_by("-paid_at", "-pk")
            .first()
        )
        check = SpotCheck.objects.create(
            statement=statement,
            advance=advance,
            checked_by=actor,
            all_confirmed=bool(all_confirmed),
            note=(note or "").strip(),
        )
        check.customers.set(ids)
        transaction.on_commit(lambda: _notify_spot_check(check.pk))
    return check


# --- notifications ----------------------------------------------------------------------------


def _notify_finance_of_request(advance_id: int) -> None:
    advance = Advance.objects.select_related("rep", "statement").get(pk=advance_id)
    for person in department_people(advance.rep, Role.FINANCE):
        notify(
            recipient=person,
            key=f"advance-requested:{advance.pk}:{person.pk}",
            kind="advance",
            title=gettext_lazy("%(rep)s asks for an advance of %(amount)s"),
            body=gettext_lazy("Against the %(month)s statement."),
            params={"rep": advance.rep.display_name, "amount": yuan(advance.amount),
                    "month": f"{advance.statement.month:%Y-%m}"},
            url=f"/fees/advances/{advance.pk}/",
        )  # fmt: skip


def _notify_rep(advance_id: int, what: str) -> None:
    advance = Advance.objects.select_related("rep", "statement").get(pk=advance_id)
    title = (
        gettext_lazy("Your advance of %(amount)s is paid out")
        if what == "paid"
        else gettext_lazy("Your advance of %(amount)s was declined")
    )
    notify(
        recipient=advance.rep,
        key=f"advance-{what}:{advance.pk}",
        kind="advance",
        title=title,
        body=gettext_lazy("%(note)s"),
        params={"amount": yuan(advance.amount), "note": advance.note},
        url=f"/fees/advances/{advance.pk}/",
    )
    if what == "paid":
        for manager in department_people(advance.rep, Role.SALES_MANAGER):
            notify(
                recipient=manager,
                key=f"advance-spot-check-due:{advance.pk}:{manager.pk}",
                kind="advance",
                title=gettext_lazy("Spot-check %(rep)s's payouts"),
                body=gettext_lazy(
                    "An advance of %(amount)s was paid out: confirm with customers that the fees arrived."
                ),
                params={"rep": advance.rep.display_name, "amount": yuan(advance.amount)},
                url=f"/fees/payouts/{advance.statement_id}/spot-check/",
            )


def _notify_spot_check(check_id: int) -> None:
    check = SpotCheck.objects.select_related("statement__rep", "checked_by").get(pk=check_id)
    notify(
        recipient=check.statement.rep,
        key=f"spot-check:{check.pk}",
        kind="advance",
        title=(
            gettext_lazy("%(manager)s spot-checked your %(month)s payouts: all confirmed")
            if check.all_confirmed
            else gettext_lazy("%(manager)s spot-checked your %(month)s payouts: a problem was found")
        ),
        body=gettext_lazy("%(note)s"),
        params={"manager": check.checked_by.display_name, "month": f"{check.statement.month:%Y-%m}",
                "note": check.note},
        url=f"/fees/payouts/{check.statement_id}/",
    )  # fmt: skip


__all__ = [
    "advance_available",
    "advance_opens_on",
    "advance_pay",
    "advance_reject",
    "advance_request",
    "outstanding_advances",
    "parse_amount",
    "spot_check_record",
]
