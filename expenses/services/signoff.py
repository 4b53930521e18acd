"""Sign-off sheets 附表4 客户关系维护费用签收表 and the write-off (EXP-11).

Once a statement is valid the rep draws up one sheet per fee-receiving contact with that
contact's own total (lines blocked by an investigation, EXP-15, are left out), pays it out,
and has the contact confirm — by a personal one-time link that shows only their own amount,
or by uploading the signed paper sheet. The sales manager spot-checks sheets. The rep hands
confirmed sheets to finance; finance writes each off with its own amount, which is final.
Without a sheet nothing is written off. When every sheet of a statement is written off, the
statement is written off and the advances drawn on it are settled (EXP-10).

Deadlines (`payout_deadlines`): payouts by the 18th, sheets to finance by the 20th, write-off
by the 25th of the month after the statement's month (settings). When that day is not a
working day the deadline is the last working day before it — "by the 18th" must be done on a
day people work, and moving it later would let it slip past the policy's date. A deadline is
the end of that working day (CAL-02).
"""

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import display_name
from crm_project.notifications.services import notify
from crm_project.workdays.calendar import (
    end_of_working_day,
    next_month,
    working_day_on_or_before,
)
from customers.models import Product

from ..models import (
    Advance,
    AdvanceStatus,
    Allocation,
    EntryKind,
    FeeSettings,
    Investigation,
    InvestigationStatus,
    SignoffMethod,
    SignoffSheet,
    Statement,
    StatementLine,
    StatementStatus,
)
from ..models.common import ZERO
from .advances import department_people, is_department_manager, parse_amount, yuan
from .fees import split
from .ledger import account_for, ledger_post

PAPER_EXTENSIONS = {"pdf": b"%PDF", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG"}
PAPER_MAX_BYTES = 10 * 1024 * 1024
BLOCKING = (InvestigationStatus.OPEN, InvestigationStatus.UNCLEAR)


# --- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutDeadlines:
    payout: date
    sheets: date
    writeoff: date

    def moment(self, step: str) -> datetime:
        return end_of_working_day(getattr(self, step))


def payout_deadlines(month: date) -> PayoutDeadlines:
    """The payout, sign-off-sheet and write-off deadlines for a statement month (EXP-11)."""
    fee_settings = FeeSettings.load()
    year, number = next_month(month.year, month.month)
    return PayoutDeadlines(
        payout=working_day_on_or_before(year, number, fee_settings.payout_day),
        sheets=working_day_on_or_before(year, number, fee_settings.sheets_day),
        writeoff=working_day_on_or_before(year, number, fee_settings.writeoff_day),
    )


# --- reads ---------------------------------------------------------------------------------


def blocked_customer_ids(customer_ids) -> set[int]:
    """Customers with an open or unclear investigation: no payout for them (EXP-15)."""
    return set(
        Investigation.objects.filter(customer_id__in=customer_ids, status__in=BLOCKING).values_list(
            "customer_id", flat=True
        )
    )


def _payable_allocations(statement: Statement) -> QuerySet[Allocation]:
    return Allocation.objects.filter(line__statement=statement, line__blocked=False, amount__gt=0)


def contact_totals(statement: Statement) -> dict[int, Decimal]:
    """Each contact's own total on the statement, over lines not blocked by an investigation."""
    rows = list(_payable_allocations(statement).values("contact_id", "line__customer_id", "amount"))
    blocked = blocked_customer_ids({row["line__customer_id"] for row in rows})
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row["line__customer_id"] not in blocked:
            totals[row["contact_id"]] += row["amount"]
    return {contact_id: total for contact_id, total in totals.items() if total > 0}


def product_parts(sheet: SignoffSheet) -> dict[int, Decimal]:
    """The sheet's amount by product (for the per-product ledger accounts, EXP-03)."""
    parts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for product_id, amount in (
        _payable_allocations(sheet.statement_id)
        .filter(contact_id=sheet.contact_id)
        .values_list("line__product_id", "amount")
    ):
        parts[product_id] += amount
    return dict(parts)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sheet_for_token(token: str) -> tuple[SignoffSheet | None, str]:
    """(sheet, state) for a personal link: state is "open", "confirmed", "expired" or
    "unknown" (the sheet is None then)."""
    if not token or len(token) > 100:
        return None, "unknown"
    sheet = (
        SignoffSheet.objects.select_related("contact", "contact__customer", "statement")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if sheet is None:
        return None, "unknown"
    if sheet.is_confirmed:
        return sheet, "confirmed"
    if sheet.token_expires_at is None or sheet.token_expires_at <= timezone.now():
        return None, "expired"
    return sheet, "open"


# --- writes: the rep -------------------------------------------------------------------------


def _locked_statement(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().select_related("rep").get(pk=statement.pk)


def _locked_sheet(sheet: SignoffSheet) -> SignoffSheet:
    return (
        SignoffSheet.objects.select_for_update(of=("self",))
        .select_related("statement", "statement__rep", "contact", "contact__customer", "payer")
        .get(pk=sheet.pk)
    )


def signoff_sheets_create(*, actor: User, statement: Statement) -> list[SignoffSheet]:
    """One sheet per contact with their own total, payer = the rep (EXP-11). Run again, it
    adds sheets only for contacts that have none yet (e.g. after an investigation cleared)."""
    with transaction.atomic():
        statement = _locked_statement(statement)
        if statement.rep_id != actor.pk:
            raise PermissionDenied(_("Only the rep of the statement draws up its sign-off sheets."))
        if statement.status != StatementStatus.VALID:
            raise DomainError(_("Sign-off sheets are drawn up once the statement is signed three times."))
        if statement.written_off_at:
            raise DomainError(_("This statement is already written off."))
        existing = set(SignoffSheet.objects.filter(statement=statement).values_list("contact_id", flat=True))
        totals = {contact: amount for contact, amount in contact_totals(statement).items() if contact not in existing}
        if not totals:
            raise DomainError(
                _("Every contact with a fee on this statement already has a sheet.")
                if existing
                else _("Nothing on this statement can be paid out, so there is no sheet to draw up.")
            )
        sheets = SignoffSheet.objects.bulk_create(
            SignoffSheet(statement=statement, contact_id=contact_id, amount=amount, payer=statement.rep)
            for contact_id, amount in totals.items()
        )
    return sheets


def _payer_sheet(actor: User, sheet: SignoffSheet) -> SignoffSheet:
    sheet = _locked_sheet(sheet)
    if sheet.payer_id != actor.pk:
        raise PermissionDenied(_("Only the rep who pays this sheet out may do this."))
    if sheet.written_off_at:
        raise DomainError(_("This sheet is already written off."))
    return sheet


def signoff_payout(*, actor: User, sheet: SignoffSheet) -> SignoffSheet:
    """The rep has paid the contact: record it and post the payout per product account."""
    with transaction.atomic():
        sheet = _payer_sheet(actor, sheet)
        if sheet.paid_at:
            raise DomainError(_("This sheet is already marked paid."))
        if blocked_customer_ids([sheet.contact.customer_id]):
            raise DomainError(
                _("%(customer)s is under investigation: its fees cannot be paid out until it is cleared.")
                % {"customer": sheet.contact.customer.name}
            )
        sheet.paid_at = timezone.now()
        sheet.save(update_fields=["paid_at"])
        parts = product_parts(sheet)
        products = Product.objects.in_bulk(parts.keys())
        for product_id, amount in sorted(parts.items()):
            ledger_post(
                kind=EntryKind.PAYOUT, amount=amount, month=sheet.statement.month, rep=sheet.statement.rep,
                posted_by=actor, account=account_for(products[product_id]), statement=sheet.statement,
                customer=sheet.contact.customer, contact=sheet.contact, note=f"附表4 #{sheet.pk}",
            )  # fmt: skip
    return sheet


def _confirmable(sheet: SignoffSheet) -> None:
    if sheet.is_confirmed:
        raise DomainError(_("This sheet is already confirmed."))
    if not sheet.paid_at:
        raise DomainError(_("Mark the sheet paid first: the contact confirms money they received."))


def signoff_link_issue(*, actor: User, sheet: SignoffSheet) -> str:
    """A personal one-time link for the contact (EXP-11). Only the token's SHA-256 is kept, so
    the link is shown once; issuing a new one makes the old one stop working."""
    with transaction.atomic():
        sheet = _payer_sheet(actor, sheet)
        _confirmable(sheet)
        token = secrets.token_urlsafe(32)
        sheet.token_hash = token_hash(token)
        sheet.token_expires_at = timezone.now() + timedelta(days=FeeSettings.load().signoff_link_days)
        sheet.save(update_fields=["token_hash", "token_expires_at"])
    return f"{settings.SITE_URL.rstrip('/')}{reverse('expenses:signoff_public', args=[token])}"


def signoff_confirm_by_link(*, token: str) -> SignoffSheet:
    """The contact presses "I confirm I received ¥X" on their personal page. Works once."""
    sheet, state = sheet_for_token(token)
    if state == "confirmed":
        raise DomainError(_("This receipt is already confirmed."))
    if sheet is None:
        raise DomainError(_("This link is not valid or has expired."))
    with transaction.atomic():
        sheet = _locked_sheet(sheet)
        if sheet.is_confirmed:
            raise DomainError(_("This receipt is already confirmed."))
        if sheet.token_expires_at is None or sheet.token_expires_at <= timezone.now():
            raise DomainError(_("This link is not valid or has expired."))
        sheet.method, sheet.confirmed_at = SignoffMethod.LINK, timezone.now()
        sheet.save(update_fields=["method", "confirmed_at"])
        transaction.on_commit(lambda: _notify_confirmed(sheet.pk))
    return sheet


def _check_paper(file: UploadedFile) -> str:
    name = (getattr(file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in PAPER_EXTENSIONS:
        raise DomainError(_("Upload the signed sheet as a PDF, JPG or PNG file."), field="file")
    if file.size > PAPER_MAX_BYTES:
        raise DomainError(
            _("The file is too large (at most %(mb)d MB).") % {"mb": PAPER_MAX_BYTES // (1024 * 1024)}, field="file"
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(PAPER_EXTENSIONS[extension]):
        raise DomainError(_("This file is not a readable %(kind)s.") % {"kind": extension.upper()}, field="file")
    return "jpg" if extension == "jpeg" else extension


def signoff_paper_upload(*, actor: User, sheet: SignoffSheet, file: UploadedFile) -> SignoffSheet:
    """The signed paper sheet, scanned: the contact's confirmation on paper (EXP-11)."""
    extension = _check_paper(file)
    with transaction.atomic():
        sheet = _payer_sheet(actor, sheet)
        _confirmable(sheet)
        sheet.paper_scan.save(f"scan.{extension}", file, save=False)  # stored under a random name
        sheet.paper_scan_name = display_name(file.name, fallback=f"scan.{extension}")
        sheet.method, sheet.confirmed_at = SignoffMethod.PAPER, timezone.now()
        sheet.token_hash = ""  # a link issued before no longer counts
        sheet.save(update_fields=["paper_scan", "paper_scan_name", "method", "confirmed_at", "token_hash"])
    return sheet


def signoff_submit_to_finance(*, actor: User, statement: Statement, sheets=None) -> int:
    """Hand the payer's confirmed sheets of the statement (all, or those given) to finance for
    write-off, due by the 20th. Unconfirmed sheets cannot be handed in. The payer is the rep,
    or the rep who took the payouts over (EXP-14). Returns how many were handed in."""
    with transaction.atomic():
        statement = _locked_statement(statement)
        queryset = SignoffSheet.objects.select_for_update().filter(statement=statement, payer=actor)
        if statement.rep_id != actor.pk and not queryset.exists():
            raise PermissionDenied(_("Only the rep who pays the sheets out hands them to finance."))
        queryset = queryset.filter(submitted_to_finance_at__isnull=True)
        if sheets is not None:
            queryset = queryset.filter(pk__in=[sheet.pk for sheet in sheets])
        pending = list(queryset)
        unconfirmed = [sheet for sheet in pending if not sheet.is_confirmed]
        if sheets is not None and unconfirmed:
            raise DomainError(_("An unconfirmed sheet cannot be handed to finance: the contact must confirm first."))
        ready = [sheet for sheet in pending if sheet.is_confirmed]
        if not ready:
            raise DomainError(
                _("No confirmed sheet is waiting to go to finance (%(n)d not confirmed yet).") % {"n": len(unconfirmed)}
            )
        SignoffSheet.objects.filter(pk__in=[sheet.pk for sheet in ready]).update(submitted_to_finance_at=timezone.now())
        count = len(ready)
        transaction.on_commit(lambda: _notify_finance_of_sheets(statement.pk, count))
    return count


# --- writes: the manager and finance ---------------------------------------------------------


def signoff_spot_check(*, actor: User, sheet: SignoffSheet) -> SignoffSheet:
    """The sales manager checked a confirmed sheet with the contact (EXP-11)."""
    with transaction.atomic():
        sheet = _locked_sheet(sheet)
        if sheet.statement.rep_id == actor.pk or sheet.payer_id == actor.pk:
            raise PermissionDenied(_("Nobody spot-checks their own payouts."))
        if not is_department_manager(actor, sheet.statement.rep):
            raise PermissionDenied(_("Only the sales manager of the rep's department spot-checks sheets."))
        if not sheet.is_confirmed:
            raise DomainError(_("Only a confirmed sheet can be spot-checked."))
        if sheet.spot_checked_at:
            raise DomainError(_("This sheet is already spot-checked."))
        sheet.spot_checked_by, sheet.spot_checked_at = actor, timezone.now()
        sheet.save(update_fields=["spot_checked_by", "spot_checked_at"])
    return sheet


def signoff_write_off(*, actor: User, sheet: SignoffSheet, amount=None) -> SignoffSheet:
    """Finance writes a handed-in, confirmed sheet off with its own amount, which is final
    (EXP-11); posted per product account in proportion to the sheet's parts. Without a sheet
    handed in, nothing is written off. The last sheet of a statement writes the statement
    off and settles its advances (EXP-10)."""
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance writes payouts off."))
    final = None if amount in (None, "") else parse_amount(amount, allow_zero=True)
    with transaction.atomic():
        sheet = _locked_sheet(sheet)
        if sheet.statement.rep_id == actor.pk:
            raise PermissionDenied(_("Nobody writes off their own payouts."))
        if sheet.written_off_at:
            raise DomainError(_("This sheet is already written off."))
        if not sheet.is_confirmed or not sheet.submitted_to_finance_at:
            raise DomainError(
                _("Without a confirmed sign-off sheet handed to finance nothing is written off."), field="amount"
            )
        final = sheet.amount if final is None else final
        sheet.written_off_amount, sheet.written_off_at, sheet.written_off_by = final, timezone.now(), actor
        sheet.save(update_fields=["written_off_amount", "written_off_at", "written_off_by"])
        parts = product_parts(sheet)
        if final > 0 and parts:
            order = {product_id: index for index, product_id in enumerate(sorted(parts))}
            products = Product.objects.in_bulk(parts.keys())
            shares = [(product_id, weight, order[product_id]) for product_id, weight in parts.items()]
            for product_id, part in split(final, shares):
                if part:
                    ledger_post(
                        kind=EntryKind.WRITE_OFF, amount=part, month=sheet.statement.month, rep=sheet.statement.rep,
                        posted_by=actor, account=account_for(products[product_id]), statement=sheet.statement,
                        customer=sheet.contact.customer, contact=sheet.contact, note=f"附表4 #{sheet.pk}",
                    )  # fmt: skip
        _close_statement_if_done(sheet.statement)
    return sheet


def _close_statement_if_done(statement: Statement) -> None:
    statement = _locked_statement(statement)
    if statement.written_off_at:
        return
    if SignoffSheet.objects.filter(statement=statement, written_off_at__isnull=True).exists():
        return
    statement.written_off_at = timezone.now()
    statement.save(update_fields=["written_off_at"])
    Advance.objects.filter(statement=statement, status=AdvanceStatus.PAID).update(status=AdvanceStatus.SETTLED)


# --- several sheets in one action (EXP-11) --------------------------------------------------


def _all_or_nothing(*, sheets, statement: Statement, action) -> list[SignoffSheet]:
    """Apply `action` (a single-sheet service, with all its guards) to each of `sheets`, in
    one transaction, in primary-key order (so two bulk actions lock rows in the same order).
    All or nothing: if any sheet is refused, nothing is written and the error lists every
    refused sheet with its reason, so the user fixes the selection once and tries again. A
    refusal of the actor's role stops at once (it would hold for every sheet)."""
    sheets = sorted(sheets, key=lambda sheet: sheet.pk)
    if not sheets:
        raise DomainError(_("Choose at least one sheet."), field="sheets")
    if any(sheet.statement_id != statement.pk for sheet in sheets):
        raise DomainError(_("Every selected sheet must belong to this statement."), field="sheets")
    done, refused = [], []
    with transaction.atomic():
        for sheet in sheets:
            try:
                with transaction.atomic():
                    done.append(action(sheet))
            except PermissionDenied:
                raise
            except DomainError as error:
                refused.append(f"{sheet.contact.name}: {error.message}")
        if refused:  # raised inside the transaction: everything done above is rolled back
            raise DomainError(
                _(
                    "Nothing was recorded: %(n)d of the %(total)d selected sheets were refused (%(reasons)s). "
                    "Clear those and try again."
                )
                % {"n": len(refused), "total": len(sheets), "reasons": "; ".join(refused)},
                field="sheets",
            )
    return done


def signoff_payout_many(*, actor: User, statement: Statement, sheets) -> list[SignoffSheet]:
    """Record the payout of the selected sheets of a statement in one action (EXP-11), each
    with the guards of `signoff_payout`; all or nothing."""
    return _all_or_nothing(
        sheets=sheets, statement=statement, action=lambda sheet: signoff_payout(actor=actor, sheet=sheet)
    )


def signoff_spot_check_many(*, actor: User, statement: Statement, sheets) -> list[SignoffSheet]:
    """The sales manager's spot-check of several confirmed sheets of a statement in one action
    (EXP-11), each with the guards of `signoff_spot_check`; all or nothing."""
    return _all_or_nothing(
        sheets=sheets, statement=statement, action=lambda sheet: signoff_spot_check(actor=actor, sheet=sheet)
    )


# --- open work, for the deadline reminders (JOB-03) ------------------------------------------


@dataclass(frozen=True)
class PayoutWork:
    """Something still open on a valid statement. `step` is "payout" and "sheets" (the rep's:
    `rep_id`) or "writeoff" (finance's). `open_count` is the number of sheets still open at
    that step (for "payout"/"sheets": 0 means no sheet has been drawn up yet)."""

    step: str
    statement_id: int
    month: date
    rep_id: int
    due: date
    due_at: datetime
    open_count: int
    overdue: bool


def open_payout_work(today: date | None = None) -> list[PayoutWork]:
    """What is still open on valid statements not yet written off, for months that have ended
    by `today` (default: today in Asia/Shanghai), overdue ones included, oldest month first.
    One query for the statements plus the calendar look-ups of each distinct month."""
    today = today or timezone.localdate()
    payable = StatementLine.objects.filter(statement=OuterRef("pk"), blocked=False, payable__gt=0)
    statements = (
        Statement.objects.filter(
            status=StatementStatus.VALID, written_off_at__isnull=True, month__lt=today.replace(day=1)
        )
        .filter(Exists(payable))
        .annotate(
            sheet_count=Count("signoff_sheets"),
            unpaid=Count("signoff_sheets", filter=Q(signoff_sheets__paid_at__isnull=True)),
            not_handed_in=Count("signoff_sheets", filter=Q(signoff_sheets__submitted_to_finance_at__isnull=True)),
            to_write_off=Count(
                "signoff_sheets",
                filter=Q(
                    signoff_sheets__submitted_to_finance_at__isnull=False, signoff_sheets__written_off_at__isnull=True
                ),
            ),
        )
        .order_by("month", "rep_id")
    )
    deadlines: dict[date, PayoutDeadlines] = {}
    work = []
    for statement in statements:
        if statement.month not in deadlines:
            deadlines[statement.month] = payout_deadlines(statement.month)
        due = deadlines[statement.month]
        counts = {
            "payout": statement.unpaid if statement.sheet_count else 0,
            "sheets": statement.not_handed_in if statement.sheet_count else 0,
            "writeoff": statement.to_write_off,
        }
        open_steps = {
            "payout": not statement.sheet_count or statement.unpaid > 0,
            "sheets": not statement.sheet_count or statement.not_handed_in > 0,
            "writeoff": statement.to_write_off > 0,
        }
        for step, is_open in open_steps.items():
            if is_open:
                day = getattr(due, step)
                work.append(
                    PayoutWork(step=step, statement_id=statement.pk, month=statement.month, rep_id=statement.rep_id,
                               due=day, due_at=due.moment(step), open_count=counts[step], overdue=today > day)
                )  # fmt: skip
    return work


# --- notifications ----------------------------------------------------------------------------


def _notify_confirmed(sheet_id: int) -> None:
    sheet = SignoffSheet.objects.select_related("contact", "statement", "payer").get(pk=sheet_id)
    notify(
        recipient=sheet.payer,
        key=f"signoff-confirmed:{sheet.pk}",
        kind="signoff",
        title=gettext_lazy("%(contact)s confirmed receipt of %(amount)s"),
        params={"contact": sheet.contact.name, "amount": yuan(sheet.amount)},
        url=f"/fees/payouts/{sheet.statement_id}/",
        email=False,
    )


def _notify_finance_of_sheets(statement_id: int, count: int) -> None:
    statement = Statement.objects.select_related("rep").get(pk=statement_id)
    handed_in = SignoffSheet.objects.filter(statement=statement, submitted_to_finance_at__isnull=False).count()
    for person in department_people(statement.rep, Role.FINANCE):
        notify(
            recipient=person,
            key=f"signoff-handed-in:{statement.pk}:{handed_in}:{person.pk}",
            kind="signoff",
            title=gettext_lazy("%(rep)s handed in %(count)s sign-off sheets for %(month)s"),
            body=gettext_lazy("Write them off by the deadline."),
            params={"rep": statement.rep.display_name, "count": count, "month": f"{statement.month:%Y-%m}"},
            url="/fees/finance/",
        )
