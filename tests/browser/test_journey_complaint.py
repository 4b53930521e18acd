"""Customer service takes a complaint from the telephone to its closing, in Chinese, every step
reached by clicking (CMP-01 … CMP-05). Screenshots: test-results/journeys/complaint-to-closing/."""

import re

import pytest

from complaints.models import Complaint
from crm_project.accounts.roles import Role
from tests.browser.journey import Journey, exactly, zh
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "收到的传感器外壳有裂纹，共12件。"


@pytest.fixture
def people(db):
    """service1 in customer service (English on its profile until it switches), and a Quality
    department with its head to assign the complaint to. No customer: the date does not matter
    either, since no deadline passes during the journey."""
    service = DepartmentFactory(code="customer-service", name_zh="客服部", name_en="Customer Service")
    quality = DepartmentFactory(code="quality", name_zh="质量部", name_en="Quality")
    quality.head = UserFactory(username="quality1", department=quality, roles=[Role.SPECIALIST])
    quality.save(update_fields=["head"])
    return UserFactory(username="service1", department=service, roles=[Role.CUSTOMER_SERVICE], language="en")


def test_customer_service_takes_a_complaint_to_its_closing(live_server, chromium, people):
    """CMP-01, CMP-02, CMP-03, CMP-04, CMP-05: log by telephone, assign to Quality, investigate,
    propose a solution, inform the customer, close with the root cause and the preventive action
    (refused without them); all from the navigation and the complaint's page, in Chinese."""
    from playwright.sync_api import expect

    with Journey.start(chromium, live_server.url, "service1", name="complaint to closing") as journey:
        page = journey.page
        journey.switch_to_chinese()

        journey.nav("Complaints")
        expect(page.locator("main h1")).to_contain_text(zh("Complaints"))
        journey.shot("complaints")

        # CMP-01: by telephone, with the complainant's own details (no customer record needed).
        journey.click_link("New complaint", exact=False)
        form = "#complaint-form"
        journey.field("Channel", within=form).select_option("hotline")
        journey.field("Complainant", within=form).fill("周先生")
        journey.field("Phone or e-mail", within=form).fill("13900139000")
        journey.field("Company", within=form).fill("宁波精密仪器有限公司")
        journey.field("Complaint", within=form, context="complaint text").fill(TEXT)
        journey.field("Category", within=form).select_option("quality")  # CMP-02
        journey.shot("new complaint")
        journey.press("Log the complaint", within=form)
        complaint = Complaint.objects.get(text=TEXT)
        expect(page.locator("#complaint-header")).to_contain_text(complaint.reference)
        expect(page.locator("#targets")).to_be_visible()  # CMP-04: the service standards
        journey.shot("logged")

        def open_action(label: str, context: str = ""):
            """Opens a step of "Next step" by its button and waits until Bootstrap's collapse has
            finished: a click on the submit button while the panel still slides open was once lost."""
            toggle = journey.button(label, within="#complaint-actions .d-flex", context=context)
            if toggle.get_attribute("aria-expanded") != "true":
                toggle.click()
            panel = page.locator(toggle.get_attribute("data-bs-target"))
            expect(panel).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))
            return panel.locator("form")

        def step(label: str, fill=None, shot: str = ""):
            """Opens a step of "Next step" by its button, fills its form, submits it."""
            form = open_action(label)
            expect(form).to_be_visible()
            if fill:
                fill(form)
            with page.expect_navigation():
                form.get_by_role("button", name=exactly(zh(label))).click()
            journey.shot(shot or label)

        # CMP-02: the responsible department, picked by its name in Chinese.
        step("Assign", lambda form: form.get_by_label(zh("Responsible department")).select_option(label="质量部"))
        step("Start the investigation", lambda form: form.get_by_label(zh("Note")).fill("已安排质量部现场核查"))
        step("Propose a solution", lambda form: form.get_by_label(zh("Proposed solution")).fill("免费更换12件外壳。"))
        step("Customer informed", lambda form: form.get_by_label(zh("Note")).fill("电话告知周先生处理方案"))

        # CMP-05: no closing without the root cause and the preventive action.
        def satisfied_only(form):
            form.get_by_label("4", exact=True).check()

        close = zh("Close", "complaint action")
        close_form = open_action("Close", context="complaint action")
        satisfied_only(close_form)
        with page.expect_navigation():
            close_form.get_by_role("button", name=exactly(close)).click()
        expect(page.locator("#action-close form")).to_contain_text(zh("This field is required."))
        journey.shot("closing refused without a root cause")
        complaint.refresh_from_db()
        assert complaint.status == "customer_informed"

        close_form = page.locator("#action-close form")
        close_form.get_by_label(zh("Root cause")).fill("来料检验漏检")
        close_form.get_by_label(zh("Preventive action")).fill("来料检验增加外观全检")
        satisfied_only(close_form)
        with page.expect_navigation():
            close_form.get_by_role("button", name=exactly(close)).click()
        expect(page.locator("#complaint-closing")).to_contain_text("来料检验漏检")
        expect(page.locator("#complaint-actions form:visible")).to_have_count(0)
        journey.shot("closed")

        # Back on the list by its link, the complaint reads as closed.
        journey.click_link("All complaints", exact=False)
        row = page.locator("main tr", has_text=complaint.reference)
        expect(row.locator(".complaint-status")).to_have_attribute("data-status", "closed")
        expect(row).to_contain_text(zh("closed", "complaint status"))
        journey.shot("closed in the list")

    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.received_by == people and complaint.department.code == "quality"
    assert complaint.satisfaction == 4 and complaint.preventive_action == "来料检验增加外观全检"
    steps = list(complaint.events.order_by("pk").values_list("to_status", "user__username"))
    assert [status for status, _user in steps] == [
        "received", "assigned", "investigating", "solution_proposed", "customer_informed", "closed",
    ]  # fmt: skip
    assert {user for _status, user in steps} == {"service1"}
