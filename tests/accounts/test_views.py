import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from crm_project.accounts.models import User

pytestmark = pytest.mark.django_db

PUBLIC = {
    "login", "healthz", "accounts:switch_language", "api-token", "complaints:public_new", "api-public-complaint",
    "tenants:fee_public", "fee-schedule-list", "metrics",
}  # fmt: skip


def _named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue
            yield from _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def test_anonymous_requests_are_refused_everywhere_but_login_token_and_public_pages(client):
    """ORG-02: pages redirect to the login, the API answers 401."""
    from django.urls import reverse

    checked = 0
    for name in _named_routes():
        if name in PUBLIC or name.endswith("-root"):
            continue
        url = reverse(name)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/"), url
        checked += 1
    assert checked >= 8
    assert client.get("/admin/").status_code == 302


def test_the_login_page_is_public(client):
    assert client.get("/login/").status_code == 200


def test_logging_in_lands_on_my_work(client, rep):
    from tests.factories import PASSWORD

    response = client.post("/login/", {"username": "rep", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "My work" in response.content.decode()


def test_a_user_without_a_role_sees_only_inbox_profile_and_calendar(client_for, no_role):
    """ORG-01, DSH-02"""
    html = client_for(no_role).get("/").content.decode()
    assert 'id="no-role"' in html
    assert 'data-nav="admin"' not in html
    assert 'data-nav="api-docs"' not in html
    assert client_for(no_role).get("/admin/").status_code == 302


def test_only_staff_see_the_administration_link(client_for, rep, administrator):
    assert 'data-nav="admin"' not in client_for(rep).get("/").content.decode()
    assert 'data-nav="admin"' in client_for(administrator).get("/").content.decode()


def test_switching_language_is_kept_on_the_profile(client_for, rep):
    client = client_for(rep)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html


def test_switching_language_refuses_an_outside_redirect(client_for, rep):
    response = client_for(rep).post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_profile_page_saves_and_shows_the_audit_history(client_for, rep):
    """ORG-03: every change is kept: who, when, what."""
    client = client_for(rep)
    response = client.post(
        "/accounts/profile/",
        {"first_name": "Ming", "last_name": "Li", "email": "rep@example.com", "phone": "13800000000", "language": "en"},
    )
    assert response.status_code == 302
    html = client.get("/accounts/profile/").content.decode()
    history = html.split('id="audit-history"')[1]
    assert "13800000000" in history
    assert User.history.filter(id=rep.pk, history_user=rep).exists()


def test_the_profile_refuses_bad_input_and_keeps_it(client_for, rep):
    response = client_for(rep).post(
        "/accounts/profile/",
        {"first_name": "x", "last_name": "", "email": "not-an-email", "phone": "", "language": "xx"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"email", "language"}
    rep.refresh_from_db()
    assert rep.email == "rep@example.com"
