"""/api/v1/fee-standards/ (EXP-02)."""

import pytest

from expenses.models import FeeStandard
from tests.expenses.factories import ProductFactory, fee_standard

pytestmark = pytest.mark.django_db

URL = "/api/v1/fee-standards/"

TIERS = [
    {"min_quantity": 1, "max_quantity": 4, "fee_per_unit": "5.00"},
    {"min_quantity": 5, "max_quantity": 9, "fee_per_unit": "7.00"},
    {"min_quantity": 10, "max_quantity": 20, "fee_per_unit": "9.00"},
    {"min_quantity": 21, "max_quantity": None, "fee_per_unit": "10.00"},
]


@pytest.fixture
def module(db, time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")
    return ProductFactory(code="P-MOD-IMP", name="进口模块")


def _post(client, **overrides):
    body = {"product": "P-MOD-IMP", "valid_from": "2026-11-01", "tiers": TIERS, **overrides}
    return client.post(URL, body, content_type="application/json")


def test_finance_sets_a_standard_with_tiers(module, finance, client_for):
    """EXP-02: tiers with a fee per unit, from the first of a month; null = no upper bound."""
    response = _post(client_for(finance))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["product"] == "P-MOD-IMP"
    assert body["valid_from"] == "2026-11-01"
    assert body["tiers"] == TIERS
    standard = FeeStandard.objects.get(pk=body["id"])
    assert standard.tiers.count() == 4
    assert standard.created_by == finance


def test_it_lists_and_retrieves_with_tiers(module, finance, rep, client_for):
    """EXP-02: reps read the standards their fees are computed by."""
    standard = fee_standard(module)
    client = client_for(rep)
    listed = client.get(URL, {"product": "P-MOD-IMP"}).json()["results"]
    assert [s["id"] for s in listed] == [standard.pk]
    detail = client.get(f"{URL}{standard.pk}/").json()
    assert detail["tiers"][2] == {"min_quantity": 10, "max_quantity": 20, "fee_per_unit": "9.00"}
    assert detail["tiers"][3]["max_quantity"] is None


def test_only_finance_sets_standards(module, rep, manager, client_for):
    """EXP-02, EXP-03: under finance supervision — 403 for everyone else, nothing created."""
    for user in (rep, manager):
        response = _post(client_for(user))
        assert response.status_code == 403
        assert "finance" in response.json()["detail"]
    assert not FeeStandard.objects.exists()


def test_outsiders_do_not_read_standards(module, outsider, client_for):
    standard = fee_standard(module)
    client = client_for(outsider)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{standard.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valid_from": "2026-11-15"}, "valid_from"),  # not the first of a month
        ({"valid_from": "someday"}, "valid_from"),
        ({"product": "NOPE"}, "product"),
        ({"tiers": []}, "tiers"),
        ({"tiers": [{"min_quantity": 1, "max_quantity": 4, "fee_per_unit": "abc"}]}, "tiers"),
        ({"tiers": [{"min_quantity": 1, "max_quantity": 4, "fee_per_unit": "-5.00"}]}, "tiers"),
        ({"tiers": [{"min_quantity": 1, "max_quantity": 4, "fee_per_unit": "5"},
                    {"min_quantity": 6, "max_quantity": None, "fee_per_unit": "7"}]}, "tiers"),  # a gap
        ({"tiers": [{"min_quantity": 5, "max_quantity": 2, "fee_per_unit": "5"}]}, "tiers"),
    ],
)  # fmt: skip
def test_bad_standards_are_refused_with_field_errors(module, finance, client_for, overrides, field):
    """EXP-02: bad input answered with a clear message; nothing changed."""
    response = _post(client_for(finance), **overrides)
    assert response.status_code == 400
    assert field in response.json()
    assert not FeeStandard.objects.exists()


def test_a_second_standard_for_the_same_month_is_refused(module, finance, client_for):
    """EXP-02: a change is a new standard from a later month."""
    client = client_for(finance)
    assert _post(client).status_code == 201
    again = _post(client)
    assert again.status_code == 400
    assert "already" in again.json()["valid_from"][0]
    assert _post(client, valid_from="2026-12-01").status_code == 201
