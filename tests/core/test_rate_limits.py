"""Rate limits per client address on every public and log-in endpoint (CMP-01, SUR-01, EXP-11):
429 with Retry-After past the limit — a page, or JSON under /api/ —, counted in PostgreSQL
while Redis is down; and the per-address throttle of failed log-ins across usernames, beside
django-axes' lock of one username (brute-force protection, not a DOMAIN rule)."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from crm_project.core.models import RateLimitCount
from crm_project.core.tasks import purge_rate_limit_counts
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {"name": "周女士", "contact": "13800138000", "company": "宁波贸易", "text": "网上下单少发了一件。"}


@pytest.fixture(autouse=True)
def _limits(settings, time_machine):
    # django-ratelimit's windows are aligned on the clock: a frozen clock keeps a test in one window.
    time_machine.move_to("2027-03-02 10:00 +0800", tick=False)
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"complaint-public": "2/h", "survey-link": "3/h", "signoff-link": "3/h", "login": "3/15m"}


def _from(address: str) -> dict:
    return {"HTTP_X_FORWARDED_FOR": address}


def _login(client, username, password, address="203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, **_from(address))


def _token(client, username, password, address="203.0.113.7"):
    body = json.dumps({"username": username, "password": password})
    return client.post("/api/v1/auth/token/", body, content_type="application/json", **_from(address))


def _assert_page_429(response, *, most: int):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= most
    assert 'id="rate-limited"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/surveys/answer/not-a-token/", "/fees/signoff/not-a-token/"])
def test_the_personal_links_are_limited_per_address(client, url):
    """SUR-01, EXP-11: three requests an hour from one address here (setting), any method."""
    for _ in range(3):
        assert client.get(url, **_from("198.51.100.1")).status_code == 404
    _assert_page_429(client.get(url, **_from("198.51.100.1")), most=3600)
    _assert_page_429(client.post(url, **_from("198.51.100.1")), most=3600)
    assert client.get(url, **_from("198.51.100.2")).status_code == 404


def test_an_ipv6_client_is_counted_by_its_64_network(client):
    """CMP-01: the addresses of one /64 share one count."""
    for suffix in ("1", "2"):
        assert client.post("/complaints/public/new/", GOOD, **_from(f"2001:db8:1:2::{suffix}")).status_code == 200
    assert client.post("/complaints/public/new/", GOOD, **_from("2001:db8:1:2::3")).status_code == 429
    assert client.post("/complaints/public/new/", GOOD, **_from("2001:db8:1:3::1")).status_code == 200


def test_the_public_api_answers_429_as_json_with_retry_after(client):
    """CMP-01"""
    body = json.dumps(GOOD)
    for _ in range(2):
        response = client.post("/api/v1/public/complaints/", body, content_type="application/json", **_from("1.2.3.4"))
        assert response.status_code == 201
    response = client.post("/api/v1/public/complaints/", body, content_type="application/json", **_from("1.2.3.4"))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many requests" in response.json()["detail"]


def test_while_redis_is_down_the_limit_is_counted_in_postgresql(redis_down, client):
    """CMP-01: the public form keeps taking complaints, and still stops a flood."""
    for _ in range(2):
        assert client.post("/complaints/public/new/", GOOD, **_from("198.51.100.1")).status_code == 200
    _assert_page_429(client.post("/complaints/public/new/", GOOD, **_from("198.51.100.1")), most=3600)
    assert client.post("/complaints/public/new/", GOOD, **_from("198.51.100.2")).status_code == 200
    counts = dict(RateLimitCount.objects.values_list("key", "count"))
    assert counts == {"complaint-public:198.51.100.1": 3, "complaint-public:198.51.100.2": 1}


def test_the_counts_kept_in_postgresql_are_purged_once_their_window_ends(redis_down, client, time_machine):
    """CMP-01: the fallback table does not grow."""
    client.post("/complaints/public/new/", GOOD, **_from("198.51.100.1"))
    assert purge_rate_limit_counts.apply().get() == 0
    time_machine.shift(timedelta(hours=1))
    assert purge_rate_limit_counts.apply().get() == 1
    assert not RateLimitCount.objects.exists()


# --- the per-address log-in throttle ---------------------------------------------------------


def test_failed_logins_from_one_address_across_usernames_are_throttled(client, rep, other_rep, manager):
    """Three failures from one address with three usernames (under axes' per-user limit),
    then 429 even with a right password — from that address only."""
    for username in ("rep", "other_rep", "nobody"):
        assert _login(client, username, "wrong").status_code == 200
    response = _login(client, "manager", PASSWORD)
    _assert_page_429(response, most=15 * 60)
    assert "_auth_user_id" not in client.session
    assert client.get("/login/", **_from("203.0.113.7")).status_code == 200  # the page itself still shows
    assert _login(Client(), "manager", PASSWORD, address="198.51.100.9").status_code == 302


def test_successful_logins_from_one_address_are_not_throttled(rep, other_rep):
    """A whole office logs in from one address in the morning."""
    for _ in range(3):
        for username in ("rep", "other_rep"):
            assert _login(Client(), username, PASSWORD).status_code == 302


def test_the_token_endpoint_shares_the_count_and_answers_json(client, rep):
    """Failures on the page and on POST /api/v1/auth/token/ add up; the admin's log-in page is throttled too."""
    _login(client, "nobody", "wrong")
    assert _token(client, "rep", "wrong").status_code == 400
    assert _token(client, "ghost", "wrong").status_code == 400
    response = _token(client, "rep", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Too many requests" in response.json()["detail"]
    _assert_page_429(_login(client, "rep", PASSWORD), most=15 * 60)
    admin_login = {"username": "rep", "password": PASSWORD, "next": "/admin/"}
    _assert_page_429(client.post("/admin/login/", admin_login, **_from("203.0.113.7")), most=15 * 60)
    assert "token" in _token(client, "rep", PASSWORD, address="198.51.100.9").json()


def test_the_window_ends_and_the_address_may_try_again(client, rep, time_machine):
    """The throttle lasts until the window ends."""
    for _ in range(3):
        _login(client, "nobody", "wrong")
    assert _login(client, "rep", PASSWORD).status_code == 429
    time_machine.shift(timedelta(minutes=15))
    assert _login(client, "rep", PASSWORD).status_code == 302


def test_while_redis_is_down_failed_logins_are_counted_in_postgresql(redis_down, client, rep):
    """The throttle holds without Redis."""
    for _ in range(3):
        assert _login(client, "nobody", "wrong").status_code == 200
    assert _login(client, "rep", PASSWORD).status_code == 429
    assert RateLimitCount.objects.get(key="login:203.0.113.7").count == 3
