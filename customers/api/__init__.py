"""The customers API (/api/v1/customers/ …). Each topic module registers its viewsets."""

from . import contacts, customers, products


def register(router) -> None:
    for module in (customers, contacts, products):
        module.register(router)
