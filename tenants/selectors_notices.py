"""Reads for outgoing notices (TEN-06), all from the access registry (ORG-02)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from crm_project.accounts.access import visible_to

from .models import Notice, NoticeAddressee, NoticeTemplate, Tenant


def notice_visible_to(user) -> QuerySet[Notice]:
    return visible_to(user, Notice.objects.all())


def with_counts(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    return queryset.annotate(
        addressee_count=Count("addressees", distinct=True),
        signed_count=Count("addressees", filter=Q(addressees__signed_at__isnull=False), distinct=True),
        unsigned_count=Count("addressees", filter=Q(addressees__signed_at__isnull=True), distinct=True),
    )


def notice_list(user) -> QuerySet[Notice]:
    return with_counts(notice_visible_to(user)).select_related(
        "department", "drafted_by", "approved_by", "seal_approved_by", "sealed_by"
    )


def with_addressee_ids(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    """One query for every notice's addressed tenants and who has signed (the API)."""
    return queryset.prefetch_related(
        Prefetch("addressees", queryset=NoticeAddressee.objects.only("pk", "notice_id", "tenant_id", "signed_at"))
    )


def addressees_of(notice: Notice) -> QuerySet[NoticeAddressee]:
    return (
        NoticeAddressee.objects.filter(notice=notice)
        .select_related("tenant", "recorded_by")
        .defer("text")
        .order_by("tenant__floor", "tenant__unit", "pk")
    )


def template_visible_to(user) -> QuerySet[NoticeTemplate]:
    return visible_to(user, NoticeTemplate.objects.all())


def current_floors() -> list[str]:
    return list(
        Tenant.objects.filter(moved_out_at__isnull=True).order_by("floor").values_list("floor", flat=True).distinct()
    )
