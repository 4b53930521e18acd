"""The sales director approves a new-customer special fee 附表3 from the queue, in Chinese, by
clicking (EXP-09): the rep filed it before the contract and the sales manager approved it (both
through the services); the director opens "Waiting for my approval" from the fee menu, opens the
application, confirms the one question and approves; finance decides next. Screenshots:
test-results/journeys/fees-director/."""

import datetime

import pytest
from django.utils import translation

from crm_project.accounts.roles import Role
from expenses.models import SpecialFeeApplication, SpecialFeeStatus
from expenses.services.special_fees import special_fee_apply, special_fee_approve
from tests.browser.journey import Journey, exactly, zh
from tests.customers.factories import CustomerFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(db, time_machine):
    """A prospect of the rep, its 附表3 for ¥2,000 filed on 2026-10-12 with the contract planned
    for 2026-11-02, approved by the sales manager: the director's step is next."""
    time_machine.move_to("2026-10-12 10:00 +0800", tick=True)
    sales = DepartmentFactory(code="sales", name_zh="销售部", name_en="Sales")
    money = DepartmentFactory(code="finance", name_zh="财务部", name_en="Finance")
    rep = UserFactory(username="rep1", last_name="李", first_name="明", department=sales, roles=[Role.SALES_REP])
    manager = UserFactory(username="manager1", last_name="张", first_name="伟", department=sales,
                          roles=[Role.SALES_MANAGER])  # fmt: skip
    UserFactory(username="director1", last_name="赵", first_name="强", department=sales, roles=[Role.SALES_DIRECTOR])
    UserFactory(username="finance1", last_name="陈", first_name="静", department=money, roles=[Role.FINANCE])
    prospect = CustomerFactory(owner=rep, name="杭州新远科技有限公司", status="prospect")
    filed = special_fee_apply(
        actor=rep, customer=prospect, planned_contract_date=datetime.date(2026, 11, 2), amount="2000.00",
        purpose="首单签约前的客户招待",
    )  # fmt: skip
    return special_fee_approve(actor=manager, application=filed)


def test_the_director_approves_a_special_fee_from_the_queue(live_server, chromium, application):
    """EXP-09: the item waits in the director's queue with the rep, the customer and the
    amount; approving asks once (customer, rep, amount) and moves it on to finance, and the
    queue is empty afterwards."""
    from playwright.sync_api import expect

    with Journey.start(chromium, live_server.url, "director1", name="fees director") as journey:
        page = journey.page
        journey.switch_to_chinese()

        journey.nav("Waiting for my approval", parent="Rapport fees")
        row = page.locator("#approvals-table .approval-special_fee")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("杭州新远科技有限公司")
        expect(row).to_contain_text("李明")
        expect(row).to_contain_text("¥2000.00")
        expect(row).to_contain_text(zh("approve as sales director"))
        journey.shot("waiting for my approval")

        journey.click_link("Open to decide", within="#approvals-table")
        expect(page.locator("main h1")).to_contain_text(zh("New-customer special fee"))
        expect(page.locator("#signatures")).to_contain_text("张伟")  # the manager's step
        journey.shot("the application")

        question = journey.confirm("#approve-button")
        assert "杭州新远科技有限公司" in question and "李明" in question and "2,000.00" in question
        expect(page.locator(".alert-success")).to_contain_text(zh("Approved; the next level decides now."))
        with translation.override("zh-hans"):
            approved, finance = str(SpecialFeeStatus.DIRECTOR_APPROVED.label), zh("finance")
        expect(page.locator("#special-fee-status")).to_have_text(approved)
        expect(page.locator("#signatures")).to_contain_text("赵强")
        expect(page.locator("main")).to_contain_text(zh("Waiting for %(who)s.") % {"who": finance})
        expect(page.locator("#approve-button")).to_have_count(0)
        journey.shot("approved")

        journey.nav("Waiting for my approval", parent="Rapport fees")
        expect(page.locator("#empty-state")).to_contain_text(zh("Nothing waits for your approval."))
        expect(page.get_by_role("button", name=exactly(zh("Approve")))).to_have_count(0)
        journey.shot("queue empty")

    application = SpecialFeeApplication.objects.select_related("director").get(pk=application.pk)
    assert application.status == SpecialFeeStatus.DIRECTOR_APPROVED
    assert application.director.username == "director1" and application.director_at is not None
