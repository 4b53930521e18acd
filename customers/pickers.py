"""This app's pickers (ORG-02, CUS-07): customers, their contacts and products, each from the
access registry. See crm_project/core/pickers.py."""

from django.db.models import Q

from crm_project.accounts.access import visible_to
from crm_project.core.pickers import Source, choice_param, integer_param, register

from .models import Contact, Customer, Product
from .selectors import customer_visible_to, search_customers


def customer_label(customer: Customer) -> str:
    return f"{customer.name} ({customer.code})"


def _customers(user, params):
    """The customers the user sees and that are not archived; `scope=own`: only their own."""
    scope = choice_param(params, "scope", {"", "own"})
    customers = customer_visible_to(user).filter(archived_at__isnull=True)
    return customers.filter(owner=user) if scope == "own" else customers


def search_contacts(queryset, term):
    return queryset.filter(name__icontains=term)


def contacts_of(customers):
    """A picker over the active contacts of one customer chosen from `customers` (CUS-07: a
    contact is only ever offered beside its own customer)."""

    def queryset(user, params):
        customer_id = integer_param(params, "customer")
        return Contact.objects.filter(customer__in=customers(user).filter(pk=customer_id), active=True)

    return queryset


def _products(user, params):
    scope = choice_param(params, "scope", {"", "all"})
    products = visible_to(user, Product.objects.all())
    return products if scope == "all" else products.filter(active=True)


def search_products(queryset, term):
    return queryset.filter(Q(code__icontains=term) | Q(name__icontains=term))


register(
    Source(
        name="customers",
        model=Customer,
        queryset=_customers,
        search=search_customers,
        order=("name", "pk"),
        label=customer_label,
        params=("scope",),
        only=("pk", "name", "code"),
    )
)
register(
    Source(
        name="contacts",
        model=Contact,
        queryset=contacts_of(customer_visible_to),
        search=search_contacts,
        order=("name", "pk"),
        params=("customer",),
        only=("pk", "name"),
    )
)
register(
    Source(
        name="products",
        model=Product,
        queryset=_products,
        search=search_products,
        order=("code", "pk"),
        params=("scope",),
        only=("pk", "name", "code"),
    )
)
