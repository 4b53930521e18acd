from .documents import DocumentKind, SupplierDocument
from .suppliers import (
    Source,
    Stage,
    Supplier,
    SupplierCodeSequence,
    SupplierGoodsLine,
    SupplierPaymentTerms,
    SupplierStep,
)
from .survey import Principle, ScoreResult, SupplierScore, SurveyFinding

__all__ = [
    "DocumentKind",
    "Principle",
    "ScoreResult",
    "Source",
    "Stage",
    "Supplier",
    "SupplierCodeSequence",
    "SupplierDocument",
    "SupplierGoodsLine",
    "SupplierPaymentTerms",
    "SupplierScore",
    "SupplierStep",
    "SurveyFinding",
]
