"""Demo budgets and other expenses (EXP-16, EXP-17): this year's (and last year's) approved
budgets for Sales, Operations and Customer Service, one approved adjustment and one waiting
for management; applications in every state — one waiting for the superior, one rejected, one
refused for the budget, one above the meal cap with the head's and the general manager's
approvals — and claims filed, approved by the head (above the estimate), accepted and
rejected. Budgets go through the services; the applications of past events are written as
they would have been filed before them, then approved and claimed through the services.
Idempotent: nothing is added once the demo's applications exist."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm_project.accounts.models import Department, User
from crm_project.core.errors import DomainError
from crm_project.workdays.calendar import add_working_days

from .categories import ensure_categories
from .models import Budget, ExpenseApplication, ExpenseCategory, ExpenseSettings
from .services.applications import (
    application_approve,
    application_file,
    application_record,
    application_reject,
    is_above_cap,
)
from .services.budgets import adjustment_approve, adjustment_prepare, budget_approve, budget_prepare
from .services.claims import claim_accept, claim_approve, claim_file, claim_reject

# department code → {category code: yuan}
BUDGETS = {
    "sales": {"visits": 60000, "gifts": 40000, "entertainment": 80000, "events": 50000, "rapport_fees": 2000000,
              "surveys": 10000, "other": 10000},
    "operations": {"entertainment": 30000, "events": 60000, "other": 8000},
    "customer-service": {"entertainment": 1500, "gifts": 6000, "surveys": 20000},
}  # fmt: skip

# A 1×1 PNG: the demo's receipts.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _budgets(year: int, finance: User, gm: User) -> int:
    made = 0
    ensure_categories(ExpenseCategory)  # seeded by a migration, but a database may have lost them
    categories = {category.code: category for category in ExpenseCategory.objects.all()}
    for code, lines in BUDGETS.items():
        department = Department.objects.filter(code=code).first()
        if department is None:
            continue
        for category_code, amount in lines.items():
            if Budget.objects.filter(year=year, department=department, category__code=category_code).exists():
                continue
            budget = budget_prepare(actor=finance, year=year, department=department,
                                    category=categories[category_code], amount=Decimal(amount))  # fmt: skip
            budget_approve(actor=gm, budget=budget)
            made += 1
    return made


def _past_application(applicant: User, *, event: date, cost: str, persons: int, guest: str, organisation: str,
                      reason: str, category: str = "entertainment") -> ExpenseApplication:  # fmt: skip
    """An application for a past event, as it was filed a week before it."""
    category_row = ExpenseCategory.objects.get(code=category)
    return ExpenseApplication.objects.create(
        applicant=applicant, department_id=applicant.department_id, category=category_row,
        filed_on=event - timedelta(days=7), event_date=event, guest=guest, organisation=organisation, reason=reason,
        persons=persons, estimated_cost=Decimal(cost), above_cap=is_above_cap(category_row, Decimal(cost), persons),
        superior=applicant.superior,
        claim_due_by=add_working_days(event, ExpenseSettings.load().claim_working_days),
    )  # fmt: skip


def _receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("发票.png", PNG, content_type="image/png")


def _applications(people: dict[str, User], today: date) -> int:
    rep1, rep2, ops1, service1 = people["rep1"], people["rep2"], people["ops1"], people["service1"]
    manager, head_ops, gm, finance = people["manager1"], people["opsmanager1"], people["gm1"], people["finance1"]
    soon = today + timedelta(days=10)
    recent = today - timedelta(days=2)

    # rep1: lunch with a customer's buyers, claimed above the estimate, approved by the head, accepted.
    lunch = _past_application(rep1, event=recent, cost="540.00", persons=3, guest="王采购", organisation="华盛贸易",
                              reason="年度采购计划洽谈")  # fmt: skip
    application_approve(actor=manager, application=lunch)
    application_record(actor=finance, application=lunch)
    claim = claim_file(actor=rep1, application=lunch, amount=Decimal("586.00"), explanation="临时加一位客户",
                       receipts=[_receipt()])  # fmt: skip
    claim_approve(actor=manager, claim=claim)
    claim_accept(actor=finance, claim=claim)

    # rep1: a dinner above the cap (¥260 per person): superior and head (manager1), then the general manager.
    dinner = application_file(
        actor=rep1, category=ExpenseCategory.objects.get(code="entertainment"), event_date=soon, guest="陈总",
        organisation="深圳联创科技", reason="签约前商务宴请", persons=5, estimated_cost=Decimal("1300.00"),
    )  # fmt: skip
    application_approve(actor=manager, application=dinner)
    application_approve(actor=gm, application=dinner)

    # rep2: one waiting for the superior, and one the superior rejected.
    entertainment = ExpenseCategory.objects.get(code="entertainment")
    application_file(actor=rep2, category=entertainment, event_date=soon, guest="刘经理", organisation="广州华南医药",
                     reason="新品推介午餐", persons=4, estimated_cost=Decimal("720.00"))  # fmt: skip
    rejected = application_file(actor=rep2, category=ExpenseCategory.objects.get(code="gifts"), event_date=soon,
                                guest="周主任", organisation="东莞市人民医院", reason="节日礼品", persons=1,
                                estimated_cost=Decimal("1800.00"))  # fmt: skip
    application_reject(actor=manager, application=rejected, comment="礼品标准超出公司规定，请按 ¥500 以内重新申请。")

    # rep2: a visit lunch claimed above its estimate, approved by the head, waiting for finance.
    visit_lunch = _past_application(rep2, event=recent, cost="400.00", persons=2, guest="黄科长",
                                    organisation="佛山市第一人民医院", reason="回访")  # fmt: skip
    application_approve(actor=manager, application=visit_lunch)
    application_record(actor=finance, application=visit_lunch)
    over = claim_file(actor=rep2, application=visit_lunch, amount=Decimal("455.00"), explanation="客户临时多带一位同事",
                      receipts=[_receipt()])  # fmt: skip
    claim_approve(actor=manager, claim=over)

    # ops1: a tenants' dinner, claimed within the estimate and waiting for finance; a second claim rejected.
    tenants = _past_application(ops1, event=recent, cost="1600.00", persons=8, guest="商户代表",
                                organisation="万象城商户联谊会", reason="季度商户沟通晚宴")  # fmt: skip
    application_approve(actor=head_ops, application=tenants)
    application_record(actor=finance, application=tenants)
    claim_file(actor=ops1, application=tenants, amount=Decimal("1520.00"), receipts=[_receipt()])
    event = _past_application(ops1, event=recent, cost="3000.00", persons=30, guest="商户", organisation="万象城",
                              reason="周年庆活动物料", category="events")  # fmt: skip
    application_approve(actor=head_ops, application=event)
    application_record(actor=finance, application=event)
    wrong = claim_file(actor=ops1, application=event, amount=Decimal("2950.00"), receipts=[_receipt()])
    claim_reject(actor=finance, claim=wrong, comment="发票抬头不是本公司，请换开后重新报销。")

    # service1: refused for the budget — Customer Service's entertainment budget is almost spent.
    visit = application_file(actor=service1, category=entertainment, event_date=soon, guest="投诉客户代表",
                             organisation="华盛贸易", reason="重大投诉回访宴请", persons=6,
                             estimated_cost=Decimal("1200.00"))  # fmt: skip
    first = _past_application(service1, event=recent, cost="1000.00", persons=5, guest="VIP客户",
                              organisation="深圳联创科技", reason="满意度回访")  # fmt: skip
    application_approve(actor=gm, application=first)
    try:
        application_approve(actor=gm, application=visit)
    except DomainError as refusal:
        application_reject(actor=gm, application=visit, comment=str(refusal))
    return ExpenseApplication.objects.count()


def _adjustments(year: int, finance: User, gm: User) -> None:
    sales_entertainment = Budget.objects.get(year=year, department__code="sales", category__code="entertainment")
    lift = adjustment_prepare(actor=finance, budget=sales_entertainment, amount=Decimal("20000.00"),
                              reason="第四季度新客户开发活动增加")  # fmt: skip
    adjustment_approve(actor=gm, adjustment=lift)
    ops_events = Budget.objects.get(year=year, department__code="operations", category__code="events")
    adjustment_prepare(actor=finance, budget=ops_events, amount=Decimal("-5000.00"), reason="周年庆规模缩小")


PEOPLE = ["rep1", "rep2", "ops1", "service1", "manager1", "opsmanager1", "gm1", "finance1"]


def _people() -> dict[str, User] | None:
    people = {user.username: user for user in User.objects.filter(username__in=PEOPLE)}
    return people if len(people) == len(PEOPLE) else None


def seed_budgets() -> int:
    """Before the fee demo pays anything out: the budgets it spends from."""
    people = _people()
    if people is None:
        return 0
    today = timezone.localdate()
    return sum(_budgets(year, people["finance1"], people["gm1"]) for year in (today.year - 1, today.year))


def seed_expenses() -> int:
    people = _people()
    if people is None or ExpenseApplication.objects.exists():
        return 0
    today = timezone.localdate()
    _adjustments(today.year, people["finance1"], people["gm1"])
    return _applications(people, today)
