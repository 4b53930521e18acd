"""Someone files a complaint through the public form on a phone and sees the reference number
and the status link (CMP-01)."""

import pytest

from complaints.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


def test_filing_a_complaint_on_a_phone(live_server, chromium):
    """CMP-01: no login, phone-sized viewport; the reference number and the status link."""
    from playwright.sync_api import expect

    context = chromium.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/complaints/public/new/")
        expect(page.locator("#public-complaint-form")).to_be_visible()
        expect(page.locator("input[name=website]")).not_to_be_in_viewport()  # the honeypot stays out of sight
        page.fill("input[name=name]", "周女士")
        page.fill("input[name=contact]", "13800138000")
        page.fill("input[name=company]", "宁波贸易有限公司")
        page.fill("textarea[name=text]", "网上下单的产品少发了一件。<script>alert(1)</script>")
        # The form fits the phone's width: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("#submit-complaint")
        expect(page.locator("#public-thanks")).to_be_visible()
        complaint = Complaint.objects.get()
        expect(page.locator("#complaint-reference")).to_have_text(complaint.reference)
        page.click("#status-link")
        expect(page.locator("#public-status")).to_contain_text(complaint.reference)
        expect(page.locator("#public-step")).to_have_attribute("data-step", "received")
    finally:
        context.close()
    assert complaint.channel == "web" and complaint.customer is None
    assert complaint.text.endswith("<script>alert(1)</script>")
