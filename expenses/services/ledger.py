"""Posting to the ledger (EXP-03). Entries are immutable; every balance is a sum. A payout of
rapport fees is also spending of the rep's department's rapport-fee budget (EXP-16)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from customers.models import Product

from ..models import BudgetEntryKind, EntryKind, ExpenseCategory, LedgerAccount, LedgerEntry
from .budgets import Posting, post_against_budget

ACCOUNT_PREFIX = "客户关系维护费——"

# Money that reaches customers' contacts (less what returns claw back); an advance only moves
# cash to the rep and a write-off closes the books, so neither counts twice.
BUDGET_SPENDING_KINDS = (EntryKind.PAYOUT, EntryKind.SPECIAL_FEE, EntryKind.CLAW_BACK)


def account_for(product: Product) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        product=product, defaults={"name": f"{ACCOUNT_PREFIX}{product.name}"}
    )
    return account


def ledger_post(*, kind: str, amount: Decimal, month: date, rep, posted_by, **links) -> LedgerEntry:
    """Post an entry; a spending one is checked against the budget first (BudgetExceeded),
    so the caller's transaction must wrap both."""
    entry = LedgerEntry.objects.create(kind=kind, amount=amount, month=month, rep=rep, posted_by=posted_by, **links)
    if kind in BUDGET_SPENDING_KINDS:
        today = timezone.localdate()
        category = ExpenseCategory.objects.filter(code=ExpenseCategory.RAPPORT_FEES).first()
        post_against_budget(
            department=rep.department, category=category,
            year=today.year, postings=[Posting(BudgetEntryKind.RAPPORT_FEE, amount)], day=today, person=rep,
            posted_by=posted_by, ledger_entry=entry,
        )  # fmt: skip
    return entry
