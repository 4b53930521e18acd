"""The fee arithmetic, in one place (EXP-02, EXP-04, EXP-05). Pure functions on Decimals."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..models.common import FEN, ZERO
from ..models.settings import CollectionMode


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    max_quantity: int | None
    fee_per_unit: Decimal


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def rate_for(tiers: list[Tier], net_quantity: Decimal) -> Decimal:
    """The fee per unit of the tier the month's net quantity falls in; 0 below the first."""
    for tier in tiers:
        if net_quantity >= tier.min_quantity and (tier.max_quantity is None or net_quantity <= tier.max_quantity):
            return tier.fee_per_unit
    # Fractional quantities between two integer tiers (e.g. 4.5 with tiers 1–4, 5–9) take the lower tier.
    below = [tier for tier in tiers if net_quantity >= tier.min_quantity]
    return below[-1].fee_per_unit if below else ZERO


def fee_for(tiers: list[Tier], net_quantity: Decimal) -> tuple[Decimal, Decimal]:
    """(rate, fee): the whole net quantity at its tier's rate, not progressively (EXP-02):
    12 units in the 10–20 tier at ¥9 give ¥108."""
    if net_quantity <= 0:
        return ZERO, ZERO
    rate = rate_for(tiers, net_quantity)
    return rate, to_fen(net_quantity * rate)


def entitled(*, fee: Decimal, net_sales: Decimal, collected: Decimal, mode: str) -> Decimal:
    """How much of a month's fee the collections so far entitle to (EXP-04)."""
    if fee <= 0 or net_sales <= 0:
        return ZERO
    if mode == CollectionMode.ALL_OR_NOTHING:
        return fee if collected >= net_sales else ZERO
    rate = min(Decimal(1), max(ZERO, collected) / net_sales)
    return to_fen(fee * rate)


def split(total: Decimal, shares: list[tuple[object, Decimal, int]]) -> list[tuple[object, Decimal]]:
    """Split `total` by percentage shares (EXP-05). `shares` is [(key, share, order)] where
    `order` ranks ties (earliest added first). Each part is rounded half-up to the fen; the
    difference goes to the largest share (the earliest on a tie), so parts add up exactly."""
    if not shares:
        return []
    share_sum = sum(share for _key, share, _order in shares)
    parts = [(key, to_fen(total * share / share_sum)) for key, share, _order in shares]
    difference = total - sum(amount for _key, amount in parts)
    if difference:
        largest = min(range(len(shares)), key=lambda i: (-shares[i][1], shares[i][2]))
        key, amount = parts[largest]
        parts[largest] = (key, amount + difference)
    return parts
