"""The expenses API: rapport fees (/api/v1/statements/ …), budgets and other expenses (/api/v1/budgets/
…). Each topic module registers its viewsets."""

from . import advances, budgets, entertainment, ledger, signoff, special_fees, standards, statements


def register(router) -> None:
    for module in (standards, statements, ledger, special_fees, advances, signoff, budgets, entertainment):
        module.register(router)
