"""The rapport-fee API (/api/v1/statements/ …). Each topic module registers its viewsets."""

from . import advances, ledger, signoff, special_fees, standards, statements


def register(router) -> None:
    for module in (standards, statements, ledger, special_fees, advances, signoff):
        module.register(router)
