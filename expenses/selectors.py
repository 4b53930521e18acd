"""Reads. Fee data is visible per EXP-13 through the access registry; every page, export, API
call and job acting for a user starts here."""

from django.db.models import QuerySet

from crm_project.accounts.access import visible_to

from .models import (
    Advance,
    Allocation,
    Investigation,
    LedgerEntry,
    SignoffSheet,
    SpecialFeeApplication,
    Statement,
    StatementLine,
)


def statement_visible_to(user) -> QuerySet[Statement]:
    return visible_to(user, Statement.objects.all())


def statement_line_visible_to(user) -> QuerySet[StatementLine]:
    return visible_to(user, StatementLine.objects.all())


def allocation_visible_to(user) -> QuerySet[Allocation]:
    return visible_to(user, Allocation.objects.all())


def signoff_sheet_visible_to(user) -> QuerySet[SignoffSheet]:
    return visible_to(user, SignoffSheet.objects.all())


def advance_visible_to(user) -> QuerySet[Advance]:
    return visible_to(user, Advance.objects.all())


def ledger_entry_visible_to(user) -> QuerySet[LedgerEntry]:
    return visible_to(user, LedgerEntry.objects.all())


def special_fee_visible_to(user) -> QuerySet[SpecialFeeApplication]:
    return visible_to(user, SpecialFeeApplication.objects.all())


def investigation_visible_to(user) -> QuerySet[Investigation]:
    return visible_to(user, Investigation.objects.all())
