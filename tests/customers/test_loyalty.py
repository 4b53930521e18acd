import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from customers import demo_loyalty
from customers.models import CustomerSettings, LoyaltyEntry, LoyaltyKind
from customers.services.loyalty import loyalty_balance, loyalty_redeem, points_for
from customers.services.purchases import purchase_save
from tests.customers.factories import CustomerFactory, ProductFactory, PurchaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)


def _clerk(rep):
    """Purchase figures are entered by the department's clerk, never the rep (EXP-04)."""
    return User.objects.filter(groups__name=Role.SALES_CLERK, department=rep.department).first() or UserFactory(
        department=rep.department, roles=[Role.SALES_CLERK]
    )


def _save(rep, customer, product, amount, returned="0", month=SEPTEMBER):
    return purchase_save(
        actor=_clerk(rep), customer=customer, product=product, month=month, quantity=Decimal("10"),
        amount=Decimal(amount), returned_quantity=Decimal("1") if Decimal(returned) else Decimal("0"),
        returned_amount=Decimal(returned), collected_amount=Decimal("0"),
    )  # fmt: skip


def test_points_are_net_sales_times_the_rate_rounded_down():
    """CUS-13"""
    assert points_for(Decimal("1250.50"), Decimal("0.0100")) == 12
    assert points_for(Decimal("99.99"), Decimal("0.0100")) == 0
    assert points_for(Decimal("1000.00"), Decimal("1.5000")) == 1500
    assert points_for(Decimal("0.00"), Decimal("1")) == 0


def test_a_purchase_earns_points_in_the_ledger(rep):
    """CUS-13: points per purchase amount (setting), posted as an `earned` entry."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    purchase = _save(rep, customer, product, "1250.50")
    entry = LoyaltyEntry.objects.get(customer=customer)
    assert (entry.kind, entry.points, entry.purchase) == (LoyaltyKind.EARNED, 12, purchase)
    assert entry.created_by == _clerk(rep)
    assert loyalty_balance(customer) == 12


def test_the_rate_is_a_setting(rep):
    """CUS-13 *(setting)*"""
    settings_row = CustomerSettings.load()
    settings_row.points_per_yuan = Decimal("0.5000")
    settings_row.save(update_fields=["points_per_yuan"])
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "101.00")
    assert loyalty_balance(customer) == 50


def test_a_changed_purchase_posts_the_difference_and_never_edits_old_entries(rep):
    """CUS-13: a ledger, never a mutable total without history."""
    customer, product = CustomerFactory(owner=rep), ProductFactory()
    _save(rep, customer, product, "1200.00")
    first = LoyaltyEntry.objects.get()
    _save(rep, customer, product, "2000.00")
    _save(rep, customer, product, "2000.00", returned="500.00")
    _save(rep, customer, product, "2000.00", returned="500.00")  # unchanged: nothing posted
    entries = list(LoyaltyEntry.objects.order_by("pk").values_list("kind", "points"))
    assert entries == [("earned", 12), ("adjusted", 8), ("adjusted", -5)]
    first.refresh_from_db()
    assert first.points == 12
    assert loyalty_balance(customer) == 15


def test_redeeming_within_the_balance(rep):
    """CUS-13: redeemed for coupons or gifts, as a negative entry."""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "5000.00")
    entry = loyalty_redeem(actor=rep, customer=customer, points=30, note="200元购物券")
    assert (entry.kind, entry.points, entry.note) == (LoyaltyKind.REDEEMED, -30, "200元购物券")
    assert loyalty_balance(customer) == 20


@pytest.mark.parametrize(
    ("points", "note", "field"),
    [(51, "礼品", "points"), (0, "礼品", "points"), (-5, "礼品", "points"), ("x", "礼品", "points"), (10, " ", "note")],
)
def test_a_bad_redemption_is_refused_and_nothing_changes(rep, points, note, field):
    """CUS-13: never more than the balance."""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "5000.00")
    with pytest.raises(DomainError) as refused:
        loyalty_redeem(actor=rep, customer=customer, points=points, note=note)
    assert refused.value.field == field
    assert loyalty_balance(customer) == 50
    assert not LoyaltyEntry.objects.filter(kind=LoyaltyKind.REDEEMED).exists()


def test_management_and_other_reps_cannot_redeem(rep, other_rep, gm):
    """ORG-02: management is read-only; another rep's customer is not theirs."""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "5000.00")
    for actor in (gm, other_rep):
        with pytest.raises(PermissionDenied):
            loyalty_redeem(actor=actor, customer=customer, points=1, note="礼品")
    assert loyalty_balance(customer) == 50


def test_the_loyalty_tab_shows_the_balance_and_redeems(client_for, rep):
    """CUS-13"""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(name="传感器"), "5000.00")
    client = client_for(rep)
    page = client.get(f"/customers/{customer.pk}/")
    assert page.context["loyalty_balance"] == 50
    assert 'id="redeem-form"' in page.content.decode()
    response = client.post(f"/customers/{customer.pk}/loyalty/redeem/", {"points": 20, "note": "保温杯"}, follow=True)
    assert "20 points redeemed." in response.content.decode()
    assert loyalty_balance(customer) == 30
    response = client.post(f"/customers/{customer.pk}/loyalty/redeem/", {"points": 31, "note": "保温杯"}, follow=True)
    assert "The balance is 30 points; 31 cannot be redeemed." in response.content.decode()
    assert loyalty_balance(customer) == 30
    ledger = client.get(f"/customers/{customer.pk}/loyalty/")
    assert ledger.status_code == 200
    assert "保温杯" in ledger.content.decode()


def test_the_loyalty_pages_are_404_for_another_rep(client_for, rep, other_rep, gm):
    """ORG-02"""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "5000.00")
    client = client_for(other_rep)
    assert client.get(f"/customers/{customer.pk}/loyalty/").status_code == 404
    assert client.post(f"/customers/{customer.pk}/loyalty/redeem/", {"points": 1, "note": "x"}).status_code == 404
    page = client_for(gm).get(f"/customers/{customer.pk}/")
    assert 'id="redeem-form"' not in page.content.decode()
    client_for(gm).post(f"/customers/{customer.pk}/loyalty/redeem/", {"points": 1, "note": "x"})
    assert loyalty_balance(customer) == 50


def test_demo_seed_posts_points_for_existing_purchases_once(rep):
    """CUS-13: the demo purchases get their earned entries; running it again posts nothing."""
    customer = CustomerFactory(owner=rep)
    PurchaseFactory(customer=customer, amount=Decimal("1200.00"))
    PurchaseFactory(customer=customer, amount=Decimal("3456.00"), month=date(2026, 8, 1))
    demo_loyalty.seed()
    demo_loyalty.seed()
    assert sorted(LoyaltyEntry.objects.values_list("points", flat=True)) == [12, 34]
    assert set(LoyaltyEntry.objects.values_list("kind", flat=True)) == {"earned"}


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_racing_cannot_overspend(rep):
    """CUS-13: two clerks redeeming the same points at once — exactly one wins."""
    customer = CustomerFactory(owner=rep)
    _save(rep, customer, ProductFactory(), "5000.00")  # 50 points
    barrier = threading.Barrier(2)
    outcomes = []

    def redeem():
        try:
            barrier.wait()
            loyalty_redeem(actor=rep, customer=customer, points=40, note="礼品")
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert loyalty_balance(customer) == 10
