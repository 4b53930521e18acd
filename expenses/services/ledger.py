"""Posting to the ledger (EXP-03). Entries are immutable; every balance is a sum."""

from datetime import date
from decimal import Decimal

from customers.models import Product

from ..models import LedgerAccount, LedgerEntry

ACCOUNT_PREFIX = "客户关系维护费——"


def account_for(product: Product) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        product=product, defaults={"name": f"{ACCOUNT_PREFIX}{product.name}"}
    )
    return account


def ledger_post(*, kind: str, amount: Decimal, month: date, rep, posted_by, **links) -> LedgerEntry:
    return LedgerEntry.objects.create(kind=kind, amount=amount, month=month, rep=rep, posted_by=posted_by, **links)
