"""Demo rapport fees, after the customers demo: fee standards for the demo products, and the
last two months' statements in every state, made with the services and then dated back to
when each step would have happened (the services stamp "now"; ledger entries, which are
immutable, keep the moment the demo was loaded).

    2 months back  rep1: written off, its advance settled; rep2: written off;
                   rep3: valid, sign-off sheets half paid; rep4: signed by the manager, waiting for finance
    (the originals filed by finance and the copies by the clerk, except rep3's copy)
    last month     rep1: signed by the clerk; rep2: returned by the manager with a comment;
                   rep3: submitted, waiting for the clerk; rep4: draft (late)

plus two new-customer special-fee applications (one waiting for the manager, one for the
director), a confidentiality exception and a 附表5 contact change waiting for the director, an open
investigation, and a late correction: the ERP (erp1) reports a unit returned on rep2's
written-off month, which makes a claw-back due (EXP-04, EXP-12). rep3, rep4 and rep5 are
extra demo reps with a few customers of their own; rep5 has not started last month's
statement, so the month's roster shows a rep to remind. Deterministic and idempotent: each
statement is made once per rep and month.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from crm_project.accounts.demo import DEMO_PASSWORD
from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role
from crm_project.workdays.calendar import add_months, local_zone, next_month, nth_working_day
from customers.models import (
    Contact,
    ContactChangeRequest,
    ContactRole,
    Customer,
    CustomerKind,
    CustomerStatus,
    Industry,
    Product,
    Purchase,
)
from customers.services.contact_changes import contact_change_approve_manager, contact_change_file
from customers.services.purchase_rows import purchases_bulk_upsert
from customers.services.search import customer_refresh_search_text

from .demo_budgets import seed_budgets, seed_expenses
from .models import (
    Advance,
    ConfidentialityException,
    FeeStandard,
    FeeTier,
    Investigation,
    PurchaseCorrection,
    ReviewAction,
    ReviewEvent,
    Signature,
    SignoffMethod,
    SignoffSheet,
    SpecialFeeApplication,
    SpotCheck,
    Statement,
    StatementLine,
    StatementStatus,
)
from .services.advances import advance_pay, advance_request, spot_check_record
from .services.archive import statement_file_copy, statement_file_original
from .services.controls import exception_approve, exception_request, investigation_open
from .services.review import statement_return, statement_sign
from .services.signoff import (
    payout_deadlines,
    signoff_payout,
    signoff_sheets_create,
    signoff_spot_check,
    signoff_submit_to_finance,
    signoff_write_off,
)
from .services.special_fees import special_fee_apply, special_fee_approve
from .services.standards import StandardBook
from .services.statements import statement_create, statement_submit

# product code → tiers (min, max or None, fee per unit); P-MOD-IMP is EXP-02's illustration.
STANDARDS = {
    "P-MOD-IMP": [(1, 4, "5.00"), (5, 9, "7.00"), (10, 20, "9.00"), (21, None, "10.00")],
    "P-MOD-DOM": [(1, 9, "3.00"), (10, 29, "4.00"), (30, None, "5.00")],
    "P-SENSOR": [(1, 19, "1.50"), (20, None, "2.00")],
    "P-CABLE": [(1, 4, "8.00"), (5, None, "10.00")],
    "P-SERVICE": [(1, None, "20.00")],
}

EXTRA_REPS = [("rep3", "王", "芳"), ("rep4", "黄", "磊"), ("rep5", "赵", "敏")]
EXTRA_CUSTOMERS = ["星河电子", "蓝海物流", "金石建材", "东方仪器"]


def _write(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _when(month: date, working_day: int, hour: int, minute: int = 0) -> datetime:
    """A moment on the n-th working day of the month after `month` (the statement's review
    month), never later than now."""
    year, number = next_month(month.year, month.month)
    moment = datetime.combine(nth_working_day(year, number, working_day), time(hour, minute), tzinfo=local_zone())
    return min(moment, timezone.now() - timedelta(minutes=5))


def _on(day: date, hour: int) -> datetime:
    return min(datetime.combine(day, time(hour), tzinfo=local_zone()), timezone.now() - timedelta(minutes=5))


# --- reference data ---------------------------------------------------------------------------


def _standards(finance: User, valid_from: date) -> int:
    created = 0
    for product in Product.objects.filter(code__in=STANDARDS):
        if FeeStandard.objects.filter(product=product).exists():
            continue
        # Directly, not through fee_standard_create: the demo's standard starts in a past month.
        standard = FeeStandard.objects.create(product=product, valid_from=valid_from, created_by=finance)
        FeeTier.objects.bulk_create(
            FeeTier(standard=standard, min_quantity=low, max_quantity=high, fee_per_unit=Decimal(fee))
            for low, high, fee in STANDARDS[product.code]
        )
        created += 1
    return created


def _extra_reps(sales: Department, products: dict[str, Product], months: list[date]) -> list[User]:
    rng = random.Random(20261124)
    group = Group.objects.get(name=Role.SALES_REP)
    industry = Industry.objects.filter(code="manufacturing").first()
    reps = []
    for index, (username, last_name, first_name) in enumerate(EXTRA_REPS):
        rep = User.objects.filter(username=username).first()
        if rep is None:
            rep = User(username=username, last_name=last_name, first_name=first_name, department=sales)
            rep.email = f"{username}@example.com"
            rep.set_password(DEMO_PASSWORD)
            rep.save()
            rep.groups.add(group)
        reps.append(rep)
        for number, name in enumerate(EXTRA_CUSTOMERS, start=1):
            code = f"DEMO-{username.upper()}-{number:02d}"
            if Customer.objects.filter(code=code).exists():
                continue
            customer = Customer.objects.create(
                code=code, name=f"{name}（{last_name}{first_name}客户）", kind=CustomerKind.ORGANISATION,
                grade="BC"[number % 2], status=CustomerStatus.ACTIVE, owner=rep, industry=industry,
                region="广东", source="老客户介绍", first_deal_date=months[-1] - timedelta(days=200),
            )  # fmt: skip
            for position, (role, share) in enumerate(
                [(ContactRole.PURCHASER, Decimal("60.00")), (ContactRole.PURCHASING_HEAD, Decimal("40.00"))]
            ):
                Contact.objects.create(
                    customer=customer, name=["陈晨", "林峰", "何静", "郭涛", "马丽", "罗斌", "梁爽", "宋佳"][
                        (index * 4 + number + position * 3) % 8
                    ],
                    role=role, phone=f"137{index}{number:02d}{position:05d}", receives_fee=True, fee_share=share,
                )  # fmt: skip
            for month in months:
                for product in (products["P-MOD-IMP"], products["P-SENSOR"]):
                    quantity = Decimal(rng.randint(3, 24))
                    amount = quantity * Decimal(rng.choice([150, 300, 600]))
                    Purchase.objects.create(
                        customer=customer, product=product, month=month, quantity=quantity, amount=amount,
                        collected_amount=amount if (number + month.month) % 3 else (amount * Decimal("0.5")),
                        source="import",
                    )  # fmt: skip
            customer_refresh_search_text(customer_ids=[customer.pk])
    return reps


def _individuals_receive_their_fee() -> None:
    """The customers demo's individual customers have one contact who does not receive fees;
    a statement with fees and nobody to receive them cannot be submitted, so in the fee demo
    the person themself receives them."""
    for contact in Contact.objects.filter(
        customer__kind=CustomerKind.INDIVIDUAL, customer__code__startswith="DEMO", receives_fee=False, active=True
    ):
        contact.receives_fee, contact.fee_share = True, Decimal("100.00")
        contact.save(update_fields=["receives_fee", "fee_share"])


# --- statements, step by step, dated back -----------------------------------------------------


def _stamp_event(statement: Statement, action: str, moment: datetime, role: str = "") -> None:
    events = ReviewEvent.objects.filter(statement=statement, action=action)
    if role:
        events = events.filter(role=role)
    events.filter(pk__in=events.order_by("-pk").values("pk")[:1]).update(at=moment)


def _submit(statement: Statement, moment: datetime) -> Statement:
    statement = statement_submit(actor=statement.rep, statement=statement)
    late = moment > statement.due_at
    Statement.objects.filter(pk=statement.pk).update(
        submitted_at=moment, first_submitted_at=moment, late=late, late_by=(moment - statement.due_at) if late else None
    )
    _stamp_event(statement, ReviewAction.SUBMIT, moment)
    return statement


def _sign(statement: Statement, signer: User, moment: datetime) -> Statement:
    statement = statement_sign(actor=signer, statement=statement)
    signature = Signature.objects.filter(statement=statement, user=signer, cycle=statement.cycle)
    signature.update(signed_at=moment)
    _stamp_event(statement, ReviewAction.SIGN, moment, role=signature.get().role)
    if statement.status == StatementStatus.VALID:
        Statement.objects.filter(pk=statement.pk).update(valid_at=moment)
    return statement


def _file(statement: Statement, people: dict[str, User], *, copy: bool = True) -> None:
    """EXP-08: finance files the signed original (and the clerk the copy), a day after."""
    moment = _when(statement.month, 8, 10)
    statement_file_original(actor=people["finance1"], statement=statement)
    Statement.objects.filter(pk=statement.pk).update(archived_original_at=moment)
    _stamp_event(statement, ReviewAction.ARCHIVE, moment, role="finance")
    if copy:
        statement_file_copy(actor=people["clerk1"], statement=statement)
        Statement.objects.filter(pk=statement.pk).update(archived_copy_at=moment + timedelta(hours=2))
        _stamp_event(statement, ReviewAction.ARCHIVE, moment + timedelta(hours=2), role="clerk")


def _signed_three_times(statement: Statement, people: dict[str, User]) -> Statement:
    month = statement.month
    statement = _submit(statement, _when(month, 2, 16))
    statement = _sign(statement, people["clerk1"], _when(month, 4, 10))
    statement = _sign(statement, people["manager1"], _when(month, 5, 15))
    return _sign(statement, people["finance1"], _when(month, 7, 11))


def _advance(statement: Statement, people: dict[str, User], amount: Decimal) -> Advance:
    month = statement.month
    advance = advance_request(actor=statement.rep, statement=statement, amount=amount)
    advance = advance_pay(actor=people["finance1"], advance=advance)
    Advance.objects.filter(pk=advance.pk).update(requested_at=_when(month, 9, 9, 30), paid_at=_when(month, 9, 14))
    customers = list(statement.lines.values_list("customer_id", flat=True).distinct().order_by("customer_id")[:3])
    check = spot_check_record(
        actor=people["manager1"], statement=statement, customers=customers, all_confirmed=True,
        note="电话回访，客户确认已收到",
    )  # fmt: skip
    SpotCheck.objects.filter(pk=check.pk).update(checked_at=_when(month, 10, 11))
    return advance


def _pay_out(statement: Statement, people: dict[str, User], *, share_done: float = 1.0, write_off: bool = True):
    """Sheets drawn up and paid; `share_done` of them confirmed and, if `write_off`, handed in
    and written off."""
    rep, due = statement.rep, payout_deadlines(statement.month)
    sheets = signoff_sheets_create(actor=rep, statement=statement)
    done = sheets[: max(1, round(len(sheets) * share_done))] if sheets else []
    paid_at = _on(due.payout, 10)
    for index, sheet in enumerate(done):
        signoff_payout(actor=rep, sheet=sheet)
        SignoffSheet.objects.filter(pk=sheet.pk).update(
            paid_at=paid_at, confirmed_at=paid_at + timedelta(hours=2),
            method=SignoffMethod.LINK if index % 3 else SignoffMethod.PAPER,
        )  # fmt: skip
    if not write_off or not done:
        return
    signoff_submit_to_finance(actor=rep, statement=statement)
    SignoffSheet.objects.filter(statement=statement).update(submitted_to_finance_at=_on(due.sheets, 10))
    signoff_spot_check(actor=people["manager1"], sheet=done[0])
    SignoffSheet.objects.filter(pk=done[0].pk).update(spot_checked_at=_on(due.sheets, 15))
    for sheet in done:
        signoff_write_off(actor=people["finance1"], sheet=sheet)
    SignoffSheet.objects.filter(statement=statement).update(written_off_at=_on(due.writeoff, 15))
    Statement.objects.filter(pk=statement.pk).update(written_off_at=_on(due.writeoff, 15))


def _statement(rep: User, month: date, state: str, people: dict[str, User], book: StandardBook) -> bool:
    if Statement.objects.filter(rep=rep, month=month).exists():
        return False
    statement = statement_create(actor=rep, month=month, book=book)
    Statement.objects.filter(pk=statement.pk).update(created_at=_when(month, 1, 9))
    if state == "draft":
        return True
    if state == "submitted":
        _submit(statement, _when(month, 3, 11))
    elif state == "clerk_signed":
        statement = _submit(statement, _when(month, 2, 16))
        _sign(statement, people["clerk1"], _when(month, 4, 10))
    elif state == "returned":
        statement = _submit(statement, _when(month, 3, 9))
        statement = _sign(statement, people["clerk1"], _when(month, 4, 10))
        statement_return(
            actor=people["manager1"], statement=statement,
            comment="请核对第一家客户的回款金额，与财务到账记录不一致；改正后重新提交。",
        )  # fmt: skip
        _stamp_event(statement, ReviewAction.RETURN, _when(month, 5, 14))
    elif state == "manager_signed":
        statement = _submit(statement, _when(month, 3, 15))
        statement = _sign(statement, people["clerk1"], _when(month, 5, 10))
        _sign(statement, people["manager1"], _when(month, 6, 16))
    else:
        statement = _signed_three_times(statement, people)
        # Part way: rep3's sheets are half paid and sales has not filed its copy yet.
        _file(statement, people, copy=state != "sheets_pending")
        if state == "written_off_with_advance":
            payable = sum(line.payable for line in statement.lines.filter(blocked=False))
            _advance(statement, people, min(Decimal("1500.00"), payable))
        if state in ("written_off", "written_off_with_advance"):
            _pay_out(statement, people)
        elif state == "sheets_pending":
            _pay_out(statement, people, share_done=0.5, write_off=False)
    return True


# --- the rest ---------------------------------------------------------------------------------


def _special_fees(rep: User, people: dict[str, User], today: date) -> int:
    if SpecialFeeApplication.objects.filter(rep=rep).exists():
        return 0
    prospects = list(Customer.objects.filter(owner=rep, code__startswith="DEMO").order_by("code")[:2])
    made = 0
    for index, customer in enumerate(prospects):
        application = special_fee_apply(
            actor=rep, customer=customer, planned_contract_date=today + timedelta(days=30 + index * 15),
            amount=Decimal("2000.00") + index * Decimal("1500.00"),
            purpose=["新客户首单签约公关费用（附表3）", "新客户年度框架协议洽谈费用"][index],
        )  # fmt: skip
        if index == 0:
            special_fee_approve(actor=people["manager1"], application=application)
        made += 1
    return made


def _late_correction(rep: User) -> int:
    """EXP-04, EXP-12: erp1 reports one unit returned on a written-off month of `rep`: a
    correction, not an overwrite, and a claw-back due on finance's page."""
    erp = User.objects.filter(username="erp1").first()
    if erp is None or PurchaseCorrection.objects.exists():
        return 0
    line = (
        StatementLine.objects.filter(statement__rep=rep, statement__written_off_at__isnull=False, payable__gt=0,
                                     net_quantity__gte=2)
        .select_related("customer", "product")
        .order_by("statement__month", "pk")
        .first()
    )  # fmt: skip
    if line is None:
        return 0
    row = Purchase.objects.get(customer=line.customer, product=line.product, month=line.purchase_month)
    unit_price = (row.amount / row.quantity).quantize(Decimal("0.01"))
    returned_amount = min(row.amount, row.returned_amount + unit_price)
    purchases_bulk_upsert(
        actor=erp,
        rows=[{"external_ref": row.external_ref or f"ERP-DEMO-{row.pk}", "customer": row.customer.code,
               "product": row.product.code, "month": f"{row.month:%Y-%m}", "quantity": str(row.quantity),
               "amount": str(row.amount), "returned_quantity": str(row.returned_quantity + 1),
               "returned_amount": str(returned_amount),
               "collected_amount": str(min(row.collected_amount, row.amount - returned_amount))}],
    )  # fmt: skip
    return 1


def _controls(people: dict[str, User], today: date) -> None:
    rep2 = people["rep2"]
    if not Investigation.objects.exists():
        customer = Customer.objects.filter(owner=rep2, code__startswith="DEMO").order_by("-code").first()
        if customer:
            investigation_open(
                actor=people["clerk1"], customer=customer,
                reason="本月采购量与其库存、销售数据不符，核查进销存流向。",
            )  # fmt: skip
    if not ConfidentialityException.objects.exists():
        exception = exception_request(
            actor=people["clerk1"], grantee=people["gm1"], rep=people["rep1"],
            reason="年度内部审计需要查阅该销售代表的客情费明细（书面申请已存档）。",
            valid_until=today + timedelta(days=60),
        )  # fmt: skip
        exception_approve(actor=people["manager1"], exception=exception)


def _contact_change(people: dict[str, User]) -> int:
    """A 附表5 of rep1 approved by manager1, so it waits in director1's "waiting for my
    approval" (CUS-05) beside the special fee and the confidentiality exception."""
    if ContactChangeRequest.objects.filter(filed_by=people["rep1"]).exists():
        return 0
    for customer in Customer.objects.filter(owner=people["rep1"], archived_at__isnull=True).order_by("code"):
        receiving = list(Contact.objects.filter(customer=customer, active=True, receives_fee=True).order_by("pk"))
        if len(receiving) < 2:
            continue
        kept, leaving = receiving[0], receiving[-1]
        change = contact_change_file(
            actor=people["rep1"], customer=customer, reason=f"{leaving.name}已离职，由{kept.name}全额接收客情费。",
            items=[{"action": "remove", "contact": leaving},
                   {"action": "share", "contact": kept, "new_share": str(kept.fee_share + leaving.fee_share)}],
        )  # fmt: skip
        contact_change_approve_manager(actor=people["manager1"], request=change)
        return 1
    return 0


@transaction.atomic
def seed(stdout=None) -> None:
    names = ["rep1", "rep2", "clerk1", "manager1", "director1", "finance1", "gm1"]
    people = {user.username: user for user in User.objects.filter(username__in=names)}
    if len(people) != len(names) or not Product.objects.filter(code__in=STANDARDS).exists():
        _write(stdout, "  skipped: load the accounts and customers demo first")
        return
    budgets = seed_budgets()
    today = timezone.localdate()
    this_month = today.replace(day=1)
    m1, m2 = add_months(this_month, -1), add_months(this_month, -2)
    products = {product.code: product for product in Product.objects.filter(code__in=STANDARDS)}
    standards = _standards(people["finance1"], add_months(this_month, -12))
    rep3, rep4, rep5 = _extra_reps(people["rep1"].department, products, [m1, m2, add_months(this_month, -3)])
    people.update(rep3=rep3, rep4=rep4, rep5=rep5)
    _individuals_receive_their_fee()
    book = StandardBook()
    plan = [
        ("rep1", m2, "written_off_with_advance"),
        ("rep2", m2, "written_off"),
        ("rep3", m2, "sheets_pending"),
        ("rep4", m2, "manager_signed"),
        ("rep1", m1, "clerk_signed"),
        ("rep2", m1, "returned"),
        ("rep3", m1, "submitted"),
        ("rep4", m1, "draft"),
    ]
    made = sum(_statement(people[username], month, state, people, book) for username, month, state in plan)
    special = _special_fees(people["rep1"], people, today)
    _controls(people, today)
    changes = _contact_change(people)
    corrected = _late_correction(people["rep2"])
    expenses = seed_expenses()
    _write(
        stdout,
        f"  {standards} fee standards, {made} statements ({m2:%Y-%m}, {m1:%Y-%m}), {special} special-fee "
        f"applications, {corrected} late correction, {changes} contact change for the director; "
        f"demo reps rep3, rep4, rep5; {budgets} budget lines, {expenses} expense applications",
    )
