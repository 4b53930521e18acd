"""The fee standards page (EXP-02): every product's standards with their history, and
finance's form, which refuses bad input with a clear message and saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses.models import FeeStandard, FeeTier
from tests.expenses.factories import ProductFactory, fee_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800", tick=False)
    return time_machine


@pytest.fixture
def module(db):
    return ProductFactory(code="P-MOD-IMP", name="进口模块")


def _post(client, product, *, valid_from="2026-11", tiers=(("1", "4", "5.00"), ("5", "9", "7.00"), ("10", "", "9.00"))):
    data = {
        "product": product.pk,
        "valid_from": valid_from,
        "tiers-TOTAL_FORMS": "6",
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "6",
    }
    for index, (low, high, fee) in enumerate(tiers):
        data |= {f"tiers-{index}-min_quantity": low, f"tiers-{index}-max_quantity": high,
                 f"tiers-{index}-fee_per_unit": fee}  # fmt: skip
    return client.post("/fees/standards/", data)


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_finance_sets_a_standard_from_a_coming_month(client_for, finance, module, october):
    """EXP-02: tiers valid from the first of a month, shown in the product's history."""
    response = _post(client_for(finance), module)
    assert response.status_code == 302
    assert any("saved" in str(m) for m in get_messages(response.wsgi_request))
    standard = FeeStandard.objects.get()
    assert (standard.product, standard.valid_from, standard.created_by) == (module, datetime.date(2026, 11, 1), finance)
    assert list(standard.tiers.values_list("min_quantity", "max_quantity", "fee_per_unit")) == [
        (1, 4, Decimal("5.00")),
        (5, 9, Decimal("7.00")),
        (10, None, Decimal("9.00")),
    ]
    html = _html(client_for(finance).get("/fees/standards/"))
    assert "from 2026-11" in html and "scheduled" in html and "10 – ∞" in html


@pytest.mark.parametrize(
    ("tiers", "valid_from", "message"),
    [
        ((("1", "5", "5.00"), ("5", "9", "7.00")), "2026-11", "without gaps or overlaps"),
        ((("1", "4", "5.00"), ("8", "", "7.00")), "2026-11", "without gaps or overlaps"),
        ((("1", "4", "-5.00"),), "2026-11", "the fee must be a positive amount"),
        ((("1", "4", "five"),), "2026-11", "Enter a number."),
        ((("one", "4", "5.00"),), "2026-11", "Enter a whole number."),
        ((("9", "4", "5.00"),), "2026-11", "out of order"),
        ((("1", "4", "5.00"),), "next month", "Enter a month as YYYY-MM"),
        ((), "2026-11", "at least one tier"),
    ],
)
def test_bad_standards_are_refused_with_a_clear_message(
    client_for, finance, module, october, tiers, valid_from, message
):
    """EXP-02: overlapping or gapped tiers, negative fees, non-numbers: nothing saved (a past
    month on a submitted statement: test_standards_past_months.py)."""
    response = _post(client_for(finance), module, tiers=tiers, valid_from=valid_from)
    assert response.status_code == 200
    html = _html(response)
    assert message in html
    assert "The standard was not saved" in html
    assert not FeeStandard.objects.exists() and not FeeTier.objects.exists()


def test_a_second_standard_for_the_same_month_is_refused(client_for, finance, module, october):
    """EXP-02: one standard per product and month; the first stays as it was."""
    client = client_for(finance)
    _post(client, module)
    response = _post(client, module, tiers=(("1", "", "99.00"),))
    assert "already has a standard from 2026-11" in _html(response)
    assert FeeStandard.objects.count() == 1 and FeeTier.objects.count() == 3


def test_the_history_marks_past_in_force_and_scheduled_standards(client_for, rep, module, october):
    """EXP-02: a change never alters a past month — every standard stays listed."""
    fee_standard(module, valid_from=datetime.date(2026, 1, 1))
    fee_standard(module, valid_from=datetime.date(2026, 6, 1), tiers=[(1, None, "6.00")])
    fee_standard(module, valid_from=datetime.date(2027, 1, 1), tiers=[(1, None, "8.00")])
    html = _html(client_for(rep).get("/fees/standards/"))
    assert html.count("standard standard-past") == 1
    assert html.count("standard standard-in_force") == 1
    assert html.count("standard standard-scheduled") == 1
    assert 'id="standard-form"' not in html  # only finance sets standards


def test_only_finance_may_post_and_outsiders_see_nothing(client_for, rep, clerk, outsider, gm, module, october):
    """EXP-02, EXP-13: a rep or clerk posting gets 403; people without a fee role get 404."""
    for person in (rep, clerk):
        assert _post(client_for(person), module).status_code == 403
    for person in (outsider, gm):
        assert client_for(person).get("/fees/standards/").status_code == 404
    assert not FeeStandard.objects.exists()


def test_the_page_runs_a_constant_number_of_queries(client_for, finance, october):
    for index in range(3):
        fee_standard(ProductFactory(code=f"A{index}"), by=finance)
    client = client_for(finance)
    client.get("/fees/standards/")
    with CaptureQueriesContext(connection) as few:
        client.get("/fees/standards/")
    for index in range(20):
        product = ProductFactory(code=f"B{index}")
        fee_standard(product, by=finance)
        fee_standard(product, valid_from=datetime.date(2026, 6, 1), by=finance)
    with CaptureQueriesContext(connection) as many:
        client.get("/fees/standards/")
    assert len(few) == len(many)
