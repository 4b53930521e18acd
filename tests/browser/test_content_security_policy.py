"""Key pages under the Content-Security-Policy in a real browser: nothing is blocked (no
`securitypolicyviolation` event, no "Refused to …" in the console), and what needs script still
works — htmx swaps, the language switch, an ECharts chart, the admin's widgets, the API docs."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from crm_project.accounts.roles import Role
from crm_project.notifications.services import notify
from tests.customers.factories import CustomerFactory, PurchaseFactory
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000
KEY = re.compile(r"^[A-Za-z0-9_-]{40,}$")

# Runs before any script of the page: every violation the browser reports is kept for the test.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sample || ""));
});
"""


class Watched:
    """A browser context that records policy violations and console errors of every page."""

    def __init__(self, chromium, base_url):
        self.base_url = base_url
        self.context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.console: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _on_console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        return response

    def log_in(self, username):
        self.page.goto(self.base_url + "/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(self.base_url + "/")

    def assert_clean(self, where):
        violations = self.page.evaluate("window.__violations")
        assert violations == [], f"{where}: {violations}"
        blocked = [line for line in self.console if "Content Security Policy" in line or "pageerror" in line]
        assert blocked == [], f"{where}: {blocked}"

    def close(self):
        self.context.close()


def test_a_reps_pages_work_under_the_policy(live_server, chromium, sales):
    """ORG-02, DSH-03: htmx, the language switch, the purchases chart (CUS-10) and a customer picker
    with no violation."""
    from playwright.sync_api import expect

    rep = UserFactory(username="rep1", department=sales, roles=[Role.SALES_REP], language="en")
    customer = CustomerFactory(owner=rep, name="宁波测试有限公司")
    this_month = timezone.localdate().replace(day=1)
    PurchaseFactory(customer=customer, month=this_month, amount=Decimal("1200.00"))
    notify(recipient=rep, key="csp-test", title="Statement returned", email=False)

    browser = Watched(chromium, live_server.url)
    try:
        page = browser.page
        browser.log_in("rep1")
        browser.assert_clean("my work")

        # htmx: "Mark read" swaps the row, and the unread badge refreshes itself on the event.
        browser.goto("/inbox/")
        expect(page.locator("#unread-badge .badge")).to_have_text("1")
        row = page.locator("#notification-list li").first
        row.get_by_role("button", name="Mark read").click()
        expect(page.locator("#notification-list li").first).not_to_have_class("list-group-item-primary")
        expect(page.locator("#unread-badge .badge")).to_have_count(0)
        browser.assert_clean("inbox")

        # ECharts: the purchases tab draws its chart on a canvas; its tooltip too.
        browser.goto(f"/customers/{customer.pk}/")
        page.locator('[data-bs-target="#tab-purchases"]').click()
        chart = page.locator("#purchase-chart")
        expect(chart).to_have_attribute("data-chart-ready", "true")
        expect(chart.locator("canvas")).to_have_count(1)
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] - 30, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        browser.assert_clean("customer detail")

        # A picker (Tom Select over /pickers/customers/): typing finds the customer, picking it
        # fills the form's <select>; Tom Select positions its drop-down without style="".
        browser.goto("/fees/special-fees/new/")
        page.locator("#id_customer-ts-control").fill("宁波")
        option = page.locator(".ts-dropdown .option", has_text="宁波测试有限公司")
        expect(option).to_be_visible()
        option.click()
        expect(page.locator("#id_customer")).to_have_value(str(customer.pk))
        browser.assert_clean("customer picker")

        browser.goto("/accounts/profile/")
        page.fill("#api-token-form input[name=name]", "ERP nightly")
        page.click("#api-token-form button[type=submit]")
        expect(page.locator("#api-token-key")).to_have_value(KEY)
        browser.assert_clean("new API token")

        # The language select submits its form from crm.js (it had an onchange= before).
        browser.goto("/accounts/profile/")
        with page.expect_navigation():
            page.locator("#language-form select[name=language]").select_option("zh-hans")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        browser.assert_clean("language switch")
    finally:
        browser.close()


def test_the_admin_and_the_api_docs_work_under_the_policy(live_server, chromium):
    """The admin's own scripts (filters, autocomplete) and Swagger UI (with its nonce)."""
    from playwright.sync_api import expect

    department = DepartmentFactory(code="it", name_zh="信息部", name_en="IT")
    admin = UserFactory(
        username="itadmin", department=department, roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True
    )

    browser = Watched(chromium, live_server.url)
    try:
        page = browser.page
        browser.log_in("itadmin")

        browser.goto("/admin/")
        expect(page.locator("#site-name")).to_be_visible()
        browser.assert_clean("admin index")

        # The user form: the groups and permissions pickers are built by the admin's SelectFilter2.js.
        browser.goto(f"/admin/accounts/user/{admin.pk}/change/")
        expect(page.locator("#id_groups_from")).to_be_visible()
        browser.assert_clean("admin user form")

        # The department form: an autocomplete (select2) for its head.
        browser.goto("/admin/accounts/department/add/")
        page.locator(".select2-selection").first.click()
        expect(page.locator(".select2-results__option").first).to_be_visible()
        browser.assert_clean("admin department form")

        browser.goto("/admin/accounts/apitoken/")
        browser.assert_clean("admin API tokens")

        browser.goto("/api/v1/docs/")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("CRM API")
        expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/token/").first).to_be_visible()
        browser.assert_clean("API docs")
    finally:
        browser.close()
