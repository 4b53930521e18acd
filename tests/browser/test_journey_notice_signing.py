"""A tenant signs for an outgoing notice 对外发文 on a phone through its personal link (TEN-06):
no login, its own text, one large button, then the thank-you; the link then says it was used,
and the desk's notice page lists the tenant as signed. Screenshots: test-results/journeys/notice-*/."""

from datetime import date

import pytest

from crm_project.accounts.roles import Role
from tenants.models import NoticeAddressee
from tenants.services.notices import (
    notice_approve,
    notice_approve_seal,
    notice_deliver,
    notice_draft,
    notice_link_reissue,
    notice_seal,
)
from tenants.services.tenants import tenant_create
from tests.browser.journey import Journey
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


@pytest.fixture
def delivered(db):
    operations = DepartmentFactory(code="operations", name_zh="营运部", name_en="Operations")
    management = DepartmentFactory(code="management", name_zh="总经理室", name_en="Management")
    desk = UserFactory(username="ops1", department=operations, roles=[Role.OPERATIONS])
    operations.head = desk
    operations.save(update_fields=["head"])
    gm = UserFactory(username="gm1", department=management, roles=[Role.MANAGEMENT])
    lease = {"floor": "1F", "business_type": "餐饮", "lease_start": date(2025, 1, 1), "lease_end": date(2028, 12, 31)}
    tenants = [
        tenant_create(actor=desk, shop_name=name, unit=unit, contacts=[{"name": "王店长"}], **lease)
        for name, unit in (("星巴克咖啡", "1F-101"), ("喜茶", "1F-102"))
    ]
    notice = notice_draft(
        actor=desk, department=operations, title="关于消防安全检查的通知", tenants=tenants,
        body="{tenant}（{unit}）：商场将于{date}进行消防安全检查，请于{due_date}前清理消防通道。" * 3,
        notice_date=date(2026, 9, 1), due_date=date(2026, 9, 10),
    )  # fmt: skip
    notice = notice_approve(actor=desk, notice=notice)
    notice = notice_approve_seal(actor=gm, notice=notice)
    notice = notice_seal(actor=desk, notice=notice)
    notice = notice_deliver(actor=desk, notice=notice)
    addressee = notice.addressees.get(tenant=tenants[0])
    url = notice_link_reissue(actor=desk, addressee=addressee)
    return {"notice": notice, "addressee": addressee, "path": url.split("://", 1)[-1].split("/", 1)[1]}


def test_a_tenant_signs_for_a_notice_on_a_phone(live_server, chromium, delivered):
    """TEN-06: the personal link on a 390×844 phone; works once; the desk sees who signed."""
    from playwright.sync_api import expect

    url = f"{live_server.url}/{delivered['path']}"
    phone = chromium.new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        page = phone.new_page()
        page.goto(url)
        expect(page.locator("#sign-title")).to_have_text("关于消防安全检查的通知")
        expect(page.locator("#sign-text")).to_contain_text("星巴克咖啡（1F-101）")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        button = page.locator("#sign-button")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized, full-width target
        page.locator("#signer_name").fill("王店长")
        with page.expect_navigation():
            button.tap()
        expect(page.locator("#signed")).to_contain_text("Thank you")
        response = page.goto(url)
        assert response.status == 410
        expect(page.locator("#link-gone")).to_contain_text("already signed for")
    finally:
        phone.close()

    row = NoticeAddressee.objects.get(pk=delivered["addressee"].pk)
    assert (row.method, row.signer_name) == ("link", "王店长") and row.signed_at

    notice = delivered["notice"]
    with Journey.start(chromium, live_server.url, "ops1", name="notice signed desk", viewport=PHONE) as journey:
        page = journey.page
        page.goto(f"{live_server.url}/tenants/notices/{notice.pk}/")
        expect(page.locator("#signed-list")).to_contain_text("星巴克咖啡")
        expect(page.locator("#unsigned-list")).to_contain_text("喜茶")
        expect(page.locator("#signed-count")).to_have_text("1 / 2")
        journey.shot("signed")
