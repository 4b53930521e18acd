"""People and notices for the outgoing-notice tests (TEN-06). Engineering is the department
concerned (its head `engineer` approves), `gm` approves the seal, the desk seals and delivers.
Import the fixtures with `from .notice_fixtures import *` in a test module."""

import pytest

from tenants.models import NoticeStatus
from tenants.services.notices import (
    notice_approve,
    notice_approve_seal,
    notice_deliver,
    notice_draft,
    notice_seal,
    template_save,
)

from .factories import TenantFactory

BODY = "{tenant}（{unit}）：商场将于{date}起进行消防检查，请于{due_date}前完成整改。"

__all__ = ["BODY", "draft", "gm_seal", "notice_tenants", "template", "walk"]


@pytest.fixture
def notice_tenants(desk):
    return [
        TenantFactory(actor=desk, floor="1F", contacts=[{"name": "王店长", "email": "wang@example.com",
                                                         "is_primary": True}]),
        TenantFactory(actor=desk, floor="1F"),
        TenantFactory(actor=desk, floor="2F", unit="2F-201"),
    ]  # fmt: skip


@pytest.fixture
def template(desk):
    return template_save(actor=desk, name="消防检查通知", title="消防检查通知", body=BODY)


@pytest.fixture
def gm_seal(gm):
    return gm


def draft(actor, department, tenants, **values):
    from datetime import date

    defaults = {"title": "消防检查通知", "body": BODY, "notice_date": date(2026, 3, 2), "due_date": date(2026, 3, 20)}
    return notice_draft(actor=actor, department=department, tenants=tenants, **{**defaults, **values})


def walk(notice, *, to, head, gm, desk):
    """Take a draft through the steps up to the status `to`."""
    steps = [
        (NoticeStatus.APPROVED, lambda n: notice_approve(actor=head, notice=n)),
        (NoticeStatus.SEAL_APPROVED, lambda n: notice_approve_seal(actor=gm, notice=n)),
        (NoticeStatus.SEALED, lambda n: notice_seal(actor=desk, notice=n)),
        (NoticeStatus.DELIVERED, lambda n: notice_deliver(actor=desk, notice=n)),
    ]
    order = ["draft", *(status for status, _step in steps)]
    for status, step in steps[order.index(notice.status) :]:
        if notice.status == to:
            break
        notice = step(notice)
        assert notice.status == status
    return notice
