"""API tokens: issued for a username and password, stored hashed, expiring, revocable (ORG-02)."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from crm_project.accounts.models import ApiToken
from crm_project.accounts.tokens.services import token_for_key, token_issue, token_revoke
from crm_project.core.errors import PermissionDenied
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI)


def _issue(client, username="rep", password=PASSWORD, **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password, **extra})


def _me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_endpoint_keeps_its_name_and_path():
    assert reverse("api-token") == "/api/v1/auth/token/"


def test_a_token_is_shown_once_and_only_its_hash_is_stored(client, rep, settings):
    """ORG-02"""
    settings.API_TOKEN_TTL_DAYS = 30
    with time_machine.travel(MORNING, tick=False):
        response = _issue(client, name="ERP nightly")
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    assert dt.datetime.fromisoformat(body["expires"]) == MORNING + dt.timedelta(days=30)
    token = ApiToken.objects.get(user=rep)
    assert token.name == "ERP nightly"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
        assert _me(client, key).json()["username"] == "rep"
    token.refresh_from_db()
    assert token.last_used_at == MORNING + dt.timedelta(hours=1)


def test_each_request_for_a_token_gives_a_new_one_and_the_old_ones_keep_working(client, rep):
    first = _issue(client).json()["token"]
    second = _issue(client).json()["token"]
    assert first != second
    assert _me(client, first).status_code == 200
    assert _me(client, second).status_code == 200
    assert ApiToken.objects.filter(user=rep).count() == 2


def test_an_expired_token_answers_401_with_a_clear_message(client, rep, settings):
    """ORG-02"""
    settings.API_TOKEN_TTL_DAYS = 30
    with time_machine.travel(MORNING, tick=False):
        key = _issue(client).json()["token"]
    with time_machine.travel(MORNING + dt.timedelta(days=30) - dt.timedelta(seconds=1), tick=False):
        assert _me(client, key).status_code == 200
    with time_machine.travel(MORNING + dt.timedelta(days=30), tick=False):
        response = _me(client, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


def test_delete_revokes_the_token_in_use_and_no_other(client, rep):
    """ORG-02"""
    in_use = _issue(client).json()["token"]
    other = _issue(client).json()["token"]
    response = client.delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {in_use}")
    assert response.status_code == 204
    refused = _me(client, in_use)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert _me(client, other).status_code == 200
    assert ApiToken.objects.get(revoked_at__isnull=False).revoked_by == rep


def test_delete_without_a_token_is_refused(client_for, client, rep):
    assert client.delete("/api/v1/auth/token/").status_code == 401
    response = client_for(rep).delete("/api/v1/auth/token/")
    assert response.status_code == 400
    assert "token" in response.json()["detail"]


def test_a_deactivated_users_tokens_stop_working(client, rep):
    """ORG-02"""
    key = _issue(client).json()["token"]
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    response = _me(client, key)
    assert response.status_code == 401
    assert "inactive" in response.json()["detail"]


def test_an_unknown_or_malformed_token_answers_401(client, rep):
    assert _me(client, "not-a-token").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token a b").status_code == 401
    # A NUL is refused at the door, before authentication (crm_project/core/hostile_input.py).
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token \x00").status_code == 400


def test_a_bad_name_is_refused(client, rep):
    response = _issue(client, name="x" * 101)
    assert response.status_code == 400
    assert "name" in response.json()
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_answers_429_with_retry_after_for_a_locked_account(client, rep, settings):
    """ORG-02: django-axes' lock on the API, as JSON."""
    settings.AXES_COOLOFF_TIME = 0.25  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _issue(client, password="wrong").status_code == 400
    locking = _issue(client, password="wrong")
    assert locking.status_code == 429
    locked = _issue(client)  # even the right password
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked["Retry-After"] == "900"
    assert "locked" in locked.json()["detail"]
    assert "token" not in locked.json()
    assert not ApiToken.objects.exists()


def test_the_schema_describes_the_token_scheme(client_for, rep):
    schema = client_for(rep).get("/api/v1/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    assert "Token" in scheme["description"]
    token_path = schema["paths"]["/api/v1/auth/token/"]
    assert set(token_path) >= {"post", "delete"}
    ref = token_path["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    answer = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(answer["required"]) == {"token", "expires"}
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]


def test_token_issue_is_the_service_the_endpoint_uses(rep, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    with time_machine.travel(MORNING, tick=False):
        token, key = token_issue(user=rep, name="ERP")
    assert token.expires_at == MORNING + dt.timedelta(days=7)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]


# --- the profile page and the admin ---------------------------------------------------------


def test_the_profile_lists_my_tokens_with_their_dates(client_for, rep, other_rep, settings):
    """ORG-02"""
    settings.API_TOKEN_TTL_DAYS = 30
    with time_machine.travel(MORNING, tick=False):
        mine, key = token_issue(user=rep, name="ERP nightly")
        token_issue(user=other_rep, name="Theirs")
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
        token_for_key(key)
        html = client_for(rep).get("/accounts/profile/").content.decode()
    table = html.split('id="api-token-list"')[1].split("</table>")[0]
    assert "ERP nightly" in table and mine.prefix in table and "Theirs" not in table
    assert "2027-03-01 09:00" in table  # created
    assert "2027-03-31 09:00" in table  # expires
    assert "2027-03-03 09:00" in table  # last used
    assert key not in html
    assert "data-confirm=" in table and "onclick" not in table


def test_creating_a_token_on_the_profile_shows_its_key_once(client_for, client, rep):
    """ORG-02"""
    signed_in = client_for(rep)
    response = signed_in.post("/accounts/tokens/new/", {"name": "Excel add-in"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=rep)
    key = response.context["key"]
    assert f'value="{key}"' in response.content.decode()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert _me(client, key).json()["username"] == "rep"
    assert key not in signed_in.get("/accounts/profile/").content.decode()


def test_a_token_needs_a_name(client_for, rep):
    response = client_for(rep).post("/accounts/tokens/new/", {"name": ""})
    assert response.status_code == 200
    assert response.context["token_form"].errors.keys() == {"name"}
    assert not ApiToken.objects.exists()


def test_revoking_on_the_profile_stops_the_token(client_for, client, rep):
    """ORG-02"""
    token, key = token_issue(user=rep, name="ERP")
    response = client_for(rep).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert _me(client, key).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == rep
    assert 'id="no-api-tokens"' in client_for(rep).get("/accounts/profile/").content.decode()


def test_nobody_revokes_someone_elses_token_on_their_profile(client_for, client, rep, other_rep, manager):
    """ORG-02: another rep's or even the manager's attempt is a 404 and changes nothing."""
    token, key = token_issue(user=rep, name="ERP")
    for user in (other_rep, manager):
        assert client_for(user).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client_for(rep).get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    assert _me(client, key).status_code == 200
    with pytest.raises(PermissionDenied):
        token_revoke(token_id=token.pk, actor=manager)


def test_an_administrator_revokes_anyones_token_in_the_admin(client_for, client, rep, administrator):
    """ORG-02"""
    token, key = token_issue(user=rep, name="ERP")
    admin = client_for(administrator)
    listing = admin.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    assert admin.get("/admin/accounts/apitoken/add/").status_code == 403
    detail = admin.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert detail.status_code == 200
    assert token.key_hash not in detail.content.decode()
    response = admin.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_by == administrator
    assert _me(client, key).status_code == 401
