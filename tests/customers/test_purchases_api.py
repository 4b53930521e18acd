from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from customers.models import LoyaltyEntry, Purchase
from tests.customers.factories import CustomerFactory, ProductFactory, PurchaseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchases/bulk-upsert/"


@pytest.fixture
def erp_client(erp):
    client = APIClient()
    client.force_authenticate(erp)
    return client


def _row(ref, customer, product, month="2026-09", **overrides):
    row = {
        "external_ref": ref, "customer": customer.code, "product": product.code, "month": month,
        "quantity": "10", "amount": "1000.00", "returned_quantity": "1", "returned_amount": "100.00",
        "collected_amount": "900.00",
    }  # fmt: skip
    return {**row, **overrides}


def _post(client, rows):
    if isinstance(client, APIClient) and not isinstance(rows, str):
        return client.post(URL, rows, format="json")
    return client.post(URL, rows, content_type="application/json")


def test_it_creates_then_sending_the_same_rows_again_creates_nothing(erp_client, rep):
    """CUS-10: the ERP's bulk upsert is idempotent (matched by external_ref)."""
    customer, sensor, cable = CustomerFactory(owner=rep), ProductFactory(code="SENSOR"), ProductFactory(code="CABLE")
    rows = [_row("ERP-1", customer, sensor), _row("ERP-2", customer, cable, month="2026-08")]
    client = erp_client
    response = _post(client, rows)
    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}
    purchase = Purchase.objects.get(external_ref="ERP-1")
    assert (purchase.month, purchase.net_sales, purchase.source) == (date(2026, 9, 1), Decimal("900.00"), "api")
    assert LoyaltyEntry.objects.filter(kind="earned").count() == 2  # CUS-13
    response = _post(client, rows)
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert Purchase.objects.count() == 2
    assert LoyaltyEntry.objects.count() == 2


def test_a_changed_row_is_updated_and_its_points_adjusted(erp_client, rep):
    """CUS-10, CUS-13"""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    client = erp_client
    _post(client, [_row("ERP-1", customer, product)])
    response = _post(client, [_row("ERP-1", customer, product, amount="2000.00", collected_amount="1900.00")])
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert Purchase.objects.get().amount == Decimal("2000.00")
    assert list(LoyaltyEntry.objects.order_by("pk").values_list("kind", "points")) == [("earned", 9), ("adjusted", 10)]


def test_a_batch_with_a_bad_row_writes_nothing(erp_client, rep):
    """CUS-10: any bad row → 400 with every error's index, field and reason; nothing written."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    rows = [
        _row("ERP-1", customer, product),
        _row("ERP-2", customer, product, month="2026-13"),
        _row("ERP-3", customer, product, month="2026-07", amount="-5"),
        _row("ERP-4", customer, product, month="2026-06", returned_amount="1000.01"),
        _row("ERP-5", customer, ProductFactory.build(code="NOPE"), month="2026-05"),
        _row("", customer, product, month="2026-04"),
    ]
    response = _post(erp_client, rows)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {
        (1, "month"), (2, "amount"), (3, "returned_amount"), (4, "product"), (5, "external_ref"),
    }  # fmt: skip
    assert next(e for e in errors if e["index"] == 4)["message"] == "Unknown product “NOPE”."
    assert not Purchase.objects.exists()
    assert not LoyaltyEntry.objects.exists()


def test_another_departments_customer_code_is_unknown_to_the_clerk(client_for, clerk, outsider):
    """ORG-02: the clerk cannot write (or learn about) another department's customers."""
    theirs, product = CustomerFactory(owner=outsider, code="THEIRS"), ProductFactory()
    response = _post(client_for(clerk), [_row("ERP-1", theirs, product)])
    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 0, "field": "customer", "message": "Unknown customer “THEIRS”."}]
    assert not Purchase.objects.exists()


def test_a_new_ref_for_a_month_recorded_under_another_ref_is_an_error(erp_client, rep):
    """CUS-10: one row per customer, product and month; a reference never moves."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    client = erp_client
    _post(client, [_row("ERP-1", customer, product)])
    response = _post(client, [_row("ERP-9", customer, product)])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_ref"
    assert "already recorded under the reference ERP-1" in response.json()["errors"][0]["message"]
    response = _post(client, [_row("ERP-1", customer, product, month="2026-08")])
    assert response.status_code == 400
    assert "a reference cannot move" in response.json()["errors"][0]["message"]
    assert Purchase.objects.get().month == date(2026, 9, 1)


def test_duplicate_rows_within_a_batch_are_errors(erp_client, rep):
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    rows = [_row("ERP-1", customer, product), _row("ERP-1", customer, product, month="2026-08"),
            _row("ERP-3", customer, product)]  # fmt: skip
    response = _post(erp_client, rows)
    assert response.status_code == 400
    assert {(e["index"], e["field"]) for e in response.json()["errors"]} == {(1, "external_ref"), (2, "month")}
    assert not Purchase.objects.exists()


def test_a_row_entered_by_hand_is_taken_over_by_the_erp(erp_client, rep):
    """CUS-10: a hand-entered row (no reference) is updated, not duplicated."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    manual = PurchaseFactory(customer=customer, product=product, month=date(2026, 9, 1))
    response = _post(erp_client, [_row("ERP-1", customer, product)])
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    manual.refresh_from_db()
    assert (manual.external_ref, manual.returned_amount) == ("ERP-1", Decimal("100.00"))


@pytest.mark.parametrize("body", [{"external_ref": "x"}, [], '"text"', [1, 2]])
def test_a_body_that_is_not_a_list_of_rows_is_refused(client_for, finance, body):
    response = _post(client_for(finance), body)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert _post(client_for(finance), "{not json").status_code == 400


def test_management_may_not_write_and_anonymous_callers_are_refused(client_for, client, rep, gm, outsider):
    """ORG-02: management is read-only; another department has nothing to write or read."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    PurchaseFactory(customer=customer, product=ProductFactory())
    assert _post(client_for(gm), [_row("ERP-1", customer, product)]).status_code == 403
    assert _post(client_for(outsider), [_row("ERP-1", customer, product)]).status_code == 403
    assert client_for(outsider).get("/api/v1/purchases/").json()["count"] == 0
    assert _post(client, [_row("ERP-1", customer, product)]).status_code == 401
    assert client.get("/api/v1/purchases/").status_code == 401
    assert not Purchase.objects.filter(external_ref="ERP-1").exists()


def test_it_lists_and_retrieves_visible_purchases_with_filters(client_for, rep, other_rep):
    """CUS-10, ORG-02"""
    mine = CustomerFactory(owner=rep, code="MINE")
    product = ProductFactory(code="SENSOR")
    september = PurchaseFactory(
        customer=mine, product=product, month=date(2026, 9, 1), external_ref="ERP-1",
        returned_quantity=Decimal("2"), returned_amount=Decimal("200.00"),
    )  # fmt: skip
    PurchaseFactory(customer=mine, product=product, month=date(2026, 8, 1))
    theirs = PurchaseFactory(customer=CustomerFactory(owner=other_rep), product=product)
    client = client_for(rep)
    body = client.get("/api/v1/purchases/").json()
    assert body["count"] == 2
    assert client.get("/api/v1/purchases/", {"month": "2026-09"}).json()["results"] == [
        {
            "id": september.pk, "external_ref": "ERP-1", "customer": "MINE", "product": "SENSOR", "month": "2026-09",
            "quantity": "12.00", "amount": "1200.00", "returned_quantity": "2.00", "returned_amount": "200.00",
            "net_sales": "1000.00", "collected_amount": "1200.00",
        }
    ]  # fmt: skip
    assert client.get("/api/v1/purchases/", {"customer": "MINE"}).json()["count"] == 2
    assert client.get("/api/v1/purchases/", {"customer": theirs.customer.code}).json()["count"] == 0
    assert client.get("/api/v1/purchases/", {"month": "September"}).status_code == 400
    assert client.get(f"/api/v1/purchases/{september.pk}/").status_code == 200
    assert client.get(f"/api/v1/purchases/{theirs.pk}/").status_code == 404
