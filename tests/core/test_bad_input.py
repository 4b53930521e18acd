"""Hostile input answers 4xx and writes nothing, never 500 (issue 8 §5): NUL characters,
control characters, months and dates out of range, deeply nested JSON, bodies too large."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from customers.models import Customer, Interaction, Purchase, Visit
from expenses.models import Statement
from expenses.services.statements import statement_create
from tests.customers.factories import CustomerFactory, ProductFactory
from tests.expenses.factories import SEPTEMBER, fee_customer, fee_standard, purchase

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")


def _json(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


# --- NUL ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/customers/", {"name": "Acme", "owner": "rep\u0000"}),
        ("/api/v1/visits/", {"customer": "C\u00001", "planned_date": "2026-10-20"}),
        ("/api/v1/interactions/", {"customer": "\u0000", "kind": "phone", "occurred_at": "2026-10-09T10:00+08:00"}),
        ("/api/v1/fee-standards/", {"product": "P\u0000", "valid_from": "2026-10", "tiers": []}),
        ("/api/v1/contacts/", {"customer": "C1\u0000", "name": "王芳"}),
    ],
)
def test_a_nul_in_a_code_of_a_json_body_answers_400_and_writes_nothing(
    october, client_for, rep, administrator, url, body
):
    """ORG-02, CUS-08, CUS-09, EXP-02: a lookup by a code holding NUL used to be a DataError 500."""
    CustomerFactory(code="C1", owner=rep)
    response = _json(client_for(administrator), url, body)
    assert response.status_code == 400, response.content
    field = next(name for name, value in body.items() if "\x00" in str(value))
    assert "NUL" in response.json()["detail"] and "NUL" in response.json()[field][0]
    assert Customer.objects.count() == 1
    assert not Visit.objects.exists() and not Interaction.objects.exists()


def test_invalid_unicode_in_a_json_body_answers_400(october, client_for, clerk):
    """CUS-10: a lone surrogate in a code of the bulk upsert used to end in a UnicodeEncodeError 500."""
    row = '{"external_ref": "R1", "customer": "C\\ud800", "product": "P1", "month": "2026-09", "quantity": "1"}'
    response = client_for(clerk).post("/api/v1/purchases/bulk-upsert/", f"[{row}]", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Purchase.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/customers/?q=%00", "/customers/?sort=%00", "/calendar/?month=2026-1%00", "/surveys/answer/abc%00def/"],
)
def test_a_nul_in_a_page_path_or_query_answers_the_400_page(client_for, rep, url):
    """DSH-03: one check for every page and filter, in the user's language."""
    response = client_for(rep).get(url)
    assert response.status_code == 400
    assert 'id="error-400"' in response.text
    assert "cannot be stored" in response.text


def test_a_nul_in_an_api_query_answers_400_json(client_for, rep):
    """ORG-02: the API's filters and search, answered in the API's error shape."""
    for url in ("/api/v1/customers/?search=%00", "/api/v1/purchases/?customer=C%001", "/api/v1/statements/?rep=%00"):
        response = client_for(rep).get(url)
        assert response.status_code == 400, url
        assert set(response.json()) == {"detail"}


def test_a_nul_in_a_session_cookie_or_a_token_answers_400(db):
    """ORG-02: the session and token lookups used to hit the database with it (DataError 500)."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/customers/").status_code == 400
    response = Client(raise_request_exception=False).get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_nul_in_a_login_or_token_username_answers_400(db, rep):
    """ORG-01: the login page and the token endpoint refuse it before authenticating."""
    client = Client()
    response = client.post("/login/", {"username": "rep\x00", "password": "x"})
    assert response.status_code == 400
    for content_type in ("application/x-www-form-urlencoded", "application/json"):
        body = "username=rep%00&password=x" if "form" in content_type else '{"username": "rep\\u0000", "password": "x"}'
        response = client.post("/api/v1/auth/token/", body, content_type=content_type)
        assert response.status_code == 400, content_type


# --- control characters ---------------------------------------------------------------------


def test_control_characters_are_dropped_from_names_and_summaries_on_input(october, client_for, rep):
    """CUS-08, DSH-03: names lose control characters; multi-line text keeps its tabs and line breaks."""
    client = client_for(rep)
    response = _json(client, "/api/v1/customers/", {"name": "Acme\x0b Trading\x1f Ltd", "code": "C-CTL"})
    assert response.status_code == 201, response.content
    assert Customer.objects.get(code="C-CTL").name == "Acme Trading Ltd"
    body = {"customer": "C-CTL", "kind": "phone", "occurred_at": "2026-10-09T09:00+08:00",
            "summary": "Line one\x07\n\tLine two\x1b[31m"}  # fmt: skip
    assert _json(client, "/api/v1/interactions/", body).status_code == 201
    assert Interaction.objects.get().summary == "Line one\n\tLine two[31m"
    response = client.post("/customers/new/", {"name": "Page\x08 Customer", "kind": "organisation"})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert Customer.objects.filter(name="Page Customer").exists()


def test_every_export_survives_control_characters_already_stored(october, client_for, rep):
    """DSH-03: rows written before this, or by bulk statements, cannot break a list export or a paper form."""
    product = ProductFactory(code="P-CTL")
    fee_standard(product)
    customer = fee_customer(rep, code="C-CTL")
    purchase(customer, product, quantity="12", amount="1000.00", collected="600.00")
    statement = statement_create(actor=rep, month=SEPTEMBER)
    Customer.objects.filter(pk=customer.pk).update(name="Bad\x01Name\x1f Co")  # around the models' cleaning
    client = client_for(rep)
    response = client.get("/customers/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "BadName Co" in [cell.value for row in sheet.iter_rows() for cell in row]
    response = client.get(f"/fees/statements/{statement.pk}/form1.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "BadName Co" in [cell.value for row in sheet.iter_rows() for cell in row]


# --- months and dates -----------------------------------------------------------------------


@pytest.mark.parametrize("month", ["0001-01", "1437-05", "9999-12", "2026-00"])
def test_a_statement_for_a_month_out_of_range_is_refused(october, client_for, rep, month):
    """EXP-06: 0001-01 used to be a 500 and 1437-05 a statement; both are a field error now."""
    response = _json(client_for(rep), "/api/v1/statements/", {"month": month})
    assert response.status_code == 400
    assert "month" in response.json() and "detail" in response.json()
    response = client_for(rep).post("/fees/statements/new/", {"month": month})
    assert response.status_code in (200, 302, 400)  # the page says why
    assert not Statement.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "1437-05", "9999-12"])
def test_month_parameters_out_of_range_are_refused(client_for, rep, month):
    """CAL-01, DSH-03: ?month= on the calendar page, the workdays API and the lists."""
    client = client_for(rep)
    assert client.get("/calendar/", {"month": month}).status_code == 200  # the current month, with the error
    assert client.get("/api/v1/workdays/", {"month": month}).status_code == 400
    assert client.get("/api/v1/statements/", {"month": month}).status_code == 400
    assert client.get("/fees/statements/", {"month": month}).status_code == 200


def test_a_visit_in_9999_is_refused_and_a_birthday_in_1960_is_not(october, client_for, rep):
    """CUS-09: dates typed in lie within INPUT_YEAR_MIN … INPUT_YEAR_MAX, wherever they are typed."""
    CustomerFactory(code="C1", owner=rep)
    client = client_for(rep)
    response = _json(client, "/api/v1/visits/", {"customer": "C1", "planned_date": "9999-01-01"})
    assert response.status_code == 400
    assert "planned_date" in response.json()
    response = _json(
        client, "/api/v1/contacts/", {"customer": "C1", "name": "王芳", "role": "purchaser", "birthday": "1960-05-01"}
    )
    assert response.status_code == 201, response.content
    assert client.get("/api/v1/visits/", {"planned_from": "9999-01-01"}).status_code in (200, 400)
    assert not Visit.objects.exists()


# --- JSON nesting and body size -------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_answers_400(client_for, rep, depth):
    """ORG-02: nesting past JSON_MAX_DEPTH (and past Python's recursion limit) is a parse error."""
    body = "[" * depth + "]" * depth
    response = client_for(rep).post("/api/v1/customers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_json_body_over_the_limit_answers_413_json(client_for, rep, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"name": "x" * 20_000})
    response = client_for(rep).post("/api/v1/customers/", body, content_type="application/json")
    assert response.status_code == 413
    assert set(response.json()) == {"detail"}
    assert not Customer.objects.exists()


def test_a_form_over_the_limit_answers_the_413_page_even_with_debug(client_for, rep, settings):
    """DSH-03: the app's own page, never Django's debug page."""
    settings.DEBUG = True
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client_for(rep).post("/customers/new/", {"name": "x" * 20_000, "kind": "organisation"})
    assert response.status_code == 413
    assert 'id="error-413"' in response.text
    response = client_for(rep).post("/api/v1/customers/", {"name": "x" * 20_000})
    assert response.status_code == 413
    assert "detail" in response.json()
    assert not Customer.objects.exists()


def test_a_body_declared_over_the_request_limit_is_refused_unread(client_for, rep, settings):
    settings.REQUEST_MAX_BODY_MB = 1
    response = client_for(rep).generic(
        "POST", "/customers/new/", b"name=x", content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413
