import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_me_returns_the_user_department_and_roles(client_for, rep):
    """ORG-01"""
    body = client_for(rep).get("/api/v1/me/").json()
    assert body["username"] == "rep"
    assert body["department"]["code"] == "sales"
    assert body["roles"] == ["sales_rep"]


def test_a_token_is_issued_for_username_and_password_and_works(client, rep):
    response = client.post("/api/v1/auth/token/", {"username": "rep", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "rep"


def test_a_wrong_password_gets_no_token(client, rep):
    response = client.post("/api/v1/auth/token/", {"username": "rep", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_api_calls_are_refused(client):
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/api/v1/notifications/").status_code == 401
    assert client.get("/api/v1/schema/").status_code == 401


def test_the_schema_and_docs_are_served_with_local_assets(client_for, rep):
    client = client_for(rep)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/workdays/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


def test_the_notifications_api_lists_only_my_inbox(client_for, rep, other_rep):
    """JOB-10"""
    from crm_project.notifications.services import notify

    notify(recipient=rep, key="a", title="mine", email=False)
    other = notify(recipient=other_rep, key="b", title="theirs", email=False)
    client = client_for(rep)
    titles = [row["title"] for row in client.get("/api/v1/notifications/").json()["results"]]
    assert titles == ["mine"]
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
