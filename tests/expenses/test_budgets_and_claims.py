"""Budgets, applications and claims through their services (EXP-16, EXP-17, EXP-03)."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from expenses.models import (
    ApplicationStatus,
    Budget,
    BudgetAdjustment,
    BudgetEntry,
    BudgetStatus,
    ClaimStatus,
    ExpenseApplication,
    ExpenseClaim,
)
from expenses.services.applications import application_allow_late_claim, application_approve, missing_steps
from expenses.services.budgets import (
    BudgetExceeded,
    adjustment_approve,
    adjustment_prepare,
    budget_approve,
    budget_prepare,
    budget_update,
    figures_of,
)
from expenses.services.claims import claim_accept, claim_approve, claim_file, remind_claims_due
from tests.expenses.budgets import EVENT_DAY, approved, approved_budget, category, filed
from tests.factories import UserFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
DUE = datetime.date(2026, 10, 13)  # 7 working days after Monday 28 September, across National Day


def receipt(name="receipt.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def at(day: datetime.date, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, 0)), tick=False)


@pytest.fixture
def gm_user(db):
    return UserFactory(username="general_manager", roles=["management"])


# --- budgets ----------------------------------------------------------------------------------


def test_finance_prepares_management_approves_and_the_budget_locks(sales, finance, gm_user):
    """EXP-16: finance drafts, management approves; an approved budget is locked."""
    budget = budget_prepare(actor=finance, year=2026, department=sales, category=category("gifts"), amount="5000")
    assert figures_of(budget).in_force == 0  # a draft is not in force
    budget_update(actor=finance, budget=budget, amount="6000")
    with pytest.raises(PermissionDenied):
        budget_approve(actor=finance, budget=budget)
    budget_approve(actor=gm_user, budget=budget)
    assert figures_of(budget).in_force == Decimal("6000.00")
    with pytest.raises(DomainError, match="locked"):
        budget_update(actor=finance, budget=budget, amount="9000")
    budget.refresh_from_db()
    assert budget.amount == Decimal("6000.00") and budget.status == BudgetStatus.APPROVED


def test_management_cannot_prepare_and_a_line_exists_once(sales, finance, gm_user):
    """EXP-16: one budget per year, department and category; management only approves."""
    with pytest.raises(PermissionDenied):
        budget_prepare(actor=gm_user, year=2026, department=sales, category=category("gifts"), amount="1")
    budget_prepare(actor=finance, year=2026, department=sales, category=category("gifts"), amount="1")
    with pytest.raises(DomainError, match="already has"):
        budget_prepare(actor=finance, year=2026, department=sales, category=category("gifts"), amount="2")
    with pytest.raises(DomainError, match="negative"):
        budget_prepare(actor=finance, year=2027, department=sales, category=category("gifts"), amount="-1")
    assert Budget.objects.filter(category__code="gifts").count() == 1


def test_a_cut_never_goes_below_what_is_used(sales, finance, gm_user, applicant, manager):
    """EXP-16: adjustments are approved like budgets; a cut below what is committed is refused."""
    budget = approved_budget(sales, amount="1000.00")
    approved(applicant, by=manager, cost="600.00")
    cut = adjustment_prepare(actor=finance, budget=budget, amount="-500", reason="年中压缩")
    with pytest.raises(DomainError, match="larger than what remains"):
        adjustment_approve(actor=gm_user, adjustment=cut)
    assert BudgetAdjustment.objects.get().status == BudgetStatus.DRAFT
    with pytest.raises(DomainError, match="zero"):
        adjustment_prepare(actor=finance, budget=budget, amount="0", reason="x")


# --- applications -----------------------------------------------------------------------------


def test_exactly_the_meal_cap_needs_only_the_superior(applicant, manager, entertainment_budget):
    """EXP-17: ¥200 per person per meal passes with the direct superior's approval alone."""
    application = filed(applicant, cost="600.00", persons=3)
    assert not application.above_cap
    assert missing_steps(application) == ["superior"]
    application_approve(actor=manager, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert figures_of(entertainment_budget).committed == Decimal("600.00")


def test_a_fen_above_the_cap_needs_the_head_and_the_general_manager(
    applicant, manager, sales_head, gm_user, entertainment_budget
):
    """EXP-17: ¥200.01 per person needs the department head's and then the general manager's approval."""
    application = filed(applicant, cost="600.03", persons=3)
    assert application.above_cap
    assert missing_steps(application) == ["superior", "department_head", "general_manager"]
    with pytest.raises(DomainError, match="first"):
        application_approve(actor=gm_user, application=application)
    application_approve(actor=manager, application=application)
    with pytest.raises(DomainError, match="first"):
        application_approve(actor=gm_user, application=application)
    application_approve(actor=sales_head, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert missing_steps(application) == ["general_manager"]
    application_approve(actor=gm_user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert [a.role for a in application.approvals.all()] == ["superior", "department_head", "general_manager"]


def test_an_application_after_its_event_is_refused(applicant, entertainment_budget):
    """EXP-17: the application comes before the event; one dated after it is refused."""
    with pytest.raises(DomainError, match="already taken place"):
        filed(applicant, on=datetime.date(2026, 9, 29), event_date=EVENT_DAY)
    filed(applicant, on=EVENT_DAY, event_date=EVENT_DAY)  # on the day itself is still before
    assert ExpenseApplication.objects.count() == 1


def test_nobody_approves_their_own_or_someone_elses(applicant, manager, other_rep, entertainment_budget):
    """EXP-17: only the direct superior approves; the applicant never does."""
    application = filed(applicant)
    for actor in (applicant, other_rep):
        with pytest.raises(PermissionDenied):
            application_approve(actor=actor, application=application)
    assert not application.approvals.exists()


def test_without_a_superior_nothing_is_filed(rep, entertainment_budget):
    """EXP-17: each user has one direct superior, set in the admin; without one the application is refused."""
    with pytest.raises(DomainError, match="no direct superior"):
        filed(rep)
    assert not ExpenseApplication.objects.exists()


# --- the budget check -------------------------------------------------------------------------


def test_over_the_budget_is_refused_with_the_remainder_until_an_adjustment_lifts_it(
    sales, applicant, manager, finance, gm_user
):
    """EXP-16: an expense that would exceed the budget is refused with what remains; an approved adjustment lifts it."""
    budget = approved_budget(sales, amount="1000.00")
    approved(applicant, by=manager, cost="600.00")
    second = filed(applicant, cost="500.00", persons=5)
    with pytest.raises(BudgetExceeded, match=r"¥400\.00 remains"):
        application_approve(actor=manager, application=second)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.PENDING and not second.approvals.exists()
    adjustment = adjustment_prepare(actor=finance, budget=budget, amount="100.00", reason="客户答谢会")
    with pytest.raises(BudgetExceeded):
        application_approve(actor=manager, application=second)  # not in force until approved
    adjustment_approve(actor=gm_user, adjustment=adjustment)
    application_approve(actor=manager, application=second)
    figures = figures_of(budget)
    assert (figures.in_force, figures.committed, figures.remaining) == (Decimal("1100.00"), Decimal("1100.00"), 0)


def test_without_an_approved_budget_nothing_is_committed(sales, finance, applicant, manager):
    """EXP-16: a draft budget is not in force."""
    budget_prepare(actor=finance, year=2026, department=sales, category=category("entertainment"), amount="9000")
    application = filed(applicant)
    with pytest.raises(BudgetExceeded, match="no approved 2026 budget"):
        application_approve(actor=manager, application=application)
    assert not BudgetEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_applications_racing_for_the_last_of_a_budget(sales, manager, sales_head):
    """EXP-16: two approvals on two connections race for the last ¥1,000; only one passes."""
    budget = approved_budget(sales, amount="1000.00")
    applicants = []
    for name in ("racer1", "racer2"):
        user = UserFactory(username=name, department=sales, roles=["sales_rep"])
        user.superior = manager
        user.save(update_fields=["superior"])
        applicants.append(user)
    applications = [filed(user, cost="1000.00", persons=5) for user in applicants]
    barrier = threading.Barrier(2)
    results = []

    def attempt(application):
        try:
            barrier.wait()
            application_approve(actor=manager, application=application)
            results.append("approved")
        except BudgetExceeded as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("approved") == 1, results
    assert figures_of(budget).committed == Decimal("1000.00")
    assert ExpenseApplication.objects.filter(status=ApplicationStatus.APPROVED).count() == 1


# --- claims -----------------------------------------------------------------------------------


def test_the_claim_deadline_counts_working_days_across_national_day(applicant, manager, finance, entertainment_budget):
    """EXP-17: claims within 7 working days after the event — across the 2026 National Day week (1–7 Oct off,
    Saturday 10 Oct worked) the event of 28 September is claimed by 13 October; a later claim is refused with the
    deadline it missed, unless finance allows it with a reason."""
    application = approved(applicant, by=manager, finance=finance)
    assert application.claim_due_by == DUE
    with at(DUE):
        claim_file(actor=applicant, application=application, amount=Decimal("500.00"), receipts=[receipt()])
    late = approved(applicant, by=manager, finance=finance, guest="李总")
    with at(DUE + datetime.timedelta(days=1)):
        with pytest.raises(DomainError, match="due by 2026-10-13"):
            claim_file(actor=applicant, application=late, amount=Decimal("500.00"), receipts=[receipt()])
        assert not late.claims.exists()
        with pytest.raises(DomainError, match="Say why"):
            application_allow_late_claim(actor=finance, application=late, reason=" ")
        application_allow_late_claim(actor=finance, application=late, reason="出差未归")
        claim = claim_file(actor=applicant, application=late, amount=Decimal("500.00"), receipts=[receipt()])
    assert claim.late and claim.due_by == DUE


def test_an_over_estimate_claim_needs_an_explanation_and_the_head(
    applicant, manager, sales_head, finance, entertainment_budget
):
    """EXP-17: an amount above the approved estimate needs an explanation and the department head's approval;
    finance's acceptance releases the commitment and posts the spend (EXP-16)."""
    application = approved(applicant, by=manager, finance=finance)
    with at(EVENT_DAY):
        with pytest.raises(DomainError, match="explain why"):
            claim_file(actor=applicant, application=application, amount=Decimal("650.00"), receipts=[receipt()])
        assert not ExpenseClaim.objects.exists()
        claim = claim_file(
            actor=applicant, application=application, amount=Decimal("650.00"), explanation="加了一道菜",
            receipts=[receipt()],
        )  # fmt: skip
    with pytest.raises(DomainError, match="department head approves it first"):
        claim_accept(actor=finance, claim=claim)
    with pytest.raises(PermissionDenied):
        claim_approve(actor=manager, claim=claim)
    claim_approve(actor=sales_head, claim=claim)
    claim_accept(actor=finance, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED
    figures = figures_of(entertainment_budget)
    assert (figures.committed, figures.spent) == (0, Decimal("650.00"))


def test_receipts_are_checked_by_content(applicant, manager, finance, entertainment_budget):
    """EXP-17: receipts are images or PDF, read from the content; a claim without them is refused."""
    application = approved(applicant, by=manager, finance=finance)
    with at(EVENT_DAY):
        with pytest.raises(DomainError, match="Attach the receipts"):
            claim_file(actor=applicant, application=application, amount=Decimal("500.00"), receipts=[])
        with pytest.raises(DomainError, match=r"fake\.png"):
            claim_file(actor=applicant, application=application, amount=Decimal("500.00"),
                       receipts=[receipt("fake.png", b"MZ\x90\x00 not an image")])  # fmt: skip
    assert not ExpenseClaim.objects.exists()


def test_the_claim_reminder_goes_two_working_days_before_once(applicant, manager, finance, entertainment_budget):
    """EXP-17, JOB-09: the applicant is reminded 2 working days before the claim deadline, once."""
    approved(applicant, by=manager, finance=finance)
    assert remind_claims_due(datetime.date(2026, 10, 9)) == 0
    assert remind_claims_due(datetime.date(2026, 10, 10)) == 1  # the make-up Saturday, 2 working days before
    assert remind_claims_due(datetime.date(2026, 10, 12)) == 0
    assert Notification.objects.filter(recipient=applicant, key__startswith="expense-claim-due:").count() == 1


def test_the_demo_shows_every_state(db):
    """EXP-16, EXP-17: the demo's budgets for Sales, Operations and Customer Service with an adjustment, applications
    and claims in every state, one refused for the budget and one above the meal cap with the extra approvals."""
    from crm_project.accounts import demo as accounts_demo
    from expenses.demo_budgets import seed_budgets, seed_expenses

    category("other")
    accounts_demo.seed()
    with at(datetime.date(2026, 12, 2)):
        assert seed_budgets() == 26
        seed_expenses()
        assert seed_expenses() == 0  # idempotent
    departments = set(Budget.objects.filter(year=2026).values_list("department__code", flat=True))
    assert departments == {"sales", "operations", "customer-service"}
    assert BudgetAdjustment.objects.filter(status=BudgetStatus.APPROVED).exists()
    assert set(ExpenseApplication.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    refused = ExpenseApplication.objects.get(status=ApplicationStatus.REJECTED, department__code="customer-service")
    assert "remains" in refused.comment
    above = ExpenseApplication.objects.get(above_cap=True)
    assert [a.role for a in above.approvals.all()] == ["superior", "department_head", "general_manager"]
