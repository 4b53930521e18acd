"""The customers API (/api/v1/customers/ …). Each topic module registers its viewsets."""

from . import contacts, customers, interactions, products, purchases, visits


def register(router) -> None:
    for module in (customers, contacts, products, interactions, visits, purchases):
        module.register(router)
