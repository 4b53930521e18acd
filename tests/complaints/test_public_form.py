"""The public complaint form and its API (CMP-01): no login, a reference number and a status
link; protected against abuse — a rate limit per client address, a honeypot, size limits,
CSRF — and what the public types is rendered inert."""

import json

import pytest
from django.test import Client

from complaints.models import Complaint
from complaints.services.intake import complaint_submit_public
from tests.complaints.factories import walk

pytestmark = pytest.mark.django_db

URL = "/complaints/public/new/"
API = "/api/v1/public/complaints/"
GOOD = {"name": "周女士", "contact": "13800138000", "company": "宁波贸易", "text": "网上下单少发了一件。"}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def one_window(time_machine):
    """The limiter's windows are aligned on the clock: a frozen clock keeps a test in one window."""
    time_machine.move_to("2026-11-24 10:00 +0800", tick=False)


def _from(address: str) -> dict:
    return {"HTTP_X_FORWARDED_FOR": address}


def test_the_form_needs_no_login_and_carries_csrf_and_the_honeypot(client):
    """CMP-01"""
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html and 'name="website"' in html and 'aria-hidden="true"' in html
    assert 'maxlength="5000"' in html
    assert "no-store" in response["Cache-Control"]
    # Not "no-referrer": the browser would then send "Origin: null" and fail the CSRF check.
    assert response["Referrer-Policy"] == "same-origin"


def test_filing_a_complaint_gives_a_reference_and_a_status_link(client, behind_proxy):
    """CMP-01"""
    response = client.post(URL, GOOD, **_from("198.51.100.1"))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    html = response.content.decode()
    assert complaint.reference in html and 'id="status-link"' in html
    assert (complaint.channel, complaint.customer, complaint.status) == ("web", None, "received")
    assert (complaint.complainant_name, complaint.complainant_company) == ("周女士", "宁波贸易")
    assert complaint.submitted_from == "198.51.100.1"
    assert complaint.events.get().user is None
    link = response.context["status_url"]
    status = client.get(link)
    assert status.status_code == 200
    page = status.content.decode()
    assert complaint.reference in page and 'data-step="received"' in page
    assert status["Referrer-Policy"] == "no-referrer"  # the URL holds the token


def test_the_status_page_shows_the_outcome_when_closed_and_nothing_internal(
    client, service, quality_head, quality, customer
):
    """CMP-01: status, received date and, once closed, the outcome — not the root cause,
    the department or the satisfaction score."""
    complaint, token = complaint_submit_public(address=None, **GOOD)
    url = f"/complaints/public/status/{token}/"
    walk(complaint, "investigating", service=service, handler=quality_head, department=quality)
    html = client.get(url).content.decode()
    assert 'data-step="in_progress"' in html and "Quality" not in html
    walk(Complaint.objects.get(pk=complaint.pk), "closed", service=service, handler=quality_head, department=quality)
    html = client.get(url).content.decode()
    assert 'data-step="closed"' in html and "免费更换" in html  # the outcome
    assert "来料检验漏检" not in html and "来料增加通电抽检" not in html and "Quality" not in html
    assert client.get("/complaints/public/status/nope/").status_code == 404


def test_oversized_fields_are_refused_with_a_message_and_nothing_stored(client):
    """CMP-01: size limits."""
    for field, size in (("text", 5001), ("name", 101), ("contact", 151), ("company", 201)):
        response = client.post(URL, {**GOOD, field: "长" * size}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "Ensure this value has at most" in response.content.decode()
        assert list(response.context["form"].errors) == [field]
    assert not Complaint.objects.exists()


def test_an_oversized_request_body_is_refused(client, settings):
    """CMP-01: a request body limit, before anything is parsed."""
    settings.COMPLAINT_PUBLIC_MAX_BODY = 1000
    response = client.post(URL, {**GOOD, "text": "x" * 2000})
    assert response.status_code == 413
    assert not Complaint.objects.exists()


def test_missing_fields_are_refused(client):
    """CMP-01"""
    response = client.post(URL, {"name": "", "contact": "", "text": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 3
    assert set(response.context["form"].errors) == {"name", "contact", "text"}
    assert not Complaint.objects.exists()


def test_script_tags_are_stored_as_text_and_rendered_inert(client, client_for, service):
    """CMP-01: Django's autoescape, everywhere the complaint is shown."""
    evil = "<script>alert(document.cookie)</script>"
    client.post(URL, {**GOOD, "name": evil, "company": evil, "text": evil})
    complaint = Complaint.objects.get()
    assert complaint.text == evil
    staff = client_for(service)
    for url in ("/complaints/", f"/complaints/{complaint.pk}/"):
        html = staff.get(url).content.decode()
        assert "<script>alert(document.cookie)" not in html
        assert "&lt;script&gt;alert(document.cookie)" in html


def test_a_filled_honeypot_pretends_success_and_stores_nothing(client):
    """CMP-01: a bot fills the hidden field; it sees a thank-you page, nothing is stored."""
    response = client.post(URL, {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 200
    assert 'id="complaint-reference"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_flood_from_one_address_is_stopped_while_another_address_still_gets_through(client, behind_proxy, one_window):
    """CMP-01: at most 5 an hour from one address (setting), then a friendly 429."""
    for _ in range(5):
        assert client.post(URL, GOOD, **_from("198.51.100.1")).status_code == 200
    response = client.post(URL, GOOD, **_from("198.51.100.1"))
    assert response.status_code == 429
    assert 'id="rate-limited"' in response.content.decode() and int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == 5
    assert client.post(URL, GOOD, **_from("198.51.100.2")).status_code == 200
    assert Complaint.objects.count() == 6


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(client, behind_proxy, one_window):
    """CMP-01: behind one proxy, the address is the one the proxy appended, not the client's own claim."""
    for index in range(6):
        response = client.post(URL, GOOD, HTTP_X_FORWARDED_FOR=f"10.0.0.{index}, 198.51.100.1")
    assert response.status_code == 429
    assert Complaint.objects.count() == 5


def test_csrf_is_on(behind_proxy):
    """CMP-01"""
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, GOOD).status_code == 403
    assert not Complaint.objects.exists()


# --- the API ---------------------------------------------------------------------------------


def _api(client, body, address="203.0.113.9"):
    return client.post(API, data=json.dumps(body), content_type="application/json", **_from(address))


def test_the_api_files_a_complaint_without_login(client, behind_proxy):
    """CMP-01: POST /api/v1/public/complaints/ → 201 {reference}."""
    response = _api(client, GOOD)
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert response.json()["reference"] == complaint.reference
    assert "/complaints/public/status/" in response.json()["status_url"]
    assert complaint.submitted_from == "203.0.113.9"


def test_the_api_needs_no_csrf_even_with_a_session(client_for, service, behind_proxy):
    """CMP-01: no authentication classes, so a signed-in browser's cookie does not turn CSRF on."""
    strict = client_for(service)
    strict.handler.enforce_csrf_checks = True
    assert _api(strict, GOOD).status_code == 201


def test_the_api_refuses_bad_input_and_stores_nothing(client, behind_proxy):
    """CMP-01"""
    assert _api(client, {**GOOD, "text": "x" * 5001}).status_code == 400
    response = _api(client, {"name": "周女士"})
    assert response.status_code == 400 and set(response.json()) == {"detail", "contact", "text"}
    assert _api(client, {**GOOD, "text": "   "}).status_code == 400
    assert not Complaint.objects.exists()


def test_the_api_is_rate_limited_per_address(client, behind_proxy, one_window):
    """CMP-01: the same limiter as the page (429 past the limit)."""
    for _ in range(5):
        assert _api(client, GOOD).status_code == 201
    response = _api(client, GOOD)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many requests" in response.json()["detail"]
    assert _api(client, GOOD, address="198.51.100.2").status_code == 201
    assert Complaint.objects.count() == 6
