"""TEN-06: outgoing notices 对外发文 — every step in order, and each refusal writes nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from crm_project.core.errors import DomainError, PermissionDenied
from tenants.models import Notice, NoticeAddressee, NoticeStatus
from tenants.services import notices as services

from .factories import EXE_BYTES, PDF_BYTES, TenantFactory, png, upload
from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import BODY, draft, walk

pytestmark = pytest.mark.django_db


def _state(notice):
    fresh = Notice.objects.get(pk=notice.pk)
    return (fresh.status, fresh.approved_at, fresh.seal_approved_at, fresh.sealed_at, fresh.delivered_at,
            fresh.history.count())  # fmt: skip


def test_it_walks_every_step_in_order_and_records_who_and_when(
    desk, engineer, engineering, gm, notice_tenants, template, django_capture_on_commit_callbacks
):
    """TEN-06, ORG-03: draft → approve (the head) → approve_seal (management) → seal (the desk at
    the GM office) → deliver (a link per tenant, e-mailed to the main contact) → signed."""
    notice = draft(desk, engineering, notice_tenants, template=template)
    assert notice.status == NoticeStatus.DRAFT and notice.addressees.count() == 3
    text = notice.addressees.get(tenant=notice_tenants[2]).text
    assert text.startswith(notice_tenants[2].shop_name) and "2F-201" in text and "2026-03-20" in text
    notice = services.notice_approve(actor=engineer, notice=notice)
    assert (notice.status, notice.approved_by) == ("approved", engineer)
    notice = services.notice_approve_seal(actor=gm, notice=notice)
    assert (notice.status, notice.seal_approved_by) == ("seal_approved", gm)
    notice = services.notice_seal(actor=desk, notice=notice)
    assert (notice.status, notice.sealed_by) == ("sealed", desk) and notice.sealed_at
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_deliver(actor=desk, notice=notice)
    assert notice.status == "delivered" and notice.delivered_at
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
    assert "/tenants/notices/sign/" in mail.outbox[0].body
    rows = NoticeAddressee.objects.filter(notice=notice)
    assert all(row.token_hash and row.expires_at for row in rows)
    assert rows.get(tenant=notice_tenants[0]).emailed_at is not None
    assert rows.get(tenant=notice_tenants[0]).expires_at.date() == (notice.delivered_at + timedelta(days=30)).date()
    assert Notice.history.filter(id=notice.pk).count() == 5


@pytest.mark.parametrize("to", ["draft", "approved", "seal_approved", "sealed", "delivered"])
def test_it_refuses_every_step_out_of_order(to, desk, engineer, engineering, gm, notice_tenants):
    """TEN-06: a step out of order raises DomainError and changes nothing."""
    notice = walk(draft(desk, engineering, notice_tenants), to=to, head=engineer, gm=gm, desk=desk)
    allowed = {"draft": "approve", "approved": "approve_seal", "seal_approved": "seal", "sealed": "deliver"}
    steps = {
        "approve": lambda: services.notice_approve(actor=engineer, notice=notice),
        "approve_seal": lambda: services.notice_approve_seal(actor=gm, notice=notice),
        "seal": lambda: services.notice_seal(actor=desk, notice=notice),
        "deliver": lambda: services.notice_deliver(actor=desk, notice=notice),
    }
    before = _state(notice)
    for name, step in steps.items():
        if name == allowed.get(to):
            continue
        with pytest.raises(DomainError) as refused:
            step()
        assert not isinstance(refused.value, PermissionDenied), name
        assert _state(notice) == before


def test_it_refuses_the_wrong_person_at_each_step(
    desk, ops_manager, engineer, engineering, safety_staff, gm, rep, notice_tenants
):
    """TEN-06, ORG-02: only the department's head approves, only management approves the seal,
    only operations seals and delivers; a refusal writes nothing."""
    notice = draft(desk, engineering, notice_tenants)
    for person in (desk, ops_manager, safety_staff, gm, rep):
        with pytest.raises(PermissionDenied):
            services.notice_approve(actor=person, notice=notice)
    notice = services.notice_approve(actor=engineer, notice=notice)
    for person in (desk, engineer, ops_manager, rep):
        with pytest.raises(PermissionDenied):
            services.notice_approve_seal(actor=person, notice=notice)
    notice = services.notice_approve_seal(actor=gm, notice=notice)
    for person in (engineer, gm, rep, safety_staff):
        with pytest.raises(PermissionDenied):
            services.notice_seal(actor=person, notice=notice)
    notice = services.notice_seal(actor=desk, notice=notice)
    before = _state(notice)
    for person in (engineer, gm, rep):
        with pytest.raises(PermissionDenied):
            services.notice_deliver(actor=person, notice=notice)
    assert _state(notice) == before


def test_management_writes_nothing_but_the_seal_approval(desk, engineer, engineering, gm, notice_tenants, template):
    """TEN-06, ORG-02: management is read-only except for approving the seal."""
    with pytest.raises(PermissionDenied):
        draft(gm, engineering, notice_tenants)
    with pytest.raises(PermissionDenied):
        services.template_save(actor=gm, name="x", title="x", body="x")
    notice = walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    with pytest.raises(PermissionDenied):
        services.notice_receipt_paper(actor=gm, notice=notice, tenant=notice_tenants[0], scan=png())
    addressee = notice.addressees.first()
    with pytest.raises(PermissionDenied):
        services.notice_link_reissue(actor=gm, addressee=addressee)
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()
    assert Notice.objects.count() == 1


def test_a_department_drafts_for_itself_only(engineer, engineering, safety_staff, rep, buyer, notice_tenants):
    """TEN-06: the department concerned drafts its own notices; outsiders draft none."""
    notice = draft(engineer, engineering, notice_tenants[:1])
    assert notice.drafted_by == engineer
    for person in (safety_staff, rep, buyer):
        with pytest.raises(PermissionDenied):
            draft(person, engineering, notice_tenants[:1])


def test_rendering_refuses_an_unknown_placeholder(desk, engineering, notice_tenants):
    """TEN-06: an unknown placeholder is refused with a clear message, never left in the text."""
    with pytest.raises(DomainError, match=r"\{shop\}"):
        draft(desk, engineering, notice_tenants, body="{shop} 您好")
    with pytest.raises(DomainError, match="stray brace"):
        draft(desk, engineering, notice_tenants, body="{tenant 您好")
    with pytest.raises(DomainError, match=r"\{owner\}"):
        services.template_save(actor=desk, name="坏模板", title="t", body="{owner}")
    with pytest.raises(DomainError, match="due date"):
        draft(desk, engineering, notice_tenants, due_date=None)
    assert Notice.objects.count() == 0


def test_templates_are_edited_by_operations(desk, engineer, template):
    """TEN-06: operations keeps the unified templates."""
    changed = services.template_save(actor=desk, template=template, name=template.name, title="新标题", body="{unit}")
    assert changed.title == "新标题" and changed.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.template_save(actor=engineer, template=template, name="x", title="x", body="x")


def test_only_current_tenants_are_addressed(desk, engineering, notice_tenants):
    """TEN-06: a tenant that moved out is not addressed."""
    from tenants.services.tenants import tenant_move_out

    gone = TenantFactory(actor=desk)
    tenant_move_out(actor=desk, tenant=gone)
    with pytest.raises(DomainError):
        draft(desk, engineering, [*notice_tenants, gone])
    with pytest.raises(DomainError):
        draft(desk, engineering, [])


def _delivered(desk, engineer, engineering, gm, tenants):
    return walk(draft(desk, engineering, tenants), to="delivered", head=engineer, gm=gm, desk=desk)


def test_a_link_signs_once(desk, engineer, engineering, gm, notice_tenants):
    """TEN-06: the personal link signs for the notice once; the second use is refused."""
    notice = _delivered(desk, engineer, engineering, gm, notice_tenants)
    addressee = notice.addressees.first()
    url = services.notice_link_reissue(actor=desk, addressee=addressee)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    signed = services.notice_sign_by_link(token=token, signer_name="王店长")
    assert (signed.method, signed.signer_name) == ("link", "王店长") and signed.signed_at
    with pytest.raises(DomainError):
        services.notice_sign_by_link(token=token)
    assert services.addressee_for_token(token)[1] == "signed"
    assert NoticeAddressee.objects.filter(signed_at__isnull=False).count() == 1


def test_an_expired_link_signs_nothing(desk, engineer, engineering, gm, notice_tenants, settings):
    """TEN-06: the link is valid TENANT_NOTICE_LINK_DAYS days."""
    settings.TENANT_NOTICE_LINK_DAYS = 5
    notice = _delivered(desk, engineer, engineering, gm, notice_tenants)
    url = services.notice_link_reissue(actor=desk, addressee=notice.addressees.first())
    token = url.rstrip("/").rsplit("/", 1)[-1]
    with time_machine.travel(notice.delivered_at + timedelta(days=5, minutes=1)):
        assert services.addressee_for_token(token)[1] == "expired"
        with pytest.raises(DomainError):
            services.notice_sign_by_link(token=token)
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()


def test_a_paper_receipt_with_a_scan(desk, engineer, engineering, gm, notice_tenants):
    """TEN-06: operations uploads the scan of the paper receipt (method paper); a PDF or an
    image by content, anything else refused with nothing written."""
    notice = _delivered(desk, engineer, engineering, gm, notice_tenants)
    for bad in (upload("receipt.pdf", EXE_BYTES), upload("receipt.pdf", b"hello"), upload("r.pdf", b"")):
        with pytest.raises(DomainError):
            services.notice_receipt_paper(actor=desk, notice=notice, tenant=notice_tenants[0], scan=bad)
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()
    row = services.notice_receipt_paper(
        actor=desk, notice=notice, tenant=notice_tenants[0], scan=upload("签收单.pdf", PDF_BYTES), signer_name="王"
    )
    assert (row.method, row.recorded_by, row.scan_name, row.scan_type) == ("paper", desk, "签收单.pdf",
                                                                          "application/pdf")  # fmt: skip
    with pytest.raises(DomainError):
        services.notice_receipt_paper(actor=desk, notice=notice, tenant=notice_tenants[0], scan=png())
    other = TenantFactory(actor=desk)
    with pytest.raises(DomainError):
        services.notice_receipt_paper(actor=desk, notice=notice, tenant=other, scan=png())


def test_no_receipt_before_delivery(desk, engineer, engineering, gm, notice_tenants):
    """TEN-06: nothing is signed for before the notice is delivered."""
    notice = walk(draft(desk, engineering, notice_tenants), to="sealed", head=engineer, gm=gm, desk=desk)
    with pytest.raises(DomainError):
        services.notice_receipt_paper(actor=desk, notice=notice, tenant=notice_tenants[0], scan=png())


def test_the_notice_date_defaults_to_today(desk, engineering, notice_tenants):
    """TEN-06: {date} is the date of the notice."""
    with time_machine.travel(date(2026, 4, 1)):
        notice = draft(desk, engineering, notice_tenants[:1], notice_date=None, body="{date}", due_date=None)
    assert notice.addressees.get().text == "2026-04-01"
    assert BODY
