"""A fee standard may start in a past month unless a month it would reach is on a submitted
statement with the product (EXP-02), on the page and through the API. The clock is pinned
at the start of December, when last month's standards are set."""

from datetime import date

import pytest

from expenses.models import FeeStandard
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import ProductFactory, fee_customer, fee_standard, purchase
from tests.expenses.test_standards_pages import _html
from tests.expenses.test_standards_pages import _post as post_page

pytestmark = pytest.mark.django_db

URL = "/api/v1/fee-standards/"
NOVEMBER = date(2026, 11, 1)
TIERS = [{"min_quantity": 1, "max_quantity": None, "fee_per_unit": "5.00"}]


@pytest.fixture(autouse=True)
def _first_of_december(time_machine):
    time_machine.move_to("2026-12-01 09:00 +0800", tick=False)


@pytest.fixture
def new_product(db):
    return ProductFactory(code="P-NEW", name="新模块")


def post_api(client, valid_from, product="P-NEW"):
    return client.post(URL, {"product": product, "valid_from": valid_from, "tiers": TIERS},
                       content_type="application/json")  # fmt: skip


def november_statement(rep, product, *, submit=True):
    customer = fee_customer(rep)
    purchase(customer, product, month=NOVEMBER)
    statement = statement_create(actor=rep, month=NOVEMBER)
    return statement_submit(actor=rep, statement=statement) if submit else statement


def test_a_new_products_standard_for_last_month_is_accepted(client_for, finance, rep, new_product):
    """EXP-02: nothing of November is submitted with the product yet (a draft does not count)."""
    november_statement(rep, new_product, submit=False)
    response = post_api(client_for(finance), "2026-11-01")
    assert response.status_code == 201, response.content
    assert FeeStandard.objects.get().valid_from == NOVEMBER
    other = ProductFactory(code="P-OTHER", name="其他")
    assert post_page(client_for(finance), other, valid_from="2026-10", tiers=(("1", "", "5.00"),)).status_code == 302


def test_a_month_on_a_submitted_statement_keeps_its_standard(client_for, finance, rep, new_product):
    """EXP-02: refused with the reason, on the page and through the API; nothing saved."""
    november_statement(rep, new_product)
    response = post_api(client_for(finance), "2026-11-01")
    assert response.status_code == 400
    [message] = response.json()["valid_from"]
    assert "already submitted" in message and "2026-11" in message and "start in 2026-12 at the earliest" in message
    # Starting earlier would reach November too.
    assert post_api(client_for(finance), "2026-09-01").status_code == 400
    html = _html(post_page(client_for(finance), new_product, valid_from="2026-10", tiers=(("1", "", "5.00"),)))
    assert "already submitted" in html and "The standard was not saved" in html
    assert not FeeStandard.objects.exists()
    assert post_api(client_for(finance), "2026-12-01").status_code == 201


def test_a_later_standard_bounds_the_months_a_backdated_one_reaches(client_for, finance, rep, new_product):
    """EXP-02: with a standard from November, one from October reaches October only."""
    fee_standard(new_product, valid_from=NOVEMBER)
    november_statement(rep, new_product)
    assert post_api(client_for(finance), "2026-10-01").status_code == 201
    assert post_api(client_for(finance), "2026-11-01").status_code == 400  # already there, and submitted


def test_another_products_submitted_statement_does_not_count(client_for, finance, rep, new_product):
    """EXP-02: only statements that use the product protect their month from it."""
    november_statement(rep, ProductFactory(code="P-SOLD", name="已售"))
    assert post_api(client_for(finance), "2026-11-01").status_code == 201
