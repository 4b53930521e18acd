"""The suppliers API (SUP-01 … SUP-07, ORG-02): /api/v1/suppliers/ with its workflow actions
(api/suppliers.py) and finance's read-only /api/v1/supplier-payment-terms/ (api/payment_terms.py)."""

from . import payment_terms, suppliers


def register(router) -> None:
    suppliers.register(router)
    payment_terms.register(router)
