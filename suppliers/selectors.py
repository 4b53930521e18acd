"""Reads. Every list, page, export, download, API call and job acting for a user starts from
`supplier_visible_to(user)` (ORG-02)."""

from django.db.models import Prefetch, QuerySet

from crm_project.accounts.access import visible_to

from .models import Supplier, SupplierDocument, SupplierPaymentTerms, SupplierScore, SupplierStep, SurveyFinding


def supplier_visible_to(user) -> QuerySet[Supplier]:
    return visible_to(user, Supplier.objects.all())


def payment_terms_visible_to(user) -> QuerySet[SupplierPaymentTerms]:
    """Finance's view of suppliers: active ones, code, name and payment terms (ORG-02)."""
    return visible_to(user, SupplierPaymentTerms.objects.all())


def with_file(queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
    """Everything the supplier's page and the completeness checks read, in a fixed number of
    queries whatever the number of documents, versions, scores or findings."""
    return queryset.select_related(
        "registered_by", "previous", "application_submitted_by", "decided_by", "activated_by"
    ).prefetch_related(
        Prefetch(
            "documents", queryset=SupplierDocument.objects.select_related("uploaded_by").order_by("kind", "-version")
        ),
        Prefetch("scores", queryset=SupplierScore.objects.select_related("scored_by").order_by("principle")),
        Prefetch(
            "findings",
            queryset=SurveyFinding.objects.select_related("department", "signed_by").order_by("department__code"),
        ),
        "goods_lines",
        Prefetch("steps", queryset=SupplierStep.objects.select_related("user").order_by("pk")),
        "later_registrations",
    )
