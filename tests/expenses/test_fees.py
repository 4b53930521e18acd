from decimal import Decimal

from expenses.models.settings import CollectionMode
from expenses.services.fees import Tier, entitled, fee_for, split

TIERS = [Tier(1, 4, Decimal("5")), Tier(5, 9, Decimal("7")), Tier(10, 20, Decimal("9")), Tier(21, None, Decimal("10"))]


def test_the_whole_quantity_is_paid_at_its_tiers_rate():
    """EXP-02: 12 units in the 10–20 tier at ¥9 give ¥108, not progressively."""
    assert fee_for(TIERS, Decimal(12)) == (Decimal("9"), Decimal("108.00"))
    assert fee_for(TIERS, Decimal(4)) == (Decimal("5"), Decimal("20.00"))
    assert fee_for(TIERS, Decimal(21)) == (Decimal("10"), Decimal("210.00"))
    assert fee_for(TIERS, Decimal(0)) == (Decimal("0.00"), Decimal("0.00"))
    assert fee_for(TIERS, Decimal(-3))[1] == Decimal("0.00")


def test_proportional_mode_pays_by_the_collection_rate():
    """EXP-04: payable = fee × min(1, collected ÷ net sales)."""
    mode = CollectionMode.PROPORTIONAL
    assert entitled(fee=Decimal("108"), net_sales=Decimal("1000"), collected=Decimal("600"), mode=mode) == Decimal(
        "64.80"
    )
    assert entitled(fee=Decimal("108"), net_sales=Decimal("1000"), collected=Decimal("1500"), mode=mode) == Decimal(
        "108.00"
    )
    assert entitled(fee=Decimal("108"), net_sales=Decimal("0"), collected=Decimal("10"), mode=mode) == Decimal("0.00")


def test_all_or_nothing_mode():
    """EXP-04 (setting)"""
    mode = CollectionMode.ALL_OR_NOTHING
    assert entitled(fee=Decimal("108"), net_sales=Decimal("1000"), collected=Decimal("999.99"), mode=mode) == 0
    assert entitled(fee=Decimal("108"), net_sales=Decimal("1000"), collected=Decimal("1000"), mode=mode) == Decimal(
        "108"
    )


def test_parts_round_half_up_and_the_rest_goes_to_the_largest_share():
    """EXP-05: parts add up exactly; the difference goes to the largest share."""
    parts = dict(
        split(Decimal("100.00"), [("a", Decimal("33.33"), 0), ("b", Decimal("33.33"), 1), ("c", Decimal("33.34"), 2)])
    )
    assert sum(parts.values()) == Decimal("100.00")
    assert parts == {"a": Decimal("33.33"), "b": Decimal("33.33"), "c": Decimal("33.34")}
    parts = dict(split(Decimal("0.05"), [("a", Decimal("50"), 0), ("b", Decimal("50"), 1)]))
    assert parts == {"a": Decimal("0.02"), "b": Decimal("0.03")} or parts == {
        "a": Decimal("0.03"),
        "b": Decimal("0.02"),
    }
    assert sum(parts.values()) == Decimal("0.05")


def test_on_a_tie_the_earliest_added_contact_takes_the_difference():
    """EXP-05"""
    parts = dict(
        split(
            Decimal("10.00"),
            [("late", Decimal("33.33"), 2), ("early", Decimal("33.33"), 1), ("x", Decimal("33.34"), 3)],
        )
    )
    # 10 × 33.33 % = 3.333 → 3.33 twice, 3.334 → 3.33: 0.01 left, to the largest share ("x").
    assert parts["x"] == Decimal("3.34")
    parts = dict(split(Decimal("0.01"), [("late", Decimal("50"), 2), ("early", Decimal("50"), 1)]))
    # 0.005 rounds half-up to 0.01 each: −0.01 goes back from the earliest of the tied largest.
    assert parts == {"late": Decimal("0.01"), "early": Decimal("0.00")}
