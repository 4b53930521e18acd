"""Suppliers in the access registry (ORG-02): a supplier's file is seen by procurement, the head
of purchasing, the staff of the survey departments (SUP-04, a setting) and, read-only, by
management; nobody else sees anything of it. Finance sees only the payment terms of active
suppliers, through their own proxy model."""

from crm_project.accounts import access
from crm_project.accounts.roles import Role

from .models import (
    Supplier,
    SupplierDocument,
    SupplierGoodsLine,
    SupplierPaymentTerms,
    SupplierScore,
    SupplierStep,
    SurveyFinding,
)
from .permissions import is_survey_department_staff


def sees_supplier_files(user) -> bool:
    if access.sees_everything(user) or user.has_role(Role.PROCUREMENT, Role.PURCHASING_HEAD):
        return True
    return is_survey_department_staff(user)


def _suppliers(user, queryset):
    return queryset if sees_supplier_files(user) else queryset.none()


def _payment_terms(user, queryset):
    if sees_supplier_files(user) or user.has_role(Role.FINANCE):
        return queryset.filter(stage="active")
    return queryset.none()


access.register(SupplierPaymentTerms, _payment_terms)
for model in (Supplier, SupplierDocument, SupplierGoodsLine, SupplierScore, SupplierStep, SurveyFinding):
    access.register(model, _suppliers)
