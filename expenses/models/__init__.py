"""Rapport fees 客情费 (DOMAIN §6, EXP-01 … EXP-15)."""

from .advances import Advance, AdvanceStatus, SpotCheck
from .budgets import (
    COMMITTED_KINDS,
    SPENT_KINDS,
    Budget,
    BudgetAdjustment,
    BudgetEntry,
    BudgetEntryKind,
    BudgetStatus,
    ExpenseCategory,
    ExpenseSettings,
)
from .controls import ConfidentialityException, Investigation, InvestigationStatus, Reassignment
from .corrections import PurchaseCorrection
from .entertainment import (
    ApplicationApproval,
    ApplicationStatus,
    ApprovalRole,
    ClaimReceipt,
    ClaimStatus,
    ExpenseApplication,
    ExpenseClaim,
)
from .ledger import EntryKind, LedgerAccount, LedgerEntry
from .settings import FeeSettings
from .signoff import SignoffMethod, SignoffSheet
from .special_fees import SpecialFeeApplication, SpecialFeeStatus
from .standards import FeeStandard, FeeTier
from .statements import (
    Allocation,
    ReviewAction,
    ReviewEvent,
    Signature,
    SignerRole,
    Statement,
    StatementLine,
    StatementStatus,
)

__all__ = [
    "COMMITTED_KINDS",
    "SPENT_KINDS",
    "Advance",
    "AdvanceStatus",
    "Allocation",
    "ApplicationApproval",
    "ApplicationStatus",
    "ApprovalRole",
    "Budget",
    "BudgetAdjustment",
    "BudgetEntry",
    "BudgetEntryKind",
    "BudgetStatus",
    "ClaimReceipt",
    "ClaimStatus",
    "ConfidentialityException",
    "EntryKind",
    "ExpenseApplication",
    "ExpenseCategory",
    "ExpenseClaim",
    "ExpenseSettings",
    "FeeSettings",
    "FeeStandard",
    "FeeTier",
    "Investigation",
    "InvestigationStatus",
    "LedgerAccount",
    "LedgerEntry",
    "PurchaseCorrection",
    "Reassignment",
    "ReviewAction",
    "ReviewEvent",
    "Signature",
    "SignerRole",
    "SignoffMethod",
    "SignoffSheet",
    "SpecialFeeApplication",
    "SpecialFeeStatus",
    "SpotCheck",
    "Statement",
    "StatementLine",
    "StatementStatus",
]  # fmt: skip
