"""Response headers: Content-Security-Policy, Permissions-Policy, Cache-Control, proxy trust (ORG-02)."""

import re

import pytest

from tests.core.test_health_and_settings import _manage

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "crm.example.com",
}


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert [source for source in policy[directive] if not source.startswith("'nonce-")] == ["'self'"]


def test_a_page_carries_a_strict_policy(client_for, rep):
    response = client_for(rep).get("/")
    assert response.status_code == 200
    _assert_strict(_policy(response))


def test_public_pages_carry_the_policy(client):
    for url in ("/login/", "/complaints/public/new/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(_policy(response))


def test_the_admin_works_under_the_policy(client_for, administrator):
    client = client_for(administrator)
    for url in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{administrator.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(_policy(response))
        # The admin's own scripts are all files of ours; none inline.
        assert not _inline_scripts(response.content.decode()), url


def test_the_api_docs_mark_their_inline_code_with_the_nonce(client_for, rep):
    response = client_for(rep).get("/api/v1/docs/")
    assert response.status_code == 200
    policy = _policy(response)
    _assert_strict(policy)
    nonces = [source for source in policy["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    assert f"'nonce-{nonce}'" in policy["style-src"]
    html = response.content.decode()
    inline = _inline_scripts(html)
    assert inline, "the Swagger UI init script is inline"
    assert all(f'nonce="{nonce}"' in tag for tag in inline)
    assert f'<style nonce="{nonce}">' in html
    assert "SwaggerUIBundle" in html


def test_each_response_gets_its_own_nonce(client_for, rep):
    client = client_for(rep)
    first = _policy(client.get("/api/v1/docs/"))["script-src"]
    second = _policy(client.get("/api/v1/docs/"))["script-src"]
    assert first != second


def test_pages_that_need_no_nonce_announce_none(client_for, rep):
    assert _policy(client_for(rep).get("/"))["script-src"] == ["'self'"]


def _inline_scripts(html: str) -> list[str]:
    """<script> tags with code in the page rather than a src (JSON data blocks are not run)."""
    tags = re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
    return [tag for tag in tags if "src=" not in tag and 'type="application/json"' not in tag]


# --- Permissions-Policy -------------------------------------------------------------------


def test_unused_browser_features_are_switched_off(client_for, client, rep):
    for response in (client_for(rep).get("/"), client.get("/login/"), client_for(rep).get("/api/v1/me/")):
        features = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()"


# --- Cache-Control ------------------------------------------------------------------------


def test_pages_and_api_answers_are_not_stored(client_for, client, rep):
    signed_in = client_for(rep)
    for response in (
        signed_in.get("/"),
        signed_in.get("/accounts/profile/"),
        signed_in.get("/api/v1/me/"),
        signed_in.get("/api/v1/schema/"),
        client.get("/api/v1/me/"),  # 401
        client.get("/login/"),
        client.get("/complaints/public/new/"),
        signed_in.get("/no-such-page/"),
    ):
        assert "no-store" in response["Cache-Control"], response


def test_the_public_complaint_status_page_is_not_stored(client):
    """CMP-01: the status link holds a token."""
    from complaints.services.intake import complaint_submit_public

    _, token = complaint_submit_public(
        address=None, name="周女士", contact="13800138000", company="宁波贸易", text="网上下单少发了一件。"
    )
    response = client.get(f"/complaints/public/status/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    _assert_strict(_policy(response))


def test_a_one_time_survey_link_is_not_stored(client, rep):
    """SUR-01: the personal link's page."""
    from tests.surveys.factories import customer_with_contacts, issue_link, make_round, make_survey

    _recipient, token = issue_link(make_round(make_survey()), customer_with_contacts(rep))
    response = client.get(f"/surveys/answer/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    _assert_strict(_policy(response))


def test_a_token_answer_is_not_stored(client, rep):
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(settings):
    from django.test import Client

    # As `make run` serves them (whitenoise); a new client loads the middleware with this setting.
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/css/crm.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


# --- X-Forwarded-Proto ----------------------------------------------------------------------

SCHEME_PROBE = (
    "from django.test import RequestFactory; "
    "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
)


def test_without_a_proxy_a_client_cannot_claim_https():
    result = _manage("shell", "-c", SCHEME_PROBE, **PRODUCTION, TRUSTED_PROXY_COUNT="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_behind_a_configured_proxy_its_scheme_header_is_trusted():
    result = _manage("shell", "-c", SCHEME_PROBE, **PRODUCTION, TRUSTED_PROXY_COUNT="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_production_behind_a_proxy_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, TRUSTED_PROXY_COUNT="2")
    assert result.returncode == 0, result.stdout + result.stderr
