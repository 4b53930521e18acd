"""An emergency at the tenant desk on a phone: logged in a few taps, on the desk with its time
left, answered and resolved by Engineering, confirmed by the desk (TEN-02, TEN-03).
Screenshots: test-results/journeys/tenant-*/."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.accounts.roles import Role
from tenants.models import Status, TenantRequest
from tenants.services.tenants import tenant_create
from tests.browser.journey import Journey
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
START = datetime(2026, 9, 8, 21, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def people(db):
    operations = DepartmentFactory(code="operations", name_zh="营运部", name_en="Operations")
    engineering = DepartmentFactory(code="engineering", name_zh="工程部", name_en="Engineering")
    desk = UserFactory(username="ops1", department=operations, roles=[Role.OPERATIONS])
    engineer = UserFactory(username="eng1", department=engineering, roles=[Role.SPECIALIST])
    engineering.head = engineer
    engineering.save(update_fields=["head"])
    tenant = tenant_create(
        actor=desk, shop_name="星巴克咖啡", unit="1F-101", floor="1F", business_type="餐饮",
        lease_start=date(2025, 1, 1), lease_end=date(2028, 12, 31),
        contacts=[{"name": "王店长", "phone": "13800000001"}],
    )  # fmt: skip
    return {"desk": desk, "engineer": engineer, "tenant": tenant}


def test_an_emergency_is_logged_on_a_phone_and_resolved(live_server, chromium, people):
    """TEN-02, TEN-03: the desk logs an emergency on a phone-sized screen — tenant, category, one
    text box; the desk page shows it with its time left; Engineering answers and resolves it from
    its phone; the desk records the tenant's confirmation."""
    from playwright.sync_api import expect

    with time_machine.travel(START, tick=True):
        with Journey.start(chromium, live_server.url, "ops1", name="tenant emergency desk", viewport=PHONE) as journey:
            page = journey.page
            page.goto(f"{live_server.url}/tenants/")
            page.locator("#log-request").click()
            page.locator("#request-form [name=tenant]").select_option(str(people["tenant"].pk))
            page.locator("#request-form [name=category][value=emergency]").check()
            page.locator("#request-form [name=description]").fill("后厨水管爆裂，地面大量积水")
            journey.shot("log")
            page.locator("#request-form button[type=submit]").click()
            expect(page.locator("#request-status")).to_contain_text("assigned")
            journey.shot("logged")
            page.goto(f"{live_server.url}/tenants/")
            expect(page.locator("main")).to_contain_text("后厨水管爆裂")
            expect(page.locator(".time-left").first).to_contain_text("left")
            journey.shot("desk")
        request = TenantRequest.objects.get()
        with Journey.start(
            chromium, live_server.url, "eng1", name="tenant emergency engineer", viewport=PHONE
        ) as journey:
            page = journey.page
            page.goto(f"{live_server.url}/tenants/requests/{request.pk}/")
            page.locator("#respond-note").fill("维修人员五分钟内到场")
            page.locator("#respond-form button[type=submit]").click()
            expect(page.locator("#request-status")).to_contain_text("responded")
            page.locator("#resolution").fill("已更换爆裂水管，地面已清理")
            page.locator("#resolve-form button[type=submit]").click()
            expect(page.locator("#request-status")).to_contain_text("resolved")
            journey.shot("resolved")
        with Journey.start(
            chromium, live_server.url, "ops1", name="tenant emergency confirm", viewport=PHONE
        ) as journey:
            page = journey.page
            page.goto(f"{live_server.url}/tenants/requests/{request.pk}/")
            page.locator("#confirm-note").fill("王店长确认已修好")
            page.locator("#confirm-form button[value=yes]").click()
            expect(page.locator("#request-status")).to_contain_text("confirmed")
            journey.shot("confirmed")
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED and request.responded_at < request.response_due_at
