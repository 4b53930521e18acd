from decimal import Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 2}


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"
