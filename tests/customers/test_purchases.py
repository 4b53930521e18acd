import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.models import ExportLog
from customers.models import Purchase
from customers.services.purchases import purchase_save
from tests.customers.factories import CustomerFactory, ProductFactory, PurchaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)


def _figures(**overrides):
    figures = {
        "quantity": Decimal("10"), "amount": Decimal("1000.00"), "returned_quantity": Decimal("0"),
        "returned_amount": Decimal("0"), "collected_amount": Decimal("800.00"),
    }  # fmt: skip
    return {**figures, **overrides}


def test_a_purchase_is_one_row_per_customer_product_and_month(rep, clerk):
    """CUS-10: per customer, month and product; the month is normalised to the 1st; saving
    again updates the row."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    first = purchase_save(actor=clerk, customer=customer, product=product, month=date(2026, 9, 17), **_figures())
    assert first.month == SEPTEMBER
    again = purchase_save(
        actor=clerk, customer=customer, product=product, month="2026-09",
        **_figures(returned_quantity=Decimal("2"), returned_amount=Decimal("200.00")),
    )  # fmt: skip
    assert again.pk == first.pk
    assert Purchase.objects.count() == 1
    again.refresh_from_db()
    assert again.net_sales == Decimal("800.00")
    assert again.history.count() == 2  # ORG-03


def test_collected_above_the_rows_net_sales_is_refused(rep, clerk):
    """CUS-10, EXP-04: collected is the money received for this row's own net sales; a
    payment of an earlier month's invoice goes on that month's row (where the statement's
    carry-over pays its fee), so more than the net sales is an error, not a cap."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    with pytest.raises(DomainError) as refused:
        purchase_save(
            actor=clerk, customer=customer, product=product, month=SEPTEMBER,
            **_figures(returned_quantity=Decimal("1"), returned_amount=Decimal("100.00"),
                       collected_amount=Decimal("900.01")),
        )  # fmt: skip
    assert refused.value.field == "collected_amount"
    assert "(¥900.01) is more than the net sales of this row (¥900.00)" in refused.value.message
    purchase = purchase_save(actor=clerk, customer=customer, product=product, month=SEPTEMBER,
                             **_figures(collected_amount=Decimal("1000.00")))  # fmt: skip
    assert purchase.collected_amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": Decimal("-1")}, "amount", "The amount cannot be negative."),
        ({"quantity": Decimal("-3")}, "quantity", "The quantity cannot be negative."),
        ({"collected_amount": Decimal("-0.01")}, "collected_amount", "The amount collected cannot be negative."),
        ({"returned_amount": Decimal("1000.01")}, "returned_amount", "is more than was sold"),
        ({"returned_quantity": Decimal("11")}, "returned_quantity", "is more than was sold"),
        ({"amount": Decimal("10.001")}, "amount", "more than two decimals"),
        ({"amount": "abc"}, "amount", "is not a number"),
        ({"month": date(2099, 1, 1)}, "month", "has not started yet"),
        ({"month": "2026-13"}, "month", "is not a month"),
        ({"quantity": Decimal("1000001")}, "quantity", "is above 1,000,000 units"),
        ({"amount": Decimal("100000000.01")}, "amount", "is above ¥100,000,000"),
    ],
)
def test_bad_figures_are_refused_with_a_clear_message(rep, clerk, overrides, field, message):
    """CUS-10, EXP-04: no negatives, returns within sales, to the fen, a month that has
    started, nothing beyond sane sizes (settings)."""
    month = overrides.pop("month", SEPTEMBER)
    with pytest.raises(DomainError) as refused:
        purchase_save(
            actor=clerk, customer=CustomerFactory(owner=rep), product=ProductFactory(), month=month,
            **_figures(**overrides),
        )  # fmt: skip
    assert refused.value.field == field
    assert message in refused.value.message
    assert not Purchase.objects.exists()


def test_only_the_clerk_finance_and_the_erp_record_purchases(rep, other_rep, gm, manager, director, clerk, finance):
    """EXP-04, ORG-02: the rep never sets the inputs of their own fees; nor do another rep,
    the manager, the director or management (read-only). The department's clerk, finance
    and the ERP integration do."""
    customer = CustomerFactory(owner=rep)
    for actor in (rep, other_rep, gm, manager, director):
        with pytest.raises(PermissionDenied):
            purchase_save(actor=actor, customer=customer, product=ProductFactory(), month=SEPTEMBER, **_figures())
    erp = UserFactory(username="erp", roles=[Role.INTEGRATION])
    for actor in (clerk, finance, erp):
        purchase_save(actor=actor, customer=customer, product=ProductFactory(), month=SEPTEMBER, **_figures())
    assert Purchase.objects.count() == 3


def test_nobody_records_purchases_of_a_customer_they_own(sales, clerk):
    """EXP-04: a clerk who also owns customers cannot feed their figures."""
    both = UserFactory(username="both", department=sales, roles=[Role.SALES_REP, Role.SALES_CLERK])
    with pytest.raises(PermissionDenied):
        purchase_save(actor=both, customer=CustomerFactory(owner=both), product=ProductFactory(), month=SEPTEMBER,
                      **_figures())  # fmt: skip
    assert not Purchase.objects.exists()


def _form(product, month="2026-09", **overrides):
    return {
        "product": product.pk, "month": month, "quantity": "10", "amount": "1000.00", "returned_quantity": "0",
        "returned_amount": "0", "collected_amount": "800", **overrides,
    }  # fmt: skip


def test_the_clerk_adds_and_edits_a_purchase_from_the_customer_page(client_for, rep, clerk):
    """CUS-10: entered by hand, by the clerk (EXP-04); the rep gets 403 and no buttons."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    assert client_for(rep).get(f"/customers/{customer.pk}/purchases/new/").status_code == 403
    assert client_for(rep).post(f"/customers/{customer.pk}/purchases/new/", _form(product)).status_code == 403
    client = client_for(clerk)
    assert client.get(f"/customers/{customer.pk}/purchases/new/").status_code == 200
    response = client.post(f"/customers/{customer.pk}/purchases/new/", _form(product))
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.month, purchase.amount, purchase.source) == (SEPTEMBER, Decimal("1000.00"), "manual")
    # Adding the same product and month again points to the existing row instead.
    response = client.post(f"/customers/{customer.pk}/purchases/new/", _form(product))
    assert response.status_code == 200
    assert "already recorded for 2026-09; edit that row instead" in response.content.decode()
    edit = f"/customers/{customer.pk}/purchases/{purchase.pk}/edit/"
    assert client.get(edit).status_code == 200
    assert client_for(rep).post(edit, _form(product, collected_amount="1000")).status_code == 403
    response = client.post(edit, _form(product, returned_quantity="1", returned_amount="100"))
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.net_sales, purchase.collected_amount) == (Decimal("900.00"), Decimal("800.00"))
    assert 'id="add-purchase"' not in client_for(rep).get(f"/customers/{customer.pk}/").content.decode()


def test_a_bad_form_shows_the_reason_and_saves_nothing(client_for, rep, clerk):
    """CUS-10"""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    url = f"/customers/{customer.pk}/purchases/new/"
    response = client_for(clerk).post(url, _form(product, returned_amount="2000"))
    assert response.status_code == 200
    assert "is more than was sold" in response.content.decode()
    response = client_for(clerk).post(url, _form(product, collected_amount="1000.01"))
    assert "is more than the net sales of this row" in response.content.decode()
    response = client_for(clerk).post(f"/customers/{customer.pk}/purchases/new/", _form(product, month="2099-01"))
    assert "has not started yet" in response.content.decode()
    assert not Purchase.objects.exists()


def test_purchase_pages_are_404_for_another_rep_and_403_for_management(client_for, rep, other_rep, gm):
    """ORG-02"""
    customer = CustomerFactory(owner=rep)
    purchase = PurchaseFactory(customer=customer)
    product = ProductFactory()
    client = client_for(other_rep)
    assert client.get(f"/customers/{customer.pk}/purchases/new/").status_code == 404
    assert client.post(f"/customers/{customer.pk}/purchases/new/", _form(product)).status_code == 404
    assert client.get(f"/customers/{customer.pk}/purchases/{purchase.pk}/edit/").status_code == 404
    assert client.post(f"/customers/{customer.pk}/purchases/{purchase.pk}/edit/", _form(product)).status_code == 404
    assert client_for(gm).get(f"/customers/{customer.pk}/purchases/new/").status_code == 403
    assert (
        client_for(gm).post(f"/customers/{customer.pk}/purchases/{purchase.pk}/edit/", _form(product)).status_code
        == 403
    )
    assert Purchase.objects.count() == 1


def test_the_list_shows_only_visible_purchases_and_filters(client_for, rep, other_rep, manager, outsider):
    """CUS-10, ORG-02, DSH-03: filter by month range, product, customer text, owner."""
    mine = CustomerFactory(owner=rep, name="华为技术有限公司", code="HW001")
    theirs = CustomerFactory(owner=other_rep, name="中兴通讯")
    sensor, cable = ProductFactory(code="SENSOR"), ProductFactory(code="CABLE")
    PurchaseFactory(customer=mine, product=sensor, month=date(2026, 7, 1))
    PurchaseFactory(customer=mine, product=cable, month=date(2026, 9, 1))
    PurchaseFactory(customer=theirs, product=sensor, month=date(2026, 9, 1))
    client = client_for(rep)
    assert client.get("/customers/purchases/").context["paginator"].count == 2
    assert client_for(outsider).get("/customers/purchases/").context["paginator"].count == 0

    def rows(params, who=client):
        return [
            (p.customer.name, p.product.code) for p in who.get("/customers/purchases/", params).context["object_list"]
        ]

    assert rows({"month_from": "2026-08"}) == [("华为技术有限公司", "CABLE")]
    assert rows({"month_to": "2026-08"}) == [("华为技术有限公司", "SENSOR")]
    assert rows({"product": sensor.pk}) == [("华为技术有限公司", "SENSOR")]
    assert len(rows({"customer": "华为"})) == 2
    assert len(rows({"customer": "hw001"})) == 2
    assert rows({"customer": "中兴"}) == []
    boss = client_for(manager)
    assert len(rows({}, boss)) == 3
    assert rows({"owner": other_rep.pk}, boss) == [("中兴通讯", "SENSOR")]
    assert [r[1] for r in rows({"sort": "product"})] == ["CABLE", "SENSOR"]
    assert [r[1] for r in rows({"sort": "-product"})] == ["SENSOR", "CABLE"]


def test_the_list_exports_exactly_the_filtered_rows_and_logs_it(client_for, rep, other_rep):
    """DSH-03, CUS-07"""
    mine = CustomerFactory(owner=rep)
    PurchaseFactory(customer=mine, month=date(2026, 7, 1), amount=Decimal("700.00"))
    PurchaseFactory(customer=mine, month=date(2026, 9, 1))
    PurchaseFactory(customer=CustomerFactory(owner=other_rep))
    response = client_for(rep).get("/customers/purchases/", {"month_from": "2026-08", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(data) == 1
    assert data[0][0] == "2026-09" and data[0][1] == mine.code
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count) == (rep, "purchases", 1)


def _add_purchases(customer, count, start=0):
    products = [ProductFactory(code=f"Q{start + n:03d}") for n in range(count)]
    for n, product in enumerate(products):
        PurchaseFactory(customer=customer, product=product, month=date(2026, 1 + (n % 10), 1))


def test_the_list_runs_a_constant_number_of_queries(client_for, rep):
    """5 purchases and 50 cost the same number of queries."""
    client = client_for(rep)
    _add_purchases(CustomerFactory(owner=rep), 5)
    with CaptureQueriesContext(connection) as five:
        client.get("/customers/purchases/")
    _add_purchases(CustomerFactory(owner=rep), 45, start=5)
    with CaptureQueriesContext(connection) as fifty:
        client.get("/customers/purchases/")
    assert len(five) == len(fifty)


def test_the_purchases_tab_sums_the_last_12_months_in_sql(client_for, rep, time_machine):
    """CUS-10: amount, returns, net sales and collected by month, with the chart's data."""
    time_machine.move_to("2026-11-16 10:00 +0800")
    customer = CustomerFactory(owner=rep)
    PurchaseFactory(
        customer=customer, month=date(2026, 9, 1), amount=Decimal("1000.00"), returned_quantity=Decimal("1"),
        returned_amount=Decimal("100.00"), collected_amount=Decimal("500.00"),
    )  # fmt: skip
    PurchaseFactory(customer=customer, month=date(2026, 9, 1), amount=Decimal("200.00"), collected_amount=0)
    PurchaseFactory(customer=customer, month=date(2024, 1, 1), amount=Decimal("9999.00"))  # outside the window
    page = client_for(rep).get(f"/customers/{customer.pk}/")
    months = {row["month"]: row for row in page.context["purchase_months"]}
    assert len(months) == 12
    september = months[date(2026, 9, 1)]
    assert (september["sold"], september["returned"], september["net"], september["collected"]) == (
        Decimal("1200.00"), Decimal("100.00"), Decimal("1100.00"), Decimal("500.00"),
    )  # fmt: skip
    assert page.context["purchase_totals"]["net"] == Decimal("1100.00")
    html = page.content.decode()
    assert 'id="purchase-chart-data"' in html
    assert "vendor/echarts-5.6.0/echarts.min.js" in html
    chart = page.context["purchase_chart"]
    assert chart["months"][-1] == "2026-11" and chart["net"][chart["months"].index("2026-09")] == "1100.00"
    json.dumps(chart)


def test_the_purchases_tab_shows_an_empty_state(client_for, rep, clerk):
    customer = CustomerFactory(owner=rep)
    html = client_for(rep).get(f"/customers/{customer.pk}/").content.decode()
    assert "No purchases in the last 12 months." in html
    assert 'id="add-purchase"' not in html  # EXP-04: the clerk enters them
    assert 'id="add-purchase"' in client_for(clerk).get(f"/customers/{customer.pk}/").content.decode()


def test_the_customer_page_runs_a_constant_number_of_queries_with_purchases(client_for, rep, clerk):
    """The purchases and loyalty sections cost the same for 5 and 50 purchases."""
    customer = CustomerFactory(owner=rep)
    product = ProductFactory()
    client = client_for(rep)
    for n in range(5):
        purchase_save(actor=clerk, customer=customer, product=ProductFactory(code=f"A{n}"), month=SEPTEMBER,
                      **_figures())  # fmt: skip
    with CaptureQueriesContext(connection) as five:
        client.get(f"/customers/{customer.pk}/")
    for n in range(45):
        purchase_save(actor=clerk, customer=customer, product=ProductFactory(code=f"B{n}"),
                      month=date(2026, 1 + n % 10, 1), **_figures())  # fmt: skip
    purchase_save(actor=clerk, customer=customer, product=product, month=SEPTEMBER, **_figures())
    with CaptureQueriesContext(connection) as fifty:
        client.get(f"/customers/{customer.pk}/")
    assert len(five) == len(fifty)
