"""Helpers of the supplier page tests: URLs, a candidate's details, and a snapshot of everything
a refused step must leave as it was."""

from django.urls import reverse

from tests.suppliers.factories import credit_code


def detail_url(supplier) -> str:
    return reverse("suppliers:supplier_detail", args=[supplier.pk])


def act_url(supplier, action: str) -> str:
    return reverse("suppliers:supplier_action", args=[supplier.pk, action])


def details(**overrides) -> dict:
    values = {
        "name": "华盛精密机械有限公司",
        "credit_code": credit_code(777),
        "legal_representative": "李四",
        "address": "深圳市南山区科技园",
        "contact_name": "张经理",
        "contact_phone": "13800000000",
        "contact_email": "zhang@example.com",
        "goods": "数控加工件",
        "source": "exhibition",
        "source_note": "2026 工博会",
    }
    return {**values, **overrides}


def page_text(response) -> str:
    return response.content.decode()


def snapshot(supplier):
    supplier.refresh_from_db()
    return (
        supplier.stage,
        supplier.steps.count(),
        supplier.documents.count(),
        supplier.scores.count(),
        supplier.findings.count(),
        supplier.goods_lines.count(),
        supplier.history.count(),
    )
