"""Brute-force protection (django-axes) behind a reverse proxy."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _attempt(client, username, password, address):
    return client.post("/login/", {"username": username, "password": password}, HTTP_X_FORWARDED_FOR=address)


def test_repeated_failures_lock_that_username_from_that_address_only(client, settings, rep, other_rep):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "rep", "wrong", "203.0.113.7")
    locked = _attempt(client, "rep", PASSWORD, "203.0.113.7")
    assert locked.status_code == 429
    # The same person from another address, and a colleague behind the same address, still get in.
    assert _attempt(client, "rep", PASSWORD, "198.51.100.1").status_code == 302
    client.logout()
    assert _attempt(client, "other_rep", PASSWORD, "203.0.113.7").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    from django.test import RequestFactory

    from crm_project.core.net import client_ip

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"
    spoofed = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert client_ip(spoofed) == "1.2.3.4"
