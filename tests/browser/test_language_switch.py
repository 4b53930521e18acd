"""A sales rep switches the interface to Chinese in the navigation bar, and it stays Chinese."""

import pytest

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


def log_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(base_url + "/")


def test_switching_to_chinese_sticks_to_the_profile(live_server, chromium, sales):
    from playwright.sync_api import expect

    UserFactory(username="rep1", department=sales, roles=[Role.SALES_REP], language="en")
    base_url = live_server.url

    # The browser asks for English, so only the profile can make a page Chinese.
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, base_url, "rep1")
        expect(page.locator("main h1")).to_have_text("My work")
        expect(page.locator("html")).to_have_attribute("lang", "en")

        # The select submits its form on change.
        with page.expect_navigation():
            page.locator("#language-form select[name=language]").select_option("zh-hans")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("main h1")).to_have_text("我的工作")

        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("main h1")).to_have_text("我的工作")
    finally:
        context.close()

    assert User.objects.get(username="rep1").language == "zh-hans"

    # Another device (phone width, fresh cookies, still asking for English) gets Chinese from the profile.
    phone = chromium.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        page = phone.new_page()
        log_in(page, base_url, "rep1")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("main h1")).to_have_text("我的工作")
        expect(page.locator(".navbar-toggler")).to_be_visible()
        expect(page.locator("#language-form select[name=language]")).to_be_hidden()
    finally:
        phone.close()
